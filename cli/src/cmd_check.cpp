// myapp check: myapp.conf.json and the capability and permission files, every problem with its
// file and key path; against the app's own commands when it is built.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "commands.hpp"
#include "myapp/acl.hpp"
#include "myapp/config.hpp"
#include "process.hpp"
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
  const fs::path file = *root / CONFIG_FILE;
  auto loaded = config::load_file(file);
  const std::string shown = shown_path(file);
  for (auto p : loaded.problems) {
    p.file = shown;
    std::printf("%s\n", config::format(p).c_str());
  }
  // Capabilities and permissions: every problem, with its file and key path. The commands are
  // registered in C++, so allow-<cmd> and command names are taken as written here; the app
  // checks them against its commands when it starts.
  std::vector<acl::source> caps;
  std::vector<acl::source> perms;
  auto read_dir = [&](const char* name, std::vector<acl::source>& out) {
    std::error_code dir_ec;
    const fs::path dir = *root / name;
    if (!fs::is_directory(dir, dir_ec)) return;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, dir_ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      out.push_back(acl::source{shown_path(f), read_file(f).value_or("")});
    }
  };
  read_dir("capabilities", caps);
  read_dir("permissions", perms);
  // With the app built, the files are checked as the app checks them when it starts: against
  // its commands and its plugins' permissions, which it reports when asked
  // (MYAPP_ACL_DESCRIBE). Without it, command names and plugin permissions are taken as
  // written.
  std::optional<acl::app_registry> registry;
  const std::string target = app_target(*root);
  const fs::path binary = *root / "build" / target;
  std::error_code bin_ec;
  if (!target.empty() && fs::is_regular_file(binary, bin_ec)) {
    const fs::path out = *root / "build" / "myapp-acl.json";
    fs::remove(out, bin_ec);
    run_options o = quietly();
    o.cwd = *root;
    o.env["MYAPP_ACL_DESCRIBE"] = out.string();
    std::string why;
    if (run({binary.string()}, o) == 0) {
      if (auto text = read_file(out)) registry = acl::read_registry(*text, why);
    }
    if (!registry) {
      say(fmt::format("{} could not list its commands and plugins{}; checking without them",
                      binary.string(), why.empty() ? "" : " (" + why + ")"));
    }
  }
  auto acl_checked = registry ? acl::policy::load(caps, perms, registry->commands, registry->plugins)
                              : acl::policy::check(caps, perms);
  // app.security.capabilities must name capability files that exist (every file is checked
  // above, whether it is in force or not).
  if (loaded.config) {
    std::vector<acl::problem> selected;
    (void)acl::select_capabilities(caps, loaded.config->app.security.capabilities, selected);
    for (auto& p : selected) p.file = shown;
    acl_checked.problems.insert(acl_checked.problems.begin(), selected.begin(), selected.end());
  }
  for (const auto& p : acl_checked.problems) {
    std::printf("%s:%s: %s\n", p.file.c_str(), p.path.c_str(), p.message.c_str());
  }
  std::fflush(stdout);
  const std::size_t total = loaded.problems.size() + acl_checked.problems.size();
  if (total != 0) {
    say(fmt::format("{} problem{} in {} and the capabilities", total, total == 1 ? "" : "s",
                    file.string()));
    return outcome::problems;
  }
  say(fmt::format("{}: ok; {} capabilit{} ok{}", shown, caps.size(),
                  caps.size() == 1 ? "y" : "ies",
                  registry ? fmt::format(", against the {} commands of build/{}",
                                         registry->commands.size(), target)
                           : " (build the app to check command names and plugin permissions too)"));
  return outcome::ok;
}

}  // namespace myapp::cli
