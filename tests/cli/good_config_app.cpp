// An app with no window in code: its windows come from the embedded myapp.conf.json.
#include <myapp/app.hpp>

#include <QFile>
#include <QWebEngineView>

#include <cstdio>

int main(int argc, char** argv) {
  myapp::app app(argc, argv, {.name = "good-config"});
  app.start();
  for (const char* label : {"main", "second"}) {
    auto* w = app.find_window(label);
    if (w == nullptr) {
      std::printf("missing window %s\n", label);
      return 1;
    }
    std::printf("%s: %s %dx%d\n", label, w->view()->windowTitle().toStdString().c_str(),
                w->view()->width(), w->view()->height());
  }
  std::printf("capabilities/default.json: %s\n",
              QFile::exists(":/myapp/capabilities/default.json") ? "embedded" : "missing");
  return 0;
}
