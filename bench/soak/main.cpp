// myapp_bench_soak: a long run of mixed traffic through one app (docs/benchmarks.md). Every
// window runs soak.js, a loop of invokes of all sizes, events both ways, channels streamed to
// the end and channels cancelled mid-way; the driver reloads the main page now and then, and
// opens and closes extra windows. Every few seconds it samples the process tree's RSS and PSS
// (browser, zygotes, renderers, GPU) and the router's table sizes. At the end the pages stop,
// and the router's tables must drain to empty. Prints the samples, a summary, and one JSON
// object as the last line.
#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <QWebEnginePage>
#include <QWebEngineView>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "command_line.hpp"
#include "myapp/app.hpp"
#include "myapp/channel.hpp"
#include "page_driver.hpp"
#include "proc_tree.hpp"

namespace {

using namespace std::chrono_literals;

struct options {
  double minutes = 2;
  double warmup_minutes = -1;  // -1: 2 minutes for runs of 10 minutes or more, else a quarter
  int sample_seconds = 5;
  int reload_seconds = 7;
  int window_seconds = 30;  // 0: no extra windows
};

// The command line: the options' values, the warm-up's default, and its check.
void add_options(CLI::App& cli, options& o) {
  cli.add_option("--minutes", o.minutes, "how long the traffic runs")
      ->check(myapp::bench::above(0))
      ->capture_default_str();
  cli.add_option("--warmup-minutes", o.warmup_minutes,
                 "growth is measured from the end of the warm-up (default 2 minutes for runs of "
                 "10 minutes or more, else a quarter of the run)");
  // Whole seconds, at least 1 (0 for --window-seconds: no extra windows).
  auto seconds = [&cli](const std::string& flag, int& value, int floor, const std::string& help) {
    cli.add_option_function<double>(
        flag, [&value, floor](const double& v) { value = std::max(floor, static_cast<int>(v)); },
        help + " (default " + std::to_string(value) + ")");
  };
  seconds("--sample-seconds", o.sample_seconds, 1, "how often memory and tables are sampled");
  seconds("--reload-seconds", o.reload_seconds, 1, "how often the main page reloads");
  seconds("--window-seconds", o.window_seconds, 0,
          "how often an extra window opens, for half as long; 0: no extra windows");
  cli.callback([&o] {
    if (o.warmup_minutes < 0) o.warmup_minutes = o.minutes >= 10 ? 2 : o.minutes / 4;
    if (o.warmup_minutes >= o.minutes) {
      throw CLI::ValidationError("--warmup-minutes", "the warm-up must end before the run");
    }
  });
}

// Evaluates `expression` in the window's page and waits for the answer (JSON text), or "".
std::string eval(myapp::window& w, const std::string& expression) {
  myapp::bench::js_side page(
      "soak", [&w](const std::string& e, std::function<void(std::string)> done) {
        w.eval(e, std::move(done));
      });
  return page.eval(expression, 10s).value_or("");
}

double number_in(const std::string& json, const std::string& key) {
  const auto at = json.find("\"" + key + "\":");
  return at == std::string::npos ? NAN : std::strtod(json.c_str() + at + key.size() + 3, nullptr);
}

struct sample {
  double t_s = 0;
  myapp::bench::tree_memory mem;
  myapp::router_stats stats;
};

double mean_between(const std::vector<sample>& v, double from_s, double to_s,
                    double myapp::bench::tree_memory::*field) {
  double sum = 0;
  int n = 0;
  for (const auto& s : v) {
    if (s.t_s >= from_s && s.t_s <= to_s) {
      sum += s.mem.*field;
      ++n;
    }
  }
  return n > 0 ? sum / n : NAN;
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  CLI::App cli{"Mixed traffic through one app for N minutes: the process tree's memory and the "
               "router's tables, sampled as it goes (docs/benchmarks.md)",
               "myapp_bench_soak"};
  add_options(cli, o);
  if (auto code = myapp::bench::parse(cli, argc, argv)) return *code;

  myapp::app app(argc, argv, {.name = "myapp-bench-soak"});
  app.command("echo", [](std::string text) { return text; }, {"text"});
  app.command("blob", [](int size) { return std::string(static_cast<std::size_t>(size), 'b'); },
              {"size"});
  auto& router = app.get_router();
  app.command("emit_events", [&router](int count) {
    for (int i = 0; i < count; ++i) router.emit_event("soak:tick", i);
  }, {"count"});
  app.command("stream", [](int count, int size, myapp::channel<std::string> channel) {
    const std::string frame(static_cast<std::size_t>(size), 'f');
    for (int i = 0; i < count; ++i) {
      if (!channel.send(frame)) return;  // closed or cancelled
    }
    channel.close();
  }, {"count", "size", "channel"});
  std::atomic<long> pings{0};
  app.listen("soak:ping", [&pings](const myapp::event&) { ++pings; });
  app.capability(R"J({"identifier":"soak","windows":["*"],"permissions":["core:default",
      "allow-echo","allow-blob","allow-emit_events","allow-stream"]})J");
  app.window({.label = "main", .title = "myapp soak", .url = "index.html"});
  app.start();
  myapp::window* main_window = app.find_window("main");

  QElapsedTimer clock;
  clock.start();
  const double total_s = o.minutes * 60;
  const double warm_s = o.warmup_minutes * 60;
  std::vector<sample> samples;
  long reloads = 0;
  long windows_opened = 0;
  double window_errors = 0;  // errors the extra windows' pages counted

  // Reload the main page now and then: every reload drops the old page's pending calls,
  // channels and listeners, which the router must forget.
  QTimer reload_timer;
  QObject::connect(&reload_timer, &QTimer::timeout, [&] {
    main_window->view()->reload();
    ++reloads;
  });
  reload_timer.start(std::chrono::seconds(o.reload_seconds));
  // Open a window, let it run the soak for a few seconds, close it.
  QTimer window_timer;
  QObject::connect(&window_timer, &QTimer::timeout, [&] {
    const std::string label = "extra-" + std::to_string(++windows_opened);
    app.window({.label = label, .title = label, .url = "index.html", .width = 400, .height = 300});
    QTimer::singleShot(std::chrono::seconds(std::max(1, o.window_seconds / 2)), [&app, &window_errors, label] {
      // The runtime has no way to destroy a window yet: stop its page's traffic, then close
      // (hide) its view, which is what a user closing it does.
      if (myapp::window* w = app.find_window(label)) {
        const std::string counters = eval(*w, "(window.__soakStop = true, window.__soak)");
        if (number_in(counters, "errors") > 0) {
          std::fprintf(stderr, "myapp_bench_soak: window %s: %s\n", label.c_str(), counters.c_str());
        }
        window_errors += std::max(0.0, number_in(counters, "errors"));
        w->view()->close();
      }
    });
  });
  if (o.window_seconds > 0) window_timer.start(std::chrono::seconds(o.window_seconds));

  std::printf("%8s %9s %9s %6s %6s %8s %8s %8s %8s %8s\n", "t (s)", "RSS MB", "PSS MB", "procs",
              "pages", "inflight", "pending", "channels", "listens", "iters");
  auto take_sample = [&] {
    sample s;
    s.t_s = static_cast<double>(clock.elapsed()) / 1000.0;
    s.mem = myapp::bench::measure_tree(::getpid());
    s.stats = router.stats();
    const double iters = number_in(eval(*main_window, "window.__soak || {}"), "iterations");
    std::printf("%8.0f %9.1f %9.1f %6zu %6zu %8zu %8zu %8zu %8zu %8.0f\n", s.t_s, s.mem.rss_mb,
                s.mem.pss_mb, s.mem.processes.size(), s.stats.pages, s.stats.in_flight,
                s.stats.pending, s.stats.channels, s.stats.page_listens, iters);
    std::fflush(stdout);
    samples.push_back(std::move(s));
  };
  while (static_cast<double>(clock.elapsed()) / 1000.0 < total_s) {
    myapp::bench::pump_for(std::chrono::seconds(o.sample_seconds));
    take_sample();
  }
  reload_timer.stop();
  window_timer.stop();

  // Stop the traffic and let the tables drain.
  const std::string counters = eval(*main_window, "(window.__soakStop = true, window.__soak)");
  QElapsedTimer drain;
  drain.start();
  myapp::router_stats idle = router.stats();
  while (drain.elapsed() < 15000) {
    myapp::bench::pump_for(250ms);
    idle = router.stats();
    const std::string state = eval(*main_window, "window.__soak || {}");
    if (idle.in_flight == 0 && idle.pending == 0 && idle.channels == 0 &&
        state.find("\"done\":true") != std::string::npos) {
      break;
    }
  }
  myapp::bench::pump_for(1s);
  idle = router.stats();

  const double end_from = std::max(warm_s, total_s - 60);
  const double rss_warm = mean_between(samples, warm_s - o.sample_seconds, warm_s + 30,
                                       &myapp::bench::tree_memory::rss_mb);
  const double rss_end = mean_between(samples, end_from, total_s + 60, &myapp::bench::tree_memory::rss_mb);
  const double pss_warm = mean_between(samples, warm_s - o.sample_seconds, warm_s + 30,
                                       &myapp::bench::tree_memory::pss_mb);
  const double pss_end = mean_between(samples, end_from, total_s + 60, &myapp::bench::tree_memory::pss_mb);
  const double rss_growth = (rss_end - rss_warm) / rss_warm * 100;
  const double pss_growth = (pss_end - pss_warm) / pss_warm * 100;
  const double iterations = number_in(counters, "iterations");
  const double errors = number_in(counters, "errors");
  std::printf("soak: %.1f min (warm-up %.1f min), %ld reloads, %ld windows opened and closed, "
              "%ld pings from pages\n",
              o.minutes, o.warmup_minutes, reloads, windows_opened, pings.load());
  std::printf("main page since its last reload: %s\n", counters.c_str());
  std::printf("RSS  %.1f MB after warm-up -> %.1f MB at the end: %+.1f %%\n", rss_warm, rss_end, rss_growth);
  std::printf("PSS  %.1f MB after warm-up -> %.1f MB at the end: %+.1f %%\n", pss_warm, pss_end, pss_growth);
  std::printf("idle router tables: pages %zu, in flight %zu, pending %zu, channels %zu, page "
              "listens %zu, C++ listeners %zu\n",
              idle.pages, idle.in_flight, idle.pending, idle.channels, idle.page_listens,
              idle.listeners);
  std::printf(
      "{\"minutes\":%.1f,\"warmup_minutes\":%.1f,\"rss_warm_mb\":%.1f,\"rss_end_mb\":%.1f,"
      "\"rss_growth_pct\":%.2f,\"pss_warm_mb\":%.1f,\"pss_end_mb\":%.1f,\"pss_growth_pct\":%.2f,"
      "\"reloads\":%ld,\"windows\":%ld,\"window_errors\":%.0f,\"pings\":%ld,\"main_iterations\":%.0f,\"main_errors\":%.0f,"
      "\"idle_in_flight\":%zu,\"idle_pending\":%zu,\"idle_channels\":%zu,\"idle_page_listens\":%zu,"
      "\"idle_pages\":%zu}\n",
      o.minutes, o.warmup_minutes, rss_warm, rss_end, rss_growth, pss_warm, pss_end, pss_growth,
      reloads, windows_opened, window_errors, pings.load(), iterations, errors, idle.in_flight, idle.pending,
      idle.channels, idle.page_listens, idle.pages);
  std::fflush(stdout);
  const bool drained = idle.in_flight == 0 && idle.pending == 0 && idle.channels == 0;
  if (!drained) std::fprintf(stderr, "myapp_bench_soak: the router's tables did not drain\n");
  return drained ? 0 : 1;
}
