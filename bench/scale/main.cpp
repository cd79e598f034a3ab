// myapp_bench_scale: how myapp's costs grow (docs/benchmarks.md).
//
// - windows: 1, 2, 4, 8 and 16 windows, each count a fresh process of
//   myapp_bench_scale_windows per side (myapp; bare QtWebEngine views; plain QWebChannel views),
//   the sides alternating. Once every page is ready the driver samples the process tree's
//   memory (/proc, as bench/startup), then has every window run pipelined invokes at once.
//   An extra window's cost is (memory at N - memory at 1) / (N - 1), against the bare views'.
// - router: the core router alone with 10,000 commands and 10,000 C++ listeners against 10 of
//   each, fed invokes and events from a page (bench/ipc/router_bench.cpp): the cost of one
//   message, rounds alternating.
// - sweep: myapp_bench_bytes --sizes, 1 KB to 100 MB, every road both ways and the JSON echo,
//   with its naive and WebKitGTK baselines; drawn as an SVG chart with --chart.
//
// A table per part on stdout, then one JSON object as the last line.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "chart.hpp"
#include "child_process.hpp"
#include "command_line.hpp"
#include "proc_tree.hpp"
#include "report.hpp"
#include "router_bench.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using namespace myapp::bench;

const std::set<std::string> PARTS = {"windows", "router", "sweep"};
const std::vector<std::string> SIDES = {"myapp", "bare", "naive"};

struct options {
  round_options runs{3, 1, 180s};
  std::set<std::string> only;
  std::vector<int> windows = {1, 2, 4, 8, 16};
  std::vector<std::size_t> sizes = {1'000, 10'000, 100'000, 1'000'000, 10'000'000, 50'000'000,
                                    100'000'000};
  int calls = 0;  // pipelined invokes per window; 0: 4000, 1000 with --quick
  int hold_ms = 500;
  std::string chart;
  std::string windows_program;
  std::string bytes_program;
  std::vector<std::string> bytes_args;  // passed on: --no-webkitgtk, --webkitgtk PATH
  std::string webkitgtk;
  bool no_webkitgtk = false;
};

std::string loadavg() {
  std::ifstream f("/proc/loadavg");
  std::string s;
  std::getline(f, s);
  return s;
}

// ---------------------------------------------------------------------------------------------
// windows

struct window_run {
  double rss_mb = NAN;  // summed peaks (VmHWM) of the tree once every page is ready
  double pss_mb = NAN;  // highest PSS sampled while held
  std::optional<double> aggregate_per_s;
  int processes = 0;
};

window_run run_windows(const options& o, const std::string& side, int n) {
  const int calls = o.calls > 0 ? o.calls : o.runs.quick() ? 5000 : 20000;
  child_process child({o.windows_program, "--side", side, "--windows", std::to_string(n), "--calls",
                       std::to_string(calls), "--timeout", std::to_string(o.runs.timeout().count())});
  window_run r;
  const auto ready = child.read_line(o.runs.timeout());
  if (!ready || *ready != "ready") {
    child.close_stdin();
    child.wait(5s);
    throw std::runtime_error(side + " with " + std::to_string(n) + " windows did not get ready (" +
                             (ready ? "it said: " + *ready : "no answer") + ")");
  }
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(o.hold_ms);
  tree_memory m;
  double pss = 0;
  do {
    m = measure_tree(child.pid());
    pss = std::max(pss, m.pss_mb);
    std::this_thread::sleep_for(100ms);
  } while (std::chrono::steady_clock::now() < until);
  m = measure_tree(child.pid());
  r.pss_mb = std::max(pss, m.pss_mb);
  r.rss_mb = m.hwm_mb;
  r.processes = static_cast<int>(m.processes.size());
  if (side != "bare") {
    child.write_line("go");
    if (auto line = child.read_line(o.runs.timeout())) {
      if (auto json = read_json_line(*line)) {
        if (auto it = json->numbers.find("aggregate_per_s"); it != json->numbers.end()) {
          r.aggregate_per_s = it->second;
        }
      }
    }
    if (!r.aggregate_per_s) {
      throw std::runtime_error(side + " with " + std::to_string(n) + " windows: the pipelined invokes failed");
    }
  }
  child.close_stdin();
  const int code = child.wait(20s);
  // Chromium's processes outlive the browser process for a moment: let them go (this process
  // is their subreaper) before the next run.
  for (int i = 0; i < 50 && process_tree(::getpid()).size() > 1; ++i) {
    reap_children();
    std::this_thread::sleep_for(50ms);
  }
  reap_children();
  if (code != 0) throw std::runtime_error(side + " with " + std::to_string(n) + " windows exited with " + std::to_string(code));
  return r;
}

