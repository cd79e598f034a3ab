// An app for the smoke-check tests: loads the page named on the command line.
#include <myapp/app.hpp>

#include <string>

int main(int argc, char** argv) {
  std::string url = argc > 1 ? argv[1] : "ok.html";
  myapp::app app(argc, argv, {.name = "myapp-smoke-test"});
  app.window({.label = "main", .url = url});
  return app.run();
}
