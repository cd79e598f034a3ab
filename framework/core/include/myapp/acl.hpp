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
//   core:default                   the built-in set of safe permissions: core:event:default and
//                                  the `default` set of every core plugin (core:window:default)
//   core:event:default             core:event:allow-listen, core:event:allow-emit, core:event:allow-emit-to
//   <name> (from permissions/*.json) a permission or a set the app defines
//   <plugin>:allow-<cmd>, <plugin>:deny-<cmd>
//                                  for every command of a plugin (`_` written `-`); a core
//                                  plugin's prefix is core:<plugin>, e.g. core:window:allow-set-title
//   <plugin>:<name>                a permission or set the plugin defines (<plugin>:default)
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
/// `permissions[2].identifier`, and a line and column when the file's text is known), and what.
struct problem {
  std::string file;
  std::string path;
  std::string message;
  std::size_t line = 0;    ///< from 1; 0 when unknown
  std::size_t column = 0;  ///< from 1, in characters; 0 when unknown
};

/// Sets `p.line` and `p.column` to where its key path is in `text`, the file's content.
/// Loading places every problem it finds in the files it was given.
void place(problem& p, std::string_view text);

/// The pseudo-commands behind the event messages of the protocol: they are checked like
/// commands.
inline constexpr std::string_view EVENT_LISTEN = "core:event|listen";
inline constexpr std::string_view EVENT_EMIT = "core:event|emit";
inline constexpr std::string_view EVENT_EMIT_TO = "core:event|emit_to";

/// Window labels that begin with this are myapp's own (the IPC inspector's window,
/// `__myapp_inspector`): an app may not use them, no capability file applies to them, and they
/// get only the built-in capabilities of internal plugins.
inline constexpr std::string_view RESERVED_LABEL_PREFIX = "__myapp";

/// What a plugin brings to the ACL. Its commands are `plugin:<name>|<cmd>` on the wire; its
/// permission files use identifiers and command names without the prefix ("default",
/// "allow-set-title", "set_title"), and the app sees them as `<prefix>:<identifier>`.
struct plugin_permissions {
  std::string name;    ///< the plugin's name: "window", "counter"
  bool core = false;   ///< myapp's own: the prefix is core:<name>, its default is in core:default
  std::vector<std::string> commands;  ///< its command names, without the prefix ("set_title")
  std::vector<source> files;          ///< its permissions, in the format of permissions/*.json
  /// myapp's own tooling (the IPC inspector): its commands are granted to the window labelled
  /// `__myapp_<name>` alone, by a built-in capability `__myapp-<name>`; no capability file can
  /// name its permissions, and `files` is not read.
  bool internal = false;

  /// "core:window" or "counter".
  [[nodiscard]] std::string prefix() const { return core ? "core:" + name : name; }
};

/// The identifier part of a plugin command's permission: `set_title` → `set-title`.
[[nodiscard]] std::string permission_part(std::string_view command);

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

/// Which capability and permission decided whether a page may call a command.
struct decision {
  bool allowed = false;
  /// The capability that granted it (the first that did), or that denied it; empty when it is
  /// refused because no capability grants it.
  std::string_view capability;
  std::string_view file;        ///< that capability's file
  /// The permission, as the capability names it, that granted or denied it; when nothing
  /// granted it, the permission that would.
  std::string permission;
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
  /// Who decided about `command`; the views live as long as this object.
  [[nodiscard]] decision decide(std::string_view command) const;
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
  struct granted {
    scope_entries scope;
    // The first capability that granted it, and the permission it named.
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
  by_name<granted> allowed_;
  by_name<denied_by> denied_;
  // The permission that grants each plugin command (`plugin:window|set_title` →
  // `core:window:allow-set-title`), shared by every page: for denial messages.
  std::shared_ptr<const by_name<std::string>> plugin_permission_;
};

/// The resolved capabilities and permissions of an app.
class policy {
 public:
  struct loaded;
  /// Reads and checks every file. Unknown keys, unknown permission identifiers, unknown
  /// commands, malformed globs or URL patterns, duplicate identifiers and cycles in sets are
  /// problems, each naming its file and key path. `commands` are the registered commands.
  /// `plugins` are the app's plugins; their commands are in `commands` too, by wire name.
  static loaded load(const std::vector<source>& capabilities,
                     const std::vector<source>& permissions,
                     const std::vector<std::string>& commands,
                     const std::vector<plugin_permissions>& plugins = {});
  /// The same checks for tools that do not run the app (`myapp check`): without the list of
  /// registered commands, `allow-<cmd>`/`deny-<cmd>` and command names are taken as written,
  /// and so are identifiers in a plugin namespace not given in `plugins`.
  static loaded check(const std::vector<source>& capabilities,
                      const std::vector<source>& permissions,
                      const std::vector<plugin_permissions>& plugins = {});

