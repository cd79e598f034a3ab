// An app for the smoke-check tests: loads the page named on the command line (or, given
// `duplicate-command`, makes a mistake in main() first).
#include <myapp/app.hpp>

#include <string>

int main(int argc, char** argv) {
  std::string url = argc > 1 ? argv[1] : "ok.html";
  myapp::app app(argc, argv, {.name = "myapp-smoke-test"});
  if (url == "duplicate-command") {
    // A mistake in main(): the same command registered twice, nothing catching the error.
    app.command("twice", [] { return 1; });
    app.command("twice", [] { return 2; });
  }
  app.window({.label = "main", .url = url});
  return app.run();
}
