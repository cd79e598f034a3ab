// An app that quits while things are still going on, for the quitting tests: its first argument
// says how.
//   quit-hung    a handler never returns, and the app asks to exit with code 7
//   close-hung   a handler never returns, and the last window closes
//   sigterm      a handler is running (it stops when cancelled) when SIGTERM arrives
//   insecure     a capability lets in a remote page over plain http, without remote.allowInsecure
// Each prints what its hooks saw on stdout, so the test can check they ran.
#include <myapp/app.hpp>
#include <myapp/plugin.hpp>

#include <QCoreApplication>
#include <QMetaObject>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

namespace {

// Runs `fn` on the GUI thread.
template <class F>
void on_gui(F fn) {
  QMetaObject::invokeMethod(QCoreApplication::instance(), std::move(fn), Qt::QueuedConnection);
}

[[noreturn]] void hang_forever() {
  // Ignores its cancel token, as a handler stuck in a blocking call would.
  for (;;) std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  myapp::app app(argc, argv, {.name = "myapp-exit-test", .exit_grace = std::chrono::milliseconds(500)});
  myapp::plugin p("witness");
  p.teardown([](myapp::app&) { std::printf("teardown ran\n"); });
  app.plugin(std::move(p));
  app.on_exit_requested([](myapp::exit_request& r) { std::printf("exit requested with %d\n", r.code); });

  if (mode == "quit-hung") {
    app.command("begin", [&app] {
      on_gui([&app] { app.exit(7); });
      hang_forever();
    });
  } else if (mode == "close-hung") {
    app.command("begin", [&app] {
      on_gui([&app] { app.find_window("main")->close(); });
      hang_forever();
    });
  } else if (mode == "sigterm") {
    app.command("begin", [](myapp::cancel_token cancel) {
      ::kill(::getpid(), SIGTERM);
      while (!cancel.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      std::printf("the running handler saw its cancellation\n");
    });
  } else if (mode == "insecure") {
    app.capability(R"J({"identifier":"web","windows":["web"],"local":false,
      "remote":{"urls":["http://example.com/*"]},"permissions":["core:default"]})J",
                   "capabilities/web.json");
    app.command("begin", [] {});
  } else {
    std::fprintf(stderr, "usage: myapp_exit_app quit-hung|close-hung|sigterm|insecure\n");
    return 2;
  }
  app.capability(R"J({"identifier":"main","windows":["main"],"permissions":["core:default","allow-begin"]})J");
  app.window({.label = "main", .url = "index.html"});
  return app.run();
}
