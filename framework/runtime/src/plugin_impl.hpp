// The parts of a plugin, as app::plugin installs them, and what the app makes of a list of them.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "myapp/acl.hpp"
#include "myapp/plugin.hpp"

namespace myapp {

struct plugin::impl {
  std::string name;
  bool core = false;  // myapp's own: permissions under core:<name>:
  bool internal = false;  // myapp's own tooling: granted to its own window only (acl.hpp)
  struct command_entry {
    std::string cmd;
    std::function<void(router&, std::string)> add;
  };
  std::vector<command_entry> commands;
  std::vector<std::function<void(router&)>> states;
  std::vector<std::string> permission_texts;
  std::vector<std::string> scripts;
  std::function<void(app&)> setup;
  std::function<void(app&)> teardown;
};

namespace detail {

/// The plugins' page scripts for the window `label`, to inject after the client: each in its
/// own function that receives the label as `__myapp_label`, so that one that throws does not
/// stop the others. Empty when no plugin has a script.
std::string plugin_scripts(const std::vector<plugin>& plugins, std::string_view label);

/// What the capabilities need to know of the plugins: their commands and permission files.
std::vector<acl::plugin_permissions> plugin_acl(const std::vector<plugin>& plugins);

}  // namespace detail

}  // namespace myapp
