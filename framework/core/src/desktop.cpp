#include "myapp/desktop.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <system_error>

#include "myapp/acl.hpp"

namespace myapp::desktop {

namespace {

// ---------------------------------------------------------------------------------------------
// URLs

struct url_split {
  std::string scheme;
  bool hierarchical = false;  // scheme://authority/path, else scheme:opaque
  bool userinfo = false;
  std::string host, port, path;  // hierarchical
  std::string opaque;            // opaque, without query and fragment
};

bool scheme_char(char c, bool first) {
  if (c >= 'a' && c <= 'z') return true;
  if (first) return false;
  return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

// Splits a URL or a URL pattern; false when it is not of either form.
bool split(std::string_view u, url_split& out) {
  const auto colon = u.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  out.scheme = lowered(u.substr(0, colon));
  for (std::size_t i = 0; i < out.scheme.size(); ++i) {
    if (!scheme_char(out.scheme[i], i == 0)) return false;
  }
  auto rest = u.substr(colon + 1);
  if (!rest.starts_with("//")) {
    out.hierarchical = false;
    out.opaque = std::string(rest.substr(0, rest.find_first_of("?#")));
    return !out.opaque.empty();
  }
  out.hierarchical = true;
  rest.remove_prefix(2);
  const auto end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, end);
  out.path = end == std::string_view::npos ? std::string() : std::string(rest.substr(end));
  if (auto q = out.path.find_first_of("?#"); q != std::string::npos) out.path.resize(q);
  if (out.path.empty()) out.path = "/";
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    out.userinfo = true;
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return false;
    host = authority.substr(0, close + 1);
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return false;
      port = after.substr(1);
    }
  } else if (auto c = authority.rfind(':'); c != std::string_view::npos) {
    host = authority.substr(0, c);
    port = authority.substr(c + 1);
  }
  out.host = lowered(host);
  out.port = std::string(port);
  return !out.host.empty();
}

