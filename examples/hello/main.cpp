// hello — the smallest complete myapp app: a page that greets through a C++ command, and a
// command that fails on purpose to show how errors reach the page.
#include <myapp/app.hpp>

#include <string>

int main(int argc, char** argv) {
  myapp::app app(argc, argv, {.name = "hello"});

  app.command("greet", [](std::string name) {
    if (name.empty()) throw myapp::error("greet.empty_name", "Tell me your name first.");
    return "Hello, " + name + "! (from C++)";
  }, {"name"});

  app.command("fail", []() -> std::string {
    throw myapp::error("hello.broken", "This command always fails, on purpose.");
  });

  app.window({.label = "main", .title = "Hello from myapp", .url = "index.html",
              .width = 520, .height = 360});
  return app.run();
}
