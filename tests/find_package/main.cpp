#include <myapp/app.hpp>

#include <string>

int main(int argc, char** argv) {
  myapp::app app(argc, argv, {.name = "hello"});

  app.command("greet", [](std::string name) {
    if (name.empty()) throw myapp::error("greet.empty_name", "Tell me your name first.");
    return "Hello, " + name + "!";
  }, {"name"});

  app.window({.label = "main", .title = "Hello", .url = "index.html"});
  return app.run();
}
