// The origin of a URL (myapp/url.hpp).
#include "myapp/url.hpp"

#include <algorithm>

namespace myapp {

namespace {

bool alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool hex(char c) noexcept { return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool valid_scheme(std::string_view s) noexcept {
  return !s.empty() && alpha(s.front()) && std::all_of(s.begin(), s.end(), [](char c) {
    return alpha(c) || digit(c) || c == '+' || c == '-' || c == '.';
  });
}

// A registered name: unreserved characters and any non-ASCII byte (an IDN as QUrl writes it).
bool valid_name(std::string_view h) noexcept {
  return std::all_of(h.begin(), h.end(), [](char c) {
    return alpha(c) || digit(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
           static_cast<unsigned char>(c) >= 0x80;
  });
}

// The inside of [...]: an IPv6 address (hex digits, colons, and a dotted IPv4 tail).
bool valid_ipv6(std::string_view h) noexcept {
  return !h.empty() &&
         std::all_of(h.begin(), h.end(), [](char c) { return hex(c) || c == ':' || c == '.'; });
}

}  // namespace

std::string origin_of(std::string_view url) {
  const auto colon = url.find(':');
  if (colon == std::string_view::npos || !valid_scheme(url.substr(0, colon))) return {};
  std::string out;
  for (char c : url.substr(0, colon)) out.push_back(lower(c));
  out += "://";
  auto rest = url.substr(colon + 1);
  if (!rest.starts_with("//")) return out;  // no authority: about:blank, data:, mailto:
  rest.remove_prefix(2);
  auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);  // user info is no part of an origin
  }
  std::string_view host = authority;
  std::string_view port;
  bool has_port = false;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos || !valid_ipv6(authority.substr(1, close - 1))) return {};
    host = authority.substr(0, close + 1);
    const auto after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return {};
    has_port = !after.empty();
    if (has_port) port = after.substr(1);
  } else {
    const auto c = authority.find(':');
    has_port = c != std::string_view::npos;
    host = authority.substr(0, c);
    if (has_port) port = authority.substr(c + 1);
    if (!valid_name(host)) return {};
  }
  for (char c : host) out.push_back(lower(c));
  if (!has_port || port.empty()) return out;
  if (!std::all_of(port.begin(), port.end(), digit)) return {};
  port.remove_prefix(std::min(port.find_first_not_of('0'), port.size() - 1));
  if (port.size() > 5 || (port.size() == 5 && port > "65535")) return {};
  out += ':';
  out += port;
  return out;
}

}  // namespace myapp
