// myapp — capabilities and permissions: which page may call what.
//
// An app ships capability files (capabilities/*.json) and may define permissions
// (permissions/*.json); both are compiled into the app and resolved once, at start-up, into
// tables, so the check on each call is a lookup. A page whose window matches no capability
// has no IPC at all. See docs/security.md for the files' format and the rules.
//
//     auto loaded = myapp::acl::policy::load(capability_files, permission_files, commands);
//     if (!loaded.ok()) for (auto& p : loaded.problems) print(p);   // file, key path, message
//
// Identifiers:
//   allow-<cmd>, deny-<cmd>        exist for every registered command
//   core:default                   the built-in set of safe permissions (events)
//   core:event:default             core:event:allow-listen, core:event:allow-emit, core:event:allow-emit-to
//   <name> (from permissions/*.json) a permission or a set the app defines
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace myapp::acl {

/// One file: its path (used in messages) and its text.
struct source {
  std::string path;
  std::string text;
};

/// Something wrong in a file: which file, where in it (a key path such as
/// `permissions[2].identifier`), and what.
struct problem {
  std::string file;
  std::string path;
  std::string message;
};

/// The pseudo-commands behind the event messages of the protocol: they are checked like
/// commands.
inline constexpr std::string_view EVENT_LISTEN = "core:event|listen";
inline constexpr std::string_view EVENT_EMIT = "core:event|emit";
inline constexpr std::string_view EVENT_EMIT_TO = "core:event|emit_to";

/// Where a call comes from.
struct context {
  std::string_view label;  ///< the window / webview label
  std::string_view url;    ///< the page URL
  /// True when the page is the app's own (its origin is the app origin, or the dev server's).
  bool local = false;
};

/// Scope entries that apply to one command for one page, as JSON texts: every allow entry
/// and every deny entry of the permissions that grant (or deny) the command there.
struct scope_entries {
  std::vector<std::string> allow;
  std::vector<std::string> deny;
};

/// What one page may call: resolved once per page load.
class grants {
 public:
  /// True when `command` may be called.
  [[nodiscard]] bool allows(std::string_view command) const;
  /// The scope of an allowed command (empty when none applies).
  [[nodiscard]] const scope_entries& scope(std::string_view command) const;
  /// Why `command` may not be called: a message naming the command, the window, the origin,
  /// and what would have to change. Empty when it is allowed.
  [[nodiscard]] std::string denial(std::string_view command) const;
  /// Identifiers of the capabilities that matched the page.
  [[nodiscard]] const std::vector<std::string>& capabilities() const noexcept { return caps_; }
  [[nodiscard]] std::size_t size() const noexcept { return allowed_.size(); }

 private:
  friend class policy;
  struct denied_by {
    std::string permission;
    std::string capability;
    std::string file;
  };
  struct name_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  template <class V>
  using by_name = std::unordered_map<std::string, V, name_hash, std::equal_to<>>;
  std::string label_;
  std::string origin_;
  std::vector<std::string> caps_;
  std::vector<std::string> cap_files_;
  by_name<scope_entries> allowed_;
  by_name<denied_by> denied_;
};

/// The resolved capabilities and permissions of an app.
class policy {
 public:
  struct loaded;
  /// Reads and checks every file. Unknown keys, unknown permission identifiers, unknown
  /// commands, malformed globs or URL patterns, duplicate identifiers and cycles in sets are
  /// problems, each naming its file and key path. `commands` are the registered commands.
  static loaded load(const std::vector<source>& capabilities,
                     const std::vector<source>& permissions,
                     const std::vector<std::string>& commands);
  /// The same checks for tools that do not run the app (`myapp check`): without the list of
  /// registered commands, `allow-<cmd>`/`deny-<cmd>` and command names are taken as written.
  static loaded check(const std::vector<source>& capabilities,
                      const std::vector<source>& permissions);

  /// What the page in `ctx` may call.
  [[nodiscard]] std::shared_ptr<const grants> resolve(const context& ctx) const;

  [[nodiscard]] std::size_t capability_count() const noexcept;
  /// True when some capability's `remote.urls` matches `url`: the app lets pages go there.
  [[nodiscard]] bool names_remote_url(std::string_view url) const;

  policy();
  ~policy();
  policy(policy&&) noexcept;
  policy& operator=(policy&&) noexcept;

 private:
  static loaded load_impl(const std::vector<source>& capabilities,
                          const std::vector<source>& permissions,
                          const std::vector<std::string>* commands);
  struct impl;
  std::unique_ptr<impl> impl_;
};

struct policy::loaded {
  std::optional<policy> value;     ///< set when there were no problems
  std::vector<problem> problems;  ///< every problem found, in file order
  [[nodiscard]] bool ok() const noexcept { return value.has_value(); }
};

/// Glob matching for labels: `*` matches any run of characters, `?` one character.
[[nodiscard]] bool glob_match(std::string_view pattern, std::string_view text) noexcept;

}  // namespace myapp::acl
