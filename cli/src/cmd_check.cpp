// myapp check: myapp.conf.json, the capability and permission files and bundle.icon, every
// problem with its file, line, column and key path; against the app's own commands when it is
// built.
#include <fmt/format.h>

#include <cstdio>

#include "checks.hpp"
#include "commands.hpp"
#include "project.hpp"
#include "util.hpp"

namespace myapp::cli {

outcome cmd_check() {
  auto root = find_root(fs::current_path());
  if (!root) {
    throw cli_error(outcome::not_a_project,
                    fmt::format("no {} in {} or any folder above it", CONFIG_FILE,
                                fs::current_path().string()));
  }
  const auto loaded = check_config(*root, stdout);
  // With the app built, the files are checked as the app checks them when it starts: against
  // its commands and its plugins' permissions. The newest build is asked.
  const std::string target = app_target(*root);
  const auto binaries = built_binaries(*root, target);
  const fs::path binary = binaries.empty() ? fs::path() : binaries.front();
  const auto files = check_files(*root, loaded.config ? &*loaded.config : nullptr, binary);
  const std::size_t total = loaded.problems.size() + files.problems;
  const std::string shown = shown_path(*root / CONFIG_FILE);
  if (total != 0) {
    say(fmt::format("{} problem{} in {} and the capabilities", total, total == 1 ? "" : "s",
                    (*root / CONFIG_FILE).string()));
    return outcome::problems;
  }
  say(fmt::format("{}: ok; {} capabilit{} ok{}", shown, files.capabilities,
                  files.capabilities == 1 ? "y" : "ies",
                  files.commands ? fmt::format(", against the {} commands of {}", *files.commands,
                                               shown_path(binary))
                                 : " (build the app to check command names and plugin "
                                   "permissions too)"));
  return outcome::ok;
}

}  // namespace myapp::cli
