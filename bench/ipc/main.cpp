// myapp_bench_ipc: myapp's IPC against what a plain Qt app does with QWebChannel, both in this
// process, round by round in turn, so that both columns come from the same run of the same
// noisy machine. Scenarios run in the pages (bench.js) and time themselves with
// performance.now(); this driver starts them, collects their numbers and prints medians: a table
// on stdout, then one JSON object as the last line. See docs/benchmarks.md.
#include <QObject>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "command_line.hpp"
#include "events_channels.hpp"
#include "myapp/app.hpp"
#include "naive.hpp"
#include "naive_page.hpp"
#include "page_driver.hpp"
#include "page_pair.hpp"
#include "proc_tree.hpp"
#include "report.hpp"
#include "round_trips.hpp"
#include "router_bench.hpp"
#include "scenarios.hpp"
#include "webkitgtk_baseline.hpp"
#include "child_process.hpp"
#include "inspector.hpp"
#include "windows.hpp"

namespace {

using namespace std::chrono_literals;
using namespace myapp::bench;

struct options {
  round_options runs{5, 3, 120s};
  std::set<std::string> only;
  webkitgtk_baseline webkitgtk;
  // Set in the children the `inspector` scenario starts: report the inspector page's
  // responsiveness while the rounds run.
  bool inspector_child = false;
};

const std::set<std::string> SCENARIO_NAMES = {"invoke_seq",   "invoke_pipelined", "echo",
                                               "events",       "channel",          "channel_slow",
                                               "router",       "coroutines",       "inspector"};

constexpr int COROUTINE_CALLS = 10000;
constexpr auto COROUTINE_SLEEP = 200ms;

double rss_mb() { return status_mb(::getpid(), "VmRSS").value_or(0); }

// Arrivals of echo_small in C++, on the side whose round it is: sequential round trips on a
// clock finer than the page's.
bench::round_trip_clock arrivals;

// ---------------------------------------------------------------------------------------------
// Scenarios and results

struct row {
  std::string label;
  std::optional<double> myapp;
  std::optional<double> naive;
  bool higher_is_better;
  int decimals;
  std::optional<double> webkitgtk = std::nullopt;
};

// How many times better myapp is than `other` ("-" without both numbers).
std::string times_better(const row& r, std::optional<double> other) {
  if (!r.myapp || !other || *r.myapp <= 0 || *other <= 0) return "-";
  return format(r.higher_is_better ? *r.myapp / *other : *other / *r.myapp, 2) + "x";
}

void print_table(const std::vector<row>& rows, const webkitgtk_baseline& webkitgtk) {
  std::printf("%-40s %14s %14s %8s %14s %12s\n", "scenario", "myapp", "naive", "ratio", "webkitgtk",
              "vs webkitgtk");
  for (const auto& r : rows) {
    std::printf("%-40s %14s %14s %8s %14s %12s\n", r.label.c_str(), format(r.myapp, r.decimals).c_str(),
                format(r.naive, r.decimals).c_str(), times_better(r, r.naive).c_str(),
                webkitgtk.cell(format(r.webkitgtk, r.decimals)).c_str(),
                webkitgtk.cell(times_better(r, r.webkitgtk)).c_str());
  }
  std::printf("ratio, vs webkitgtk: how many times better myapp is than the naive baseline, than "
              "WebKitGTK (>1: myapp better)\n");
  webkitgtk.print_note(
      "bound function, evaluated callbacks",
      "its page clock moves in " + format(webkitgtk.value("webkitgtk_clock_resolution_us"), 0) +
          " us steps; its sequential round trips timed in C++: p50 " +
          format(webkitgtk.value("webkitgtk_invoke_seq_cpp_p50_us"), 1) + " us, p99 " +
          format(webkitgtk.value("webkitgtk_invoke_seq_cpp_p99_us"), 1) +
          " us (myapp's start-up and memory: bench.sh startup)");
}

// The isolation hook's cost: the same scenarios in a window with a hook, against the window
// without one, in the same rounds.
struct isolation_row {
  std::string label;
  std::optional<double> on;
  std::optional<double> off;
  const char* goal;
};

void print_isolation_table(const std::vector<isolation_row>& rows) {
  std::printf("\nisolation hook: the same page in a window with one (on) and without (off)\n");
  std::printf("%-40s %14s %14s %8s %8s\n", "scenario", "on", "off", "on/off", "goal");
  for (const auto& r : rows) {
    std::optional<double> ratio;
    if (r.on && r.off && *r.off > 0) ratio = *r.on / *r.off;
    std::printf("%-40s %14s %14s %8s %8s\n", r.label.c_str(), format(r.on, 1).c_str(),
                format(r.off, 1).c_str(), ratio ? (format(ratio, 2) + "x").c_str() : "-", r.goal);
  }
}

// ---------------------------------------------------------------------------------------------
// The inspector's cost: pipelined rounds in fresh processes of this program with the inspector
// off (MYAPP_INSPECTOR=0: no hub, no hooks), compiled in but closed (MYAPP_INSPECTOR=1), and
// open (MYAPP_INSPECT=1), in turn. Each child also runs the naive page in the same rounds: its
// myapp/naive ratio cancels most of what the machine does to one process and not the other.

struct inspector_mode {
  const char* name;
  std::vector<std::string> env;
};
const std::vector<inspector_mode> INSPECTOR_MODES = {
    {"off", {"MYAPP_INSPECTOR=0"}},
    {"closed", {"MYAPP_INSPECTOR=1"}},
    {"open", {"MYAPP_INSPECTOR=1", "MYAPP_INSPECT=1"}},
};

// While the inspector's window is open in this process: how long its page takes to answer a
// script, sampled every 50 ms (a page drowning in rows answers late or not at all).
class inspector_probe {
 public:
  void start() {
    auto* w = myapp::runtime::current_inspector_window();
    if (w == nullptr || w->window() == nullptr) return;
    window_ = w->window();
    QObject::connect(&timer_, &QTimer::timeout, [this] {
      if (waiting_) return;  // the last probe has not come back: counted when it does
      waiting_ = true;
      const auto sent = std::chrono::steady_clock::now();
      window_->eval("document.querySelectorAll('#rows tr.row').length", [this, sent](std::string rows) {
        waiting_ = false;
        latencies_ms_.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sent).count());
        rows_ = std::strtod(rows.c_str(), nullptr);
      });
    });
    timer_.start(50);
  }
  void stop() { timer_.stop(); }
  [[nodiscard]] bool active() const noexcept { return window_ != nullptr; }
  [[nodiscard]] std::optional<double> percentile(double p) const {
    if (latencies_ms_.empty()) return std::nullopt;
    auto v = latencies_ms_;
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
  }
  [[nodiscard]] double rows() const noexcept { return rows_; }

 private:
  myapp::runtime::app_window* window_ = nullptr;
  QTimer timer_;
  bool waiting_ = false;
  std::vector<double> latencies_ms_;
  double rows_ = 0;
};

