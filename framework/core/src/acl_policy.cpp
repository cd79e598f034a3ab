// The ACL policy: loading definitions into rules, and resolving them for a page.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "acl_detail.hpp"
#include "myapp/url.hpp"
#include "text.hpp"

namespace myapp::acl {

using namespace internal;

namespace {

// One effect of a permission on one command.
struct rule {
  std::string command;
  bool deny = false;
  std::vector<std::string> scope_allow, scope_deny;
  std::string permission;  // the identifier named in the capability
};

}  // namespace

struct policy::impl {
  struct resolved_capability {
    capability_def def;
    std::vector<rule> rules;
    bool internal = false;  // the built-in capability of an internal plugin
  };
  std::vector<resolved_capability> caps;
  std::shared_ptr<const grants::by_name<std::string>> plugin_permission =
      std::make_shared<const grants::by_name<std::string>>();
};

std::string permission_part(std::string_view command) {
  std::string out(command);
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

policy::policy() : impl_(std::make_unique<impl>()) {}
policy::~policy() = default;
policy::policy(policy&&) noexcept = default;
policy& policy::operator=(policy&&) noexcept = default;

std::size_t policy::capability_count() const noexcept {
  return static_cast<std::size_t>(std::count_if(impl_->caps.begin(), impl_->caps.end(),
                                                [](const auto& rc) { return !rc.internal; }));
}

std::vector<std::string> policy::insecure_remote_urls() const {
  std::vector<std::string> out;
  for (const auto& rc : impl_->caps) {
    for (const auto& p : rc.def.remote) {
      if (insecure_remote(p)) out.push_back(rc.def.file + ": " + p.text);
    }
  }
  return out;
}

bool policy::names_remote_url(std::string_view url) const {
  for (const auto& rc : impl_->caps) {
    for (const auto& p : rc.def.remote) {
      if (p.matches(url)) return true;
    }
  }
  return false;
}

policy::loaded policy::load(const std::vector<source>& capabilities,
                            const std::vector<source>& permissions,
                            const std::vector<std::string>& commands,
                            const std::vector<plugin_permissions>& plugins) {
  return load_impl(capabilities, permissions, &commands, plugins);
}

policy::loaded policy::check(const std::vector<source>& capabilities,
                             const std::vector<source>& permissions,
                             const std::vector<plugin_permissions>& plugins) {
  return load_impl(capabilities, permissions, nullptr, plugins);
}

policy::loaded policy::load_impl(const std::vector<source>& capability_files,
                                 const std::vector<source>& permission_files,
                                 const std::vector<std::string>* commands_or_null,
                                 const std::vector<plugin_permissions>& plugins) {
  static const std::vector<std::string> no_commands;
  const auto& commands = commands_or_null != nullptr ? *commands_or_null : no_commands;
  const bool know_commands = commands_or_null != nullptr;
  loaded out;
  std::vector<capability_def> caps;
  std::vector<permission_def> perms;
  std::vector<set_def> sets;
  for (const auto& f : permission_files) read_permission_file(f, out.problems, perms, sets);
  for (const auto& f : capability_files) read_capability(f, out.problems, caps);

  const std::set<std::string, std::less<>> known_commands(commands.begin(), commands.end());

  // Every identifier a capability may name, and what it expands to.
  struct definition {
    std::vector<rule> rules;              // for permissions
    std::vector<std::string> members;     // for sets
    std::string file, where;
    bool is_set = false;
    std::string description;
  };
  std::map<std::string, definition, std::less<>> defs;
  // allow-<cmd> and deny-<cmd> of a command.
  auto generated = [&](const std::string& prefix, std::string_view name, const std::string& cmd) {
    for (const bool deny : {false, true}) {
      defs.emplace(fmt::format("{}{}-{}", prefix, deny ? "deny" : "allow", name),
                   definition{{rule{cmd, deny, {}, {}, {}}}, {}, "(built in)", "", false,
                              fmt::format("{} the `{}` command", deny ? "Denies" : "Allows", cmd)});
    }
  };
  for (const auto& c : commands) {
    if (c.starts_with("plugin:")) continue;  // a plugin's commands have the plugin's permissions
    generated("", c, c);
  }
  for (auto [name, cmd] : {std::pair{"listen", EVENT_LISTEN}, std::pair{"emit", EVENT_EMIT},
                           std::pair{"emit-to", EVENT_EMIT_TO}}) {
    generated("core:event:", name, std::string(cmd));
  }
  defs.emplace("core:event:default",
               definition{{},
                          {"core:event:allow-listen", "core:event:allow-emit",
                           "core:event:allow-emit-to"},
                          "(built in)", "", true,
                          "Listening to events, and emitting them to every page or to one"});
  definition core_default{{}, {"core:event:default"}, "(built in)", "", true,
                          "What every app may grant safely: core:event:default and the default "
                          "set of each of myapp's own plugins"};
  auto plugin_permission = std::make_shared<grants::by_name<std::string>>();
  std::set<std::string, std::less<>> plugin_prefixes;
  std::set<std::string, std::less<>> plugin_names;
  for (const auto& pl : plugins) {
    const std::string prefix = pl.prefix();
    const std::string file = fmt::format("plugin {}", pl.name);
    if (!plugin_names.insert(pl.name).second) {
      out.problems.push_back({file, "", fmt::format("plugin `{}` is given twice", pl.name)});
      continue;
    }
    // myapp's own tooling: nothing a capability file may name (its capability is built below).
    if (pl.internal) {
      for (const auto& c : pl.commands) {
        plugin_permission->emplace(fmt::format("plugin:{}|{}", pl.name, c), std::string());
      }
      continue;
    }
    plugin_prefixes.insert(prefix);
    std::set<std::string, std::less<>> local_commands(pl.commands.begin(), pl.commands.end());
    for (const auto& c : pl.commands) {
      const auto wire = fmt::format("plugin:{}|{}", pl.name, c);
      const auto part = permission_part(c);
      generated(prefix + ":", part, wire);
      plugin_permission->emplace(wire, fmt::format("{}:allow-{}", prefix, part));
    }
    std::vector<permission_def> ppermissions;
    std::vector<set_def> psets;
    for (const auto& f : pl.files) {
      source named{f.path.empty() ? file : f.path, f.text};
      read_permission_file(named, out.problems, ppermissions, psets);
    }
    auto local_ok = [&](const std::string& id, const std::string& f, const std::string& where) {
      if (valid_identifier(id) && id.find(':') == std::string::npos) return true;
      out.problems.push_back({f, where + ".identifier",
                              fmt::format("`{}` is not a valid identifier: use lower-case "
                                          "letters, digits, - and _ (the prefix `{}:` is added "
                                          "for you)",
                                          id, prefix)});
      return false;
    };
    auto define_plugin = [&](const std::string& id, definition d) {
      auto full = fmt::format("{}:{}", prefix, id);
      auto [it, inserted] = defs.emplace(full, d);
      if (!inserted) {
        out.problems.push_back({d.file, d.where + ".identifier",
                                fmt::format("`{}` is defined twice (also in {})", full,
                                            it->second.file)});
      }
    };
    for (const auto& p : ppermissions) {
      if (!local_ok(p.identifier, p.file, p.where)) continue;
      definition d{{}, {}, p.file, p.where, false, p.description};
      auto add = [&](const std::vector<std::string>& list, bool deny, std::string_view key) {
        for (std::size_t i = 0; i < list.size(); ++i) {
          if (!local_commands.contains(list[i])) {
            out.problems.push_back({p.file, fmt::format("{}.commands.{}[{}]", p.where, key, i),
                                    fmt::format("plugin `{}` has no command named `{}`", pl.name,
                                                list[i])});
            continue;
          }
          d.rules.push_back(rule{fmt::format("plugin:{}|{}", pl.name, list[i]), deny,
                                 p.scope_allow, p.scope_deny, {}});
        }
      };
      add(p.allow_commands, false, "allow");
      add(p.deny_commands, true, "deny");
      define_plugin(p.identifier, std::move(d));
    }
    for (const auto& st : psets) {
      if (!local_ok(st.identifier, st.file, st.where)) continue;
      // Members name the plugin's own identifiers without the prefix, or any identifier in full.
      std::vector<std::string> members;
      for (const auto& m : st.permissions) {
        members.push_back(m.find(':') == std::string::npos ? fmt::format("{}:{}", prefix, m) : m);
      }
      define_plugin(st.identifier,
                    definition{{}, std::move(members), st.file, st.where, true, st.description});
    }
    if (pl.core && defs.contains(prefix + ":default")) {
      core_default.members.push_back(prefix + ":default");
    }
  }
  defs.emplace("core:default", std::move(core_default));

  auto define = [&](const std::string& id, definition d) {
    if (!valid_identifier(id) || id.find(':') != std::string::npos) {
      out.problems.push_back({d.file, d.where + ".identifier",
                              fmt::format("`{}` is not a valid identifier: use lower-case "
                                          "letters, digits, - and _ (the `core:` namespace is "
                                          "built in)",
                                          id)});
      return;
    }
    auto [it, inserted] = defs.emplace(id, d);
    if (!inserted) {
      out.problems.push_back(
          {d.file, d.where + ".identifier",
           fmt::format("`{}` is defined twice (also in {})", id, it->second.file)});
    }
  };
  for (const auto& p : perms) {
    definition d{{}, {}, p.file, p.where, false, p.description};
    auto add = [&](const std::vector<std::string>& list, bool deny, std::string_view key) {
      for (std::size_t i = 0; i < list.size(); ++i) {
        if (know_commands && !known_commands.contains(list[i])) {
          out.problems.push_back({p.file, fmt::format("{}.commands.{}[{}]", p.where, key, i),
                                  fmt::format("no command named `{}` is registered", list[i])});
          continue;
        }
        d.rules.push_back(rule{list[i], deny, p.scope_allow, p.scope_deny, {}});
      }
    };
    add(p.allow_commands, false, "allow");
    add(p.deny_commands, true, "deny");
    define(p.identifier, std::move(d));
  }
  for (const auto& st : sets) {
    define(st.identifier,
           definition{{}, st.permissions, st.file, st.where, true, st.description});
  }
  for (const auto& [id, d] : defs) {
    permission_info info{id, d.description, d.file, d.is_set, {}, {}, d.members};
    for (const auto& r : d.rules) (r.deny ? info.deny : info.allow).push_back(r.command);
    out.permissions.push_back(std::move(info));
  }

  // Expands an identifier into rules; reports unknown identifiers and cycles.
  std::function<bool(const std::string&, std::vector<std::string>&, std::vector<rule>&,
                     const std::string&, const std::string&)>
      expand = [&](const std::string& id, std::vector<std::string>& stack,
                   std::vector<rule>& rules, const std::string& file,
                   const std::string& where) -> bool {
    auto it = defs.find(id);
    if (it == defs.end() && !know_commands &&
        (id.starts_with("allow-") || id.starts_with("deny-")) && id.find(':') == std::string::npos) {
      const bool deny = id.starts_with("deny-");
      rules.push_back(rule{id.substr(deny ? 5 : 6), deny, {}, {}, id});
      return true;
    }
    // Without the app, a tool cannot know the plugins it registers: an identifier in a plugin
    // namespace it was not told about is taken as written (it grants nothing here).
    if (it == defs.end() && !know_commands && id.find(':') != std::string::npos &&
        !id.starts_with("core:event:") && id != "core:default") {
      const auto ns = id.substr(0, id.rfind(':'));
      if (!plugin_prefixes.contains(ns)) return true;
    }
    if (it == defs.end()) {
      std::string hint;
      const auto colon = id.rfind(':');
      const auto local = colon == std::string::npos ? std::string_view(id)
                                                    : std::string_view(id).substr(colon + 1);
      if (colon == std::string::npos && (id.starts_with("allow-") || id.starts_with("deny-"))) {
        hint = fmt::format(" (no command named `{}` is registered)", id.substr(id.find('-') + 1));
      } else if (colon != std::string::npos &&
                 (local.starts_with("allow-") || local.starts_with("deny-")) &&
                 plugin_prefixes.contains(std::string_view(id).substr(0, colon))) {
        hint = fmt::format(" (the plugin has no command `{}`)",
                           local.substr(local.find('-') + 1));
      } else if (colon != std::string::npos &&
                 !plugin_prefixes.contains(std::string_view(id).substr(0, colon)) &&
                 !id.starts_with("core:event:")) {
        hint = fmt::format(" (no plugin `{}` is registered)", id.substr(0, colon));
      }
      const auto limit = std::max<std::size_t>(3, id.size() / 4);
      if (auto near = detail::closest(id, defs, detail::closer_than(limit))) {
        hint += fmt::format("; did you mean `{}`?", *near);
      }
      out.problems.push_back({file, where, fmt::format("unknown permission `{}`{}", id, hint)});
      return false;
    }
    if (std::find(stack.begin(), stack.end(), id) != stack.end()) {
      std::string chain;
      for (const auto& s : stack) chain += s + " → ";
      out.problems.push_back({file, where, fmt::format("permission sets form a cycle: {}{}", chain, id)});
      return false;
    }
    if (!it->second.is_set) {
      for (auto r : it->second.rules) {
        r.permission = id;
        rules.push_back(std::move(r));
      }
      return true;
    }
    stack.push_back(id);
    bool ok = true;
    for (std::size_t i = 0; i < it->second.members.size(); ++i) {
      ok = expand(it->second.members[i], stack, rules, it->second.file,
                  fmt::format("{}.permissions[{}]", it->second.where, i)) && ok;
    }
    stack.pop_back();
    return ok;
  };

  policy p;
  std::set<std::string, std::less<>> cap_ids;
  for (auto& cap : caps) {
    if (!cap.identifier.empty() && !cap_ids.insert(cap.identifier).second) {
      out.problems.push_back({cap.file, "identifier",
                              fmt::format("capability `{}` is defined twice", cap.identifier)});
    }
    impl::resolved_capability rc;
    for (const auto& ref : cap.permissions) {
      std::vector<std::string> stack;
      std::vector<rule> rules;
      if (!expand(ref.identifier, stack, rules, cap.file, ref.where)) continue;
      for (auto& r : rules) {
        r.permission = ref.identifier;
        r.scope_allow.insert(r.scope_allow.end(), ref.allow.begin(), ref.allow.end());
        r.scope_deny.insert(r.scope_deny.end(), ref.deny.begin(), ref.deny.end());
        rc.rules.push_back(std::move(r));
      }
    }
    rc.def = std::move(cap);
    p.impl_->caps.push_back(std::move(rc));
  }
  // Each internal plugin's commands, for its own window only.
  for (const auto& pl : plugins) {
    if (!pl.internal) continue;
    impl::resolved_capability rc;
    rc.internal = true;
    rc.def.identifier = fmt::format("__myapp-{}", pl.name);
    rc.def.description = fmt::format("myapp's {} window", pl.name);
    rc.def.file = "(built in)";
    rc.def.windows = {fmt::format("{}_{}", RESERVED_LABEL_PREFIX, pl.name)};
    rc.def.local = true;
    for (const auto& c : pl.commands) {
      rc.rules.push_back(rule{fmt::format("plugin:{}|{}", pl.name, c), false, {}, {},
                              fmt::format("{}:allow-{}", pl.prefix(), permission_part(c))});
    }
    p.impl_->caps.push_back(std::move(rc));
  }
  p.impl_->plugin_permission = std::move(plugin_permission);
  // Each problem at its line and column, in the file it names.
  for (auto& pr : out.problems) {
    if (pr.line != 0) continue;
    for (const auto* files : {&capability_files, &permission_files}) {
      for (const auto& f : *files) {
        if (f.path == pr.file) place(pr, f.text);
      }
    }
  }
  if (out.problems.empty()) out.value = std::move(p);
  return out;
}

namespace {
// The page's origin as denial messages name it: the URL itself when it has no host
// (about:blank, data:) or no origin at all.
std::string shown_origin(std::string_view url) {
  auto origin = origin_of(url);
  return origin.empty() || origin.ends_with("://") ? std::string(url) : origin;
}
}  // namespace

std::shared_ptr<const grants> policy::resolve(const context& ctx) const {
  auto g = std::make_shared<grants>();
  g->label_ = std::string(ctx.label);
  g->origin_ = shown_origin(ctx.url);
  g->plugin_permission_ = impl_->plugin_permission;
  // myapp's own windows get the built-in capabilities of internal plugins, and nothing else.
  const bool reserved = ctx.label.starts_with(RESERVED_LABEL_PREFIX);
  for (const auto& rc : impl_->caps) {
    const auto& c = rc.def;
    if (!c.on_this_platform || rc.internal != reserved) continue;
    auto label_matches = [&](const std::vector<std::string>& globs) {
      return std::any_of(globs.begin(), globs.end(),
                         [&](const std::string& gl) { return glob_match(gl, ctx.label); });
    };
    if (!label_matches(c.windows) && !label_matches(c.webviews)) continue;
    bool origin_ok = ctx.local ? c.local
                               : std::any_of(c.remote.begin(), c.remote.end(),
                                             [&](const url_pattern& p) { return p.matches(ctx.url); });
    if (!origin_ok) continue;
    g->caps_.push_back(c.identifier);
    g->cap_files_.push_back(c.file);
    for (const auto& r : rc.rules) {
      if (r.deny) {
        g->denied_.try_emplace(r.command, grants::denied_by{r.permission, c.identifier, c.file});
      } else {
        auto [it, first] = g->allowed_.try_emplace(r.command);
        if (first) {
          it->second.permission = r.permission;
          it->second.capability = c.identifier;
          it->second.file = c.file;
        }
        auto& s = it->second.scope;
        s.allow.insert(s.allow.end(), r.scope_allow.begin(), r.scope_allow.end());
        s.deny.insert(s.deny.end(), r.scope_deny.begin(), r.scope_deny.end());
      }
    }
  }
  // Deny wins within this page's context: the capabilities that matched this page.
  for (const auto& [cmd, why] : g->denied_) g->allowed_.erase(cmd);
  // The same entry granted through several paths counts once.
  auto unique = [](std::vector<std::string>& v) {
    std::vector<std::string> out;
    for (auto& e : v) {
      if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(std::move(e));
    }
    v = std::move(out);
  };
  for (auto& [cmd, gr] : g->allowed_) {
    unique(gr.scope.allow);
    unique(gr.scope.deny);
  }
  return g;
}

}  // namespace myapp::acl
