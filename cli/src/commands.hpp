// The commands of the CLI. Each returns normally on success and throws cli_error otherwise.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "exit.hpp"

namespace CLI {
class App;
}

namespace myapp::cli {

struct new_options {
  std::string name;           ///< empty: ask (on a terminal)
  std::string template_name;  ///< empty: ask (on a terminal) or "vanilla"
  std::string identifier;     ///< empty: ask (on a terminal) or com.example.<name>
  std::string dir;            ///< empty: ./<name>
  bool force = false;
  bool yes = false;
  bool no_install = false;
  std::vector<std::string> prefix_paths;
};
void cmd_new(const new_options& o);

struct build_options {
  bool debug = false;
  std::vector<std::string> prefix_paths;
};
void cmd_build(const build_options& o);

struct bundle_options {
  std::vector<std::string> formats;  ///< empty: bundle.targets, or deb and tar
  std::vector<std::string> prefix_paths;
};
/// Builds the app in Release from the sources on disk (build/release), checks it as `check`
/// does, and packages it.
void cmd_bundle(const bundle_options& o);

struct icon_options {
  std::string source;  ///< a PNG or SVG, square
  std::string out;     ///< empty: icons/ in the project (or the current folder)
};
/// Writes <out>/<S>x<S>.png for the hicolor sizes (and <out>/icon.svg for an SVG source).
void cmd_icon(const icon_options& o);

struct info_options {
  std::vector<std::string> prefix_paths;
};
void cmd_info(const info_options& o);

/// Returns problems when myapp.conf.json has any.
outcome cmd_check();

struct dev_options {
  std::vector<std::string> prefix_paths;
  bool inspect = false;  ///< open the IPC inspector's window with the app (MYAPP_INSPECT=1)
};
outcome cmd_dev(const dev_options& o);

struct test_options {
  std::vector<std::string> files;  ///< empty: tests/*.test.{mjs,js,cjs}
  std::string app;                 ///< test this binary instead of building the project's
  std::string name_pattern;        ///< only the tests whose name matches (node's --test-name-pattern)
  bool debug = false;
  bool no_build = false;
  int timeout_s = 60;              ///< for the app to serve the DevTools Protocol and say hello
  std::vector<std::string> prefix_paths;
};
/// Builds the app, starts it headless with the DevTools Protocol on loopback, runs the
/// project's browser-level tests against it, and stops it. Returns ok when they pass.
outcome cmd_test(const test_options& o);

struct bindings_options {
  std::string out;   ///< empty: build.bindings, or src/bindings.ts
  std::string from;  ///< a description file to read instead of building and running the app
  bool check = false;  ///< compare instead of writing; problems when they differ
  bool include_plugins = false;  ///< also the plugin:<name>|<cmd> commands
  std::vector<std::string> prefix_paths;
};
outcome cmd_bindings(const bindings_options& o);

struct permission_options {
  std::string identifier;  ///< the permission (`rm`: may end in `*`, e.g. `core:dialog:*`)
  std::string capability;  ///< an identifier or a file; empty: the default capability (`rm`: all)
  std::string filter;      ///< `ls`: only identifiers containing this
  std::string plugin;      ///< `ls`: only this plugin's (`app` for the app's own)
};
/// `myapp permission ls`: the permissions the app may grant, with their descriptions.
outcome cmd_permission_ls(const permission_options& o);
/// `myapp permission add <perm>`: grants it in a capability.
outcome cmd_permission_add(const permission_options& o);
/// `myapp permission rm <perm>`: takes it out of the capabilities.
outcome cmd_permission_rm(const permission_options& o);

struct capability_options {
  std::string identifier;
  std::string description;
  std::vector<std::string> windows;      ///< empty: main
  std::vector<std::string> permissions;  ///< empty: core:default
};
/// `myapp capability new <id>`: writes capabilities/<id>.json.
outcome cmd_capability_new(const capability_options& o);
/// `myapp capability ls`: every capability with its windows and permissions.
outcome cmd_capability_ls();

struct plugin_options {
  std::string name;
  std::string capability;  ///< add: where its permissions go (empty: the default capability)
};
/// `myapp add <plugin>`: registers it in C++, grants its permissions, exports its page API.
outcome cmd_add(const plugin_options& o);
/// `myapp remove <plugin>`: undoes `add`.
outcome cmd_remove(const plugin_options& o);
/// The names of myapp's own plugins, which `add` knows without looking at the project.
std::vector<std::string> plugin_names();

/// Prints the completion script of `shell` for the command tree of `app`.
void cmd_completions(const CLI::App& app, const std::string& shell);

/// The template names `myapp new` knows, the default (vanilla) first.
std::vector<std::string> template_names();

/// What the frontend of template `name` is, in a few words ("" for a template without one):
/// `myapp new`'s prompt and --help list them.
std::string_view template_summary(std::string_view name);

/// "vanilla (plain HTML, ...), react-ts (...), ...": every template with its summary.
std::string template_list();

}  // namespace myapp::cli
