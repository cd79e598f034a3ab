// The ACL's internal types, shared by acl_patterns.cpp, acl_files.cpp and acl_policy.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "myapp/acl.hpp"

namespace myapp::acl::internal {

// Patterns (acl_patterns.cpp).

/// A window or webview label glob: letters, digits, -_/: and the wildcards * and ?.
bool valid_label_glob(std::string_view g);
/// A permission or capability identifier: lower-case letters, digits, -, _ and :.
bool valid_identifier(std::string_view id);

struct url_parts {
  std::string scheme, host, port, path;
};

/// A `remote.urls` entry.
struct url_pattern {
  std::string text;
  url_parts parts;  // each part a glob; an empty port matches the scheme's default only

  bool matches(std::string_view url) const;
};

/// Reads `text` into `out`; why it is not a URL pattern a capability may name, or nullopt.
std::optional<std::string> parse_url_pattern(std::string_view text, url_pattern& out);

/// True when pages from `p` travel unencrypted over a network: http:// (or ws://) to a host other
/// than loopback (localhost, 127.0.0.0/8, ::1).
bool insecure_remote(const url_pattern& p);

// Definitions read from the files (acl_files.cpp).

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
  /// `remote.allowInsecure`: plain http:// URLs other than loopback are accepted (and warned).
  bool allow_insecure = false;
  std::vector<permission_ref> permissions;
  bool on_this_platform = true;
};

struct permission_def {
  std::string identifier, description, file, where;
  std::vector<std::string> allow_commands, deny_commands;
  std::vector<std::string> scope_allow, scope_deny;
};

struct set_def {
  std::string identifier, description, file, where;
  std::vector<std::string> permissions;
};

/// Reads a capability file into `out`; problems go to `problems`.
void read_capability(const source& s, std::vector<problem>& problems,
                     std::vector<capability_def>& out);
/// Reads a permission file (permissions and sets); problems go to `problems`.
void read_permission_file(const source& s, std::vector<problem>& problems,
                          std::vector<permission_def>& perms, std::vector<set_def>& sets);

}  // namespace myapp::acl::internal
