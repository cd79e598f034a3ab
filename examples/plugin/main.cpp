// plugin — an app that uses a third-party plugin (kv_plugin.*): its commands, permissions and
// page script arrive with one `app.plugin(...)`; the capability decides what the page may do.
#include <myapp/app.hpp>

#include "kv_plugin.hpp"

int main(int argc, char** argv) {
  myapp::app app(argc, argv, {.name = "plugin-example"});
  app.plugin(kv::plugin({.max_entries = 100}));
  app.window({.label = "main", .title = "A plugin at work", .url = "index.html", .width = 520,
              .height = 400});
  return app.run();
}