// ---------------------------------------------------------------------------------------------

class bench_run {
 public:
  bench_run(const options& o, js_side& myapp_side, js_side& naive_side, js_side& isolated_side,
            webkitgtk_baseline& webkitgtk)
      : options_(o),
        myapp_(myapp_side),
        naive_(naive_side),
        isolated_(isolated_side),
        webkitgtk_(webkitgtk) {}

  void run_all() {
    if (options_.inspector_child) probe_.start();
    for (const auto& s : bench::IPC_SCENARIOS) {
      if (!selected(s.name)) continue;
      const bool on_myapp = true;
      if (!on_myapp && !s.on_naive) {
        progress("[" + s.name + "] skipped: events and channels are not built");
        continue;
      }
      const std::string& params = options_.runs.quick() ? s.quick_params : s.full_params;
      for (int round = 0; round < options_.runs.rounds(); ++round) {
        // Who goes first alternates, so that neither side always runs on a warmer machine.
        std::vector<js_side*> order;
        if (on_myapp) order.push_back(&myapp_);
        if (s.on_naive) order.push_back(&naive_);
        if (s.on_isolated) order.push_back(&isolated_);
        if (round % 2 == 1) std::reverse(order.begin(), order.end());
        for (js_side* side : order) run_round(*side, s, params, round);
      }
    }
    probe_.stop();
    if (selected("inspector") && !options_.inspector_child) {
      // The same question without a browser, in this process: the router with the inspector's
      // trace installed and off, against the router without one, alternating.
      const auto duration = options_.runs.quick() ? 500ms : 1000ms;
      for (int round = 0; round < options_.runs.rounds(); ++round) {
        auto plain = bench::run_router_bench(duration);
        auto idle = bench::run_router_bench(duration, {.idle_trace = true});
        if (!plain.ok || !idle.ok) throw bench_failure("scenario inspector (router): wrong or missing answers");
        results_["inspector_router"]["plain"].push_back(plain.messages_per_s);
        results_["inspector_router"]["idle"].push_back(idle.messages_per_s);
        results_["inspector_router"]["ratio"].push_back(idle.messages_per_s / plain.messages_per_s);
        progress("[inspector] router round " + std::to_string(round + 1) + ": " +
                 format(plain.messages_per_s, 0) + " messages/s without a trace, " +
                 format(idle.messages_per_s, 0) + " with the inspector's, off");
      }
      run_inspector_modes();
    }
    if (selected("router")) {
      const auto duration = options_.runs.quick() ? 500ms : 1000ms;
      for (int round = 0; round < options_.runs.rounds(); ++round) {
        // Without and with capabilities, alternating, so the ratio comes from the same moment.
        auto r = bench::run_router_bench(duration);
        if (!r.ok) throw bench_failure("scenario router: wrong or missing answers");
        results_["myapp"]["router.per_s"].push_back(r.messages_per_s);
        auto a = bench::run_router_bench(duration, {.with_acl = true});
        if (!a.ok) throw bench_failure("scenario router (acl): wrong or missing answers");
        results_["myapp"]["router_acl.per_s"].push_back(a.messages_per_s);
        results_["myapp"]["router_acl.overhead_pct"].push_back(
            100.0 * (r.messages_per_s / a.messages_per_s - 1.0));
        progress("[router] round " + std::to_string(round + 1) + " " +
                 format(r.messages_per_s, 0) + " messages/s; with 100 capabilities and 1,000 "
                 "commands " + format(a.messages_per_s, 0));
      }
    }
    run_webkitgtk();
    if (selected("coroutines")) {
      // 10,000 concurrent calls of a coroutine command that sleeps 200 ms, on two workers:
      // the wall time against the sleep (blocking handlers would need 1,000 s).
      for (int round = 0; round < options_.runs.rounds(); ++round) {
        auto c = bench::run_coroutine_bench(COROUTINE_CALLS, COROUTINE_SLEEP);
        if (!c.ok) throw bench_failure("scenario coroutines: calls left unanswered");
        results_["myapp"]["coroutines.wall_ms"].push_back(c.wall_ms);
        results_["myapp"]["coroutines.over_sleep"].push_back(
            c.wall_ms / static_cast<double>(COROUTINE_SLEEP.count()));
        progress("[coroutines] round " + std::to_string(round + 1) + " " +
                 std::to_string(COROUTINE_CALLS) + " calls sleeping " +
                 std::to_string(COROUTINE_SLEEP.count()) + " ms answered in " + format(c.wall_ms, 0) +
                 " ms");
      }
    }
  }

