// The core `path` plugin: the app's folders for the page.
#include <map>
#include <string>

#include "plugins/builtin.hpp"

namespace myapp::plugins::detail {

myapp::plugin path(const app& a) {
  auto p = myapp::detail::core_plugin("path");
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

}  // namespace myapp::plugins::detail
