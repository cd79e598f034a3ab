// Small helpers of the CLI: PATH, text, files, the terminal, where myapp is installed.
#include "util.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "exit.hpp"

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

std::string shown_path(const fs::path& path) {
  std::error_code ec;
  const fs::path rel = fs::relative(path, fs::current_path(), ec);
  return (ec || rel.empty()) ? path.string() : rel.string();
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
