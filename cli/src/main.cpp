// myapp — the command-line tool: scaffold, build, bundle and develop myapp apps.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <initializer_list>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "exit.hpp"
#include "myapp/config.hpp"
#include "util.hpp"

using namespace myapp::cli;

namespace {

void add_prefix_option(CLI::App* sub, std::vector<std::string>& into) {
  sub->add_option("--prefix-path", into,
                  "Where myapp is installed, if not in a standard place (like CMAKE_PREFIX_PATH; "
                  "the CMAKE_PREFIX_PATH environment variable is honoured too)")
      ->type_name("DIR");
}

// A subcommand whose help ends with "Example:", each of `examples` on a line of its own, and
// `more` when given.
CLI::App* add_command(CLI::App& app, const char* name, const char* description,
                      std::initializer_list<std::string_view> examples, std::string_view more = {}) {
  std::string footer = "Example:";
  for (const auto& e : examples) footer += fmt::format("\n  {}", e);
  if (!more.empty()) footer += fmt::format("\n{}", more);
  auto* sub = app.add_subcommand(name, description);
  sub->footer(footer);
  return sub;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"myapp: create, build, bundle and develop desktop apps with a web UI and C++ logic.",
               "myapp"};
  app.set_version_flag("--version", std::string("myapp ") + MYAPP_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  myapp new hello --yes && cd hello && myapp build\n"
      "  myapp dev\n"
      "Run `myapp <command> --help` for the options of a command.");

  new_options nopt;
  auto* sub_new = add_command(
      app, "new", "Create a new app from a template",
      {"myapp new hello --yes                   # ./hello, vanilla HTML/CSS/JS",
       "myapp new notes --template vite-ts      # Vite + TypeScript frontend",
       "myapp new shop --template react-ts      # React (or vue-ts, svelte-ts) + TypeScript"},
      "Asks for what is not given when run on a terminal; --yes takes the defaults.");
  sub_new->add_option("name", nopt.name,
                      "The app's name: lowercase letters, digits and dashes, starting with a "
                      "letter (also its binary's name and CMake target; asked for on a "
                      "terminal when not given)");
  sub_new->add_option("--template,-t", nopt.template_name,
                      "The frontend, one of: " + template_list() + "; vanilla by default")
      ->type_name("NAME");
  sub_new->add_option("--identifier", nopt.identifier,
                      "Reverse-DNS identifier (default: com.example.<name>)")
      ->type_name("ID");
  sub_new->add_option("--dir", nopt.dir, "Where to create it (default: ./<name>)")
      ->type_name("PATH");
  sub_new->add_flag("--force", nopt.force, "Write into a folder that is not empty");
  sub_new->add_flag("--yes,-y", nopt.yes, "Take the defaults, ask nothing");
  sub_new->add_flag("--no-install", nopt.no_install,
                    "Do not run `npm install` (templates with a package.json)");
  add_prefix_option(sub_new, nopt.prefix_paths);

  build_options bopt;
  auto* sub_build = add_command(
      app, "build", "Build the app (Release) in build/release", {"myapp build && ./build/hello"},
      "Checks the project as `myapp check` does, runs build.beforeBuildCommand, configures with\n"
      "CMake (Ninja when installed) in build/release (build/debug with --debug) and builds;\n"
      "then checks the capabilities against the built app, links build/<app> to it, and prints\n"
      "where it is and its size.");
  sub_build->add_flag("--debug", bopt.debug, "Build in Debug instead of Release");
  add_prefix_option(sub_build, bopt.prefix_paths);

  bundle_options uopt;
  auto* sub_bundle = add_command(
      app, "bundle", "Build the app in Release and package it (.deb, .tar.gz, .rpm, portable)",
      {"myapp bundle --format deb,tar",
       "myapp bundle --format portable      # runs where Qt is not installed"},
      "Builds the sources on disk in Release in build/release, checks them as `myapp check`\n"
      "does, and writes build/bundle/<format>/... A format whose tool is missing (rpm:\n"
      "rpmbuild; portable: patchelf; appimage: appimagetool) fails with exit 5 and what to\n"
      "install.");
  sub_bundle->add_option("--format", uopt.formats,
                         "deb, tar, rpm, portable, appimage (default: bundle.targets, or deb,tar)")
      ->delimiter(',')
      ->type_name("LIST");
  add_prefix_option(sub_bundle, uopt.prefix_paths);