// ---------------------------------------------------------------------------------------------

class scale_run {
 public:
  explicit scale_run(options o) : o_(std::move(o)) {}

  [[nodiscard]] bool selected(const std::string& part) const { return o_.only.empty() || o_.only.contains(part); }

  void windows() {
    for (int round = 0; round < o_.runs.rounds(); ++round) {
      for (int n : o_.windows) {
        // Who goes first rotates, so that no side always runs on a warmer machine.
        std::vector<std::string> order = SIDES;
        std::rotate(order.begin(), order.begin() + (round + n) % static_cast<int>(order.size()), order.end());
        for (const auto& side : order) {
          const auto r = run_windows(o_, side, n);
          const std::string k = std::to_string(n);
          results_[side]["rss." + k].push_back(r.rss_mb);
          results_[side]["pss." + k].push_back(r.pss_mb);
          if (r.aggregate_per_s) results_[side]["per_s." + k].push_back(*r.aggregate_per_s);
          progress("[windows] round " + std::to_string(round + 1) + " " + side + " x" + k + ": rss " +
                   format(r.rss_mb, 1) + " MB, pss " + format(r.pss_mb, 1) + " MB, " +
                   std::to_string(r.processes) + " processes" +
                   (r.aggregate_per_s ? ", pipelined " + format(*r.aggregate_per_s, 0) + "/s" : ""));
        }
      }
    }
  }

