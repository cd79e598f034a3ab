// The app's registry (commands and plugin permissions) as JSON, for `myapp check`.
#include "myapp/acl.hpp"
#include "myapp/json.hpp"

namespace myapp::acl {

namespace {
// The JSON shapes of app_registry.
struct registry_file {
  std::string path;
  std::string text;
};
MYAPP_STRUCT(registry_file, path, text)
struct registry_plugin {
  std::string name;
  bool core = false;
  std::vector<std::string> commands;
  std::vector<registry_file> files;
};
MYAPP_STRUCT(registry_plugin, name, core, commands, files)
struct registry_json {
  std::vector<std::string> commands;
  std::vector<registry_plugin> plugins;
};
MYAPP_STRUCT(registry_json, commands, plugins)
}  // namespace

std::string describe_registry(const app_registry& r) {
  registry_json out{r.commands, {}};
  for (const auto& p : r.plugins) {
    registry_plugin rp{p.name, p.core, p.commands, {}};
    for (const auto& f : p.files) rp.files.push_back({f.path, f.text});
    out.plugins.push_back(std::move(rp));
  }
  std::string text;
  json::writer w(text);
  json::write_value(w, out);
  return text;
}

std::optional<app_registry> read_registry(std::string_view text, std::string& why) {
  auto parsed = json::parse<registry_json>(text);
  if (!parsed.has_value()) {
    why = parsed.error_value().message();
    return std::nullopt;
  }
  app_registry out;
  out.commands = std::move(parsed.value().commands);
  for (auto& p : parsed.value().plugins) {
    plugin_permissions pp{std::move(p.name), p.core, std::move(p.commands), {}};
    for (auto& f : p.files) pp.files.push_back({std::move(f.path), std::move(f.text)});
    out.plugins.push_back(std::move(pp));
  }
  return out;
}

}  // namespace myapp::acl
