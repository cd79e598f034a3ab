// The rules myapp.conf.json's values follow, public for the CLI and the runtime: identifiers,
// versions, window labels, bundle formats, "did you mean", and adding a source to a CSP.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "myapp/config.hpp"
#include "text.hpp"

namespace myapp::config {

namespace {

bool segment_ok(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!((s.front() >= 'a' && s.front() <= 'z') || (s.front() >= 'A' && s.front() <= 'Z'))) {
    return false;
  }
  if (s.back() == '-') return false;
  return std::all_of(s.begin(), s.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '-';
  });
}

bool numeric_id(std::string_view s) {
  if (s.empty()) return false;
  if (!std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return false;
  }
  return s.size() == 1 || s.front() != '0';
}

bool dotted_idents(std::string_view s, bool numeric_no_leading_zero) {
  if (s.empty()) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = s.find('.', start);
    const std::string_view part = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (part.empty()) return false;
    const bool all_digits = std::all_of(part.begin(), part.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (all_digits && numeric_no_leading_zero && !numeric_id(part)) return false;
    if (!std::all_of(part.begin(), part.end(), [](char ch) {
          return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '-';
        })) {
      return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

}  // namespace

bool valid_identifier(std::string_view id) noexcept {
  if (id.empty() || id.size() > 255) return false;
  std::size_t segments = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = id.find('.', start);
    const auto seg = id.substr(start, dot == std::string_view::npos ? id.npos : dot - start);
    if (!segment_ok(seg)) return false;
    ++segments;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return segments >= 2;
}

bool valid_semver(std::string_view v) noexcept {
  std::string_view core = v;
  std::string_view pre, build;
  if (auto plus = core.find('+'); plus != std::string_view::npos) {
    build = core.substr(plus + 1);
    core = core.substr(0, plus);
    if (!dotted_idents(build, false)) return false;
  }
  if (auto dash = core.find('-'); dash != std::string_view::npos) {
    pre = core.substr(dash + 1);
    core = core.substr(0, dash);
    if (!dotted_idents(pre, true)) return false;
  }
  int parts = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = core.find('.', start);
    const auto part = core.substr(start, dot == std::string_view::npos ? core.npos : dot - start);
    if (!numeric_id(part)) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts == 3;
}

bool valid_window_label(std::string_view label) noexcept {
  if (label.empty() || label.size() > 64) return false;
  if (label.starts_with("__myapp")) return false;  // myapp's own windows (the inspector's)
  return std::all_of(label.begin(), label.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '_' || ch == '/' || ch == ':';
  });
}

bool valid_frontend_script(std::string_view path) noexcept {
  if (path.size() <= 3 || !path.ends_with(".js") || path.front() == '/' ||
      std::any_of(path.begin(), path.end(),
                  [](char c) { return c == '\\' || static_cast<unsigned char>(c) < 0x20; })) {
    return false;
  }
  std::size_t start = 0;
  for (;;) {
    const auto slash = path.find('/', start);
    const auto segment = path.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

const std::vector<std::string>& bundle_formats() {
  static const std::vector<std::string> formats = {"deb", "rpm", "tar", "portable", "appimage"};
  return formats;
}

std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates) {
  // A typo: about a third of the longer word changed at most, and at most 3 edits.
  auto near = detail::closest(word, candidates, [&](std::string_view c, std::size_t dist) {
    return dist <= std::min<std::size_t>(3, (std::max(word.size(), c.size()) + 2) / 3);
  });
  return near ? std::optional<std::string>(*near) : std::nullopt;
}

namespace {

std::string_view trim_ascii(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// A Content-Security-Policy as its directives, each a name and its values, in order.
struct csp_directive {
  std::string name;
  std::vector<std::string> values;
};
using csp_policy = std::vector<csp_directive>;

csp_policy parse_csp(std::string_view policy) {
  csp_policy ds;
  std::string_view rest = policy;
  while (!rest.empty()) {
    const auto semi = rest.find(';');
    const std::string_view part = trim_ascii(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    if (part.empty()) continue;
    csp_directive d;
    std::string_view words = part;
    while (!words.empty()) {
      const auto sp = words.find_first_of(" \t\n\r\f");
      const std::string_view w = words.substr(0, sp);
      if (!w.empty()) {
        if (d.name.empty()) d.name = std::string(w);
        else d.values.emplace_back(w);
      }
      words = sp == std::string_view::npos ? std::string_view{} : words.substr(sp + 1);
    }
    ds.push_back(std::move(d));
  }
  return ds;
}

std::string write_csp(const csp_policy& ds) {
  std::string out;
  for (const auto& d : ds) {
    if (!out.empty()) out += "; ";
    out += d.name;
    for (const auto& w : d.values) out += " " + w;
  }
  return out;
}

csp_policy::iterator find_directive(csp_policy& ds, std::string_view name) {
  return std::find_if(ds.begin(), ds.end(), [&](const csp_directive& d) { return iequals(d.name, name); });
}

// The directive `name`, made from default-src's values when the policy has none but restricts
// with default-src; end() when it restricts neither.
csp_policy::iterator directive_or_default(csp_policy& ds, std::string_view name) {
  auto it = find_directive(ds, name);
  if (it != ds.end()) return it;
  const auto def = find_directive(ds, "default-src");
  if (def == ds.end()) return ds.end();
  ds.push_back({std::string(name), def->values});
  return std::prev(ds.end());
}

bool has_value(const std::vector<std::string>& values, std::string_view v) {
  return std::any_of(values.begin(), values.end(), [&](const std::string& w) { return iequals(w, v); });
}

}  // namespace

std::string csp_allow_connect(std::string_view policy, std::string_view source) {
  auto ds = parse_csp(policy);
  const auto connect = directive_or_default(ds, "connect-src");
  if (connect == ds.end()) return std::string(policy);
  auto& v = connect->values;
  std::erase_if(v, [](const std::string& w) { return iequals(w, "'none'"); });
  if (std::find(v.begin(), v.end(), source) == v.end()) v.emplace_back(source);
  return write_csp(ds);
}

std::string csp_allow_script_hash(std::string_view policy, std::string_view hash) {
  auto ds = parse_csp(policy);
  bool changed = false;
  for (const std::string_view name : {"script-src", "script-src-elem"}) {
    if (name == "script-src-elem" && find_directive(ds, name) == ds.end()) continue;
    const auto it = directive_or_default(ds, name);
    if (it == ds.end()) return std::string(policy);  // scripts are not restricted
    auto& v = it->values;
    const bool hashed = std::any_of(v.begin(), v.end(), [](const std::string& w) {
      return w.starts_with("'sha") || w.starts_with("'nonce-");
    });
    // 'none' means no script at all; with 'unsafe-inline' and no hash yet, inline scripts run
    // already, and a hash would turn 'unsafe-inline' off.
    if (has_value(v, "'none'") || (has_value(v, "'unsafe-inline'") && !hashed)) continue;
    if (std::find(v.begin(), v.end(), hash) == v.end()) v.emplace_back(hash);
    changed = true;
  }
  return changed ? write_csp(ds) : std::string(policy);
}

}  // namespace myapp::config