bool digits(std::string_view s) {
  return !s.empty() && s.size() <= 5 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::string> check_split_pattern(std::string_view pattern, url_split& p) {
  if (!split(pattern, p)) {
    return std::string(
        "expected a URL pattern such as \"https://*.example.com/*\" or \"mailto:*\"");
  }
  if (!p.hierarchical) return std::nullopt;
  if (p.userinfo) return std::string("a URL pattern may not contain user info (`user@`)");
  if (p.host != "*") {
    std::string_view h = p.host;
    if (h.starts_with("*.")) h.remove_prefix(2);
    if (h.empty()) return fmt::format("host `{}` names no domain after `*.`", p.host);
    const bool ipv6 = h.starts_with('[') && h.ends_with(']');
    for (char c : h) {
      if (c == '*') {
        return fmt::format(
            "host `{}`: `*` may only be the whole host or stand for leading labels "
            "(`*.example.com`)",
            p.host);
      }
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            (ipv6 && (c == '[' || c == ']' || c == ':')))) {
        return fmt::format("host `{}` has a character that cannot appear in a host name",
                           p.host);
      }
    }
  }
  if (!p.port.empty() && p.port != "*" && !digits(p.port)) {
    return fmt::format("port `{}` is neither a number nor `*`", p.port);
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// paths

namespace fs = std::filesystem;

// `$HOME/...` and `$TEMP/...` expanded; an error for another variable or an unset one.
result<std::string> expand(std::string_view pattern) {
  if (!pattern.starts_with('$')) return std::string(pattern);
  const auto end = pattern.find('/');
  const auto name = pattern.substr(1, end == std::string_view::npos ? end : end - 1);
  std::string value;
  if (name == "HOME") {
    const char* h = std::getenv("HOME");
    if (h == nullptr || *h != '/') return error("opener.scope_invalid", "$HOME is not set");
    value = h;
  } else if (name == "TEMP") {
    const char* t = std::getenv("TMPDIR");
    value = (t != nullptr && *t == '/') ? t : "/tmp";
  } else {
    return error("opener.scope_invalid",
                 fmt::format("unknown variable `${}` (use $HOME or $TEMP)", name));
  }
  while (value.size() > 1 && value.back() == '/') value.pop_back();
  return value + std::string(end == std::string_view::npos ? "" : pattern.substr(end));
}

bool has_dot_segment(std::string_view s) {
  std::size_t i = 0;
  while (i <= s.size()) {
    auto slash = s.find('/', i);
    auto seg = s.substr(i, slash == std::string_view::npos ? std::string_view::npos : slash - i);
    if (seg == "." || seg == "..") return true;
    if (slash == std::string_view::npos) break;
    i = slash + 1;
  }
  return false;
}

// The glob with variables expanded and its literal leading folders canonicalised.
result<std::string> resolve_pattern(std::string_view pattern) {
  if (pattern.find('\0') != std::string_view::npos) {
    return error("opener.scope_invalid", "a path glob may not contain NUL");
  }
  auto expanded = expand(pattern);
  if (!expanded) return expanded;
  const std::string& p = expanded.value();
  if (!p.starts_with('/')) {
    return error("opener.scope_invalid",
                 fmt::format("path glob `{}` is not absolute (start it with /, $HOME or $TEMP)",
                             std::string(pattern)));
  }
  const auto wild = p.find_first_of("*?");
  std::error_code ec;
  if (wild == std::string::npos) {
    auto c = fs::weakly_canonical(fs::path(p), ec);
    if (ec) return error("opener.scope_invalid", fmt::format("path `{}`: {}", p, ec.message()));
    return c.string();
  }
  const auto slash = p.rfind('/', wild);
  const std::string rest = p.substr(slash);
  if (has_dot_segment(rest)) {
    return error("opener.scope_invalid",
                 fmt::format("path glob `{}`: `.` and `..` may not follow a wildcard",
                             std::string(pattern)));
  }
  const std::string prefix = slash == 0 ? "/" : p.substr(0, slash);
  auto c = fs::weakly_canonical(fs::path(prefix), ec);
  if (ec) return error("opener.scope_invalid", fmt::format("path `{}`: {}", prefix, ec.message()));
  std::string base = c.string();
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + rest;
}

std::string list_entries(const std::vector<opener_scope_entry>& entries, bool urls) {
  std::string out;
  for (const auto& e : entries) {
    const auto& v = urls ? e.url : e.path;
    if (!v) continue;
    out += fmt::format("{}`{}`", out.empty() ? "" : ", ", *v);
  }
  return out;
}

template <class Matches, class Check>
std::optional<error> check_scope(const scope<opener_scope_entry>& s, std::string_view what,
                                 std::string_view value, std::string_view command, bool urls,
                                 Matches&& matches, Check&& check) {
  const char* key = urls ? "url" : "path";
  auto invalid = [&](const char* kind, std::size_t i, const std::string& why) {
    return error("opener.scope_invalid",
                 fmt::format("the scope of `{}` has a malformed {} entry {}: {}", command, kind,
                             i, why));
  };
  for (std::size_t i = 0; i < s.denied().size(); ++i) {
    const auto& e = s.denied()[i];
    const auto& v = urls ? e.url : e.path;
    if (!e.url && !e.path) return invalid("deny", i, "it has neither `url` nor `path`");
    if (!v) continue;
    if (auto why = check(*v)) return invalid("deny", i, *why);
    if (matches(*v)) {
      return error("opener.denied",
                   fmt::format("{} `{}` is outside the scope of `{}`: it matches the deny entry "
                               "{{\"{}\": \"{}\"}}",
                               what, value, command, key, *v));
    }
  }
  bool any = false;
  for (std::size_t i = 0; i < s.allowed().size(); ++i) {
    const auto& e = s.allowed()[i];
    const auto& v = urls ? e.url : e.path;
    if (!e.url && !e.path) return invalid("allow", i, "it has neither `url` nor `path`");
    if (!v) continue;
    any = true;
    if (auto why = check(*v)) return invalid("allow", i, *why);
    if (matches(*v)) return std::nullopt;
  }
  if (!any) {
    return error("opener.denied",
                 fmt::format("{} `{}` is outside the scope of `{}`: its scope allows no {}; add "
                             "{{\"{}\": \"<pattern>\"}} to the `allow` of the permission that "
                             "grants it",
                             what, value, command, what, key));
  }
  return error("opener.denied",
               fmt::format("{} `{}` is outside the scope of `{}`: no allow entry matches it "
                           "(allowed: {})",
                           what, value, command, list_entries(s.allowed(), urls)));
}

}  // namespace