  icon_options copt;
  auto* sub_icon = add_command(
      app, "icon", "Write the app's icon in the sizes desktops use (16x16 ... 512x512)",
      {"myapp icon logo.svg                 # icons/16x16.png ... icons/512x512.png, icons/icon.svg"},
      "The source is a square PNG (256x256 or larger) or SVG. Set \"bundle\": {\"icon\": \"icons\"}\n"
      "in myapp.conf.json to package them: bundle installs each in its hicolor folder.");
  sub_icon->add_option("source", copt.source, "A square PNG or SVG")->required()->type_name("FILE");
  sub_icon->add_option("--out,-o", copt.out, "The folder to write (default: icons/ in the project)")
      ->type_name("DIR");

  info_options iopt;
  auto* sub_info = add_command(app, "info", "Show versions of the toolchain and the project",
                               {"myapp info"});
  add_prefix_option(sub_info, iopt.prefix_paths);

  auto* sub_check = add_command(
      app, "check", "Check myapp.conf.json, the capabilities and the icon", {"myapp check"},
      "Prints each problem as file:line:column: path: message and exits 1 when there is any.\n"
      "With the app built, capabilities are checked against its commands.");

  dev_options dopt;
  auto* sub_dev = add_command(
      app, "dev", "Run the app in development mode, rebuilding on change", {"myapp dev"},
      "Starts build.beforeDevCommand and waits for build.devUrl (its port must be free), or\n"
      "serves build.frontendDist from disk (pages reload when a file changes); builds in\n"
      "build/dev and runs the app; rebuilds and restarts it when a C++ or CMake file changes.\n"
      "An app that fails to start is started again after the next change. Ctrl-C stops\n"
      "everything it started.");
  add_prefix_option(sub_dev, dopt.prefix_paths);
  sub_dev->add_flag("--inspect", dopt.inspect,
                    "Open the IPC inspector with the app: every message between its pages and C++, "
                    "live (docs/inspector.md)");

  test_options topt;
  auto* sub_test = add_command(
      app, "test", "Run the app's browser-level tests (playwright-core over the DevTools Protocol)",
      {"myapp test                      # build, start headless, run tests/*.test.mjs",
       "myapp test tests/app.test.mjs --grep greet"},
      "Builds the app, starts it headless with the DevTools Protocol on a free 127.0.0.1 port,\n"
      "waits for its page, runs the tests with `node --test` (MYAPP_CDP_URL tells them where to\n"
      "connect playwright-core), then stops the app and everything it started. Exits 0 when\n"
      "the tests pass, 10 when one fails.");
  sub_test->add_option("files", topt.files, "Test files (default: tests/*.test.mjs, .js, .cjs)")
      ->type_name("FILE");
  sub_test->add_option("--app", topt.app, "Test this built binary instead of building the project")
      ->type_name("PATH");
  sub_test->add_option("--grep,-g", topt.name_pattern,
                       "Only the tests whose name matches this regular expression")
      ->type_name("PATTERN");
  sub_test->add_flag("--debug", topt.debug, "Build in Debug instead of Release");
  sub_test->add_flag("--no-build", topt.no_build, "Test build/<app> as it is, without building");
  sub_test->add_option("--timeout", topt.timeout_s,
                       "Seconds the app has to serve the DevTools Protocol and load its page "
                       "(default 60)")
      ->check(CLI::Range(1, 3600))
      ->type_name("SECONDS");
  add_prefix_option(sub_test, topt.prefix_paths);