  void report() const {
    auto m = [&](const std::string& key) { return median_of(results_, "myapp", key); };
    auto n = [&](const std::string& key) { return median_of(results_, "naive", key); };
    auto i = [&](const std::string& key) { return median_of(results_, isolated_.name(), key); };
    auto w = [&](const std::string& key) { return webkitgtk_.value("webkitgtk_" + key); };
    std::vector<row> rows = {
        {"invoke_seq round trips/s", m("invoke_seq.per_s"), n("invoke_seq.per_s"), true, 0, w("invoke_seq_per_s")},
        {"invoke_seq p50 us", m("invoke_seq.p50_us"), n("invoke_seq.p50_us"), false, 1, w("invoke_seq_p50_us")},
        {"invoke_seq p99 us", m("invoke_seq.p99_us"), n("invoke_seq.p99_us"), false, 1, w("invoke_seq_p99_us")},
        {"invoke_seq mean us (C++ clock)", m("invoke_seq.cpp_mean_us"), n("invoke_seq.cpp_mean_us"), false, 1,
         w("invoke_seq_cpp_mean_us")},
        {"invoke_seq p50 us (C++ clock)", m("invoke_seq.cpp_p50_us"), n("invoke_seq.cpp_p50_us"), false, 1,
         w("invoke_seq_cpp_p50_us")},
        {"invoke_seq p99 us (C++ clock)", m("invoke_seq.cpp_p99_us"), n("invoke_seq.cpp_p99_us"), false, 1,
         w("invoke_seq_cpp_p99_us")},
        {"invoke_pipelined round trips/s", m("invoke_pipelined.per_s"), n("invoke_pipelined.per_s"), true, 0,
         w("invoke_pipelined_per_s")},
        {"echo 1 KiB ms", m("echo.1kb"), n("echo.1kb"), false, 3, w("echo_1kb_ms")},
        {"echo 100 KiB ms", m("echo.100kb"), n("echo.100kb"), false, 3, w("echo_100kb_ms")},
        {"echo 1 MiB ms", m("echo.1mb"), n("echo.1mb"), false, 2, w("echo_1mb_ms")},
        {"echo 5 MiB ms", m("echo.5mb"), n("echo.5mb"), false, 2, w("echo_5mb_ms")},
        {"events C++->JS events/s", m("events.per_s"), n("events.per_s"), true, 0, w("event_push_per_s")},
        {"channel msgs/s (naive, webkitgtk: events)", m("channel.per_s"), n("events.per_s"), true, 0,
         w("event_push_per_s")},
        {"channel slow consumer msgs/s", m("channel_slow.per_s"), std::nullopt, true, 0},
        {"channel slow consumer peak RSS +MB", m("channel_slow.rss_delta_mb"), std::nullopt, false, 1},
        {"router in-process msgs/s (1 core)", m("router.per_s"), std::nullopt, true, 0},
        {"router + ACL (100 caps, 1000 cmds) msgs/s", m("router_acl.per_s"), std::nullopt, true, 0},
        {"ACL cost, % of router time per message", m("router_acl.overhead_pct"), std::nullopt, false, 1},
        {"10,000 sleeping coroutines (200 ms) wall ms", m("coroutines.wall_ms"), std::nullopt, false, 0},
        {"  ... wall / sleep (goal <= 1.5)", m("coroutines.over_sleep"), std::nullopt, false, 2},
    };
    std::printf("myapp IPC benchmark (%s, %d rounds, medians)\n", options_.runs.quick() ? "quick" : "full",
                options_.runs.rounds());
    print_table(rows, webkitgtk_);
    if (auto s5 = w("echo_5mb_scheme_ms")) {
      // WebKitGTK's fastest road for large JSON: a custom-scheme POST (the issue's baseline).
      const auto ratio = [&](const char* key, std::optional<double> theirs) {
        auto mine = m(key);
        return mine && theirs && *theirs > 0 ? format(*mine / *theirs, 2) + "x" : std::string("-");
      };
      std::printf("webkitgtk echo by custom-scheme POST: 1 MiB %s ms, 5 MiB %s ms; myapp/webkitgtk %s, %s\n",
                  format(w("echo_1mb_scheme_ms"), 1).c_str(), format(s5, 1).c_str(),
                  ratio("echo.1mb", w("echo_1mb_scheme_ms")).c_str(), ratio("echo.5mb", s5).c_str());
    }
    print_isolation_table({
        {"invoke_seq p50 us", i("invoke_seq.p50_us"), m("invoke_seq.p50_us"), "<= 1.2x"},
        {"invoke_seq p99 us", i("invoke_seq.p99_us"), m("invoke_seq.p99_us"), ""},
        {"invoke_seq round trips/s", i("invoke_seq.per_s"), m("invoke_seq.per_s"), ""},
        {"invoke_pipelined round trips/s", i("invoke_pipelined.per_s"), m("invoke_pipelined.per_s"), ">= 0.7x"},
    });

    print_inspector_table();

    std::vector<std::pair<std::string, std::string>> json = {
        {"invoke_pipelined_per_s", json_number(m("invoke_pipelined.per_s"), 0)},
        {"naive_pipelined_per_s", json_number(n("invoke_pipelined.per_s"), 0)},
        {"invoke_seq_p50_us", json_number(m("invoke_seq.p50_us"), 1)},
        {"naive_seq_p50_us", json_number(n("invoke_seq.p50_us"), 1)},
        {"invoke_seq_p99_us", json_number(m("invoke_seq.p99_us"), 1)},
        {"naive_seq_p99_us", json_number(n("invoke_seq.p99_us"), 1)},
        {"invoke_seq_cpp_mean_us", json_number(m("invoke_seq.cpp_mean_us"), 1)},
        {"naive_seq_cpp_mean_us", json_number(n("invoke_seq.cpp_mean_us"), 1)},
        {"invoke_seq_cpp_p50_us", json_number(m("invoke_seq.cpp_p50_us"), 1)},
        {"naive_seq_cpp_p50_us", json_number(n("invoke_seq.cpp_p50_us"), 1)},
        {"invoke_seq_cpp_p99_us", json_number(m("invoke_seq.cpp_p99_us"), 1)},
        {"naive_seq_cpp_p99_us", json_number(n("invoke_seq.cpp_p99_us"), 1)},
        {"invoke_seq_per_s", json_number(m("invoke_seq.per_s"), 0)},
        {"naive_seq_per_s", json_number(n("invoke_seq.per_s"), 0)},
        {"event_push_per_s", json_number(m("events.per_s"), 0)},
        {"naive_event_push_per_s", json_number(n("events.per_s"), 0)},
        {"channel_msgs_per_s", json_number(m("channel.per_s"), 0)},
        {"channel_slow_msgs_per_s", json_number(m("channel_slow.per_s"), 0)},
        {"channel_slow_peak_rss_delta_mb", json_number(m("channel_slow.rss_delta_mb"), 1)},
        {"router_msgs_per_s", json_number(m("router.per_s"), 0)},
        {"router_acl_msgs_per_s", json_number(m("router_acl.per_s"), 0)},
        {"acl_overhead_pct", json_number(m("router_acl.overhead_pct"), 1)},
        {"coroutines_10k_wall_ms", json_number(m("coroutines.wall_ms"), 0)},
        {"coroutines_10k_wall_over_sleep", json_number(m("coroutines.over_sleep"), 2)},
        {"echo_1kb_ms", json_number(m("echo.1kb"), 3)},
        {"naive_echo_1kb_ms", json_number(n("echo.1kb"), 3)},
        {"echo_100kb_ms", json_number(m("echo.100kb"), 3)},
        {"naive_echo_100kb_ms", json_number(n("echo.100kb"), 3)},
        {"echo_1mb_ms", json_number(m("echo.1mb"), 3)},
        {"naive_echo_1mb_ms", json_number(n("echo.1mb"), 3)},
        {"echo_5mb_ms", json_number(m("echo.5mb"), 3)},
        {"naive_echo_5mb_ms", json_number(n("echo.5mb"), 3)},
        {"isolated_seq_p50_us", json_number(i("invoke_seq.p50_us"), 1)},
        {"isolated_seq_p99_us", json_number(i("invoke_seq.p99_us"), 1)},
        {"isolated_seq_per_s", json_number(i("invoke_seq.per_s"), 0)},
        {"isolated_pipelined_per_s", json_number(i("invoke_pipelined.per_s"), 0)},
        {"inspector_off_pipelined_per_s", json_number(inspector("off", "per_s"), 0)},
        {"inspector_closed_pipelined_per_s", json_number(inspector("closed", "per_s"), 0)},
        {"inspector_open_pipelined_per_s", json_number(inspector("open", "per_s"), 0)},
        {"inspector_closed_vs_off", json_number(inspector_vs_off("closed"), 3)},
        {"inspector_open_vs_off", json_number(inspector_vs_off("open"), 3)},
        {"inspector_router_idle_vs_plain", json_number(median_of(results_, "inspector_router", "ratio"), 3)},
        {"inspector_open_eval_p50_ms", json_number(inspector("open", "eval_p50_ms"), 1)},
        {"inspector_open_eval_max_ms", json_number(inspector("open", "eval_max_ms"), 1)},
        {"rounds", std::to_string(options_.runs.rounds())},
        {"quick", options_.runs.quick() ? "true" : "false"},
    };
    if (probe_.active()) {
      json.emplace_back("inspector_eval_p50_ms", json_number(probe_.percentile(0.5), 1));
      json.emplace_back("inspector_eval_max_ms", json_number(probe_.percentile(1.0), 1));
      json.emplace_back("inspector_rows_shown", json_number(probe_.rows(), 0));
    }
    const auto wk = webkitgtk_.json_fields(bench::IPC_WEBKITGTK_KEYS);
    json.insert(json.end(), wk.begin(), wk.end());
    print_json_line(json);
  }

