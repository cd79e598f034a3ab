// myapp — where an app keeps its files: data, configuration, cache, state and logs, per the
// XDG Base Directory specification, each in a folder named after the app's identifier.
//
//     auto dirs = myapp::paths::app_dirs_for("com.example.notes",
//                                            myapp::paths::environment::from_process());
//     if (!dirs) fail(dirs.error_value().message());
//     dirs.value().data;    // $XDG_DATA_HOME/com.example.notes   (~/.local/share/com.example.notes)
//     dirs.value().config;  // $XDG_CONFIG_HOME/com.example.notes (~/.config/com.example.notes)
//     dirs.value().cache;   // $XDG_CACHE_HOME/com.example.notes  (~/.cache/com.example.notes)
//     dirs.value().state;   // $XDG_STATE_HOME/com.example.notes  (~/.local/state/com.example.notes)
//     dirs.value().log;     // <state>/logs
//
// As the specification says, a variable that is unset, empty or not an absolute path is
// ignored and its default under $HOME is used. Only the paths are computed; nothing is
// created (the runtime creates a folder when it first writes there). Qt-free; the runtime's
// `app::paths()` and the page's `core:path|app_dirs` command use it (docs/logging.md).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "myapp/error.hpp"

namespace myapp::paths {

/// The environment variables the folders depend on; unset ones are empty.
struct environment {
  std::string home{};             ///< $HOME
  std::string xdg_data_home{};    ///< $XDG_DATA_HOME
  std::string xdg_config_home{};  ///< $XDG_CONFIG_HOME
  std::string xdg_cache_home{};   ///< $XDG_CACHE_HOME
  std::string xdg_state_home{};   ///< $XDG_STATE_HOME

  /// The current process's values.
  [[nodiscard]] static environment from_process();
};

/// An app's folders.
struct app_dirs {
  std::filesystem::path data;    ///< files the app creates and keeps (documents, databases)
  std::filesystem::path config;  ///< settings
  std::filesystem::path cache;   ///< what can be rebuilt and may be deleted at any time
  std::filesystem::path state;   ///< what should survive restarts but is not worth backing up
  std::filesystem::path log;     ///< log files: `state/logs`
};

/// The base folders themselves ($XDG_DATA_HOME or ~/.local/share, and so on), without the
/// app's folder.
struct base_dirs {
  std::filesystem::path data, config, cache, state;
};

/// True when `identifier` can name a folder: 1 to 255 bytes, no `/` or NUL, not `.` or `..`.
[[nodiscard]] bool valid_dir_name(std::string_view identifier) noexcept;

/// The base folders. Fails with `paths.no_home` when a folder falls back to $HOME and $HOME is
/// not an absolute path; the message names the variables to set.
[[nodiscard]] result<base_dirs> base_dirs_for(const environment& env);

/// The app's folders for `identifier` (normally `identifier` from myapp.conf.json). Fails with
/// `paths.invalid_identifier` when it cannot name a folder, or as `base_dirs_for`.
[[nodiscard]] result<app_dirs> app_dirs_for(std::string_view identifier, const environment& env);

}  // namespace myapp::paths