  bindings_options gopt;
  auto* sub_bindings = add_command(
      app, "bindings", "Write TypeScript bindings for the app's commands and events",
      {"myapp bindings                          # build.bindings, or src/bindings.ts",
       "myapp bindings --out web/api.ts --check # in CI: fail when it is out of date"},
      "Builds the app, runs it with MYAPP_DESCRIBE (no window opens) and writes a module of\n"
      "typed wrappers: commands.greet({ name }) returns Promise<string>. Rewrites the file only\n"
      "when its content changes. `myapp dev` regenerates it after each C++ rebuild when\n"
      "build.bindings is set. See docs/bindings.md.");
  sub_bindings->add_option("--out,-o", gopt.out,
                           "The file to write (default: build.bindings, or src/bindings.ts)")
      ->type_name("FILE");
  sub_bindings->add_option("--from", gopt.from,
                           "Read a description the app wrote (MYAPP_DESCRIBE=FILE ./build/app) "
                           "instead of building and running it")
      ->type_name("FILE");
  sub_bindings->add_flag("--check", gopt.check,
                         "Write nothing; exit 1 when the file differs from what would be written");
  sub_bindings->add_flag("--include-plugins", gopt.include_plugins,
                         "Also wrap the plugins' commands (plugin:<name>|<cmd>), which their own "
                         "JS modules usually wrap");
  add_prefix_option(sub_bindings, gopt.prefix_paths);

  plugin_options popt;
  auto* sub_add = add_command(
      app, "add", "Wire a plugin into the app: its C++ registration, permissions and page API",
      {"myapp add dialog                    # myapp's dialogs: main.cpp, capabilities/default.json",
       "myapp add kv                        # the project's kv_plugin.hpp and kv_plugin.cpp"},
      "Makes each edit only when it is missing, keeping the files' formatting: registers the\n"
      "plugin before `app.run()` with its #include, adds a project plugin's .cpp to\n"
      "myapp_add_app(... SOURCES ...), grants its permissions in a capability, and exports its\n"
      "page API from src/plugins.ts in projects bundled with @myapp/api. `myapp remove` undoes it.");
  sub_add->add_option("plugin", popt.name,
                      "dialog, clipboard, opener, tray, menu, or a plugin of the project "
                      "(<name>_plugin.hpp)")
      ->required()
      ->type_name("PLUGIN");
  sub_add->add_option("--capability,-c", popt.capability,
                      "The capability to grant its permissions in, by identifier or file "
                      "(default: the one in force, or `default`)")
      ->type_name("ID|FILE");
  auto* sub_remove = add_command(
      app, "remove", "Take a plugin out of the app: what `myapp add` did, and its permissions",
      {"myapp remove dialog"},
      "Takes out the registration (and its #include when nothing else needs it), a project\n"
      "plugin's source, every permission of the plugin from every capability, and its export.");
  sub_remove->add_option("plugin", popt.name, "The plugin")->required()->type_name("PLUGIN");

  permission_options mopt;
  auto* sub_perm = add_command(
      app, "permission", "List the permissions the app may grant; grant or revoke one",
      {"myapp permission ls                  # with descriptions (build the app first)",
       "myapp permission ls dialog           # one plugin's (`app` for the app's own)",
       "myapp permission add allow-save --capability editor",
       "myapp permission rm 'core:dialog:*'  # every dialog permission, from every capability"},
      "`ls` asks the built app for its commands and plugins, as `myapp check` does. `add` and\n"
      "`rm` edit the capability files in place and check them as `myapp check` does first.");
  sub_perm->require_subcommand(1);
  auto* perm_ls = sub_perm->add_subcommand("ls", "List the permissions with their descriptions");
  perm_ls->add_option("plugin", mopt.plugin, "Only this plugin's (`app`: the app's own)")
      ->type_name("PLUGIN");
  perm_ls->add_option("--filter,-f", mopt.filter, "Only identifiers containing this")
      ->type_name("TEXT");
  auto* perm_add = sub_perm->add_subcommand("add", "Grant a permission in a capability");
  perm_add->add_option("permission", mopt.identifier, "The permission's identifier")
      ->required()
      ->type_name("PERMISSION");
  perm_add->add_option("--capability,-c", mopt.capability,
                       "The capability, by identifier or file (default: the one in force, or "
                       "`default`)")
      ->type_name("ID|FILE");
  auto* perm_rm = sub_perm->add_subcommand("rm", "Take a permission out of the capabilities");
  perm_rm->add_option("permission", mopt.identifier,
                      "The permission's identifier; a `*` matches any text (core:dialog:*)")
      ->required()
      ->type_name("PERMISSION");
  perm_rm->add_option("--capability,-c", mopt.capability,
                      "Only from this capability (default: from every one)")
      ->type_name("ID|FILE");

