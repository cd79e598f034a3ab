// myapp_bench_scale_windows: N windows in one process, for bench/scale's driver (main.cpp),
// which starts it fresh for every count and side and reads the process tree's memory.
//
//   --side myapp   a myapp::app with N windows (w0, w1, ...) on bench/ipc's page
//   --side naive   N plain QWebEngineViews on one profile, each with a QWebChannel object
//                  answering JSON strings (bench/ipc's naive baseline)
//   --side bare    N plain QWebEngineViews on one profile showing the same page as myapp's,
//                  with nothing on their channels: the bare QtWebEngine program
//
// Once every page is ready it prints `ready` on stdout and waits. A line `go` on stdin runs
// bench/ipc's pipelined invokes in every window at once and prints one JSON line
// (`{"aggregate_per_s":...,"sum_per_s":...}`; `{}` for bare, which has no IPC). End of file on
// stdin quits.
#include <QApplication>
#include <QElapsedTimer>
#include <QSocketNotifier>
#include <QUrl>
#include <QWebEngineProfile>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "command_line.hpp"
#include "myapp/app.hpp"
#include "naive.hpp"
#include "naive_page.hpp"
#include "page_driver.hpp"
#include "page_pair.hpp"
#include "report.hpp"

namespace {

using namespace std::chrono_literals;
using namespace myapp::bench;

struct options {
  std::string side;
  int windows = 1;
  int calls = 5000;
  int in_flight = 1000;
  int timeout_s = 120;
};

// Every window's pipelined invokes at once: the calls of all windows over the time from the
// first window's start to the last window's last answer (the pages' own clocks, on the epoch),
// and the sum of each window's own rate.
std::string run_pipelined(std::vector<js_side>& sides, const options& o) {
  const std::string params = R"({"calls":)" + std::to_string(o.calls) + R"(,"in_flight":)" +
                             std::to_string(o.in_flight) + "}";
  QElapsedTimer clock;
  clock.start();
  for (auto& s : sides) s.start("invoke_pipelined", "invoke_pipelined", params);
  std::vector<std::optional<std::map<std::string, double>>> results(sides.size());
  std::size_t done = 0;
  while (done < sides.size()) {
    pump_for(20ms);
    for (std::size_t i = 0; i < sides.size(); ++i) {
      if (!results[i] && (results[i] = sides[i].result("invoke_pipelined"))) ++done;
    }
    if (clock.elapsed() > o.timeout_s * 1000LL) {
      throw bench_failure("pipelined invokes in " + std::to_string(sides.size()) +
                          " windows took longer than " + std::to_string(o.timeout_s) + " s");
    }
  }
  double sum = 0;
  double start = INFINITY;
  double end = -INFINITY;
  for (const auto& r : results) {
    sum += r->at("per_s");
    start = std::min(start, r->at("start_ms"));
    end = std::max(end, r->at("end_ms"));
  }
  const double aggregate =
      static_cast<double>(o.calls) * static_cast<double>(sides.size()) / ((end - start) / 1000);
  return R"({"aggregate_per_s":)" + format(aggregate, 0) + R"(,"sum_per_s":)" + format(sum, 0) + "}";
}

// Prints `ready`, then serves the driver's lines on stdin until end of file.
int serve(std::vector<js_side>& sides, const options& o) {
  std::printf("ready\n");
  std::fflush(stdout);
  QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
  std::string pending;
  int code = 0;
  QObject::connect(&input, &QSocketNotifier::activated, [&] {
    char buf[256];
    const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n <= 0) {
      input.setEnabled(false);
      QCoreApplication::exit(code);
      return;
    }
    pending.append(buf, static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
      const std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      if (line != "go") continue;
      try {
        std::printf("%s\n", o.side == "bare" ? "{}" : run_pipelined(sides, o).c_str());
      } catch (const bench_failure& e) {
        std::fprintf(stderr, "myapp_bench_scale_windows: FAILED: %s\n", e.what());
        std::printf("{}\n");
        code = 1;
      }
      std::fflush(stdout);
    }
  });
  return QApplication::exec();
}

