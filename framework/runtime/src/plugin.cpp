// A plugin: its name, commands, permissions, page script and hooks (myapp/plugin.hpp).
#include "myapp/plugin.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "plugin_impl.hpp"

namespace myapp {

namespace detail {

plugin core_plugin(std::string name) {
  plugin p(std::move(name));
  p.impl_->core = true;
  return p;
}

std::string plugin_scripts(const std::vector<plugin>& plugins, std::string_view label) {
  std::string source;
  for (const auto& p : plugins) {
    for (const auto& js : p.parts().scripts) {
      // Labels are [A-Za-z0-9-_/:] (config::valid_window_label): no escaping needed.
      fmt::format_to(std::back_inserter(source),
                     "(function(__myapp_label){{try{{\n{}\n}}catch(e){{console.error('myapp: "
                     "the script of plugin {} threw:',e)}}}})(\"{}\");\n",
                     js, p.name(), label);
    }
  }
  return source;
}

std::vector<acl::plugin_permissions> plugin_acl(const std::vector<plugin>& plugins) {
  std::vector<acl::plugin_permissions> out;
  for (const auto& p : plugins) {
    const auto& parts = p.parts();
    acl::plugin_permissions pp{parts.name, parts.core, {}, {}, parts.internal};
    for (const auto& c : parts.commands) pp.commands.push_back(c.cmd);
    for (std::size_t i = 0; i < parts.permission_texts.size(); ++i) {
      pp.files.push_back(acl::source{
          fmt::format("plugin {}{}", parts.name,
                      parts.permission_texts.size() > 1 ? fmt::format(" (permissions {})", i + 1)
                                                        : std::string()),
          parts.permission_texts[i]});
    }
    out.push_back(std::move(pp));
  }
  return out;
}

}  // namespace detail

bool plugin::valid_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 64 || !(name.front() >= 'a' && name.front() <= 'z')) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

plugin::plugin(std::string name) : impl_(std::make_unique<impl>()) {
  if (!valid_name(name)) {
    throw setup_error(fmt::format(
        "myapp: invalid plugin name `{}`: use 1 to 64 lower-case letters, digits and `-`, "
        "starting with a letter",
        name));
  }
  impl_->name = std::move(name);
}

plugin::plugin(plugin&&) noexcept = default;
plugin& plugin::operator=(plugin&&) noexcept = default;
plugin::~plugin() = default;

const std::string& plugin::name() const noexcept { return impl_->name; }

std::string plugin::permission_prefix() const {
  return impl_->core ? "core:" + impl_->name : impl_->name;
}

std::string plugin::wire_name(std::string_view cmd) const {
  return fmt::format("plugin:{}|{}", impl_->name, cmd);
}

void plugin::check_command_name(std::string_view cmd) const {
  const bool ok = !cmd.empty() && cmd.size() <= 64 && cmd.front() >= 'a' && cmd.front() <= 'z' &&
                  std::all_of(cmd.begin(), cmd.end(), [](char c) {
                    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                           c == '-';
                  });
  if (!ok) {
    throw setup_error(fmt::format(
        "myapp: plugin `{}`: invalid command name `{}`: use 1 to 64 lower-case letters, digits, "
        "`_` and `-`, starting with a letter (the plugin prefix is added for you)",
        impl_->name, cmd));
  }
  auto perm = [](std::string_view s) {
    std::string out(s);
    std::replace(out.begin(), out.end(), '_', '-');
    return out;
  };
  for (const auto& c : impl_->commands) {
    if (c.cmd == cmd) throw setup_error::duplicate_command(wire_name(cmd));
    if (perm(c.cmd) == perm(cmd)) {
      throw setup_error(fmt::format("myapp: plugin `{}`: commands `{}` and `{}` would share the "
                                    "permission `allow-{}`",
                                    impl_->name, c.cmd, cmd, perm(cmd)));
    }
  }
}

void plugin::add_command(std::string cmd, std::function<void(router&, std::string)> add) {
  impl_->commands.push_back({std::move(cmd), std::move(add)});
}

void plugin::add_state(std::function<void(router&)> add) {
  impl_->states.push_back(std::move(add));
}

plugin& plugin::permissions(std::string json_text) {
  impl_->permission_texts.push_back(std::move(json_text));
  return *this;
}

plugin& plugin::js(std::string source) {
  impl_->scripts.push_back(std::move(source));
  return *this;
}

plugin& plugin::setup(std::function<void(app&)> fn) {
  impl_->setup = std::move(fn);
  return *this;
}

plugin& plugin::teardown(std::function<void(app&)> fn) {
  impl_->teardown = std::move(fn);
  return *this;
}

}  // namespace myapp
