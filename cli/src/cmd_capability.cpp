// myapp capability new | ls: scaffolding a capability file for windows, and listing the
// capabilities with their windows and permissions.
#include <fmt/format.h>

#include <cstdio>

#include "capability_files.hpp"
#include "commands.hpp"
#include "myapp/json_edit.hpp"
#include "project.hpp"
#include "util.hpp"

namespace myapp::cli {

namespace {

std::string quoted_list(const std::vector<std::string>& items) {
  std::vector<std::string> q;
  for (const auto& i : items) q.push_back(json_edit::quote(i));
  return fmt::format("[{}]", fmt::join(q, ", "));
}

}  // namespace

outcome cmd_capability_new(const capability_options& o) {
  const project p = load_project();
  const std::string& id = o.identifier;
  // The identifier names the file: nothing that leaves capabilities/ (the ACL checks the rest).
  if (id.empty() || id.find_first_of("/\\") != std::string::npos || id.front() == '.') {
    throw cli_error(outcome::usage,
                    fmt::format("`{}` cannot name a capability: use lower-case letters, digits, "
                                "- and _ (it is also its file's name, capabilities/<id>.json)",
                                id));
  }
  auto caps = read_capabilities(p);
  for (const auto& c : caps) {
    if (c.identifier == id) {
      throw cli_error(outcome::already_exists,
                      fmt::format("capability `{}` already exists ({})", id, shown_path(c.path)));
    }
  }
  const fs::path file = p.root / "capabilities" / (id + ".json");
  std::error_code ec;
  if (fs::exists(file, ec)) {
    throw cli_error(outcome::already_exists, fmt::format("{} already exists", shown_path(file)));
  }
  const auto windows = o.windows.empty() ? std::vector<std::string>{"main"} : o.windows;
  const auto permissions =
      o.permissions.empty() ? std::vector<std::string>{"core:default"} : o.permissions;
  const std::string description =
      !o.description.empty()
          ? o.description
          : fmt::format("What the {} window{} may do.", fmt::join(windows, ", "),
                        windows.size() == 1 ? "" : "s");
  const std::string text = fmt::format(
      "{{\n  \"identifier\": {},\n  \"description\": {},\n  \"windows\": {},\n"
      "  \"permissions\": {}\n}}\n",
      json_edit::quote(id), json_edit::quote(description), quoted_list(windows),
      quoted_list(permissions));
  file_edits edits;
  edits.set(file, text);
  // With app.security.capabilities, a capability is in force only when it is listed there.
  const fs::path conf_file = p.root / CONFIG_FILE;
  const bool listed = !p.conf.app.security.capabilities.empty();
  if (listed) {
    const auto conf = read_file(conf_file).value_or("");
    auto edited = json_edit::append(conf, "app.security.capabilities", json_edit::quote(id));
    if (!edited || !config::parse(*edited).ok()) {
      throw cli_error(outcome::problems,
                      fmt::format("cannot add `{}` to app.security.capabilities in {}", id,
                                  shown_path(conf_file)));
    }
    edits.set(conf_file, std::move(*edited));
  }
  const auto registry = built_registry(p);
  if (!registry) check_unbuilt_names(p, permissions);
  check_edits(p, edits, registry ? &*registry : nullptr);
  fs::create_directories(file.parent_path(), ec);
  edits.write();
  say(fmt::format("created {}: windows {}, permissions {}", shown_path(file),
                  fmt::join(windows, ", "), fmt::join(permissions, ", ")));
  if (listed) {
    say(fmt::format("listed `{}` in app.security.capabilities of {}", id, shown_path(conf_file)));
  }
  return outcome::ok;
}

outcome cmd_capability_ls() {
  const project p = load_project();
  const auto caps = read_capabilities(p);
  std::size_t broken = 0;
  for (const auto& c : caps) {
    if (c.problem) {
      std::fflush(stdout);
      std::fprintf(stderr, "%s\n", c.problem->c_str());
      ++broken;
      continue;
    }
    std::printf("%s  %s%s\n", c.identifier.c_str(), shown_path(c.path).c_str(),
                c.in_force ? "" : "  (not in force: app.security.capabilities does not list it)");
    if (!c.description.empty()) std::printf("  description: %s\n", c.description.c_str());
    if (!c.windows.empty()) std::printf("  windows: %s\n", fmt::format("{}", fmt::join(c.windows, ", ")).c_str());
    if (!c.webviews.empty()) std::printf("  webviews: %s\n", fmt::format("{}", fmt::join(c.webviews, ", ")).c_str());
    if (!c.remote.empty()) std::printf("  remote urls: %s\n", fmt::format("{}", fmt::join(c.remote, ", ")).c_str());
    std::printf("  permissions: %s\n",
                c.permissions.empty() ? "(none)" : fmt::format("{}", fmt::join(c.permissions, ", ")).c_str());
  }
  std::fflush(stdout);
  if (caps.empty()) say("the app has no capability: its pages have no IPC (`myapp capability new <id>`)");
  return broken == 0 ? outcome::ok : outcome::problems;
}

}  // namespace myapp::cli
