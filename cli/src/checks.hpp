// The checks of `myapp check`, which `build`, `bundle` and `dev` run too, with the same
// messages: myapp.conf.json, the capability and permission files (against the commands of the
// built app when there is one) and bundle.icon.
#pragma once

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "myapp/acl.hpp"
#include "myapp/config.hpp"

namespace myapp::cli {

namespace fs = std::filesystem;

/// The *.json files of `root`/`name` (capabilities, permissions), in name order, as the app
/// compiles them in: their paths as the user reads them, and their text.
std::vector<acl::source> json_files(const fs::path& root, const char* name);

/// What `binary` registered: its commands and its plugins' permissions (MYAPP_ACL_DESCRIBE makes
/// it write them and exit without a window). Says so and returns nullopt when it cannot tell.
std::optional<acl::app_registry> registry_of(const fs::path& root, const fs::path& binary);

/// Reads `root`/myapp.conf.json and prints each problem to `out` as
/// "file:line:column: path: message".
config::loaded check_config(const fs::path& root, std::FILE* out);

struct files_checked {
  std::size_t problems = 0;
  std::size_t capabilities = 0;         ///< capability files read
  std::optional<std::size_t> commands;  ///< the commands checked against, when the app told them
};

/// The capability and permission files of the project in `root`, and, with its configuration,
/// the names in app.security.capabilities and bundle.icon. Against the commands and plugins
/// `binary` registers (it is run with MYAPP_ACL_DESCRIBE) when `binary` is not empty; command
/// names and plugin permissions are taken as written otherwise. Prints each problem to `out`.
files_checked check_files(const fs::path& root, const config::project* conf,
                          const fs::path& binary, std::FILE* out = stdout);

}  // namespace myapp::cli
