#include "diagnostics.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <string_view>

#include <map>

#include "app_config.hpp"
#include "devtools.hpp"
#include "log.hpp"

namespace myapp::runtime {

std::string app_identifier(const app_options& o) {
  if (!o.identifier.empty()) return o.identifier;
  if (auto conf = load_embedded_config(); conf && !conf->identifier.empty()) {
    return conf->identifier;
  }
  return o.name;
}

void start_logging(router& r, const result<paths::app_dirs>& dirs, const std::string& identifier,
                   bool log_file) {
  const char* env = std::getenv("MYAPP_LOG_FILE");
  const bool env_off = env != nullptr && std::string_view(env) == "0";
  if (log_file && !env_off) {
    if (dirs) {
      open_log_file(dirs.value().log, identifier + ".log");
    } else {
      log()->warn("no log file: {}", dirs.error_value().message());
    }
  }
  install_ipc_trace(r);
}

myapp::plugin path_plugin(const app& a) {
  auto p = detail::core_plugin("path");
  p.command("app_dirs", [&a]() {
    std::map<std::string, std::string> out;
    try {
      const auto& d = a.paths();
      out = {{"data", d.data.string()},
             {"config", d.config.string()},
             {"cache", d.cache.string()},
             {"state", d.state.string()},
             {"log", d.log.string()}};
    } catch (const setup_error& e) {
      throw error("path.unavailable", e.what());
    }
    return out;
  });
  p.permissions(R"J({
    "sets": [{
      "identifier": "default",
      "description": "The app's folders (data, config, cache, state, log)",
      "permissions": ["allow-app-dirs"]
    }]
  })J");
  return p;
}

myapp::plugin devtools_plugin(app& a, bool enabled) {
  auto p = detail::core_plugin("devtools");
  p.command("open", [&a, enabled](const request& req) {
    if (!enabled) {
      throw error("devtools.disabled",
                  "devtools are off: they open under `myapp dev`, with MYAPP_DEVTOOLS=1, or when "
                  "the app sets app_options::devtools");
    }
    auto* w = a.find_window(req.caller().label);
    if (w == nullptr || !open_devtools(w->view())) {
      throw error("window.not_found",
                  fmt::format("no window is labelled `{}`", req.caller().label));
    }
  }, {}, command_options{.main_thread = true});
  p.permissions(R"J({
    "sets": [{
      "identifier": "default",
      "description": "Opening the calling window's devtools, which works in dev mode only",
      "permissions": ["allow-open"]
    }]
  })J");
  return p;
}

}  // namespace myapp::runtime