 private:
  // The WebKitGTK baseline's rounds of the page scenarios it has, in a child process, after
  // myapp's and the naive page's.
  void run_webkitgtk() {
    std::vector<std::string> args = {"--suite", "ipc", "--rounds", std::to_string(options_.runs.rounds()),
                                     "--timeout", std::to_string(options_.runs.timeout().count())};
    if (options_.runs.quick()) args.emplace_back("--quick");
    std::string only;
    for (const auto& s : bench::IPC_SCENARIOS) {
      if (s.on_naive && selected(s.name)) only += (only.empty() ? "" : ",") + s.name;
    }
    if (only.empty()) return;
    if (!options_.only.empty()) args.insert(args.end(), {"--only", only});
    if (!webkitgtk_.run(args, std::chrono::seconds(60 + 8 * options_.runs.timeout().count()))) {
      progress("[webkitgtk] " + webkitgtk_.why_not());
    }
  }

  void run_inspector_modes() {
    char self[4096];
    const auto n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) throw bench_failure("inspector: cannot find this program (/proc/self/exe)");
    const std::string program(self, static_cast<std::size_t>(n));
    for (int round = 0; round < options_.runs.rounds(); ++round) {
      // Off and closed back to back, in turn first (the pair the goal compares), then open.
      std::vector<const inspector_mode*> order = {&INSPECTOR_MODES[0], &INSPECTOR_MODES[1]};
      if (round % 2 == 1) std::swap(order[0], order[1]);
      order.push_back(&INSPECTOR_MODES[2]);
      for (const auto* mode : order) {
        // Three rounds in each child (its medians): one round of 20,000 calls lasts a fraction of
        // a second, too short to tell a few per cent apart.
        std::vector<std::string> argv = {program, "--only", "invoke_pipelined", "--rounds", "3",
                                         "--no-webkitgtk", "--inspector-child"};
        if (options_.runs.quick()) argv.emplace_back("--quick");
        child_process child(argv, mode->env);
        std::string last;
        while (auto line = child.read_line(std::chrono::seconds(60 + options_.runs.timeout().count()))) {
          if (!line->empty() && line->front() == '{') last = *line;
        }
        const int code = child.wait(10s);
        auto result = read_json_line(last);
        if (code != 0 || !result) {
          throw bench_failure(std::string("inspector: the child with the inspector ") + mode->name +
                              " failed (exit code " + std::to_string(code) + ")");
        }
        auto& nums = result->numbers;
        auto& out = results_[std::string("inspector_") + mode->name];
        out["per_s"].push_back(nums["invoke_pipelined_per_s"]);
        out["naive_per_s"].push_back(nums["naive_pipelined_per_s"]);
        if (nums["naive_pipelined_per_s"] > 0) {
          out["vs_naive"].push_back(nums["invoke_pipelined_per_s"] / nums["naive_pipelined_per_s"]);
        }
        if (nums.contains("inspector_eval_p50_ms")) {
          out["eval_p50_ms"].push_back(nums["inspector_eval_p50_ms"]);
          out["eval_max_ms"].push_back(nums["inspector_eval_max_ms"]);
          out["rows_shown"].push_back(nums["inspector_rows_shown"]);
        }
        progress("[inspector] round " + std::to_string(round + 1) + " " + mode->name + " myapp=" +
                 format(nums["invoke_pipelined_per_s"], 0) + "/s naive=" +
                 format(nums["naive_pipelined_per_s"], 0) + "/s" +
                 (nums.contains("inspector_eval_max_ms")
                      ? " inspector page answers in p50 " + format(nums["inspector_eval_p50_ms"], 1) +
                            " ms, max " + format(nums["inspector_eval_max_ms"], 1) + " ms"
                      : std::string()));
        reap_children();
      }
    }
  }

  [[nodiscard]] std::optional<double> inspector(const char* mode, const char* key) const {
    return median_of(results_, std::string("inspector_") + mode, key);
  }
  // The mode's myapp/naive ratio over the inspector-off one's in the same round, the median over
  // the rounds: what the inspector costs.
  [[nodiscard]] std::optional<double> inspector_vs_off(const char* mode) const {
    auto series = [&](const std::string& m) -> const std::vector<double>* {
      auto side = results_.find("inspector_" + m);
      if (side == results_.end()) return nullptr;
      auto it = side->second.find("vs_naive");
      return it == side->second.end() ? nullptr : &it->second;
    };
    const auto* a = series(mode);
    const auto* b = series("off");
    if (a == nullptr || b == nullptr || a->size() != b->size() || a->empty()) return std::nullopt;
    std::vector<double> ratios;
    for (std::size_t i = 0; i < a->size(); ++i) {
      if ((*b)[i] > 0) ratios.push_back((*a)[i] / (*b)[i]);
    }
    if (ratios.empty()) return std::nullopt;
    std::sort(ratios.begin(), ratios.end());
    const auto n = ratios.size();
    return n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
  }

  void print_inspector_table() const {
    if (!inspector("off", "per_s")) return;
    std::printf("\nIPC inspector: pipelined invokes in fresh processes, the inspector off, compiled in but "
                "closed, and open\n");
    std::printf("%-10s %14s %14s %12s %10s %10s\n", "inspector", "myapp/s", "naive/s", "myapp/naive",
                "vs off", "goal");
    for (const char* mode : {"off", "closed", "open"}) {
      const auto vs = inspector_vs_off(mode);
      std::printf("%-10s %14s %14s %12s %10s %10s\n", mode, format(inspector(mode, "per_s"), 0).c_str(),
                  format(inspector(mode, "naive_per_s"), 0).c_str(),
                  format(inspector(mode, "vs_naive"), 2).c_str(),
                  vs ? (format(vs, 3) + "x").c_str() : "-",
                  std::string_view(mode) == "closed" ? ">= 0.98x" : "");
    }
    if (const auto r = median_of(results_, "inspector_router", "ratio")) {
      std::printf("router alone, in this process: %s messages/s with the inspector's trace installed and "
                  "off, %s without one: %sx (goal >= 0.98x)\n",
                  format(median_of(results_, "inspector_router", "idle"), 0).c_str(),
                  format(median_of(results_, "inspector_router", "plain"), 0).c_str(),
                  format(r, 3).c_str());
    }
    if (inspector("open", "eval_max_ms")) {
      std::printf("open: the inspector's page answered a script in p50 %s ms, max %s ms (medians over "
                  "rounds; sampled every 50 ms during the run), showing %s rows\n",
                  format(inspector("open", "eval_p50_ms"), 1).c_str(),
                  format(inspector("open", "eval_max_ms"), 1).c_str(),
                  format(inspector("open", "rows_shown"), 0).c_str());
    }
  }

  [[nodiscard]] bool selected(const std::string& name) const {
    return options_.only.empty() || options_.only.contains(name);
  }

  void run_round(js_side& side, const bench::ipc_scenario& s, const std::string& params, int round) {
    // The slow-consumer run watches this process's memory: what C++ queues for a page that
    // does not keep up lives here.
    const bool watch_rss = s.name == "channel_slow";
    const double rss_before = watch_rss ? rss_mb() : 0;
    double rss_peak = rss_before;
    QTimer sampler;
    if (watch_rss) {
      QObject::connect(&sampler, &QTimer::timeout, [&] { rss_peak = std::max(rss_peak, rss_mb()); });
      sampler.start(50);
    }
    arrivals.clear();
    auto metrics = side.run(s.name, s.name, params, options_.runs.timeout());
    if (s.name == "invoke_seq") {
      // The calls after the warm-up: {"calls":N} of the scenario's parameters.
      const auto calls = std::strtoull(params.c_str() + params.find(':') + 1, nullptr, 10);
      metrics.merge(arrivals.sequential_round_trips(calls));
    }
    if (watch_rss) {
      sampler.stop();
      rss_peak = std::max(rss_peak, rss_mb());
      metrics["rss_delta_mb"] = rss_peak - rss_before;
    }
    std::string line = "[" + s.name + "] round " + std::to_string(round + 1) + " " + side.name();
    for (const auto& [key, value] : metrics) {
      results_[side.name()][s.name + "." + key].push_back(value);
      line += " " + key + "=" + format(value, 1);
    }
    progress(line);
  }

  options options_;
  js_side& myapp_;
  js_side& naive_;
  js_side& isolated_;
  webkitgtk_baseline& webkitgtk_;
  samples results_;
  inspector_probe probe_;
};

}  // namespace

