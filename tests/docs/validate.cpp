// Validates a JSON sample from the docs with myapp's own readers (tests/docs/README.md):
//
//   myapp_docs_validate config      NAME FILE            myapp.conf.json (myapp::config::parse)
//   myapp_docs_validate capability  NAME FILE [CMDS]     a capabilities/*.json file
//   myapp_docs_validate permissions NAME FILE [CMDS]     a permissions/*.json file
//
// Capabilities and permissions are resolved by a real myapp::app, as at start-up: with the
// core plugins, the desktop plugins (dialog, clipboard, opener, tray, menu) and the app
// commands CMDS (comma-separated) registered, so that every identifier, command name and
// scope is checked. Prints each problem and exits 1 when there is any.
#include <myapp/app.hpp>
#include <myapp/config.hpp>
#include <myapp/plugins.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>

namespace {

int usage() {
  std::fprintf(stderr, "usage: myapp_docs_validate config|capability|permissions NAME FILE [COMMANDS]\n");
  return 2;
}

int check_config(const std::string& text, const std::string& name) {
  const auto loaded = myapp::config::parse(text, name);
  for (const auto& p : loaded.problems) std::printf("%s\n", myapp::config::format(p).c_str());
  return loaded.ok() ? 0 : 1;
}

int check_acl(int& argc, char** argv, bool capability, const std::string& text,
              const std::string& name, const std::string& commands) {
  myapp::app app(argc, argv, {.name = "docs-validate", .lane = {.enabled = false}, .log_file = false});
  app.plugin(myapp::plugins::dialog());
  app.plugin(myapp::plugins::clipboard());
  app.plugin(myapp::plugins::opener());
  app.plugin(myapp::plugins::tray());
  app.plugin(myapp::plugins::menu());
  std::istringstream list(commands);
  for (std::string cmd; std::getline(list, cmd, ',');) {
    if (!cmd.empty()) app.command(cmd, [] {});
  }
  if (capability) {
    app.capability(text, name);
  } else {
    app.permissions(text, name);
  }
  try {
    app.start();
  } catch (const myapp::setup_error& e) {
    // start() resolves the capabilities before it creates anything; what may fail after that
    // (this program has no frontend for a window's page) is not about the file.
    const std::string_view what = e.what();
    if (what.find("capabilities have problems") != std::string_view::npos) {
      std::printf("%s\n", e.what());
      return 1;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || argc > 5) return usage();
  const std::string kind = argv[1];
  const std::string name = argv[2];
  std::ifstream in(argv[3], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "myapp_docs_validate: cannot read %s\n", argv[3]);
    return 2;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string commands = argc == 5 ? argv[4] : "";
  if (kind == "config") return commands.empty() ? check_config(text, name) : usage();
  if (kind == "capability" || kind == "permissions") {
    int qt_argc = 1;
    return check_acl(qt_argc, argv, kind == "capability", text, name, commands);
  }
  return usage();
}
