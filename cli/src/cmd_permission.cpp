// myapp permission ls | add | rm: the permissions the app may grant, and granting them in its
// capability files (edited in place, checked as `myapp check` checks them).
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "capability_files.hpp"
#include "commands.hpp"
#include "project.hpp"
#include "util.hpp"

namespace myapp::cli {

namespace {

// What a permission does, for a listing line: its description, or its commands or members.
std::string what_it_does(const acl::permission_info& p) {
  std::string out = p.description;
  auto add = [&](const char* what, const std::vector<std::string>& list) {
    if (list.empty()) return;
    out += fmt::format("{}{} {}", out.empty() ? "" : "; ", what, fmt::join(list, ", "));
  };
  if (p.is_set) {
    add(p.description.empty() ? "the set of" : "set of", p.members);
  } else if (p.file != "(built in)") {  // generated ones say it in their description
    add("allows", p.allow);
    add("denies", p.deny);
  }
  return out;
}

// The namespace an identifier is in: "" for the app's own, "core:window", "kv".
std::string_view namespace_of(std::string_view id) {
  const auto colon = id.rfind(':');
  return colon == std::string_view::npos ? std::string_view() : id.substr(0, colon);
}

std::string checked_against(bool built) {
  return built ? "" : " (the app is not built: checked without its commands and plugins, as "
                      "`myapp check` does; `myapp build` lets it check those too)";
}

}  // namespace

outcome cmd_permission_ls(const permission_options& o) {
  const project p = load_project();
  const auto registry = built_registry(p);
  if (!registry) {
    say("the app is not built: listing core's permissions and the app's permissions/*.json; "
        "`myapp build` first to list its commands' and plugins' too");
  }
  const auto all = known_permissions(p, registry ? &*registry : nullptr);
  std::vector<const acl::permission_info*> shown;
  for (const auto& info : all) {
    if (!o.filter.empty() && info.identifier.find(o.filter) == std::string::npos) continue;
    if (!o.plugin.empty()) {
      const auto ns = namespace_of(info.identifier);
      const bool mine = o.plugin == "app" ? ns.empty()
                                          : ns == o.plugin || ns == "core:" + o.plugin;
      if (!mine) continue;
    }
    shown.push_back(&info);
  }
  if (shown.empty() && !o.plugin.empty()) {
    std::vector<std::string> spaces{"app"};
    for (const auto& info : all) {
      std::string ns(namespace_of(info.identifier));
      if (ns.starts_with("core:")) ns = ns.substr(5);
      if (!ns.empty() && std::find(spaces.begin(), spaces.end(), ns) == spaces.end()) {
        spaces.push_back(ns);
      }
    }
    if (std::find(spaces.begin(), spaces.end(), o.plugin) == spaces.end()) {
      const auto near = config::closest(o.plugin, spaces);
      throw cli_error(outcome::usage,
                      fmt::format("no plugin `{}` defines permissions here{}; the plugins are: {}",
                                  o.plugin, near ? fmt::format(" (did you mean `{}`?)", *near) : "",
                                  fmt::join(spaces, ", ")));
    }
  }
  std::size_t width = 0;
  for (const auto* info : shown) width = std::max(width, info->identifier.size());
  for (const auto* info : shown) {
    std::printf("%s  %s\n", fmt::format("{:<{}}", info->identifier, width).c_str(),
                what_it_does(*info).c_str());
  }
  std::fflush(stdout);
  say(fmt::format("{} permission{}", shown.size(), shown.size() == 1 ? "" : "s"));
  return outcome::ok;
}

outcome cmd_permission_add(const permission_options& o) {
  const project p = load_project();
  auto caps = read_capabilities(p);
  auto& cap = choose_capability(caps, o.capability);
  const std::string where = fmt::format("capability `{}` ({})", cap.identifier, shown_path(cap.path));
  if (cap.grants(o.identifier)) {
    say(fmt::format("`{}` is already in {}; nothing changed", o.identifier, where));
    return outcome::ok;
  }
  const auto registry = built_registry(p);
  if (!registry) check_unbuilt_names(p, {o.identifier});
  file_edits edits;
  edits.set(cap.path, with_permission(cap, cap.text, o.identifier));
  check_edits(p, edits, registry ? &*registry : nullptr);
  edits.write();
  say(fmt::format("added `{}` to {}{}", o.identifier, where, checked_against(registry.has_value())));
  if (!cap.in_force) {
    warn(fmt::format("capability `{}` is not in force: myapp.conf.json's "
                     "app.security.capabilities does not list it",
                     cap.identifier));
  }
  return outcome::ok;
}

outcome cmd_permission_rm(const permission_options& o) {
  const project p = load_project();
  auto caps = read_capabilities(p);
  std::vector<capability_file*> targets;
  if (!o.capability.empty()) {
    targets.push_back(&choose_capability(caps, o.capability));
  } else {
    for (auto& c : caps) {
      if (!c.problem) {
        targets.push_back(&c);
      } else {
        warn(fmt::format("{}; left as it is", *c.problem));
      }
    }
  }
  const bool pattern = o.identifier.find('*') != std::string::npos;
  auto matches = [&](std::string_view id) {
    return pattern ? acl::glob_match(o.identifier, id) : id == o.identifier;
  };
  file_edits edits;
  std::vector<std::string> said;
  for (auto* c : targets) {
    std::vector<std::string> dropped;
    auto text = without_permissions(c->text, matches, dropped);
    if (dropped.empty()) continue;
    edits.set(c->path, std::move(text));
    said.push_back(fmt::format("removed {} from capability `{}` ({})",
                               fmt::format("`{}`", fmt::join(dropped, "`, `")), c->identifier,
                               shown_path(c->path)));
  }
  if (edits.empty()) {
    // Nothing grants it: a name no capability and no definition has is most likely a typo.
    std::vector<std::string> names;
    for (const auto* c : targets) names.insert(names.end(), c->permissions.begin(), c->permissions.end());
    for (const auto& info : known_permissions(p, nullptr)) names.push_back(info.identifier);
    const bool known = std::find(names.begin(), names.end(), o.identifier) != names.end();
    const auto near = config::closest(o.identifier, names);
    if (!pattern && !known && near) {
      throw cli_error(outcome::usage,
                      fmt::format("no capability grants `{}` (did you mean `{}`?)", o.identifier, *near));
    }
    say(o.capability.empty()
            ? fmt::format("`{}` is in no capability; nothing changed", o.identifier)
            : fmt::format("`{}` is not in capability `{}`; nothing changed", o.identifier,
                          targets[0]->identifier));
    return outcome::ok;
  }
  check_edits(p, edits, nullptr);
  edits.write();
  for (const auto& s : said) say(s);
  return outcome::ok;
}

}  // namespace myapp::cli