int main(int argc, char** argv) {
  options opts;
  CLI::App cli{"myapp's IPC against a plain QWebChannel app, in one process, round by round in "
               "turn: medians on stdout, then one JSON line (docs/benchmarks.md)",
               "myapp_bench_ipc"};
  opts.runs.add_to(cli, "--rounds", "smaller runs",
                   "seconds a round of one scenario on one side may take");
  cli.add_option("--only", opts.only, "only these scenarios, comma-separated")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::IsMember(SCENARIO_NAMES));
  opts.webkitgtk.add_to(cli);
  cli.add_flag("--inspector-child", opts.inspector_child,
               "(internal) a child of the `inspector` scenario: report the inspector page's responsiveness")
      ->group("");
  if (auto code = parse(cli, argc, argv)) return *code;

  myapp::app app(argc, argv, {.name = "myapp-bench-ipc"});
  app.command("echo_small", [](std::string text) {
    arrivals.mark();
    return text;
  }, {"text"});
  app.command("echo", [](std::string text) { return text; }, {"text"});
  bench::register_events_channels(app);
  // The benchmark page may call every command it uses, and listen to events; the check runs
  // on every call, as in any app.
  app.capability(R"J({"identifier":"bench","windows":["bench","bench-isolated"],"permissions":["core:default",
      "allow-echo_small","allow-echo","allow-emit_events","allow-stream","allow-stream_text"]})J");
  app.window({.label = "bench", .title = "myapp IPC benchmark", .url = "index.html"});
  // The same page behind an isolation hook (page/isolation.js), for the isolation rows.
  app.window({.label = "bench-isolated",
              .title = "myapp IPC benchmark, isolation hook",
              .url = "index.html",
              .isolation = "isolation.js"});
  app.start();
  // After `app`: destroyed first, while Qt is still up.
  naive_page naive(QStringLiteral("myapp-bench-naive"));
  naive.open(new bench::naive_object(&arrivals), QUrl(QStringLiteral("qrc:/naive/index.html")));
  page_pair pages(*app.find_window("bench"), naive);
  myapp::window& isolated_window = *app.find_window("bench-isolated");
  js_side isolated = myapp_side("myapp+isolation", isolated_window);

  try {
    pages.wait_ready(60s);
    if (!wait_until([&] { return isolated_window.ready() && isolated.eval("typeof window.bench", 5s) == "\"object\""; },
                    60s)) {
      throw bench_failure("the page with an isolation hook never completed its handshake");
    }
    progress("all three pages ready");
    if (opts.inspector_child) {
      auto* iw = myapp::runtime::current_inspector_window();
      if (iw != nullptr && iw->window() != nullptr &&
          !wait_until([&] { return iw->window()->ready(); }, 60s)) {
        throw bench_failure("the inspector's page never completed its handshake");
      }
    }

    bench_run run(opts, pages.myapp(), pages.naive(), isolated, opts.webkitgtk);
    run.run_all();
    run.report();
  } catch (const bench_failure& e) {
    std::fprintf(stderr, "myapp_bench_ipc: FAILED: %s\n", e.what());
    return 1;
  }
  return 0;
}