std::optional<std::string> check_url_pattern(std::string_view pattern) {
  url_split p;
  return check_split_pattern(pattern, p);
}

bool url_matches(std::string_view pattern, std::string_view url) {
  url_split p;
  url_split u;
  if (check_split_pattern(pattern, p) || !split(url, u)) return false;
  if (u.userinfo || p.scheme != u.scheme || p.hierarchical != u.hierarchical) return false;
  if (!p.hierarchical) return acl::glob_match(p.opaque, u.opaque);
  if (p.host == "*") {
    // any host
  } else if (p.host.starts_with("*.")) {
    if (!u.host.ends_with(std::string_view(p.host).substr(1)) || u.host.size() <= p.host.size() - 1) {
      return false;
    }
  } else if (p.host != u.host) {
    return false;
  }
  if (p.port != "*" && p.port != u.port) return false;
  return acl::glob_match(p.path, u.path);
}

std::optional<std::string> check_path_pattern(std::string_view pattern) {
  auto r = resolve_pattern(pattern);
  if (!r) return r.error_value().message();
  return std::nullopt;
}

bool path_matches(std::string_view pattern, std::string_view path) {
  auto r = resolve_pattern(pattern);
  return r.has_value() && acl::glob_match(r.value(), path);
}

result<std::string> canonical_path(std::string_view path) {
  if (path.empty()) return error("opener.invalid_path", "the path is empty");
  if (path.find('\0') != std::string_view::npos) {
    return error("opener.invalid_path", "the path contains NUL");
  }
  if (!json::is_valid_utf8(path)) return error("opener.invalid_path", "the path is not UTF-8");
  if (!path.starts_with('/')) {
    return error("opener.invalid_path",
                 fmt::format("path `{}` is not absolute", std::string(path)));
  }
  std::error_code ec;
  auto c = fs::canonical(fs::path(std::string(path)), ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) {
      return error("opener.not_found", fmt::format("nothing exists at `{}`", std::string(path)));
    }
    return error("opener.invalid_path",
                 fmt::format("path `{}`: {}", std::string(path), ec.message()));
  }
  return c.string();
}

std::optional<error> check_url_scope(const scope<opener_scope_entry>& s, std::string_view url,
                                     std::string_view command) {
  return check_scope(
      s, "URL", url, command, true, [&](const std::string& p) { return url_matches(p, url); },
      [](const std::string& p) { return check_url_pattern(p); });
}

std::optional<error> check_path_scope(const scope<opener_scope_entry>& s, std::string_view path,
                                      std::string_view command) {
  return check_scope(
      s, "path", path, command, false, [&](const std::string& p) { return path_matches(p, path); },
      [](const std::string& p) { return check_path_pattern(p); });
}

// ---------------------------------------------------------------------------------------------
// dialogs

