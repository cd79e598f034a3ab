// What an app runs with: the configuration compiled into it (myapp_add_app(... CONFIG
// myapp.conf.json)), the identifier naming its folders, its pages' default Content-Security-
// Policy, and the environment variables it reads.
#pragma once

#include <optional>
#include <string>
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

/// The identifier naming the app's folders: `app_options::identifier`, else `identifier` in
/// the embedded myapp.conf.json, else `app_options::name`.
std::string app_identifier(const app_options& o);

/// The Content-Security-Policy of the app's pages: the config's `app.security.csp` (an empty
/// string turns it off), or a default that keeps pages to their own origin's scripts, styles
/// and connections (inline ones allowed). With a bulk lane on `lane_port` (0: none), the lane's
/// address is added to where pages may connect, or a policy like "default-src 'self'" would
/// shut large uploads out of the lane.
std::string page_csp(const std::optional<config::project>& conf, int lane_port);

/// True when the environment variable `name` is set and not empty.
bool env_set(const char* name);
/// True when the environment variable `name` is set, not empty and not "0".
bool env_flag(const char* name);

}  // namespace myapp::runtime