  capability_options kopt;
  auto* sub_cap = add_command(
      app, "capability", "Create a capability for windows, or list the capabilities",
      {"myapp capability new editor --windows editor --permissions core:default,allow-save",
       "myapp capability ls"},
      "`new` writes capabilities/<id>.json and, when myapp.conf.json lists the capabilities in\n"
      "force (app.security.capabilities), adds it there too.");
  sub_cap->require_subcommand(1);
  auto* cap_new = sub_cap->add_subcommand("new", "Write capabilities/<id>.json");
  cap_new->add_option("identifier", kopt.identifier, "The capability's identifier")
      ->required()
      ->type_name("ID");
  cap_new->add_option("--windows,-w", kopt.windows, "The window labels (globs) it applies to (default: main)")
      ->delimiter(',')
      ->type_name("LIST");
  cap_new->add_option("--permissions,-p", kopt.permissions, "What it grants (default: core:default)")
      ->delimiter(',')
      ->type_name("LIST");
  cap_new->add_option("--description,-d", kopt.description, "What it is for")->type_name("TEXT");
  auto* cap_ls = sub_cap->add_subcommand("ls", "List the capabilities with their windows and permissions");

  std::string shell;
  auto* sub_comp = add_command(app, "completions", "Print a shell completion script",
                               {"myapp completions bash > /etc/bash_completion.d/myapp",
                                "myapp completions fish > ~/.config/fish/completions/myapp.fish"});
  sub_comp->add_option("shell", shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));

  // A first word that is no command: say so, with the closest one, rather than CLI11's "A
  // subcommand is required".
  if (argc >= 2 && argv[1][0] != '-') {
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      names.push_back(sub->get_name());
    }
    const std::string word = argv[1];
    if (word == "help") {  // `myapp help`: what --help prints
      std::fputs(app.help().c_str(), stdout);
      return exit_code(outcome::ok);
    }
    if (std::find(names.begin(), names.end(), word) == names.end()) {
      const auto near = myapp::config::closest(word, names);
      std::fprintf(stderr, "%s unknown command `%s`%s; the commands are: %s\n",
                   paint("31", "myapp: error:").c_str(), word.c_str(),
                   near ? fmt::format(" (did you mean `{}`?)", *near).c_str() : "",
                   fmt::format("{}", fmt::join(names, ", ")).c_str());
      return exit_code(outcome::usage);
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? exit_code(outcome::ok) : exit_code(outcome::usage);
  }

  try {
    outcome result = outcome::ok;
    if (*sub_new) {
      cmd_new(nopt);
    } else if (*sub_build) {
      cmd_build(bopt);
    } else if (*sub_bundle) {
      cmd_bundle(uopt);
    } else if (*sub_icon) {
      cmd_icon(copt);
    } else if (*sub_info) {
      cmd_info(iopt);
    } else if (*sub_check) {
      result = cmd_check();
    } else if (*sub_dev) {
      result = cmd_dev(dopt);
    } else if (*sub_bindings) {
      result = cmd_bindings(gopt);
    } else if (*sub_test) {
      result = cmd_test(topt);
    } else if (*sub_add) {
      result = cmd_add(popt);
    } else if (*sub_remove) {
      result = cmd_remove(popt);
    } else if (*perm_ls) {
      result = cmd_permission_ls(mopt);
    } else if (*perm_add) {
      result = cmd_permission_add(mopt);
    } else if (*perm_rm) {
      result = cmd_permission_rm(mopt);
    } else if (*cap_new) {
      result = cmd_capability_new(kopt);
    } else if (*cap_ls) {
      result = cmd_capability_ls();
    } else if (*sub_comp) {
      cmd_completions(app, shell);
    }
    return exit_code(result);
  } catch (const cli_error& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "%s %s\n", paint("31", "myapp: error:").c_str(), e.what());
    return exit_code(e.kind());
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "myapp: internal error: %s\n", e.what());
    return exit_code(outcome::internal);
  }
}
