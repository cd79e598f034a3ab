// An app for the smoke-check tests: loads the page named on the command line (or, given
// `duplicate-command` or `lane-past-pending`, makes a mistake in main() first).
#include <myapp/app.hpp>

#include <cstddef>
#include <string>
#include <utility>

int main(int argc, char** argv) {
  std::string url = argc > 1 ? argv[1] : "ok.html";
  myapp::app_options options{.name = "myapp-smoke-test"};
  if (url == "lane-past-pending") {
    // Options that contradict each other: the lane takes buffers larger than a page's pending
    // calls may hold.
    options.lane.max_message_bytes = std::size_t{3} << 30;
    url = "ok.html";
  }
  myapp::app app(argc, argv, std::move(options));
  if (url == "duplicate-command") {
    // A mistake in main(): the same command registered twice, nothing catching the error.
    app.command("twice", [] { return 1; });
    app.command("twice", [] { return 2; });
  }
  app.window({.label = "main", .url = url});
  return app.run();
}