  void router() {
    const auto duration = o_.runs.quick() ? 500ms : 1000ms;
    // Cheap and noisy: at least five rounds.
    for (int round = 0; round < std::max(5, o_.runs.rounds()); ++round) {
      // Invokes only, then invokes and events from the page half and half.
      for (const bool emits : {false, true}) {
        for (int k : {10, 10'000}) {
          auto r = bench::run_router_bench(duration, {.extra_commands = k - 1, .listeners = k, .emits = emits});
          if (!r.ok) throw std::runtime_error("router with " + std::to_string(k) + " commands: wrong or missing answers");
          const std::string mix = emits ? "mixed" : "invoke";
          results_["router"][mix + "." + std::to_string(k)].push_back(1e9 / r.messages_per_s);
          progress("[router] round " + std::to_string(round + 1) + " " + std::to_string(k) +
                   " commands and listeners, " + (emits ? "invokes and events" : "invokes") + ": " +
                   format(1e9 / r.messages_per_s, 1) + " ns per message");
        }
      }
    }
  }

  void sweep() {
    std::string sizes;
    for (auto s : o_.sizes) sizes += (sizes.empty() ? "" : ",") + std::to_string(s);
    std::vector<std::string> argv = {o_.bytes_program, "--sizes", sizes, "--rounds", "1", "--timeout",
                                     std::to_string(std::max<long long>(o_.runs.timeout().count(), 300))};
    if (o_.no_webkitgtk) argv.emplace_back("--no-webkitgtk");
    if (!o_.webkitgtk.empty()) argv.insert(argv.end(), {"--webkitgtk", o_.webkitgtk});
    progress("[sweep] " + o_.bytes_program + " --sizes " + sizes);
    child_process child(argv);
    std::string last;
    while (auto line = child.read_line(std::chrono::hours(2))) {
      if (!line->empty() && line->front() == '{') {
        last = *line;
      } else {
        sweep_lines_.push_back(*line);  // its tables, printed in this report
      }
    }
    if (child.wait(30s) != 0) throw std::runtime_error("myapp_bench_bytes --sizes failed (its messages are above)");
    auto json = read_json_line(last);
    if (!json) throw std::runtime_error("myapp_bench_bytes --sizes printed no JSON line");
    sweep_ = std::move(*json);
    reap_children();
  }

  void report(const std::string& load_start, const std::string& load_end) const {
    std::vector<std::pair<std::string, std::string>> json;
    std::printf("myapp scale benchmark (%s, %d rounds, medians)\nload average at start: %s; at end: %s\n",
                o_.runs.quick() ? "quick" : "full", o_.runs.rounds(), load_start.c_str(), load_end.c_str());
    if (selected("windows")) report_windows(json);
    if (selected("router")) report_router(json);
    if (selected("sweep")) report_sweep(json);
    json.emplace_back("rounds", std::to_string(o_.runs.rounds()));
    json.emplace_back("quick", o_.runs.quick() ? "true" : "false");
    json.emplace_back("loadavg_start", json_string(load_start));
    json.emplace_back("loadavg_end", json_string(load_end));
    print_json_line(json);
  }

  void write_chart(const std::string& load) const {
    if (o_.chart.empty() || !selected("sweep")) return;
    auto series = [&](const std::string& label, const std::string& color, bool dashed, const std::string& key) {
      bench::chart_series s{label, color, dashed, {}};
      for (auto size : o_.sizes) {
        const auto it = sweep_.numbers.find(key + "_" + std::to_string(size) + "_ms");
        if (it != sweep_.numbers.end() && it->second > 0) s.mb_s[size] = static_cast<double>(size) / 1e6 / (it->second / 1e3);
      }
      return s;
    };
    const std::string myapp = "#1f77b4", raw = "#7f7f7f", naive = "#d62728", wk = "#2ca02c", wk_scheme = "#9467bd";
    const std::vector<bench::chart_panel> panels = {
        {"C++ -> JS bytes",
         {series("myapp (make -> ArrayBuffer)", myapp, false, "sweep_down"),
          series("raw scheme handler, XHR GET", raw, true, "raw_sweep_down"),
          series("WebKitGTK scheme, fetch GET", wk_scheme, false, "webkitgtk_sweep_down")}},
        {"JS -> C++ bytes",
         {series("myapp (Uint8Array -> span)", myapp, false, "sweep_up"),
          series("raw loopback WebSocket", raw, true, "raw_sweep_up"),
          series("base64 over QWebChannel", naive, false, "base64_sweep_up"),
          series("WebKitGTK scheme, fetch POST", wk_scheme, false, "webkitgtk_sweep_up")}},
        {"JSON text echo (round trip)",
         {series("myapp (invoke echo)", myapp, false, "sweep_echo"),
          series("naive QWebChannel (JSON strings)", naive, false, "naive_sweep_echo"),
          series("WebKitGTK bound function", wk, false, "webkitgtk_sweep_echo"),
          series("WebKitGTK scheme POST", wk_scheme, false, "webkitgtk_sweep_echo_scheme")}},
    };
    const std::string svg = bench::sweep_chart_svg(
        "Payload sweep: myapp against its baselines (higher is faster)",
        "MB/s of one transfer or echo (the mean of 1 to 40), one pass; echo sizes are UTF-16 units of JSON "
        "text; load average " + load, panels);
    std::ofstream out(o_.chart);
    out << svg;
    if (!out) throw std::runtime_error("cannot write the chart to " + o_.chart);
    progress("[sweep] chart written to " + o_.chart);
  }

 private:
  [[nodiscard]] std::optional<double> med(const std::string& side, const std::string& key) const {
    return median_of(results_, side, key);
  }

  // (memory at N - memory at 1) / (N - 1)
  [[nodiscard]] std::optional<double> per_extra(const std::string& side, const std::string& what, int n) const {
    const auto a = med(side, what + "." + std::to_string(n));
    const auto b = med(side, what + ".1");
    if (!a || !b || n <= 1) return std::nullopt;
    return (*a - *b) / (n - 1);
  }

  static std::optional<double> ratio(std::optional<double> a, std::optional<double> b) {
    if (!a || !b || *b <= 0) return std::nullopt;
    return *a / *b;
  }

  void report_windows(std::vector<std::pair<std::string, std::string>>& json) const {
    std::printf("\nwindows: process tree memory once every page is ready (MB), and pipelined "
                "invokes in all windows at once\n");
    std::printf("%8s %9s %9s %9s %9s %9s %9s %12s %12s %12s %12s\n", "windows", "myapp RSS", "bare RSS",
                "naive RSS", "myapp PSS", "bare PSS", "naive PSS", "+win myapp", "+view bare", "ratio RSS",
                "ratio PSS");
    for (int n : o_.windows) {
      const std::string k = std::to_string(n);
      const auto mr = per_extra("myapp", "rss", n), br = per_extra("bare", "rss", n);
      const auto mp = per_extra("myapp", "pss", n), bp = per_extra("bare", "pss", n);
      std::printf("%8d %9s %9s %9s %9s %9s %9s %12s %12s %12s %12s\n", n, format(med("myapp", "rss." + k), 1).c_str(),
                  format(med("bare", "rss." + k), 1).c_str(), format(med("naive", "rss." + k), 1).c_str(),
                  format(med("myapp", "pss." + k), 1).c_str(), format(med("bare", "pss." + k), 1).c_str(),
                  format(med("naive", "pss." + k), 1).c_str(), format(mr, 1).c_str(), format(br, 1).c_str(),
                  format(ratio(mr, br), 3).c_str(), format(ratio(mp, bp), 3).c_str());
      for (const auto& side : SIDES) {
        const std::string prefix = side == "myapp" ? "" : side + "_";
        json.emplace_back(prefix + "windows_" + k + "_rss_mb", json_number(med(side, "rss." + k), 1));
        json.emplace_back(prefix + "windows_" + k + "_pss_mb", json_number(med(side, "pss." + k), 1));
      }
    }
    std::printf("+win, +view: RSS per extra window, (RSS at N - RSS at 1) / (N - 1); ratio: myapp's "
                "over bare's (goal <= 1.05)\n");
    std::printf("%8s %16s %16s %10s\n", "windows", "myapp invokes/s", "naive invokes/s", "ratio");
    for (int n : o_.windows) {
      const std::string k = std::to_string(n);
      const auto m = med("myapp", "per_s." + k), nv = med("naive", "per_s." + k);
      std::printf("%8d %16s %16s %10s\n", n, format(m, 0).c_str(), format(nv, 0).c_str(), format(ratio(m, nv), 2).c_str());
      json.emplace_back("windows_" + k + "_pipelined_per_s", json_number(m, 0));
      json.emplace_back("naive_windows_" + k + "_pipelined_per_s", json_number(nv, 0));
    }
    std::printf("invokes/s: every window's calls over the time from the first window's start to "
                "the last window's last answer\n");
    const int top = o_.windows.back();
    json.emplace_back("extra_window_rss_mb", json_number(per_extra("myapp", "rss", top), 2));
    json.emplace_back("bare_extra_view_rss_mb", json_number(per_extra("bare", "rss", top), 2));
    json.emplace_back("naive_extra_view_rss_mb", json_number(per_extra("naive", "rss", top), 2));
    json.emplace_back("extra_window_rss_ratio", json_number(ratio(per_extra("myapp", "rss", top), per_extra("bare", "rss", top)), 3));
    json.emplace_back("extra_window_pss_mb", json_number(per_extra("myapp", "pss", top), 2));
    json.emplace_back("bare_extra_view_pss_mb", json_number(per_extra("bare", "pss", top), 2));
    json.emplace_back("naive_extra_view_pss_mb", json_number(per_extra("naive", "pss", top), 2));
    json.emplace_back("extra_window_pss_ratio", json_number(ratio(per_extra("myapp", "pss", top), per_extra("bare", "pss", top)), 3));
  }

  void report_router(std::vector<std::pair<std::string, std::string>>& json) const {
    std::printf("\nrouter: ns per message, inline on one core; 10 against 10,000 commands and C++ "
                "listeners (one per event name)\n");
    std::printf("%-34s %12s %12s %10s\n", "messages", "10", "10,000", "ratio");
    for (const auto& [mix, label] : {std::pair<std::string, std::string>{"invoke", "invokes"},
                                     {"mixed", "invokes and page events, 1:1"}}) {
      const auto small = med("router", mix + ".10"), big = med("router", mix + ".10000");
      std::printf("%-34s %12s %12s %10s\n", label.c_str(), format(small, 1).c_str(), format(big, 1).c_str(),
                  format(ratio(big, small), 3).c_str());
      const std::string key = mix == "invoke" ? "router_invoke" : "router";
      json.emplace_back(key + "_10_ns_per_msg", json_number(small, 1));
      json.emplace_back(key + "_10000_ns_per_msg", json_number(big, 1));
      json.emplace_back(key + "_scale_ratio", json_number(ratio(big, small), 3));
    }
    std::printf("ratio: the cost of one message with 10,000 over with 10 (goal <= 1.1)\n");
  }

  void report_sweep(std::vector<std::pair<std::string, std::string>>& json) const {
    std::printf("\npayload sweep (myapp_bench_bytes --sizes):\n");
    bool in_sweep = false;
    for (const auto& line : sweep_lines_) {
      if (line.rfind("payload sweep", 0) == 0) in_sweep = true;
      if (in_sweep || line.rfind("webkitgtk", 0) == 0) std::printf("%s\n", line.c_str());
    }
    for (const auto& [key, value] : sweep_.numbers) {
      if (key.find("sweep_") != std::string::npos) json.emplace_back(key, json_number(value, 3));
    }
    if (auto it = sweep_.strings.find("webkitgtk_note"); it != sweep_.strings.end()) {
      json.emplace_back("webkitgtk_note", json_string(it->second));
    }
    if (!o_.chart.empty()) json.emplace_back("chart", json_string(o_.chart));
  }

  options o_;
  samples results_;
  json_line sweep_;
  std::vector<std::string> sweep_lines_;
};

}  // namespace