void wait_ready(std::vector<js_side>& sides, const std::string& ready_expression,
                const std::string& expected, std::chrono::seconds timeout) {
  for (auto& s : sides) {
    if (!wait_until([&] { return s.eval(ready_expression, 5s) == expected; }, timeout)) {
      throw bench_failure("window " + s.name() + " was not ready within " +
                          std::to_string(timeout.count()) + " s");
    }
  }
}

int run_myapp(int argc, char** argv, const options& o) {
  myapp::app app(argc, argv, {.name = "myapp-bench-scale"});
  app.command("echo_small", [](std::string text) { return text; }, {"text"});
  app.capability(R"J({"identifier":"bench","windows":["w*"],"permissions":["core:default",
      "allow-echo_small"]})J");
  for (int i = 0; i < o.windows; ++i) {
    app.window({.label = "w" + std::to_string(i), .title = "myapp scale benchmark", .url = "index.html"});
  }
  app.start();
  std::vector<js_side> sides;
  for (int i = 0; i < o.windows; ++i) {
    const std::string label = "w" + std::to_string(i);
    sides.push_back(myapp_side(label, *app.find_window(label)));
  }
  wait_ready(sides, "window.__MYAPP__ && typeof window.bench", "\"object\"",
             std::chrono::seconds(o.timeout_s));
  return serve(sides, o);
}

int run_plain(int argc, char** argv, const options& o) {
  QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
  QApplication app(argc, argv);
  int code = 0;
  {
    QWebEngineProfile profile(QStringLiteral("myapp-bench-scale-views"));
    std::vector<std::unique_ptr<naive_page>> pages;
    std::vector<js_side> sides;
    const bool naive = o.side == "naive";
    for (int i = 0; i < o.windows; ++i) {
      auto page = std::make_unique<naive_page>(&profile);
      if (naive) {
        page->open(new bench::naive_object, QUrl(QStringLiteral("qrc:/naive/index.html")));
      } else {
        page->open_bare(QUrl(QStringLiteral("qrc:/myapp/frontend/index.html")));
      }
      sides.push_back(naive_side("v" + std::to_string(i), *page));
      pages.push_back(std::move(page));
    }
    if (naive) {
      wait_ready(sides, "window.__naiveReady === true", "true", std::chrono::seconds(o.timeout_s));
    } else {
      wait_ready(sides, "document.readyState", "\"complete\"", std::chrono::seconds(o.timeout_s));
    }
    code = serve(sides, o);
    sides.clear();
    pages.clear();  // the pages before their profile
  }
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  CLI::App cli{"N windows for bench/scale: prints `ready`, runs pipelined invokes in all of them "
               "on `go`, quits at end of input",
               "myapp_bench_scale_windows"};
  cli.add_option("--side", o.side, "myapp, naive or bare")
      ->required()
      ->check(CLI::IsMember({"myapp", "naive", "bare"}));
  cli.add_option("--windows", o.windows, "how many windows")->check(CLI::Range(1, 64))->capture_default_str();
  cli.add_option("--calls", o.calls, "pipelined invokes per window on `go`")
      ->check(at_least(1))
      ->capture_default_str();
  cli.add_option("--in-flight", o.in_flight, "invokes in flight per window")
      ->check(at_least(1))
      ->capture_default_str();
  cli.add_option("--timeout", o.timeout_s, "seconds to get ready, and for the invokes")
      ->check(at_least(1))
      ->capture_default_str();
  if (auto code = parse(cli, argc, argv)) return *code;
  try {
    return o.side == "myapp" ? run_myapp(argc, argv, o) : run_plain(argc, argv, o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "myapp_bench_scale_windows: FAILED: %s\n", e.what());
    return 1;
  }
}
