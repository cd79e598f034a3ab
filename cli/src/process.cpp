// Child processes of the CLI: started, waited for, and a command run to its end.
#include "process.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "util.hpp"

namespace myapp::cli {

pid_t spawn(const std::vector<std::string>& argv, const spawn_options& options) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = ::fork();
  if (pid != 0) {
    if (pid > 0 && options.own_group) ::setpgid(pid, pid);  // whichever of the two runs first
    return pid;
  }
  // Child.
  if (options.own_group) {
    ::setpgid(0, 0);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGCHLD}) ::sigaction(sig, &dfl, nullptr);
  }
  if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0) {
    std::fprintf(stderr, "myapp: cannot enter %s: %s\n", options.cwd.c_str(), std::strerror(errno));
    ::_exit(127);
  }
  for (const auto& [k, v] : options.env) ::setenv(k.c_str(), v.c_str(), 1);
  const bool needs_null = options.null_stdin || options.out == DEV_NULL || options.err == DEV_NULL;
  const int null_fd = needs_null ? ::open("/dev/null", O_RDWR) : -1;
  if (options.null_stdin) ::dup2(null_fd, 0);
  for (const auto& [fd, to] : {std::pair{1, options.out}, std::pair{2, options.err}}) {
    if (to != INHERIT) ::dup2(to == DEV_NULL ? null_fd : to, fd);
  }
  ::execvp(args[0], args.data());
  std::fprintf(stderr, "%scannot run %s: %s\n", options.exec_error_prefix, args[0],
               std::strerror(errno));
  ::_exit(127);
}

int status_code(int status) noexcept {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 127;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 127;
  }
  return status_code(status);
}

namespace {

spawn_options to_spawn(const run_options& options) {
  spawn_options s;
  s.cwd = options.cwd;
  s.env = options.env;
  if (options.quiet) s.out = s.err = DEV_NULL;
  return s;
}

}  // namespace

int run(const std::vector<std::string>& argv, const run_options& options) {
  const pid_t pid = spawn(argv, to_spawn(options));
  if (pid < 0) return 127;
  return wait_for(pid);
}

namespace {

// Runs `argv` with its stdout (and, with `both`, its stderr) into a pipe; what came and the
// exit code.
captured read_output(const std::vector<std::string>& argv, const run_options& options, bool both) {
  captured out;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return out;
  spawn_options s = to_spawn(options);
  s.out = fds[1];
  s.err = both ? fds[1] : DEV_NULL;
  const pid_t pid = spawn(argv, s);
  ::close(fds[1]);
  if (pid < 0) {
    ::close(fds[0]);
    return out;
  }
  char buf[4096];
  while (true) {
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n > 0) {
      out.output.append(buf, static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  ::close(fds[0]);
  out.code = wait_for(pid);
  return out;
}

}  // namespace

std::optional<std::string> capture(const std::vector<std::string>& argv,
                                   const run_options& options) {
  if (which(argv.at(0)).empty()) return std::nullopt;
  auto r = read_output(argv, options, false);
  if (r.code != 0) return std::nullopt;
  return std::move(r.output);
}

captured run_captured(const std::vector<std::string>& argv, const run_options& options) {
  return read_output(argv, options, true);
}

}  // namespace myapp::cli
