// A myapp project on disk: found, loaded, configured and built.
#include "project.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <regex>

#include "exit.hpp"
#include "process.hpp"
#include "util.hpp"

namespace myapp::cli {

std::optional<fs::path> find_root(const fs::path& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  if (ec) return std::nullopt;
  while (true) {
    if (fs::exists(dir / CONFIG_FILE, ec)) return dir;
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

std::string app_target(const fs::path& root) {
  auto text = read_file(root / "CMakeLists.txt");
  if (!text) return {};
  static const std::regex re(R"(myapp_add_app\s*\(\s*([A-Za-z0-9_.+-]+))");
  std::smatch m;
  if (std::regex_search(*text, m, re)) return m[1].str();
  return {};
}

project load_project() {
  auto root = find_root(fs::current_path());
  if (!root) {
    throw cli_error(outcome::not_a_project,
                    fmt::format("no {} in {} or any folder above it; create a project with "
                                "`myapp new <name>`",
                                CONFIG_FILE, fs::current_path().string()));
  }
  auto loaded = config::load_file(*root / CONFIG_FILE);
  if (!loaded.ok()) {
    for (auto p : loaded.problems) {
      p.file = fs::relative(p.file, fs::current_path()).string();
      std::fprintf(stderr, "%s\n", config::format(p).c_str());
    }
    throw cli_error(outcome::problems,
                    fmt::format("{} has {} problem{}; fix {} first", CONFIG_FILE,
                                loaded.problems.size(), loaded.problems.size() == 1 ? "" : "s",
                                loaded.problems.size() == 1 ? "it" : "them"));
  }
  project p{*root, std::move(*loaded.config), app_target(*root)};
  if (p.target.empty()) {
    throw cli_error(outcome::not_a_project,
                    fmt::format("{}/CMakeLists.txt declares no app: add "
                                "`myapp_add_app(<name> SOURCES ...)`",
                                root->string()));
  }
  return p;
}

namespace {
std::optional<std::string> cache_value(const fs::path& cache, const std::string& key) {
  auto text = read_file(cache);
  if (!text) return std::nullopt;
  for (const auto& line : split(*text, "\n")) {
    if (line.rfind(key + ":", 0) == 0) {
      const auto eq = line.find('=');
      if (eq != std::string::npos) return line.substr(eq + 1);
    }
  }
  return std::nullopt;
}
}  // namespace

std::optional<std::vector<std::string>> configure_command(const project& p,
                                                          const build_settings& s) {
  const fs::path cache = p.build_dir() / "CMakeCache.txt";
  const bool configured = fs::exists(cache);
  const std::string type = s.debug ? "Debug" : "Release";
  if (configured && s.prefix_paths.empty()) {
    const auto current = cache_value(cache, "CMAKE_BUILD_TYPE");
    if (s.keep_type || (current && *current == type)) return std::nullopt;
  }
  std::vector<std::string> cmd = {"cmake", "-S", p.root.string(), "-B", p.build_dir().string()};
  if (!configured && !which("ninja").empty()) {
    cmd.emplace_back("-G");
    cmd.emplace_back("Ninja");
  }
  if (!(configured && s.keep_type)) cmd.push_back("-DCMAKE_BUILD_TYPE=" + type);
  // Explicit prefixes, and the prefix this CLI is installed in when it is not a system one
  // (CMake searches those, and the CMAKE_PREFIX_PATH environment variable, by itself).
  std::vector<std::string> prefixes;
  for (const auto& v : s.prefix_paths) {
    for (const auto& e : split(v, ";:")) prefixes.push_back(fs::absolute(e).lexically_normal().string());
  }
  if (auto exe = self_exe(); !exe.empty() && exe.parent_path().filename() == "bin") {
    const auto prefix = exe.parent_path().parent_path();
    if (prefix != "/usr" && prefix != "/usr/local" && fs::exists(prefix / "lib" / "cmake" / "myapp")) {
      prefixes.push_back(prefix.string());
    }
  }
  if (!prefixes.empty()) {
    std::string joined;
    for (const auto& x : prefixes) joined += (joined.empty() ? "" : ";") + x;
    cmd.push_back("-DCMAKE_PREFIX_PATH=" + joined);
  }
  return cmd;
}

std::vector<std::string> build_command(const project& p) {
  return {"cmake", "--build", p.build_dir().string()};
}

void configure_and_build(const project& p, const build_settings& s) {
  if (auto configure = configure_command(p, s)) {
    say(s.keep_type ? fmt::format("configuring in {}", p.build_dir().string())
                    : fmt::format("configuring ({}) in {}", s.debug ? "Debug" : "Release",
                                  p.build_dir().string()));
    if (const int code = run(*configure, in_dir(p.root)); code != 0) {
      throw cli_error(outcome::build_failed,
                      fmt::format("configuring failed (exit {}); is myapp installed? "
                                  "(--prefix-path or CMAKE_PREFIX_PATH point to it)",
                                  code));
    }
  }
  say("building");
  if (const int code = run(build_command(p), in_dir(p.root)); code != 0) {
    throw cli_error(outcome::build_failed, fmt::format("the build failed (exit {})", code));
  }
}

void run_before_build_command(const project& p) {
  const std::string& cmd = p.conf.build.before_build_command.value();
  if (const int code = run(shell(cmd), in_dir(p.root)); code != 0) {
    throw cli_error(outcome::build_failed,
                    fmt::format("beforeBuildCommand `{}` failed (exit {})", cmd, code));
  }
}

bool project::frontend_is_empty() const {
  std::error_code ec;
  return !fs::is_directory(frontend_dist(), ec) || fs::is_empty(frontend_dist(), ec);
}

std::vector<std::string> shell(const std::string& command) { return {"/bin/sh", "-c", command}; }

void require_tool(const std::string& tool, const std::string& hint) {
  if (which(tool).empty()) {
    throw cli_error(outcome::tool_missing, fmt::format("`{}` is not installed; {}", tool, hint));
  }
}

}  // namespace myapp::cli
