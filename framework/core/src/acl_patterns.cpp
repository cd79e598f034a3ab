// ACL patterns: label globs, identifiers, and the URL patterns of `remote.urls`.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "acl_detail.hpp"

namespace myapp::acl {

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

namespace internal {

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

namespace {

// Splits scheme://host[:port][/path]; false when the text is not of that form. Unlike
// origin_of (myapp/url.hpp) it reads patterns, whose parts may hold globs, and it refuses
// credentials rather than dropping them.
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

}  // namespace

bool url_pattern::matches(std::string_view url) const {
  url_parts u;
  if (!split_url(url, u)) return false;
  if (!glob_match(parts.scheme, u.scheme)) return false;
  // `*` in a host never crosses a dot boundary it does not own: "*.example.com" matches
  // "a.example.com" and "a.b.example.com" but not "example.com.evil.net".
  if (!glob_match(parts.host, u.host)) return false;
  if (parts.port != "*" && parts.port != u.port) return false;
  return glob_match(parts.path, u.path);
}

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

bool insecure_remote(const url_pattern& p) {
  const auto& u = p.parts;
  if (u.scheme != "http" && u.scheme != "ws" && u.scheme != "*") return false;
  const std::string_view h = u.host;
  const bool loopback = h == "localhost" || h == "[::1]" || h == "::1" || h.starts_with("127.");
  return !loopback || h.find_first_of("*?") != std::string_view::npos;
}

}  // namespace internal


}  // namespace myapp::acl
