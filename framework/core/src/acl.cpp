#include "myapp/acl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "myapp/json.hpp"
#include "text.hpp"

namespace myapp::acl {

// ---------------------------------------------------------------------------------------------
// globs and URL patterns

bool glob_match(std::string_view p, std::string_view t) noexcept {
  // Iterative matcher with one backtracking point: linear in practice, never recursive.
  std::size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

namespace {

bool valid_label_glob(std::string_view g) {
  if (g.empty() || g.size() > 128) return false;
  return std::all_of(g.begin(), g.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '/' || c == ':' || c == '*' || c == '?';
  });
}

bool valid_identifier(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':';
  });
}

struct url_parts {
  std::string scheme, host, port, path;
};

// Splits scheme://host[:port][/path]; false when the text is not of that form.
bool split_url(std::string_view u, url_parts& out) {
  auto sep = u.find("://");
  if (sep == std::string_view::npos || sep == 0) return false;
  out.scheme = std::string(u.substr(0, sep));
  auto rest = u.substr(sep + 3);
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  out.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (auto q = out.path.find_first_of("?#"); q != std::string::npos) out.path.resize(q);
  if (authority.find('@') != std::string_view::npos) return false;  // no credentials
  auto colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    out.host = std::string(authority.substr(0, colon));
    out.port = std::string(authority.substr(colon + 1));
  } else {
    out.host = std::string(authority);
    out.port.clear();
  }
  std::transform(out.scheme.begin(), out.scheme.end(), out.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::transform(out.host.begin(), out.host.end(), out.host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return !out.host.empty();
}

struct url_pattern {
  std::string text;
  url_parts parts;  // each part a glob; an empty port matches the scheme's default only

  bool matches(std::string_view url) const {
    url_parts u;
    if (!split_url(url, u)) return false;
    if (!glob_match(parts.scheme, u.scheme)) return false;
    // `*` in a host never crosses a dot boundary it does not own: "*.example.com" matches
    // "a.example.com" and "a.b.example.com" but not "example.com.evil.net".
    if (!glob_match(parts.host, u.host)) return false;
    if (parts.port != "*" && parts.port != u.port) return false;
    return glob_match(parts.path, u.path);
  }
};

std::optional<std::string> parse_url_pattern(std::string_view text, url_pattern& out) {
  out.text = std::string(text);
  if (!split_url(text, out.parts)) {
    return "expected a URL pattern such as \"https://*.example.com/*\"";
  }
  if (out.parts.scheme != "http" && out.parts.scheme != "https" && out.parts.scheme != "*") {
    return fmt::format("scheme `{}` is not allowed in a remote URL pattern (use http or https)",
                       out.parts.scheme);
  }
  for (char c : out.parts.host) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '*' ||
          c == '[' || c == ']' || c == ':')) {
      return fmt::format("host `{}` has a character that cannot appear in a host name",
                         out.parts.host);
    }
  }
  if (out.parts.host == "*") {
    return std::string("a host of `*` would allow every site; name the hosts");
  }
  // A wildcard only as a whole leading label: "*.example.com", never "*example.com".
  if (auto star = out.parts.host.find('*'); star != std::string::npos) {
    if (star != 0 || out.parts.host.size() < 3 || out.parts.host[1] != '.' ||
        out.parts.host.find('*', 1) != std::string::npos) {
      return fmt::format("host `{}`: `*` may only stand for whole leading labels (`*.example.com`)",
                         out.parts.host);
    }
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// definitions read from the files

struct permission_ref {
  std::string identifier;
  std::vector<std::string> allow, deny;  // scope entries, JSON text
  std::string where;                     // key path, for messages
};

struct capability_def {
  std::string identifier, description, file;
  std::vector<std::string> windows, webviews;
  bool local = true;
  std::vector<url_pattern> remote;
  std::vector<permission_ref> permissions;
  bool on_this_platform = true;
};

struct permission_def {
  std::string identifier, file, where;
  std::vector<std::string> allow_commands, deny_commands;
  std::vector<std::string> scope_allow, scope_deny;
};

struct set_def {
  std::string identifier, file, where;
  std::vector<std::string> permissions;
};

// Reading helpers that report problems with key paths and keep going.
class reader {
 public:
  reader(std::string file, std::vector<problem>& problems)
      : file_(std::move(file)), problems_(problems) {}

  void report(std::string path, std::string message) {
    problems_.push_back(problem{file_, std::move(path), std::move(message)});
  }

  static std::string join(std::string_view base, std::string_view key) {
    if (base.empty()) return std::string(key);
    return fmt::format("{}.{}", base, key);
  }

  bool string(json::value& v, std::string& out, const std::string& path) {
    json::decoder d;
    if (!v.read(out, d)) {
      report(path, d.reason());
      return false;
    }
    return true;
  }

  bool boolean(json::value& v, bool& out, const std::string& path) {
    json::decoder d;
    if (!v.read(out, d)) {
      report(path, d.reason());
      return false;
    }
    return true;
  }

  bool strings(json::value& v, std::vector<std::string>& out, const std::string& path) {
    json::decoder d;
    json::type t{};
    if (!v.get_type(t, d) || t != json::type::array) {
      report(path, "expected an array of strings, got " + v.describe());
      return false;
    }
    std::size_t i = 0;
    return v.for_each_element(d, [&](json::value& e) {
      std::string s;
      if (string(e, s, fmt::format("{}[{}]", path, i++))) out.push_back(std::move(s));
      return true;
    });
  }

  // JSON texts of the entries of an array (scope entries: any JSON value).
  bool raw_entries(json::value& v, std::vector<std::string>& out, const std::string& path) {
    json::decoder d;
    json::type t{};
    if (!v.get_type(t, d) || t != json::type::array) {
      report(path, "expected an array of scope entries, got " + v.describe());
      return false;
    }
    return v.for_each_element(d, [&](json::value& e) {
      std::string_view text;
      if (!e.read_raw(text, d)) return false;
      out.emplace_back(text);
      return true;
    });
  }

  // Calls `on(key, value, path)` for each field, reporting keys not in `known`.
  template <class F>
  bool object(json::value& v, const std::string& path, std::initializer_list<std::string_view> known,
              F&& on) {
    json::decoder d;
    json::type t{};
    if (!v.get_type(t, d)) {
      report(path, d.reason());
      return false;
    }
    if (t != json::type::object) {
      report(path, "expected an object, got " + v.describe());
      return false;
    }
    std::set<std::string, std::less<>> seen;
    bool ok = v.for_each_field(d, [&](std::string_view key, json::value& field) {
      const auto where = join(path, key);
      if (!seen.emplace(key).second) {
        report(where, "duplicate key");
        return field.skip(d);
      }
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        std::string hint;
        std::size_t best = 3;
        for (auto k : known) {
          auto dist = detail::edit_distance(k, key);
          if (dist < best) {
            best = dist;
            hint = fmt::format(" (did you mean \"{}\"?)", k);
          }
        }
        std::string list;
        for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        report(where, fmt::format("unknown key{}; the keys are: {}", hint, list));
        return field.skip(d);
      }
      on(key, field, where);
      return true;
    });
    if (!ok) report(path, fmt::format("malformed JSON: {}", d.reason()));
    return ok;
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<problem>& problems_;
};

// Parses a whole file; problems go to `r`.
template <class F>
void read_file(const source& s, reader& r, F&& on_root) {
  json::decoder d;
  bool ok = json::read_document(s.text, d, [&](json::value& root, json::decoder&) {
    on_root(root);
    return true;
  });
  if (!ok) r.report(d.where(), fmt::format("not valid JSON: {}", d.reason()));
}

constexpr std::string_view PLATFORM = "linux";

void read_capability(const source& s, std::vector<problem>& problems,
                     std::vector<capability_def>& out) {
  reader r(s.path, problems);
  capability_def cap;
  cap.file = s.path;
  bool has_id = false;
  bool has_permissions = false;
  read_file(s, r, [&](json::value& root) {
    r.object(root, "", {"$schema", "identifier", "description", "windows", "webviews", "local",
                        "remote", "permissions", "platforms"},
             [&](std::string_view key, json::value& v, const std::string& path) {
               if (key == "$schema") {
                 std::string ignored;
                 r.string(v, ignored, path);
               } else if (key == "identifier") {
                 if (r.string(v, cap.identifier, path)) {
                   has_id = true;
                   if (!valid_identifier(cap.identifier) ||
                       cap.identifier.find(':') != std::string::npos) {
                     r.report(path, fmt::format("`{}` is not a valid identifier: use lower-case "
                                                "letters, digits, - and _",
                                                cap.identifier));
                   }
                 }
               } else if (key == "description") {
                 r.string(v, cap.description, path);
               } else if (key == "windows" || key == "webviews") {
                 auto& list = key == "windows" ? cap.windows : cap.webviews;
                 r.strings(v, list, path);
                 for (std::size_t i = 0; i < list.size(); ++i) {
                   if (!valid_label_glob(list[i])) {
                     r.report(fmt::format("{}[{}]", path, i),
                              fmt::format("`{}` is not a valid label glob: use letters, digits, "
                                          "-_/: and the wildcards * and ?",
                                          list[i]));
                   }
                 }
               } else if (key == "local") {
                 r.boolean(v, cap.local, path);
               } else if (key == "remote") {
                 r.object(v, path, {"urls"}, [&](std::string_view, json::value& u,
                                                 const std::string& upath) {
                   std::vector<std::string> urls;
                   r.strings(u, urls, upath);
                   for (std::size_t i = 0; i < urls.size(); ++i) {
                     url_pattern p;
                     if (auto why = parse_url_pattern(urls[i], p)) {
                       r.report(fmt::format("{}[{}]", upath, i), *why);
                     } else {
                       cap.remote.push_back(std::move(p));
                     }
                   }
                 });
               } else if (key == "permissions") {
                 has_permissions = true;
                 json::decoder d;
                 json::type t{};
                 if (!v.get_type(t, d) || t != json::type::array) {
                   r.report(path, "expected an array of permission identifiers or objects, got " +
                                      v.describe());
                   return;
                 }
                 std::size_t i = 0;
                 v.for_each_element(d, [&](json::value& e) {
                   permission_ref ref;
                   ref.where = fmt::format("{}[{}]", path, i++);
                   json::type et{};
                   if (!e.get_type(et, d)) return false;
                   if (et == json::type::string) {
                     r.string(e, ref.identifier, ref.where);
                   } else {
                     bool id = false;
                     r.object(e, ref.where, {"identifier", "allow", "deny"},
                              [&](std::string_view k, json::value& f, const std::string& fpath) {
                                if (k == "identifier") {
                                  id = r.string(f, ref.identifier, fpath);
                                } else {
                                  r.raw_entries(f, k == "allow" ? ref.allow : ref.deny, fpath);
                                }
                              });
                     if (!id && et == json::type::object) {
                       r.report(ref.where, "a permission object needs `identifier`");
                     }
                   }
                   if (!ref.identifier.empty()) cap.permissions.push_back(std::move(ref));
                   return true;
                 });
               } else if (key == "platforms") {
                 std::vector<std::string> platforms;
                 r.strings(v, platforms, path);
                 for (std::size_t i = 0; i < platforms.size(); ++i) {
                   const auto& p = platforms[i];
                   if (p != "linux" && p != "windows" && p != "macOS" && p != "android" &&
                       p != "iOS") {
                     r.report(fmt::format("{}[{}]", path, i),
                              fmt::format("unknown platform `{}` (linux, windows, macOS, "
                                          "android, iOS)",
                                          p));
                   }
                 }
                 cap.on_this_platform =
                     std::find(platforms.begin(), platforms.end(), PLATFORM) != platforms.end();
               }
             });
  });
  if (!has_id) r.report("identifier", "a capability needs an `identifier`");
  if (!has_permissions) r.report("permissions", "a capability needs a `permissions` array");
  if (cap.windows.empty() && cap.webviews.empty()) {
    r.report("windows", "a capability must name the windows (or webviews) it applies to");
  }
  if (!cap.local && cap.remote.empty()) {
    r.report("local", "with `local: false` and no `remote.urls` the capability matches no page");
  }
  out.push_back(std::move(cap));
}

void read_permission_file(const source& s, std::vector<problem>& problems,
                          std::vector<permission_def>& perms, std::vector<set_def>& sets) {
  reader r(s.path, problems);
  read_file(s, r, [&](json::value& root) {
    r.object(root, "", {"$schema", "permissions", "sets"},
             [&](std::string_view key, json::value& v, const std::string& path) {
               if (key == "$schema") {
                 std::string ignored;
                 r.string(v, ignored, path);
                 return;
               }
               json::decoder d;
               json::type t{};
               if (!v.get_type(t, d) || t != json::type::array) {
                 r.report(path, "expected an array, got " + v.describe());
                 return;
               }
               std::size_t i = 0;
               v.for_each_element(d, [&](json::value& e) {
                 const auto where = fmt::format("{}[{}]", path, i++);
                 if (key == "permissions") {
                   permission_def p;
                   p.file = s.path;
                   p.where = where;
                   r.object(e, where, {"identifier", "description", "commands", "scope"},
                            [&](std::string_view k, json::value& f, const std::string& fpath) {
                              if (k == "identifier") {
                                r.string(f, p.identifier, fpath);
                              } else if (k == "description") {
                                std::string ignored;
                                r.string(f, ignored, fpath);
                              } else if (k == "commands") {
                                r.object(f, fpath, {"allow", "deny"},
                                         [&](std::string_view ck, json::value& c,
                                             const std::string& cpath) {
                                           r.strings(c, ck == "allow" ? p.allow_commands
                                                                      : p.deny_commands,
                                                     cpath);
                                         });
                              } else {
                                r.object(f, fpath, {"allow", "deny"},
                                         [&](std::string_view sk, json::value& c,
                                             const std::string& spath) {
                                           r.raw_entries(c, sk == "allow" ? p.scope_allow
                                                                          : p.scope_deny,
                                                         spath);
                                         });
                              }
                            });
                   if (p.identifier.empty()) {
                     r.report(where, "a permission needs an `identifier`");
                   } else {
                     perms.push_back(std::move(p));
                   }
                 } else {
                   set_def st;
                   st.file = s.path;
                   st.where = where;
                   r.object(e, where, {"identifier", "description", "permissions"},
                            [&](std::string_view k, json::value& f, const std::string& fpath) {
                              if (k == "identifier") {
                                r.string(f, st.identifier, fpath);
                              } else if (k == "description") {
                                std::string ignored;
                                r.string(f, ignored, fpath);
                              } else {
                                r.strings(f, st.permissions, fpath);
                              }
                            });
                   if (st.identifier.empty()) {
                     r.report(where, "a set needs an `identifier`");
                   } else {
                     sets.push_back(std::move(st));
                   }
                 }
                 return true;
               });
             });
  });
}

// One effect of a permission on one command.
struct rule {
  std::string command;
  bool deny = false;
  std::vector<std::string> scope_allow, scope_deny;
  std::string permission;  // the identifier named in the capability
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// policy

struct policy::impl {
  struct resolved_capability {
    capability_def def;
    std::vector<rule> rules;
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

std::size_t policy::capability_count() const noexcept { return impl_->caps.size(); }

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
  };
  std::map<std::string, definition, std::less<>> defs;
  auto builtin = [&](std::string id, std::vector<rule> rules) {
    defs.emplace(std::move(id), definition{std::move(rules), {}, "(built in)", "", false});
  };
  for (const auto& c : commands) {
    if (c.starts_with("plugin:")) continue;  // a plugin's commands have the plugin's permissions
    builtin("allow-" + c, {rule{c, false, {}, {}, {}}});
    builtin("deny-" + c, {rule{c, true, {}, {}, {}}});
  }
  for (auto [name, cmd] : {std::pair{"listen", EVENT_LISTEN}, std::pair{"emit", EVENT_EMIT},
                           std::pair{"emit-to", EVENT_EMIT_TO}}) {
    builtin(fmt::format("core:event:allow-{}", name), {rule{std::string(cmd), false, {}, {}, {}}});
    builtin(fmt::format("core:event:deny-{}", name), {rule{std::string(cmd), true, {}, {}, {}}});
  }
  defs.emplace("core:event:default",
               definition{{},
                          {"core:event:allow-listen", "core:event:allow-emit",
                           "core:event:allow-emit-to"},
                          "(built in)", "", true});
  definition core_default{{}, {"core:event:default"}, "(built in)", "", true};
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
    plugin_prefixes.insert(prefix);
    std::set<std::string, std::less<>> local_commands(pl.commands.begin(), pl.commands.end());
    for (const auto& c : pl.commands) {
      const auto wire = fmt::format("plugin:{}|{}", pl.name, c);
      const auto part = permission_part(c);
      builtin(fmt::format("{}:allow-{}", prefix, part), {rule{wire, false, {}, {}, {}}});
      builtin(fmt::format("{}:deny-{}", prefix, part), {rule{wire, true, {}, {}, {}}});
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
      definition d{{}, {}, p.file, p.where, false};
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
      define_plugin(st.identifier, definition{{}, std::move(members), st.file, st.where, true});
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
    definition d{{}, {}, p.file, p.where, false};
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
  for (const auto& st : sets) define(st.identifier, definition{{}, st.permissions, st.file, st.where, true});

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
      std::size_t best = std::max<std::size_t>(3, id.size() / 4);
      std::string near;
      for (const auto& [name, def] : defs) {
        auto dist = detail::edit_distance(name, id);
        if (dist < best) {
          best = dist;
          near = name;
        }
      }
      if (!near.empty()) hint += fmt::format("; did you mean `{}`?", near);
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
  p.impl_->plugin_permission = std::move(plugin_permission);
  if (out.problems.empty()) out.value = std::move(p);
  return out;
}

namespace {
std::string origin_of(std::string_view url) {
  url_parts u;
  if (!split_url(url, u)) return std::string(url);
  return u.port.empty() ? fmt::format("{}://{}", u.scheme, u.host)
                        : fmt::format("{}://{}:{}", u.scheme, u.host, u.port);
}
}  // namespace

std::shared_ptr<const grants> policy::resolve(const context& ctx) const {
  auto g = std::make_shared<grants>();
  g->label_ = std::string(ctx.label);
  g->origin_ = origin_of(ctx.url);
  g->plugin_permission_ = impl_->plugin_permission;
  for (const auto& rc : impl_->caps) {
    const auto& c = rc.def;
    if (!c.on_this_platform) continue;
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
        auto& s = g->allowed_[r.command];
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
  for (auto& [cmd, sc] : g->allowed_) {
    unique(sc.allow);
    unique(sc.deny);
  }
  return g;
}

// ---------------------------------------------------------------------------------------------
// grants

bool grants::allows(std::string_view command) const {
  return allowed_.find(command) != allowed_.end();
}

const scope_entries& grants::scope(std::string_view command) const {
  static const scope_entries none;
  auto it = allowed_.find(command);
  return it == allowed_.end() ? none : it->second;
}

namespace {
// The permission that would grant `command`.
template <class M>
std::string permission_for(std::string_view command, const M* plugin_permission) {
  if (plugin_permission != nullptr) {
    if (auto it = plugin_permission->find(command); it != plugin_permission->end()) {
      return it->second;
    }
  }
  if (command == EVENT_LISTEN) return "core:event:allow-listen";
  if (command == EVENT_EMIT) return "core:event:allow-emit";
  if (command == EVENT_EMIT_TO) return "core:event:allow-emit-to";
  return fmt::format("allow-{}", command);
}
}  // namespace

std::string grants::denial(std::string_view command) const {
  if (allows(command)) return {};
  if (caps_.empty()) {
    return fmt::format(
        "`{}` is not allowed: window `{}` at {} matches no capability, so it has no IPC at all; "
        "add a capability whose `windows` matches `{}`{}",
        command, label_, origin_, label_,
        origin_.starts_with("myapp://") ? "" : " and whose `remote.urls` matches this page");
  }
  std::string caps;
  for (std::size_t i = 0; i < caps_.size(); ++i) {
    caps += fmt::format("{}`{}` ({})", i == 0 ? "" : ", ", caps_[i], cap_files_[i]);
  }
  if (auto it = denied_.find(command); it != denied_.end()) {
    return fmt::format(
        "`{}` is denied for window `{}` at {} by `{}` in capability `{}` ({}); remove that "
        "entry to allow it here",
        command, label_, origin_, it->second.permission, it->second.capability, it->second.file);
  }
  return fmt::format(
      "`{}` is not allowed for window `{}` at {}: no capability that matches it grants it; add "
      "`{}` (or a permission that includes it) to the `permissions` of {}",
      command, label_, origin_, permission_for(command, plugin_permission_.get()), caps);
}

namespace {
struct identified {
  std::string identifier;
};
MYAPP_STRUCT(identified, identifier)
}  // namespace

std::vector<source> select_capabilities(const std::vector<source>& capabilities,
                                        const std::vector<std::string>& enabled,
                                        std::vector<problem>& problems) {
  if (enabled.empty()) return capabilities;
  std::vector<source> out;
  std::vector<std::string> names;
  for (const auto& c : capabilities) {
    auto id = json::parse<identified>(c.text);
    if (!id.has_value() || id.value().identifier.empty()) {
      out.push_back(c);  // unreadable: loading names what is wrong with it
      continue;
    }
    names.push_back(id.value().identifier);
    if (std::find(enabled.begin(), enabled.end(), names.back()) != enabled.end()) out.push_back(c);
  }
  for (std::size_t i = 0; i < enabled.size(); ++i) {
    if (std::find(names.begin(), names.end(), enabled[i]) != names.end()) continue;
    std::string message = fmt::format("no capability file has the identifier `{}`", enabled[i]);
    std::string near;
    std::size_t best = 3;
    for (const auto& n : names) {
      const auto d = detail::edit_distance(enabled[i], n);
      if (d < best) {
        best = d;
        near = n;
      }
    }
    if (!near.empty()) {
      message += fmt::format("; did you mean `{}`?", near);
    } else if (names.empty()) {
      message += "; the app has no capability files";
    } else {
      std::string all;
      for (const auto& n : names) all += (all.empty() ? "`" : ", `") + n + "`";
      message += "; the app has " + all;
    }
    problems.push_back({"myapp.conf.json", fmt::format("app.security.capabilities[{}]", i),
                        std::move(message)});
  }
  return out;
}

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