result<std::string> name_filters(const std::vector<file_filter>& filters) {
  std::string out;
  for (std::size_t i = 0; i < filters.size(); ++i) {
    const auto& f = filters[i];
    auto bad = [&](const std::string& why) {
      return error("dialog.invalid_filter", fmt::format("filters[{}]: {}", i, why));
    };
    if (f.name.empty() || f.name.size() > 128) return bad("`name` must have 1 to 128 characters");
    if (f.name.find_first_of("();\n\r\t") != std::string::npos) {
      return bad(fmt::format("`name` `{}` may not contain ( ) ; or line breaks", f.name));
    }
    if (f.extensions.empty() || f.extensions.size() > 64) {
      return bad("`extensions` must list 1 to 64 extensions");
    }
    std::string patterns;
    for (std::size_t j = 0; j < f.extensions.size(); ++j) {
      const auto& e = f.extensions[j];
      const bool ok = e == "*" || (!e.empty() && e.size() <= 32 && e.front() != '.' &&
                                   std::all_of(e.begin(), e.end(), [](char c) {
                                     return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                            (c >= '0' && c <= '9') || c == '_' || c == '+' ||
                                            c == '-' || c == '.';
                                   }));
      if (!ok) {
        return error("dialog.invalid_filter",
                     fmt::format("filters[{}].extensions[{}]: `{}` is not an extension (1 to 32 "
                                 "characters from A-Z a-z 0-9 _ + - ., no leading dot, or *)",
                                 i, j, e));
      }
      patterns += fmt::format("{}{}", j == 0 ? "" : " ", e == "*" ? "*" : "*." + e);
    }
    out += fmt::format("{}{} ({})", i == 0 ? "" : ";;", f.name, patterns);
  }
  return out;
}

result<std::string> message_kind(const std::optional<std::string>& kind) {
  if (!kind) return std::string("info");
  if (*kind == "info" || *kind == "warning" || *kind == "error") return *kind;
  return error("dialog.invalid_kind",
               fmt::format("`kind` is `{}`; use \"info\", \"warning\" or \"error\"", *kind));
}

// ---------------------------------------------------------------------------------------------
// menus

namespace {

bool valid_menu_id(std::string_view id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '.' || c == ':' || c == '/';
  });
}

std::optional<error> check_items(const std::vector<menu_item>& items, const std::string& path,
                                 std::size_t depth, std::size_t& count,
                                 std::set<std::string, std::less<>>& ids) {
  if (depth > MAX_MENU_DEPTH) {
    return error("menu.invalid", fmt::format("{}: menus nest at most {} levels deep", path,
                                             MAX_MENU_DEPTH));
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& it = items[i];
    const std::string where = fmt::format("{}[{}]", path, i);
    auto bad = [&](std::string_view why) {
      return error("menu.invalid", fmt::format("{}: {}", where, why));
    };
    if (++count > MAX_MENU_ITEMS) {
      return error("menu.invalid", fmt::format("{}: a menu has at most {} entries", where,
                                               MAX_MENU_ITEMS));
    }
    if (it.separator.value_or(false)) {
      if (it.id || it.text || it.items || it.checkable || it.checked || it.shortcut) {
        return bad("a separator has no `id`, `text`, `items`, `checkable`, `checked` or "
                   "`shortcut`");
      }
      continue;
    }
    if (!it.text || it.text->empty() || it.text->size() > 256) {
      return bad("`text` must have 1 to 256 characters");
    }
    if (it.id) {
      if (!valid_menu_id(*it.id)) {
        return bad(fmt::format("`id` `{}` must have 1 to 128 characters from A-Z a-z 0-9 - _ . : /",
                               *it.id));
      }
      if (!ids.insert(*it.id).second) return bad(fmt::format("`id` `{}` is used twice", *it.id));
    }
    if (it.items) {
      if (it.checkable || it.checked || it.shortcut) {
        return bad("a submenu has no `checkable`, `checked` or `shortcut`");
      }
      if (auto e = check_items(*it.items, where + ".items", depth + 1, count, ids)) return e;
      continue;
    }
    if (!it.id) return bad("an action needs an `id`: it is what its click event reports");
    if (it.checked && !it.checkable.value_or(false)) return bad("`checked` needs `checkable: true`");
    if (it.shortcut && (it.shortcut->empty() || it.shortcut->size() > 64)) {
      return bad("`shortcut` must have 1 to 64 characters");
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<error> check_menu(const std::vector<menu_item>& items) {
  std::size_t count = 0;
  std::set<std::string, std::less<>> ids;
  return check_items(items, "items", 1, count, ids);
}

}  // namespace myapp::desktop
