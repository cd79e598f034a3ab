// A myapp project on disk: its folder, its configuration, its app target and its build.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "myapp/config.hpp"

namespace myapp::cli {

namespace fs = std::filesystem;

inline constexpr const char* CONFIG_FILE = "myapp.conf.json";

struct project {
  fs::path root;                 ///< the folder holding myapp.conf.json
  config::project conf;
  std::string target;            ///< the app target of CMakeLists.txt (myapp_add_app's first argument)
  [[nodiscard]] fs::path build_dir() const { return root / "build"; }
  [[nodiscard]] fs::path binary() const { return build_dir() / target; }
  [[nodiscard]] fs::path frontend_dist() const { return root / conf.build.frontend_dist; }
  /// True when build.frontendDist is missing or empty: the frontend is not built yet.
  [[nodiscard]] bool frontend_is_empty() const;
};

/// The folder holding myapp.conf.json: `start` or the nearest parent; nullopt when none.
std::optional<fs::path> find_root(const fs::path& start);

/// Reads the project around the current directory. Throws cli_error: not_a_project, or problems
/// (each printed as file:path: message first).
project load_project();

/// The target name myapp_add_app declares in `root`/CMakeLists.txt; empty when none.
std::string app_target(const fs::path& root);

struct build_settings {
  bool debug = false;            ///< Debug instead of Release
  bool keep_type = false;        ///< keep the build type of an existing build folder
  std::vector<std::string> prefix_paths;  ///< --prefix-path values
};
/// The cmake configure command for the project, or nullopt when the build folder is already
/// configured as asked (no need to configure again).
std::optional<std::vector<std::string>> configure_command(const project& p,
                                                          const build_settings& s);
/// The cmake build command.
std::vector<std::string> build_command(const project& p);
/// Configures when configure_command says so, then builds, in the project's folder, saying
/// "configuring (<type>) in <build dir>" (without the type when `s.keep_type`) and "building".
/// Throws cli_error(build_failed) when either fails.
void configure_and_build(const project& p, const build_settings& s);

/// Runs build.beforeBuildCommand (there must be one) in the project's folder. Throws
/// cli_error(build_failed) when it fails.
void run_before_build_command(const project& p);

/// `sh -c <command>`
std::vector<std::string> shell(const std::string& command);

/// Throws cli_error(tool_missing) when `tool` is not on PATH; `hint` says how to get it.
void require_tool(const std::string& tool, const std::string& hint);

}  // namespace myapp::cli
