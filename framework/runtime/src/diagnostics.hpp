// What an app does at start for logging and diagnostics: its identifier and folders, the log
// file, the ipc trace (docs/logging.md).
#pragma once

#include <string>

#include "myapp/app.hpp"
#include "myapp/paths.hpp"
#include "myapp/plugin.hpp"

namespace myapp::runtime {

/// The identifier naming the app's folders: `app_options::identifier`, else `identifier` in
/// the embedded myapp.conf.json, else `app_options::name`.
std::string app_identifier(const app_options& o);

/// Opens the log file `<identifier>.log` in `dirs.log` unless `log_file` is false or
/// MYAPP_LOG_FILE=0 (a failure is a warning), and installs the ipc trace on `r` when
/// MYAPP_LOG asks for it.
void start_logging(router& r, const result<paths::app_dirs>& dirs, const std::string& identifier,
                   bool log_file);

/// The core `path` plugin: `plugin:path|app_dirs` gives the page `app.paths()` as
/// `{data, config, cache, state, log}` (core:path:default, in core:default).
myapp::plugin path_plugin(const app& a);

/// The core `devtools` plugin: `plugin:devtools|open` (`__MYAPP__.openDevtools()`) opens the
/// calling window's devtools when `enabled`, and otherwise rejects with `devtools.disabled`
/// (core:devtools:default, in core:default).
myapp::plugin devtools_plugin(app& a, bool enabled);

}  // namespace myapp::runtime
