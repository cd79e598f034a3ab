// {{productName}}: the C++ side. Commands registered here are what the page calls with
// `invoke(...)` (or, with TypeScript, the typed wrappers `myapp bindings` writes); events
// declared here get typed `listen`/`emit` there too. The windows come from myapp.conf.json
// (app.windows).
#include <myapp/app.hpp>

#include <atomic>
#include <string>

// The payload of the `greeted` event: who was greeted, and how many greetings there have been.
struct greeted {
  std::string name;
  int count = 0;
};
MYAPP_STRUCT(greeted, name, count)

int main(int argc, char** argv) {
  myapp::app app(argc, argv, {.name = "{{name}}"});

  std::atomic<int> greetings = 0;
  app.declare_event<greeted>("greeted");
  app.command("greet", [&app, &greetings](std::string name) {
    if (name.empty()) throw myapp::error("greet.empty_name", "Tell me your name first.");
    app.emit_event("greeted", greeted{name, ++greetings});
    return "Hello, " + name + "! You've been greeted from C++.";
  }, {"name"}, {.errors = {"greet.empty_name"}});

  return app.run();
}