int main(int argc, char** argv) {
  options o;
  const fs::path here = fs::read_symlink("/proc/self/exe").parent_path();
  o.windows_program = (here / "myapp_bench_scale_windows").string();
  o.bytes_program = (here.parent_path() / "bytes" / "myapp_bench_bytes").string();
  CLI::App cli{"How myapp's costs grow: windows (memory, pipelined invokes), a router with 10,000 "
               "commands and listeners, and a payload sweep from 1 KB to 100 MB against naive "
               "QWebChannel and WebKitGTK (docs/benchmarks.md)",
               "myapp_bench_scale"};
  o.runs.add_to(cli, "--rounds", "one round, fewer invokes", "seconds a program may take to get ready or answer");
  cli.add_option("--only", o.only, "only these parts: windows, router, sweep")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::IsMember(PARTS));
  cli.add_option("--windows", o.windows, "window counts, comma-separated, starting at 1")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cli.add_option("--sizes", o.sizes, "payload sizes of the sweep in bytes, comma-separated")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::Range(std::size_t{1}, std::size_t{200'000'000}))
      ->capture_default_str();
  cli.add_option("--calls", o.calls, "pipelined invokes per window (default 20000, 5000 with --quick)")
      ->check(at_least(1));
  cli.add_option("--hold-ms", o.hold_ms, "how long memory is sampled once the windows are ready")
      ->check(at_least(0))
      ->capture_default_str();
  cli.add_option("--chart", o.chart, "write the sweep's SVG chart to this file");
  cli.add_option("--webkitgtk", o.webkitgtk, "the WebKitGTK baseline program, for the sweep");
  cli.add_flag("--no-webkitgtk", o.no_webkitgtk, "the sweep without the WebKitGTK baseline");
  if (auto code = parse(cli, argc, argv)) return *code;
  std::sort(o.windows.begin(), o.windows.end());
  o.windows.erase(std::unique(o.windows.begin(), o.windows.end()), o.windows.end());
  if (o.windows.front() != 1) {
    std::fprintf(stderr, "myapp_bench_scale: --windows must start at 1 (the extra windows are counted from it)\n");
    return 2;
  }
  std::sort(o.sizes.begin(), o.sizes.end());
  if (auto exe = first_not_executable({o.windows_program, o.bytes_program})) {
    std::fprintf(stderr, "myapp_bench_scale: %s is not an executable (build it first)\n", exe->c_str());
    return 2;
  }

  const std::string load_start = loadavg();
  scale_run run(o);
  int code = 0;
  try {
    const scratch_home home("myapp-bench-scale");
    if (run.selected("router")) run.router();
    if (run.selected("windows")) run.windows();
    if (run.selected("sweep")) run.sweep();
    const std::string load_end = loadavg();
    run.report(load_start, load_end);
    run.write_chart(load_start.substr(0, load_start.find(' ')) + " at start, " +
                    load_end.substr(0, load_end.find(' ')) + " at end");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "myapp_bench_scale: FAILED: %s\n", e.what());
    code = 1;
  }
  return code;
}
