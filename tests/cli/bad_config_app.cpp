// An app whose embedded myapp.conf.json is malformed: start() must refuse, listing the problems.
#include <myapp/app.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  myapp::app app(argc, argv, {.name = "bad-config"});
  try {
    app.start();
  } catch (const myapp::setup_error& e) {
    std::printf("setup_error: %s\n", e.what());
    return 3;
  }
  std::printf("started\n");
  return 0;
}
