// The configuration compiled into an app (myapp_add_app(... CONFIG myapp.conf.json)).
#pragma once

#include <optional>
#include <vector>

#include "myapp/app.hpp"
#include "myapp/config.hpp"

namespace myapp::runtime {

/// Where myapp_add_app puts the configuration in the app's resources.
inline constexpr const char* EMBEDDED_CONFIG = ":/myapp/myapp.conf.json";

/// Reads and checks the embedded configuration; nullopt when the app has none. Throws
/// `setup_error` listing every problem when it is malformed, so that an app never starts
/// half-configured.
std::optional<config::project> load_embedded_config();

/// The windows a configuration declares, as the runtime's window options (a window without a
/// title takes the product name).
std::vector<window_options> configured_windows(const config::project& conf);

}  // namespace myapp::runtime
