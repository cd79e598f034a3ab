// myapp — the project configuration, `myapp.conf.json` (Tauri's tauri.conf.json on myapp).
//
//     auto loaded = myapp::config::load_file("myapp.conf.json");
//     if (!loaded.ok()) {
//       for (const auto& p : loaded.problems) std::puts(myapp::config::format(p).c_str());
//       // myapp.conf.json:9:37: app.windows[1].widht: unknown key (did you mean "width"?)
//     }
//     const myapp::config::project& conf = *loaded.config;
//
// Reading checks everything at once: unknown keys, wrong types and invalid values are all
// reported, each with its line, column and key path, not just the first; a syntax error is one
// problem, and nothing after it is checked. Qt-free: the CLI
// and the runtime share it. The JSON schema for editors is schemas/myapp.conf.schema.json.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace myapp::config {

/// One thing wrong with a configuration file.
struct problem {
  std::string file;     ///< the file name as given to the reader, e.g. "myapp.conf.json"
  std::string path;     ///< the key path, e.g. "app.windows[1].width"; empty for the document
  std::string message;  ///< what is wrong, e.g. "expected integer, got string \"x\""
  std::size_t line = 0;    ///< where in the file, from 1; 0 when unknown
  std::size_t column = 0;  ///< from 1, in characters; 0 when unknown
  friend bool operator==(const problem&, const problem&) = default;
};

/// "file:line:column: path: message", as compilers write it so that editors jump there;
/// without "line:column: " when the place is unknown and without "path: " for the document.
[[nodiscard]] std::string format(const problem& p);

/// Sets `p.line` and `p.column` to where its key path is in `text`, the file's content (for a
/// problem found elsewhere, such as a name in `app.security.capabilities` that no capability
/// file has). A path that goes further than the text points at the deepest part that exists.
void place(problem& p, std::string_view text);

/// `app.windows[]`: one window, created when the app starts with no window declared in code.
struct window {
  std::string label = "main";
  std::optional<std::string> title;  ///< default: the product name
  std::string url = "index.html";    ///< a path inside the frontend or an absolute URL
  int width = 800;
  int height = 600;
  bool resizable = true;
  bool visible = true;
};

/// `build`: how the CLI builds and serves the frontend.
struct build_section {
  std::optional<std::string> dev_url;  ///< a dev server's URL (http or https)
  std::string frontend_dist = "frontend";
  std::optional<std::string> before_dev_command;
  std::optional<std::string> before_build_command;
  /// Where `myapp bindings` (and `myapp dev`, after each C++ rebuild) writes the TypeScript
  /// bindings, relative to the project.
  std::optional<std::string> bindings;
};

/// `app.security`.
struct security_section {
  std::optional<std::string> csp;
  std::vector<std::string> capabilities;
  /// The isolation hook: a script inside the frontend ("isolation.js") that runs in a world of
  /// its own and screens every message the pages send (docs/security.md).
  std::optional<std::string> isolation;
};

/// `app`.
struct app_section {
  std::vector<window> windows;
  /// The modules of @myapp/api as namespaces of the global (`__MYAPP__.core.invoke`, ...),
  /// as Tauri's `withGlobalTauri`; the flat `__MYAPP__.invoke`, ... are always there.
  bool with_global_myapp = true;
  /// The IPC inspector (docs/inspector.md) in a build that is not run by `myapp dev`; unset:
  /// off there, on under `myapp dev`.
  std::optional<bool> inspector;
  security_section security;
};

/// `bundle.deb`.
struct deb_section {
  std::vector<std::string> depends;
};

/// `bundle`: what `myapp bundle` produces.
struct bundle_section {
  std::vector<std::string> targets;  ///< a subset of bundle_formats()
  /// A path relative to the project: a square PNG or SVG, or a folder `myapp icon` wrote.
  std::optional<std::string> icon;
  std::optional<std::string> description;
  deb_section deb;
};

/// The whole file.
struct project {
  std::string product_name;
  std::string version = "0.1.0";
  std::string identifier;
  build_section build;
  app_section app;
  bundle_section bundle;
};

/// The outcome of reading a configuration: the configuration when there is no problem.
struct loaded {
  std::optional<project> config;
  std::vector<problem> problems;
  [[nodiscard]] bool ok() const noexcept { return config.has_value() && problems.empty(); }
};

/// Reads and checks configuration text; `file` names it in the problems.
[[nodiscard]] loaded parse(std::string_view text, std::string file = "myapp.conf.json");
/// Reads and checks a configuration file; a file that cannot be read is one problem.
[[nodiscard]] loaded load_file(const std::filesystem::path& path);

/// The keys the reader knows, as key paths with `[]` for array elements, in schema order
/// ("productName", ..., "app.windows[].label", ...): the schema file is checked against it.
[[nodiscard]] const std::vector<std::string>& known_keys();

/// True for a reverse-DNS identifier: two or more dot-separated segments of ASCII letters,
/// digits and '-', each starting with a letter and not ending with '-' ("com.example.hello").
[[nodiscard]] bool valid_identifier(std::string_view id) noexcept;
/// True for a semantic version: MAJOR.MINOR.PATCH with an optional -prerelease and +build.
[[nodiscard]] bool valid_semver(std::string_view v) noexcept;
/// True for a window label the runtime accepts: 1 to 64 characters from [A-Za-z0-9-_/:], not
/// beginning with `__myapp` (myapp's own windows, such as the IPC inspector's).
[[nodiscard]] bool valid_window_label(std::string_view label) noexcept;
/// True for the path of a script inside the frontend: relative, without `.` or `..` segments, a
/// backslash or a control character, ending in `.js` ("isolation.js", "security/hook.js").
[[nodiscard]] bool valid_frontend_script(std::string_view path) noexcept;
/// The bundle formats: "deb", "rpm", "tar", "portable", "appimage".
[[nodiscard]] const std::vector<std::string>& bundle_formats();

/// `policy`, a Content-Security-Policy, with `source` added to where pages may connect: to its
/// `connect-src` (a `'none'` there is dropped), or, when it has none but restricts connections
/// with `default-src`, as a new `connect-src` of default-src's sources and `source`. A policy
/// that restricts neither (or an empty one, no policy) is returned unchanged. The runtime adds
/// its bulk lane (`ws://127.0.0.1:<port>`) this way to the app's own policy.
[[nodiscard]] std::string csp_allow_connect(std::string_view policy, std::string_view source);

/// `policy` with `hash` (a CSP hash source, `'sha256-...'`) allowed as an inline script: added to
/// `script-src` (and `script-src-elem` when the policy has one), or, when the policy has no
/// `script-src` but restricts with `default-src`, to a new `script-src` of default-src's sources
/// and `hash`. Unchanged when scripts are not restricted, are `'none'`, or may already run
/// inline (`'unsafe-inline'` without a hash, which a hash would turn off). The app scheme allows
/// each import map of a page this way (docs/security.md).
[[nodiscard]] std::string csp_allow_script_hash(std::string_view policy, std::string_view hash);

/// The closest of `candidates` to `word` when it is close enough to be a likely typo: at most
/// 3 edits and about a third of the longer word; the first of equally close ones.
///
///     config::closest("widht", {"width", "height"});   // "width"
[[nodiscard]] std::optional<std::string> closest(std::string_view word,
                                                 const std::vector<std::string>& candidates);

}  // namespace myapp::config
