// A myapp project on disk: its folder, its configuration, its app target and its builds.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "myapp/config.hpp"

namespace myapp::cli {

namespace fs = std::filesystem;

inline constexpr const char* CONFIG_FILE = "myapp.conf.json";
/// Where `myapp new` puts a copy of the JS client for templates that use it as the npm
/// package @myapp/api (`"@myapp/api": "file:vendor/myapp-api"`).
inline constexpr const char* VENDORED_API = "vendor/myapp-api";

/// The build folders under build/, one per purpose, so that going from one command to another
/// never rebuilds everything: `build`, `bundle` and `test` build in build/release, `build
/// --debug` and `test --debug` in build/debug, `dev` in build/dev.
enum class build_kind { release, debug, dev };
/// "release", "debug", "dev": the folder's name under build/.
[[nodiscard]] const char* folder_name(build_kind k) noexcept;
/// "Release" or "Debug": CMAKE_BUILD_TYPE of the folder.
[[nodiscard]] const char* build_type(build_kind k) noexcept;
inline constexpr build_kind ALL_BUILD_KINDS[] = {build_kind::release, build_kind::debug,
                                                 build_kind::dev};

struct project {
  fs::path root;                 ///< the folder holding myapp.conf.json
  config::project conf;
  std::string target;            ///< the app target of CMakeLists.txt (myapp_add_app's first argument)
  [[nodiscard]] fs::path build_root() const { return root / "build"; }
  [[nodiscard]] fs::path build_dir(build_kind k) const { return build_root() / folder_name(k); }
  [[nodiscard]] fs::path binary(build_kind k) const { return build_dir(k) / target; }
  /// build/<target>: a link to the binary of the last `myapp build`.
  [[nodiscard]] fs::path last_build_link() const { return build_root() / target; }
  [[nodiscard]] fs::path bundle_dir() const { return build_root() / "bundle"; }
  [[nodiscard]] fs::path frontend_dist() const { return root / conf.build.frontend_dist; }
  /// True when build.frontendDist is missing or empty: the frontend is not built yet.
  [[nodiscard]] bool frontend_is_empty() const;
};

/// The folder holding myapp.conf.json: `start` or the nearest parent; nullopt when none.
std::optional<fs::path> find_root(const fs::path& start);

/// Reads the project around the current directory. Throws cli_error: not_a_project, or problems
/// (each printed as file:line:column: path: message first).
project load_project();

/// The target name myapp_add_app declares in `root`/CMakeLists.txt; empty when none.
std::string app_target(const fs::path& root);

/// Why `name` cannot name an app (its binary and CMake target), or nullopt when it can:
/// names CMake reserves (`all`, `install`, `test`, ...) and the folders myapp makes in build/
/// (`release`, `debug`, `dev`, `bundle`) are refused.
std::optional<std::string> reserved_name(std::string_view name);

/// The built binaries of the project in `root` whose target is `target`, newest first.
std::vector<fs::path> built_binaries(const fs::path& root, const std::string& target);

struct build_settings {
  build_kind kind = build_kind::release;
  std::vector<std::string> prefix_paths;  ///< --prefix-path values
};
/// The cmake configure command for the project, or nullopt when the folder of `s.kind` is
/// already configured as asked (no need to configure again).
std::optional<std::vector<std::string>> configure_command(const project& p,
                                                          const build_settings& s);
/// The cmake build command of a build folder.
std::vector<std::string> build_command(const project& p, build_kind k);
/// Why configuring failed, for the message after CMake's own output: where myapp was looked
/// for when it is not installed in any of those places, CMake's message otherwise.
std::string configure_failure_hint(const std::vector<std::string>& cli_prefixes);
/// Configures when configure_command says so, then builds, in the project's folder, saying
/// "configuring (<type>) in <build dir>" and "building". Throws cli_error(build_failed) when
/// either fails. Returns the binary.
fs::path configure_and_build(const project& p, const build_settings& s);

/// Runs build.beforeBuildCommand (there must be one) in the project's folder. Throws
/// cli_error(build_failed) when it fails.
void run_before_build_command(const project& p);

/// The whole build of `myapp build` and `myapp bundle`: the checks of `myapp check` on the
/// files, beforeBuildCommand, the frontend's presence, CMake, and the capability check against
/// the built binary. Throws cli_error (problems, build_failed) on the first that fails. Returns
/// the binary.
fs::path build_checked(const project& p, const build_settings& s);

/// When a command (`npm run ...`) of the project would need its npm packages and
/// node_modules/ is missing: what to do about it; nullopt otherwise.
std::optional<std::string> npm_install_needed(const project& p, std::string_view command);

/// `sh -c <command>`
std::vector<std::string> shell(const std::string& command);

/// Throws cli_error(tool_missing) when `tool` is not on PATH; `hint` says how to get it.
void require_tool(const std::string& tool, const std::string& hint);

}  // namespace myapp::cli
