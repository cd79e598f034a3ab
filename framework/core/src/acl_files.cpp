// Reading capability and permission files into definitions, and choosing the capability files
// in force.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "acl_detail.hpp"
#include "myapp/json.hpp"
#include "position.hpp"
#include "text.hpp"

namespace myapp::acl {

namespace internal {

namespace {

// Reading helpers that report problems with key paths and keep going.
class reader {
 public:
  reader(std::string file, std::vector<problem>& problems)
      : file_(std::move(file)), problems_(problems) {}

  void report(std::string path, std::string message) {
    problems_.push_back(problem{file_, std::move(path), std::move(message)});
  }
  void report_at(std::string_view text, std::size_t offset, std::string message) {
    const auto at = detail::position_of(text, offset);
    problems_.push_back(problem{file_, "", std::move(message), at.line, at.column});
  }

  static std::string join(std::string_view base, std::string_view key) {
    if (base.empty()) return std::string(key);
    return fmt::format("{}.{}", base, key);
  }

  // A string or a boolean.
  template <class T>
  bool read(json::value& v, T& out, const std::string& path) {
    json::decoder d;
    if (!v.read(out, d)) {
      report(path, d.reason());
      return false;
    }
    return true;
  }

  // Calls `each(element, decoder)` for each element of an array; anything else is reported as
  // not `what` ("an array of strings").
  template <class F>
  bool array(json::value& v, const std::string& path, std::string_view what, F&& each) {
    json::decoder d;
    json::type t{};
    if (!v.get_type(t, d) || t != json::type::array) {
      report(path, fmt::format("expected {}, got {}", what, v.describe()));
      return false;
    }
    return v.for_each_element(d, [&](json::value& e) { return each(e, d); });
  }

  bool strings(json::value& v, std::vector<std::string>& out, const std::string& path) {
    std::size_t i = 0;
    return array(v, path, "an array of strings", [&](json::value& e, json::decoder&) {
      std::string s;
      if (read(e, s, fmt::format("{}[{}]", path, i++))) out.push_back(std::move(s));
      return true;
    });
  }

