#include "util.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "exit.hpp"

extern char** environ;

namespace myapp::cli {

std::string which(std::string_view name) {
  if (name.find('/') != std::string_view::npos) {
    return ::access(std::string(name).c_str(), X_OK) == 0 ? std::string(name) : std::string();
  }
  const char* path = std::getenv("PATH");
  for (const auto& dir : split(path ? path : "/usr/local/bin:/usr/bin:/bin", ":")) {
    const std::string candidate = dir + "/" + std::string(name);
    if (::access(candidate.c_str(), X_OK) == 0 && !fs::is_directory(candidate)) return candidate;
  }
  return {};
}

namespace {

pid_t spawn(const std::vector<std::string>& argv, const run_options& options, int out_fd) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  // Child.
  if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0) {
    std::fprintf(stderr, "myapp: cannot enter %s: %s\n", options.cwd.c_str(), std::strerror(errno));
    ::_exit(127);
  }
  for (const auto& [k, v] : options.env) ::setenv(k.c_str(), v.c_str(), 1);
  if (options.quiet || out_fd >= 0) {
    const int null_fd = ::open("/dev/null", O_WRONLY);
    ::dup2(out_fd >= 0 ? out_fd : null_fd, 1);
    ::dup2(null_fd, 2);
  }
  ::execvp(args[0], args.data());
  std::fprintf(stderr, "myapp: cannot run %s: %s\n", args[0], std::strerror(errno));
  ::_exit(127);
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 127;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 127;
}

}  // namespace

int run(const std::vector<std::string>& argv, const run_options& options) {
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = spawn(argv, options, -1);
  if (pid < 0) return 127;
  return wait_for(pid);
}

std::optional<std::string> capture(const std::vector<std::string>& argv,
                                   const run_options& options) {
  if (which(argv.at(0)).empty()) return std::nullopt;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return std::nullopt;
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = spawn(argv, options, fds[1]);
  ::close(fds[1]);
  if (pid < 0) {
    ::close(fds[0]);
    return std::nullopt;
  }
  std::string out;
  char buf[4096];
  while (true) {
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  ::close(fds[0]);
  if (wait_for(pid) != 0) return std::nullopt;
  return out;
}

std::string trim(std::string_view text) {
  const auto b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(b, e - b + 1));
}

std::string first_line(std::string_view text) {
  return trim(text.substr(0, text.find('\n')));
}

std::vector<std::string> split(std::string_view text, std::string_view separators) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find_first_of(separators, start);
    const auto part = text.substr(start, end == std::string_view::npos ? text.npos : end - start);
    if (!part.empty()) out.emplace_back(part);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& path, std::string_view content) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) throw cli_error(outcome::internal, fmt::format("cannot write {}", path.string()));
}

bool stdout_is_terminal() { return ::isatty(1) == 1; }
bool stdin_is_terminal() { return ::isatty(0) == 1; }
bool use_color() {
  const char* no = std::getenv("NO_COLOR");
  return stdout_is_terminal() && (no == nullptr || *no == '\0');
}
std::string paint(std::string_view code, std::string_view text) {
  if (!use_color()) return std::string(text);
  return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
}

std::string human_size(std::uintmax_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

fs::path self_exe() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : p;
}

std::vector<fs::path> prefix_paths(const std::vector<std::string>& cli_prefixes) {
  std::vector<fs::path> out;
  auto add = [&](const fs::path& p) {
    if (p.empty()) return;
    std::error_code ec;
    fs::path abs = fs::absolute(p, ec);
    if (ec) return;
    abs = abs.lexically_normal();
    for (const auto& o : out) {
      if (o == abs) return;
    }
    out.push_back(abs);
  };
  for (const auto& v : cli_prefixes) {
    for (const auto& p : split(v, ";:")) add(p);
  }
  if (const char* env = std::getenv("CMAKE_PREFIX_PATH")) {
    for (const auto& p : split(env, ":;")) add(p);
  }
  if (auto exe = self_exe(); !exe.empty() && exe.parent_path().filename() == "bin") {
    add(exe.parent_path().parent_path());
  }
  add(MYAPP_INSTALL_PREFIX);
  return out;
}

std::optional<fs::path> find_data(const std::vector<std::string>& cli_prefixes,
                                  std::string_view what) {
  for (const auto& prefix : prefix_paths(cli_prefixes)) {
    const fs::path p = prefix / MYAPP_INSTALL_DATADIR / "myapp" / what;
    std::error_code ec;
    if (fs::exists(p, ec)) return p;
  }
  return std::nullopt;
}

void say(std::string_view message) {
  std::fflush(stdout);
  std::fprintf(stderr, "%s %.*s\n", paint("32", "myapp:").c_str(), static_cast<int>(message.size()),
               message.data());
}
void warn(std::string_view message) {
  std::fflush(stdout);
  std::fprintf(stderr, "%s %.*s\n", paint("33", "myapp: warning:").c_str(),
               static_cast<int>(message.size()), message.data());
}

}  // namespace myapp::cli
