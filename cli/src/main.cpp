// myapp — the command-line tool: scaffold, build, bundle and develop myapp apps.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <initializer_list>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "exit.hpp"
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
       "myapp new notes --template vite-ts      # Vite + TypeScript frontend"},
      "Asks for what is not given when run on a terminal; --yes takes the defaults.");
  sub_new->add_option("name", nopt.name,
                      "The app's name: lowercase letters, digits and dashes, starting with a "
                      "letter (also its binary's name)")
      ->required();
  sub_new->add_option("--template,-t", nopt.template_name, "vanilla (default) or vite-ts")
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
      app, "build", "Build the app (Release) in build/", {"myapp build && ./build/hello"},
      "Runs build.beforeBuildCommand first, configures with CMake (Ninja when installed) and\n"
      "builds; prints where the binary is and its size.");
  sub_build->add_flag("--debug", bopt.debug, "Build in Debug instead of Release");
  add_prefix_option(sub_build, bopt.prefix_paths);

  bundle_options uopt;
  auto* sub_bundle = add_command(
      app, "bundle", "Package the built app (.deb, .tar.gz, .rpm)",
      {"myapp build && myapp bundle --format deb,tar"},
      "Writes build/bundle/<format>/...; .rpm needs rpmbuild (skipped with a note otherwise).");
  sub_bundle->add_option("--format", uopt.formats, "deb, tar, rpm (default: bundle.targets, "
                                                   "or deb,tar)")
      ->delimiter(',')
      ->type_name("LIST");

  info_options iopt;
  auto* sub_info = add_command(app, "info", "Show versions of the toolchain and the project",
                               {"myapp info"});
  add_prefix_option(sub_info, iopt.prefix_paths);

  auto* sub_check = add_command(
      app, "check", "Check myapp.conf.json", {"myapp check"},
      "Prints each problem as file:path: message and exits 1 when there is any.");

  dev_options dopt;
  auto* sub_dev = add_command(
      app, "dev", "Run the app in development mode, rebuilding on change", {"myapp dev"},
      "Starts build.beforeDevCommand and waits for build.devUrl, or serves build.frontendDist\n"
      "from disk (pages reload when a file changes); builds and runs the app; rebuilds and\n"
      "restarts it when a C++ or CMake file changes. Ctrl-C stops everything it started.");
  add_prefix_option(sub_dev, dopt.prefix_paths);

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

  std::string shell;
  auto* sub_comp = add_command(app, "completions", "Print a shell completion script",
                               {"myapp completions bash > /etc/bash_completion.d/myapp",
                                "myapp completions fish > ~/.config/fish/completions/myapp.fish"});
  sub_comp->add_option("shell", shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));

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