  // JSON texts of the entries of an array (scope entries: any JSON value).
  bool raw_entries(json::value& v, std::vector<std::string>& out, const std::string& path) {
    return array(v, path, "an array of scope entries", [&](json::value& e, json::decoder& d) {
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
        if (auto near = detail::closest(key, known, detail::closer_than(3))) {
          hint = fmt::format(" (did you mean \"{}\"?)", *near);
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

// Parses a whole file; problems go to `r`. False when it is not valid JSON: that is then its
// one problem, since nothing after a syntax error can be read reliably.
template <class F>
bool read_file(const source& s, reader& r, F&& on_root) {
  if (auto e = detail::find_syntax_error(s.text)) {
    r.report_at(s.text, e->offset, fmt::format("not valid JSON: {}", e->message));
    return false;
  }
  json::decoder d;
  bool ok = json::read_document(s.text, d, [&](json::value& root, json::decoder&) {
    on_root(root);
    return true;
  });
  if (!ok) r.report(d.where(), fmt::format("not valid JSON: {}", d.reason()));
  return ok;
}

// A capability's `permissions`: identifiers, or objects that add scope entries.
void read_permission_refs(reader& r, json::value& v, const std::string& path,
                          std::vector<permission_ref>& out) {
  std::size_t i = 0;
  r.array(v, path, "an array of permission identifiers or objects",
          [&](json::value& e, json::decoder& d) {
            permission_ref ref;
            ref.where = fmt::format("{}[{}]", path, i++);
            json::type et{};
            if (!e.get_type(et, d)) return false;
            if (et == json::type::string) {
              r.read(e, ref.identifier, ref.where);
            } else {
              bool id = false;
              r.object(e, ref.where, {"identifier", "allow", "deny"},
                       [&](std::string_view k, json::value& f, const std::string& fpath) {
                         if (k == "identifier") {
                           id = r.read(f, ref.identifier, fpath);
                         } else {
                           r.raw_entries(f, k == "allow" ? ref.allow : ref.deny, fpath);
                         }
                       });
              if (!id && et == json::type::object) {
                r.report(ref.where, "a permission object needs `identifier`");
              }
            }
            if (!ref.identifier.empty()) out.push_back(std::move(ref));
            return true;
          });
}

// One entry of a permission file (a permission or a set): its `identifier` and `description`
// here, its other keys of `known` by `on(def, key, value, path)`; kept when it has an identifier.
template <class Def, class F>
void read_entry(reader& r, const source& s, json::value& e, const std::string& where,
                std::initializer_list<std::string_view> known, std::string_view what,
                std::vector<Def>& out, F&& on) {
  Def def;
  def.file = s.path;
  def.where = where;
  r.object(e, where, known, [&](std::string_view k, json::value& f, const std::string& fpath) {
    if (k == "identifier") {
      r.read(f, def.identifier, fpath);
    } else if (k == "description") {
      r.read(f, def.description, fpath);
    } else {
      on(def, k, f, fpath);
    }
  });
  if (def.identifier.empty()) {
    r.report(where, fmt::format("a {} needs an `identifier`", what));
  } else {
    out.push_back(std::move(def));
  }
}

constexpr std::string_view PLATFORM = "linux";

}  // namespace

void read_capability(const source& s, std::vector<problem>& problems,
                     std::vector<capability_def>& out) {
  reader r(s.path, problems);
  capability_def cap;
  cap.file = s.path;
  bool has_id = false;
  bool has_permissions = false;
  std::vector<std::pair<std::string, std::size_t>> insecure_at;  // place of each remote URL
  const bool readable = read_file(s, r, [&](json::value& root) {
    r.object(root, "", {"$schema", "identifier", "description", "windows", "webviews", "local",
                        "remote", "permissions", "platforms"},
             [&](std::string_view key, json::value& v, const std::string& path) {
               if (key == "$schema") {
                 std::string ignored;
                 r.read(v, ignored, path);
               } else if (key == "identifier") {
                 if (r.read(v, cap.identifier, path)) {
                   has_id = true;
                   if (!valid_identifier(cap.identifier) ||
                       cap.identifier.find(':') != std::string::npos) {
                     r.report(path, fmt::format("`{}` is not a valid identifier: use lower-case "
                                                "letters, digits, - and _",
                                                cap.identifier));
                   }
                 }
               } else if (key == "description") {
                 r.read(v, cap.description, path);
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
                 r.read(v, cap.local, path);
               } else if (key == "remote") {
                 r.object(v, path, {"urls", "allowInsecure"},
                          [&](std::string_view rkey, json::value& u, const std::string& upath) {
                   if (rkey == "allowInsecure") {
                     r.read(u, cap.allow_insecure, upath);
                     return;
                   }
                   std::vector<std::string> urls;
                   r.strings(u, urls, upath);
                   for (std::size_t i = 0; i < urls.size(); ++i) {
                     url_pattern p;
                     if (auto why = parse_url_pattern(urls[i], p)) {
                       r.report(fmt::format("{}[{}]", upath, i), *why);
                     } else {
                       insecure_at.emplace_back(fmt::format("{}[{}]", upath, i), cap.remote.size());
                       cap.remote.push_back(std::move(p));
                     }
                   }
                 });
               } else if (key == "permissions") {
                 has_permissions = true;
                 read_permission_refs(r, v, path, cap.permissions);
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
  if (!readable) return;
  if (!has_id) r.report("identifier", "a capability needs an `identifier`");
  if (!has_permissions) r.report("permissions", "a capability needs a `permissions` array");
  if (cap.windows.empty() && cap.webviews.empty()) {
    r.report("windows", "a capability must name the windows (or webviews) it applies to");
  }
  if (!cap.local && cap.remote.empty()) {
    r.report("local", "with `local: false` and no `remote.urls` the capability matches no page");
  }
  // A page fetched over plain http from another machine can be read and changed on its way: it
  // gets IPC only when the capability says so explicitly.
  if (!cap.allow_insecure) {
    for (const auto& [where, i] : insecure_at) {
      if (!insecure_remote(cap.remote[i])) continue;
      r.report(where, fmt::format("`{}` is not encrypted: anyone on the network can change the "
                                  "page and call the app through it; use https://, or set "
                                  "\"allowInsecure\": true in `remote` to accept it",
                                  cap.remote[i].text));
    }
  }
  out.push_back(std::move(cap));
}

void read_permission_file(const source& s, std::vector<problem>& problems,
                          std::vector<permission_def>& perms, std::vector<set_def>& sets) {
  reader r(s.path, problems);
  // A permission's `commands` and `scope`: each {"allow": [...], "deny": [...]}.
  auto permission_key = [&](permission_def& p, std::string_view key, json::value& v,
                            const std::string& path) {
    r.object(v, path, {"allow", "deny"},
             [&](std::string_view which, json::value& list, const std::string& lpath) {
               const bool allow = which == "allow";
               if (key == "commands") {
                 r.strings(list, allow ? p.allow_commands : p.deny_commands, lpath);
               } else {
                 r.raw_entries(list, allow ? p.scope_allow : p.scope_deny, lpath);
               }
             });
  };
  // A set's `permissions`.
  auto set_key = [&](set_def& st, std::string_view, json::value& v, const std::string& path) {
    r.strings(v, st.permissions, path);
  };
  read_file(s, r, [&](json::value& root) {
    r.object(root, "", {"$schema", "permissions", "sets"},
             [&](std::string_view key, json::value& v, const std::string& path) {
               if (key == "$schema") {
                 std::string ignored;
                 r.read(v, ignored, path);
                 return;
               }
               std::size_t i = 0;
               r.array(v, path, "an array", [&](json::value& e, json::decoder&) {
                 const auto where = fmt::format("{}[{}]", path, i++);
                 if (key == "permissions") {
                   read_entry(r, s, e, where, {"identifier", "description", "commands", "scope"},
                              "permission", perms, permission_key);
                 } else {
                   read_entry(r, s, e, where, {"identifier", "description", "permissions"}, "set",
                              sets, set_key);
                 }
                 return true;
               });
             });
  });
}

}  // namespace internal

void place(problem& p, std::string_view text) {
  const auto at = detail::position_of(text, detail::locate(text, p.path));
  p.line = at.line;
  p.column = at.column;
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
  bool all_readable = true;
  for (const auto& c : capabilities) {
    if (detail::find_syntax_error(c.text)) {
      all_readable = false;
      out.push_back(c);  // loading reports its syntax error
      continue;
    }
    auto id = json::parse<identified>(c.text);
    if (!id.has_value() || id.value().identifier.empty()) {
      out.push_back(c);  // unreadable: loading names what is wrong with it
      continue;
    }
    names.push_back(id.value().identifier);
    if (std::find(enabled.begin(), enabled.end(), names.back()) != enabled.end()) out.push_back(c);
  }
  for (std::size_t i = 0; i < enabled.size() && all_readable; ++i) {
    if (std::find(names.begin(), names.end(), enabled[i]) != names.end()) continue;
    std::string message = fmt::format("no capability file has the identifier `{}`", enabled[i]);
    if (auto near = detail::closest(enabled[i], names, detail::closer_than(3))) {
      message += fmt::format("; did you mean `{}`?", *near);
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

}  // namespace myapp::acl
