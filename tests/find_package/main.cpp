#include <myapp/app.hpp>

#include <string>

int main(int argc, char** argv) {
  myapp::app app(argc, argv, {.name = "consumer"});
  app.command("greet", [](std::string name) { return "Hello, " + name + "!"; }, {"name"});
  app.window({.label = "main", .url = "index.html"});
  return app.run();
}
