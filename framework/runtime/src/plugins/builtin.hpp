// The built-in plugins every app has: `window` (window_manager::make_plugin, in window.cpp),
// `path` and `devtools`. The desktop plugins an app installs itself are in myapp/plugins.hpp.
#pragma once

#include "myapp/app.hpp"
#include "myapp/plugin.hpp"

namespace myapp::plugins::detail {

/// The core `path` plugin: `plugin:path|app_dirs` gives the page `app.paths()` as
/// `{data, config, cache, state, log}` (core:path:default, in core:default).
myapp::plugin path(const app& a);

/// The core `devtools` plugin: `plugin:devtools|open` (`__MYAPP__.openDevtools()`) opens the
/// calling window's devtools when `enabled`, and otherwise rejects with `devtools.disabled`
/// (core:devtools:default, in core:default).
myapp::plugin devtools(app& a, bool enabled);

}  // namespace myapp::plugins::detail
