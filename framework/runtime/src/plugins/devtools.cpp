// The core `devtools` plugin: the page opens its own window's devtools (dev mode only).
#include <fmt/format.h>

#include "devtools.hpp"
#include "plugins/builtin.hpp"

namespace myapp::plugins::detail {

myapp::plugin devtools(app& a, bool enabled) {
  auto p = myapp::detail::core_plugin("devtools");
  p.command("open", [&a, enabled](const request& req) {
    if (!enabled) {
      throw error("devtools.disabled",
                  "devtools are off: they open under `myapp dev`, with MYAPP_DEVTOOLS=1, or when "
                  "the app sets app_options::devtools");
    }
    auto* w = a.find_window(req.caller().label);
    if (w == nullptr || !runtime::open_devtools(w->view())) {
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

}  // namespace myapp::plugins::detail
