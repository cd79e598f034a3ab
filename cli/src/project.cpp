// A myapp project on disk: found, loaded, configured and built.
#include "project.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <regex>

#include "checks.hpp"
#include "exit.hpp"
#include "process.hpp"
#include "util.hpp"

namespace myapp::cli {

const char* folder_name(build_kind k) noexcept {
  switch (k) {
    case build_kind::release: return "release";
    case build_kind::debug: return "debug";
    case build_kind::dev: return "dev";
  }
  return "release";
}

const char* build_type(build_kind k) noexcept {
  return k == build_kind::release ? "Release" : "Debug";
}

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

std::optional<std::string> reserved_name(std::string_view name) {
  // CMake's reserved target names (policy CMP0037), as any case, and the folders myapp keeps
  // in build/ beside build/<name>.
  static constexpr std::array<std::string_view, 15> CMAKE = {
      "all",        "all_build",     "clean",         "edit_cache",     "help",
      "install",    "preinstall",    "package",       "package_source", "rebuild_cache",
      "run_tests",  "test",          "zero_check",    "install_local",  "install_strip"};
  static constexpr std::array<std::string_view, 4> FOLDERS = {"release", "debug", "dev", "bundle"};
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (std::find(CMAKE.begin(), CMAKE.end(), lower) != CMAKE.end()) {
    return fmt::format("\"{}\" is a target name CMake reserves (all, clean, help, install, "
                       "package, test, ...), and the app's name is its CMake target",
                       name);
  }
  if (std::find(FOLDERS.begin(), FOLDERS.end(), lower) != FOLDERS.end()) {
    return fmt::format("\"{}\" is the name of a folder myapp keeps in build/ (release, debug, "
                       "dev, bundle), beside build/<app name>",
                       name);
  }
  return std::nullopt;
}

project load_project() {
  auto root = find_root(fs::current_path());
  if (!root) {
    throw cli_error(outcome::not_a_project,
                    fmt::format("no {} in {} or any folder above it; create a project with "
                                "`myapp new <name>`",
                                CONFIG_FILE, fs::current_path().string()));
  }
  auto loaded = check_config(*root, stderr);
  if (!loaded.ok()) {
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
  if (auto why = reserved_name(p.target)) {
    throw cli_error(outcome::not_a_project,
                    fmt::format("{}/CMakeLists.txt names the app `{}`: {}. Rename it in "
                                "myapp_add_app(...) and project(...)",
                                root->string(), p.target, *why));
  }
  return p;
}

std::vector<fs::path> built_binaries(const fs::path& root, const std::string& target) {
  std::vector<std::pair<fs::file_time_type, fs::path>> found;
  if (target.empty()) return {};
  for (auto k : ALL_BUILD_KINDS) {
    const fs::path bin = root / "build" / folder_name(k) / target;
    std::error_code ec;
    if (fs::is_regular_file(bin, ec)) found.emplace_back(fs::last_write_time(bin, ec), bin);
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<fs::path> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
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
  const fs::path dir = p.build_dir(s.kind);
  const fs::path cache = dir / "CMakeCache.txt";
  const bool configured = fs::exists(cache);
  const std::string type = build_type(s.kind);
  if (configured && s.prefix_paths.empty()) {
    const auto current = cache_value(cache, "CMAKE_BUILD_TYPE");
    if (current && *current == type) return std::nullopt;
  }
  std::vector<std::string> cmd = {"cmake", "-S", p.root.string(), "-B", dir.string()};
  if (!configured && !which("ninja").empty()) {
    cmd.emplace_back("-G");
    cmd.emplace_back("Ninja");
  }
  cmd.push_back("-DCMAKE_BUILD_TYPE=" + type);
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

std::vector<std::string> build_command(const project& p, build_kind k) {
  return {"cmake", "--build", p.build_dir(k).string()};
}

std::string configure_failure_hint(const std::vector<std::string>& cli_prefixes) {
  std::vector<fs::path> places = prefix_paths(cli_prefixes);
  places.emplace_back("/usr/local");
  places.emplace_back("/usr");
  for (const auto& prefix : places) {
    std::error_code ec;
    if (fs::exists(prefix / MYAPP_INSTALL_LIBDIR / "cmake/myapp/myappConfig.cmake", ec) ||
        fs::exists(prefix / "lib/cmake/myapp/myappConfig.cmake", ec)) {
      return "CMake's message above says why";
    }
  }
  std::string searched;
  for (const auto& p : places) searched += (searched.empty() ? "" : ", ") + p.string();
  return fmt::format("myapp's CMake package is not in {}: install myapp (bash scripts/setup.sh), "
                     "or point --prefix-path or CMAKE_PREFIX_PATH to where it is",
                     searched);
}

fs::path configure_and_build(const project& p, const build_settings& s) {
  const std::string dir = shown_path(p.build_dir(s.kind));
  if (auto configure = configure_command(p, s)) {
    say(fmt::format("configuring ({}) in {}", build_type(s.kind), dir));
    if (const int code = run(*configure, in_dir(p.root)); code != 0) {
      throw cli_error(outcome::build_failed,
                      fmt::format("configuring {} failed (exit {}); {}", dir, code,
                                  configure_failure_hint(s.prefix_paths)));
    }
  }
  say(fmt::format("building in {}", dir));
  if (const int code = run(build_command(p, s.kind), in_dir(p.root)); code != 0) {
    throw cli_error(outcome::build_failed, fmt::format("the build failed (exit {})", code));
  }
  const fs::path bin = p.binary(s.kind);
  std::error_code ec;
  if (!fs::exists(bin, ec)) {
    throw cli_error(outcome::build_failed,
                    fmt::format("the build succeeded but {} is not there", bin.string()));
  }
  return bin;
}

void run_before_build_command(const project& p) {
  const std::string& cmd = p.conf.build.before_build_command.value();
  if (auto why = npm_install_needed(p, cmd)) throw cli_error(outcome::tool_missing, *why);
  if (const int code = run(shell(cmd), in_dir(p.root)); code != 0) {
    throw cli_error(outcome::build_failed,
                    fmt::format("beforeBuildCommand `{}` failed (exit {})", cmd, code));
  }
}

fs::path build_checked(const project& p, const build_settings& s) {
  require_tool("cmake", "install it with `apt-get install cmake`");
  // What can be checked without building, first: a typo costs no build.
  if (const auto before = check_files(p.root, &p.conf, {}, stderr); before.problems != 0) {
    throw cli_error(outcome::problems,
                    fmt::format("{} problem{} in the capabilities, permissions or bundle settings "
                                "(listed above; `myapp check` prints the same); fix {} first",
                                before.problems, before.problems == 1 ? "" : "s",
                                before.problems == 1 ? "it" : "them"));
  }
  if (const auto& cmd = p.conf.build.before_build_command) {
    say(fmt::format("running beforeBuildCommand: {}", *cmd));
    run_before_build_command(p);
  }
  if (p.frontend_is_empty()) {
    throw cli_error(outcome::build_failed,
                    fmt::format("the frontend folder {} (build.frontendDist) is missing or empty{}",
                                p.frontend_dist().string(),
                                p.conf.build.before_build_command
                                    ? " after beforeBuildCommand"
                                    : "; set build.beforeBuildCommand to produce it"));
  }
  const fs::path bin = configure_and_build(p, s);
  // The capabilities against the commands the binary registered, as the app checks them when
  // it starts: an app that would exit at once is not a successful build.
  if (const auto after = check_files(p.root, &p.conf, bin, stderr); after.problems != 0) {
    throw cli_error(outcome::problems,
                    fmt::format("{} is built, but it would exit at start: its capabilities have "
                                "{} problem{} (listed above); fix {} and build again",
                                shown_path(bin), after.problems, after.problems == 1 ? "" : "s",
                                after.problems == 1 ? "it" : "them"));
  }
  return bin;
}

std::optional<std::string> npm_install_needed(const project& p, std::string_view command) {
  const bool uses_npm = command.find("npm ") != std::string_view::npos ||
                        command.find("npx ") != std::string_view::npos ||
                        command.find("vite") != std::string_view::npos;
  std::error_code ec;
  if (!uses_npm || !fs::exists(p.root / "package.json", ec)) return std::nullopt;
  if (fs::is_directory(p.root / "node_modules", ec)) return std::nullopt;
  return fmt::format("`{}` needs the project's npm packages, and {} has no node_modules/ yet: "
                     "run `npm install` there first",
                     command, p.root.string());
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