  /// What the page in `ctx` may call.
  [[nodiscard]] std::shared_ptr<const grants> resolve(const context& ctx) const;

  [[nodiscard]] std::size_t capability_count() const noexcept;
  /// True when some capability's `remote.urls` matches `url`: the app lets pages go there.
  [[nodiscard]] bool names_remote_url(std::string_view url) const;
  /// The unencrypted remote URLs (http:// off loopback) capabilities accept with
  /// `remote.allowInsecure`, as "file: url", for the app to warn about at start.
  [[nodiscard]] std::vector<std::string> insecure_remote_urls() const;

  policy();
  ~policy();
  policy(policy&&) noexcept;
  policy& operator=(policy&&) noexcept;

 private:
  static loaded load_impl(const std::vector<source>& capabilities,
                          const std::vector<source>& permissions,
                          const std::vector<std::string>* commands,
                          const std::vector<plugin_permissions>& plugins);
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// One identifier a capability may name, as `myapp permission ls` shows it.
struct permission_info {
  std::string identifier;   ///< in full: "allow-greet", "core:window:default", "kv:read"
  std::string description;  ///< from its file; for a generated one, what it allows or denies
  std::string file;         ///< where it is defined: a file, "plugin <name>", or "(built in)"
  bool is_set = false;
  std::vector<std::string> allow;    ///< the commands a permission allows (wire names)
  std::vector<std::string> deny;     ///< the commands it denies
  std::vector<std::string> members;  ///< a set's identifiers, in full
};

struct policy::loaded {
  std::optional<policy> value;     ///< set when there were no problems
  std::vector<problem> problems;  ///< every problem found, in file order
  /// Every identifier the capabilities may name, in name order, also when there are problems:
  /// the generated `allow-`/`deny-` ones of the commands (when they are known), core's, the
  /// plugins' and the app's own.
  std::vector<permission_info> permissions;
  [[nodiscard]] bool ok() const noexcept { return value.has_value(); }
};

/// What an app registered, for tools that check capability files against it: its commands
/// (plugins' by wire name) and its plugins' permissions. `myapp check` asks the built app
/// for it (MYAPP_ACL_DESCRIBE=<file>) and then checks the files as the app does at start-up.
struct app_registry {
  std::vector<std::string> commands;
  std::vector<plugin_permissions> plugins;
};
/// `r` as JSON.
[[nodiscard]] std::string describe_registry(const app_registry& r);
/// Reads describe_registry's JSON; nullopt with `why` set when it is not that.
[[nodiscard]] std::optional<app_registry> read_registry(std::string_view json, std::string& why);

/// The capability files in force when myapp.conf.json's `app.security.capabilities` lists
/// `enabled`: every file when the list is empty; otherwise the files whose `identifier` it
/// names (and any file whose identifier cannot be read, so that loading reports it). A name
/// that no file has is a problem at `app.security.capabilities[i]`, with a suggestion, unless
/// a file cannot be read at all (its own problem says why, and it may be the one named).
[[nodiscard]] std::vector<source> select_capabilities(const std::vector<source>& capabilities,
                                                      const std::vector<std::string>& enabled,
                                                      std::vector<problem>& problems);

/// Glob matching for labels: `*` matches any run of characters, `?` one character.
[[nodiscard]] bool glob_match(std::string_view pattern, std::string_view text) noexcept;

}  // namespace myapp::acl
