// A program a benchmark runs as a child (child_process.hpp).
#include "child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "proc_tree.hpp"

extern char** environ;

namespace myapp::bench {

using namespace std::chrono_literals;

std::optional<std::string> find_program(const std::string& name) {
  auto executable = [](const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string::npos) {
    if (executable(name)) return name;
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  for (std::size_t start = 0; start <= dirs.size();) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string dir = dirs.substr(start, end - start);
    if (!dir.empty() && executable(dir + "/" + name)) return dir + "/" + name;
    start = end + 1;
  }
  return std::nullopt;
}

std::optional<std::string> first_not_executable(const std::vector<std::string>& programs) {
  for (const auto& p : programs) {
    if (::access(p.c_str(), X_OK) != 0) return p;
  }
  return std::nullopt;
}

scratch_home::scratch_home(const std::string& name) {
  std::string tmpl = "/tmp/" + name + "-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) {
    throw std::runtime_error("cannot make " + tmpl + ": " + std::strerror(errno));
  }
  path_ = tmpl;
  ::setenv("HOME", path_.c_str(), 1);
  ::setenv("XDG_DATA_HOME", (path_ + "/data").c_str(), 1);
  ::setenv("XDG_CACHE_HOME", (path_ + "/cache").c_str(), 1);
  ::setenv("XDG_CONFIG_HOME", (path_ + "/config").c_str(), 1);
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
}

scratch_home::~scratch_home() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void reap_children() {
  while (::waitpid(-1, nullptr, WNOHANG) > 0) {
  }
}

child_process::child_process(const std::vector<std::string>& argv,
                             const std::vector<std::string>& env) {
  if (argv.empty()) throw std::runtime_error("child_process: no program given");
  int in[2];
  int out[2];
  if (::pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  env_strings.insert(env_strings.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args_copy = argv;
  std::vector<char*> args;
  for (auto& a : args_copy) args.push_back(a.data());
  args.push_back(nullptr);
  const int rc = ::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  in_ = in[1];
  out_ = out[0];
  if (rc != 0) {
    ::close(in_);
    ::close(out_);
    in_ = out_ = -1;
    pid_ = -1;
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  }
  // A child that quits early must not kill us with SIGPIPE when we write to it.
  ::signal(SIGPIPE, SIG_IGN);
}

child_process::~child_process() {
  if (pid_ > 0 && !status_) {
    close_stdin();
    wait(5s);
  }
  if (in_ >= 0) ::close(in_);
  if (out_ >= 0) ::close(out_);
}

std::optional<std::string> child_process::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    if (eof_ || out_ < 0) {
      if (buffer_.empty()) return std::nullopt;
      std::string rest = std::move(buffer_);
      buffer_.clear();
      return rest;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) return std::nullopt;
    pollfd p{out_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) return std::nullopt;
    if (ready <= 0) continue;
    char chunk[65536];
    const ssize_t n = ::read(out_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      eof_ = true;
      continue;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

bool child_process::write_line(const std::string& line) {
  if (in_ < 0) return false;
  const std::string text = line + "\n";
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(in_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void child_process::close_stdin() {
  if (in_ >= 0) ::close(in_);
  in_ = -1;
}

int child_process::wait(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  if (!status_) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        break;
      }
      if (r < 0) {
        status_ = -1;
        break;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        kill_tree();
        ::waitpid(pid_, &status, 0);
        status_ = -1;
        break;
      }
      std::this_thread::sleep_for(10ms);
    }
  }
  return *status_;
}

void child_process::kill_tree() {
  for (pid_t p : process_tree(pid_)) ::kill(p, SIGKILL);
}

}  // namespace myapp::bench
