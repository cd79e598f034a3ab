// {{productName}}: the C++ side. Commands registered here are what the page calls with
// `invoke(...)` (or, with TypeScript, the typed wrappers `myapp bindings` writes). The windows
// come from myapp.conf.json (app.windows).
#include <myapp/app.hpp>

#include <string>

int main(int argc, char** argv) {
  myapp::app app(argc, argv, {.name = "{{name}}"});

  app.command("greet", [](std::string name) {
    if (name.empty()) throw myapp::error("greet.empty_name", "Tell me your name first.");
    return "Hello, " + name + "! You've been greeted from C++.";
  }, {"name"}, {.errors = {"greet.empty_name"}});

  return app.run();
}
