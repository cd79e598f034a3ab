// The parts of a plugin, as app::plugin installs them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "myapp/plugin.hpp"

namespace myapp {

struct plugin::impl {
  std::string name;
  bool core = false;  // myapp's own: permissions under core:<name>:
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

}  // namespace myapp
