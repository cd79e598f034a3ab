// myapp_bench_bytes: binary data and large JSON between C++ and the page, myapp against the raw
// ceilings (a bare scheme handler for C++ -> JS, a bare loopback WebSocket for JS -> C++) and
// the naive baselines (base64 and JSON strings over QWebChannel), all in this process, round by
// round in turn, so that every column comes from the same run of the same noisy machine.
// Scenarios run in the pages (page/bench.js) and time themselves with performance.now();
// this driver starts them, watches memory, collects their numbers and prints medians: a table
// on stdout, then one JSON object as the last line. See docs/benchmarks.md.
#include <QWebEnginePage>

#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "command_line.hpp"
#include "myapp/app.hpp"
#include "naive.hpp"
#include "page_driver.hpp"
#include "page_pair.hpp"
#include "payload.hpp"
#include "plan.hpp"
#include "proc_tree.hpp"
#include "report.hpp"
#include "webkitgtk_baseline.hpp"

namespace {

using namespace std::chrono_literals;
using namespace myapp::bench;

struct options {
  round_options runs{5, 3, 300s};
  bool sweep = false;
  std::vector<std::size_t> sizes;  // the payload sweep (bench/scale): only these sizes
  webkitgtk_baseline webkitgtk;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string loadavg() {
  std::string s = read_file("/proc/loadavg");
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

// ---------------------------------------------------------------------------------------------
// What is measured

using bench::MB10;
using bench::MB100;
using bench::size_params;

// Sizes around the runtime's thresholds (bridge.hpp: inline_bytes 64 KiB, big_message 128 KiB,
// lane_json 64 KiB, lane_bytes 16 KiB): just below, at and just above each.
const std::vector<std::size_t> SWEEP_SIZES = {4096,  12288, 16384,  16385,  24576,  32768,
                                              49152, 65536, 65537,  98304,  131072, 131073,
                                              196608, 262144, 524288, 1048576};

// One column of a measurement: which page, and how it moves the bytes there.
struct column {
  std::string name;  // myapp, raw, b64, naive
  bool on_myapp;
  std::string via;   // the naive page's road for uploads: ws or b64
};

struct measurement {
  std::string key;       // down_10mb, up_100mb, echo, ...
  std::string scenario;  // down, up, echo
  std::string params;    // without `via`
  std::vector<column> columns;
  bool only_first_round = false;
  bool watch_memory = false;  // the myapp column's peak RSS
};

std::vector<measurement> plan(const options& o) {
  const column mine{"myapp", true, ""};
  const column raw_down{"raw", false, ""};
  const column raw_up{"raw", false, "ws"};
  const column b64{"b64", false, "b64"};
  const column naive{"naive", false, ""};
  std::vector<measurement> out;
  if (!o.sizes.empty()) {
    // The payload sweep: every road at every size, one pass (bench/scale draws it).
    for (std::size_t size : o.sizes) {
      const std::string k = std::to_string(size);
      out.push_back({"sweep_down_" + k, "down", bench::sweep_params(size), {mine, raw_down}});
      out.push_back({"sweep_up_" + k, "up", bench::sweep_params(size), {mine, raw_up, b64}});
      if (size <= bench::ECHO_SWEEP_MAX) {
        out.push_back({"sweep_echo_" + k, "echo", bench::sweep_echo_params(size), {mine, naive}});
      }
    }
    return out;
  }
  if (o.runs.quick()) {
    out.push_back({"down_10mb", "down", size_params(MB10, 2, 1), {mine, raw_down}});
    out.push_back({"up_10mb", "up", size_params(MB10, 2, 1), {mine, raw_up}});
    out.push_back({"up_10mb", "up", size_params(MB10, 1, 0), {b64}});
    out.push_back({"echo", "echo", bench::echo_params(1, 1),
                   {mine, naive}});
    out.push_back({"down_100mb", "down", size_params(MB100, 1, 0), {mine, raw_down}, true, true});
    out.push_back({"up_100mb", "up", size_params(MB100, 1, 0), {mine, raw_up}, true, true});
  } else {
    out.push_back({"down_10mb", "down", size_params(MB10, 3, 1), {mine, raw_down}});
    out.push_back({"down_100mb", "down", size_params(MB100, 1, 0), {mine, raw_down}, false, true});
    out.push_back({"up_10mb", "up", size_params(MB10, 3, 1), {mine, raw_up, b64}});
    out.push_back({"up_100mb", "up", size_params(MB100, 1, 0), {mine, raw_up}, false, true});
    // base64 of 100 MB takes ten times longer than anything else: measured in the first round.
    out.push_back({"up_100mb", "up", size_params(MB100, 1, 0), {b64}, true});
    out.push_back({"echo", "echo", bench::echo_params(3, 1),
                   {mine, naive}});
  }
  if (o.sweep) {
    for (std::size_t size : SWEEP_SIZES) {
      const std::string k = std::to_string(size);
      out.push_back({"sweep_down_" + k, "down", size_params(size, 15, 3), {mine, raw_down}});
      out.push_back({"sweep_up_" + k, "up", size_params(size, 15, 3), {mine, raw_up, b64}});
      out.push_back({"sweep_echo_" + k, "echo",
                     R"({"sizes":{"t":)" + k + R"(},"reps":15,"warmup":3)", {mine, naive}});
    }
  }
  return out;
}

std::optional<double> max_of(const samples& all, const std::string& col, const std::string& key) {
  auto s = all.find(col);
  if (s == all.end()) return std::nullopt;
  auto k = s->second.find(key);
  if (k == s->second.end() || k->second.empty()) return std::nullopt;
  return *std::max_element(k->second.begin(), k->second.end());
}

std::optional<double> ratio(std::optional<double> a, std::optional<double> b) {
  if (!a || !b || *b <= 0) return std::nullopt;
  return *a / *b;
}

std::optional<double> max_opt(std::optional<double> a, std::optional<double> b) {
  if (!a) return b;
  if (!b) return a;
  return std::max(*a, *b);
}

// ---------------------------------------------------------------------------------------------

class bench_run {
 public:
  bench_run(const options& o, js_side& myapp_side, js_side& naive_side,
            std::function<pid_t()> renderer, webkitgtk_baseline& webkitgtk)
      : options_(o),
        myapp_(myapp_side),
        naive_(naive_side),
        renderer_pid_(std::move(renderer)),
        webkitgtk_(webkitgtk) {}

  void run_all() {
    const auto items = plan(options_);
    for (int round = 0; round < options_.runs.rounds(); ++round) {
      for (const auto& m : items) {
        if (m.only_first_round && round > 0) continue;
        if (m.key.rfind("sweep_", 0) == 0 && round > 0) continue;  // one pass, many reps
        // Who goes first rotates, so that no column always runs on a warmer machine.
        std::vector<column> order = m.columns;
        std::rotate(order.begin(), order.begin() + static_cast<long>(round % order.size()),
                    order.end());
        for (const auto& c : order) run_one(m, c, round);
      }
    }
    run_webkitgtk();
  }

  // The WebKitGTK baseline's rounds of the same plan, in a child process, after the others.
  void run_webkitgtk() {
    std::vector<std::string> args = {"--suite", "bytes", "--rounds", std::to_string(options_.runs.rounds()),
                                     "--timeout", std::to_string(options_.runs.timeout().count())};
    if (options_.runs.quick()) args.emplace_back("--quick");
    if (!options_.sizes.empty()) {
      std::string sizes;
      for (std::size_t size : options_.sizes) sizes += (sizes.empty() ? "" : ",") + std::to_string(size);
      args.insert(args.end(), {"--sizes", sizes});
    }
    if (!webkitgtk_.run(args, std::chrono::seconds(60 + 10 * options_.runs.timeout().count()))) {
      progress("[webkitgtk] " + webkitgtk_.why_not());
    }
  }

  void report(const std::string& load_start, const std::string& load_end) const {
    auto m = [&](const std::string& col, const std::string& key) {
      return median_of(results_, col, key);
    };
    const auto down10 = m("myapp", "down_10mb.mb_s");
    const auto raw10 = m("raw", "down_10mb.mb_s");
    const auto down100 = m("myapp", "down_100mb.mb_s");
    const auto raw100 = m("raw", "down_100mb.mb_s");
    const auto up10 = m("myapp", "up_10mb.mb_s");
    const auto ws10 = m("raw", "up_10mb.mb_s");
    const auto b6410 = m("b64", "up_10mb.mb_s");
    const auto up100 = m("myapp", "up_100mb.mb_s");
    const auto ws100 = m("raw", "up_100mb.mb_s");
    const auto b64100 = m("b64", "up_100mb.mb_s");
    const auto echo1 = m("myapp", "echo.1mb");
    const auto naive1 = m("naive", "echo.1mb");
    const auto echo5 = m("myapp", "echo.5mb");
    const auto naive5 = m("naive", "echo.5mb");
    const auto rss_down = max_of(results_, "myapp", "down_100mb.rss_delta_mb");
    const auto rss_up = max_of(results_, "myapp", "up_100mb.rss_delta_mb");
    const auto rend_down = max_of(results_, "myapp", "down_100mb.renderer_delta_mb");
    const auto rend_up = max_of(results_, "myapp", "up_100mb.renderer_delta_mb");

    std::printf("myapp bytes benchmark (%s, %d rounds, medians; MB = 10^6 bytes)\n",
                options_.runs.quick() ? "quick" : "full", options_.runs.rounds());
    std::printf("load average at start: %s; at end: %s\n", load_start.c_str(), load_end.c_str());
    auto w = [&](const std::string& key) { return webkitgtk_.value("webkitgtk_" + key); };
    std::printf("%-34s %10s %10s %10s %10s %10s %12s\n", "transfer", "myapp", "raw", "base64", "myapp/raw",
                "webkitgtk", "vs webkitgtk");
    auto line = [&](const char* label, std::optional<double> a, std::optional<double> r,
                    std::optional<double> b, std::optional<double> wv) {
      std::printf("%-34s %10s %10s %10s %10s %10s %12s\n", label, format(a, 0).c_str(),
                  format(r, 0).c_str(), format(b, 0).c_str(), format(ratio(a, r), 2).c_str(),
                  webkitgtk_.cell(format(wv, 0)).c_str(), webkitgtk_.cell(format(ratio(a, wv), 2)).c_str());
    };
    line("C++->JS 10 MB bytes, MB/s", down10, raw10, std::nullopt, w("bytes_down_mb_s"));
    line("C++->JS 100 MB bytes, MB/s", down100, raw100, std::nullopt, w("bytes_down_100mb_mb_s"));
    line("JS->C++ 10 MB Uint8Array, MB/s", up10, ws10, b6410, w("bytes_up_mb_s"));
    line("JS->C++ 100 MB Uint8Array, MB/s", up100, ws100, b64100, w("bytes_up_100mb_mb_s"));
    std::printf("%-34s %10s %10s %10s %10s %10s %12s\n", "JSON echo", "myapp", "naive", "",
                "naive/myapp", "webkitgtk", "vs webkitgtk");
    auto echo_line = [&](const char* label, std::optional<double> a, std::optional<double> nv,
                         std::optional<double> wv) {
      std::printf("%-34s %10s %10s %10s %10s %10s %12s\n", label, format(a, 1).c_str(), format(nv, 1).c_str(),
                  "", format(ratio(nv, a), 2).c_str(), webkitgtk_.cell(format(wv, 1)).c_str(),
                  webkitgtk_.cell(format(ratio(wv, a), 2)).c_str());
    };
    echo_line("echo 1 MB JSON text, ms", echo1, naive1, w("echo_1mb_scheme_ms"));
    echo_line("echo 5 MB JSON text, ms", echo5, naive5, w("echo_5mb_scheme_ms"));
    webkitgtk_.print_note("bytes by custom-scheme fetch GET and POST, echo by custom-scheme POST",
                          !options_.sizes.empty()
                              ? "its payload sweep is below"
                              : "echo through its bound function: 1 MB " + format(w("echo_1mb_ms"), 1) +
                                    " ms, 5 MB " + format(w("echo_5mb_ms"), 1) +
                                    " ms; its UI process's peak RSS increase, 100 MB up: " +
                                    format(w("peak_rss_delta_100mb_up_mb"), 1) + " MB");
    std::printf("echo text: a JSON array of records with quotes, escapes, accents, CJK and an "
                "emoji; 5 MB = %s UTF-16 units, %s bytes of UTF-8\n",
                format(m("myapp", "echo.5mb_chars"), 0).c_str(),
                format(m("myapp", "echo.5mb_utf8"), 0).c_str());
    std::printf("app process peak RSS increase, 100 MB down: %s MB, up: %s MB (max over rounds)\n",
                format(rss_down, 1).c_str(), format(rss_up, 1).c_str());
    std::printf("myapp page's renderer peak RSS increase, 100 MB down: %s MB, up: %s MB\n",
                format(rend_down, 1).c_str(), format(rend_up, 1).c_str());
    std::printf("goals: C++->JS >= 0.90 of raw: 10 MB %s, 100 MB %s; JS->C++ >= 15x base64: "
                "10 MB %s, 100 MB %s; 5 MB echo <= 60 ms: %s; peak RSS <= 300 MB: %s\n",
                format(ratio(down10, raw10), 2).c_str(), format(ratio(down100, raw100), 2).c_str(),
                format(ratio(up10, b6410), 1).c_str(), format(ratio(up100, b64100), 1).c_str(),
                format(echo5, 1).c_str(), format(max_opt(rss_down, rss_up), 1).c_str());
    if (options_.runs.quick()) {
      std::printf("quick: 100 MB transfers measured once, base64 at 100 MB not measured\n");
    } else {
      std::printf("base64 at 100 MB: measured in the first round only\n");
    }
    if (options_.sweep) print_sweep();
    if (!options_.sizes.empty()) print_payload_sweep();

    std::vector<std::pair<std::string, std::string>> json = {
        {"bytes_down_mb_s", json_number(down10, 1)},
        {"raw_down_ceiling_mb_s", json_number(raw10, 1)},
        {"bytes_up_mb_s", json_number(up10, 1)},
        {"raw_up_ceiling_mb_s", json_number(ws10, 1)},
        {"base64_up_mb_s", json_number(b6410, 1)},
        {"echo_1mb_ms", json_number(echo1, 2)},
        {"naive_echo_1mb_ms", json_number(naive1, 2)},
        {"echo_5mb_ms", json_number(echo5, 2)},
        {"naive_echo_5mb_ms", json_number(naive5, 2)},
        {"peak_rss_delta_100mb_mb", json_number(max_opt(rss_down, rss_up), 1)},
        {"peak_rss_delta_100mb_down_mb", json_number(rss_down, 1)},
        {"peak_rss_delta_100mb_up_mb", json_number(rss_up, 1)},
        {"renderer_peak_rss_delta_100mb_down_mb", json_number(rend_down, 1)},
        {"renderer_peak_rss_delta_100mb_up_mb", json_number(rend_up, 1)},
        {"bytes_down_100mb_mb_s", json_number(down100, 1)},
        {"raw_down_ceiling_100mb_mb_s", json_number(raw100, 1)},
        {"bytes_up_100mb_mb_s", json_number(up100, 1)},
        {"raw_up_ceiling_100mb_mb_s", json_number(ws100, 1)},
        {"base64_up_100mb_mb_s", json_number(b64100, 1)},
        {"down_of_ceiling", json_number(ratio(down10, raw10), 3)},
        {"down_100mb_of_ceiling", json_number(ratio(down100, raw100), 3)},
        {"up_vs_base64", json_number(ratio(up10, b6410), 2)},
        {"up_100mb_vs_base64", json_number(ratio(up100, b64100), 2)},
        {"echo_5mb_chars", json_number(m("myapp", "echo.5mb_chars"), 0)},
        {"rounds", std::to_string(options_.runs.rounds())},
        {"quick", options_.runs.quick() ? "true" : "false"},
        {"loadavg_start", '"' + load_start + '"'},
        {"loadavg_end", '"' + load_end + '"'},
    };
    const auto wk_fields = webkitgtk_.json_fields(bench::BYTES_WEBKITGTK_KEYS);
    json.insert(json.end(), wk_fields.begin(), wk_fields.end());
    if (!options_.sizes.empty()) {
      const auto sweep = payload_sweep();
      json.insert(json.end(), sweep.begin(), sweep.end());
    }
    print_json_line(json);
  }

 private:
  // The payload sweep's columns: (JSON key prefix, column, item prefix, metric); the WebKitGTK
  // columns come from its own run.
  struct sweep_column {
    std::string title;
    std::string key;  // JSON key: <key>_<size>_ms
    std::string col;
    std::string item;
    std::string metric;
  };
  static const std::vector<sweep_column>& sweep_columns() {
    static const std::vector<sweep_column> columns = {
        {"down", "sweep_down", "myapp", "sweep_down_", "ms"},
        {"raw down", "raw_sweep_down", "raw", "sweep_down_", "ms"},
        {"up", "sweep_up", "myapp", "sweep_up_", "ms"},
        {"raw up", "raw_sweep_up", "raw", "sweep_up_", "ms"},
        {"b64 up", "base64_sweep_up", "b64", "sweep_up_", "ms"},
        {"echo", "sweep_echo", "myapp", "sweep_echo_", "t"},
        {"naive echo", "naive_sweep_echo", "naive", "sweep_echo_", "t"},
    };
    return columns;
  }
  // The WebKitGTK roads' titles, in the order of SWEEP_WEBKITGTK_ROADS.
  static constexpr const char* WEBKITGTK_TITLES[] = {"wk down", "wk up", "wk echo", "wk echo/s"};

  std::vector<std::pair<std::string, std::string>> payload_sweep() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t size : options_.sizes) {
      const std::string k = std::to_string(size);
      for (const auto& c : sweep_columns()) {
        out.emplace_back(c.key + "_" + k + "_ms",
                         json_number(median_of(results_, c.col, c.item + k + "." + c.metric), 3));
      }
      for (const auto& road : bench::SWEEP_WEBKITGTK_ROADS) {
        const std::string name = road.key + "_" + k + "_ms";
        out.emplace_back(name, json_number(webkitgtk_.value(name), road.decimals));
      }
    }
    return out;
  }

  void print_payload_sweep() const {
    std::printf("\npayload sweep (ms per round trip, mean of one pass; wk: WebKitGTK, echo/s its "
                "scheme POST)\n%12s", "bytes");
    for (const auto& c : sweep_columns()) std::printf(" %10s", c.title.c_str());
    for (const char* title : WEBKITGTK_TITLES) std::printf(" %10s", title);
    std::printf("\n");
    for (std::size_t size : options_.sizes) {
      const std::string k = std::to_string(size);
      std::printf("%12zu", size);
      for (const auto& c : sweep_columns()) {
        std::printf(" %10s", format(median_of(results_, c.col, c.item + k + "." + c.metric), 2).c_str());
      }
      for (const auto& road : bench::SWEEP_WEBKITGTK_ROADS) {
        std::printf(" %10s", format(webkitgtk_.value(road.key + "_" + k + "_ms"), 2).c_str());
      }
      std::printf("\n");
    }
    std::printf("echo: JSON text of that many UTF-16 units, up to %zu (the wire's batch limit is "
                "64 MiB)\n", bench::ECHO_SWEEP_MAX);
  }

  void print_sweep() const {
    std::printf("\nround trips around the thresholds (ms, median of 15; one pass)\n");
    std::printf("%10s %10s %10s %10s %10s %10s %10s %10s\n", "bytes", "down", "raw down", "up",
                "raw up", "b64 up", "echo", "naive echo");
    for (std::size_t size : SWEEP_SIZES) {
      const std::string k = std::to_string(size);
      auto v = [&](const std::string& col, const std::string& key) {
        return format(median_of(results_, col, key), 3);
      };
      std::printf("%10zu %10s %10s %10s %10s %10s %10s %10s\n", size,
                  v("myapp", "sweep_down_" + k + ".ms").c_str(),
                  v("raw", "sweep_down_" + k + ".ms").c_str(),
                  v("myapp", "sweep_up_" + k + ".ms").c_str(),
                  v("raw", "sweep_up_" + k + ".ms").c_str(),
                  v("b64", "sweep_up_" + k + ".ms").c_str(),
                  v("myapp", "sweep_echo_" + k + ".t").c_str(),
                  v("naive", "sweep_echo_" + k + ".t").c_str());
    }
    std::printf("echo sizes are UTF-16 units of JSON text (UTF-8 is about 10%% larger)\n");
  }

  void run_one(const measurement& m, const column& c, int round) {
    js_side& side = c.on_myapp ? myapp_ : naive_;
    std::string params = m.params;
    if (!c.via.empty()) params += R"(,"via":")" + c.via + '"';
    params += '}';
    const bool watch = m.watch_memory && c.on_myapp;
    const pid_t self = ::getpid();
    const pid_t renderer = watch ? renderer_pid_() : 0;
    std::optional<double> rss_before;
    std::optional<double> renderer_before;
    bool renderer_reset = false;
    if (watch) {
      rss_before = status_mb(self, "VmRSS");
      if (!reset_peak(self)) throw bench_failure("cannot reset VmHWM through /proc/self/clear_refs");
      if (renderer > 0) {
        renderer_before = status_mb(renderer, "VmRSS");
        renderer_reset = reset_peak(renderer);
      }
    }
    auto metrics = side.run(m.key + " " + c.name, m.scenario, params, options_.runs.timeout());
    if (watch) {
      if (auto hwm = status_mb(self, "VmHWM"); hwm && rss_before) {
        metrics["rss_delta_mb"] = *hwm - *rss_before;
      }
      if (renderer_reset && renderer_before) {
        if (auto hwm = status_mb(renderer, "VmHWM")) metrics["renderer_delta_mb"] = *hwm - *renderer_before;
      }
    }
    std::string line = "[" + m.key + "] round " + std::to_string(round + 1) + " " + c.name;
    for (const auto& [key, value] : metrics) {
      results_[c.name][m.key + "." + key].push_back(value);
      line += " " + key + "=" + format(value, 2);
    }
    progress(line);
  }

  options options_;
  js_side& myapp_;
  js_side& naive_;
  std::function<pid_t()> renderer_pid_;
  webkitgtk_baseline& webkitgtk_;
  samples results_;
};

}  // namespace

int main(int argc, char** argv) {
  options opts;
  CLI::App cli{"Binary data and large JSON between C++ and the page, myapp against a raw scheme "
               "handler, a raw WebSocket and base64/JSON over QWebChannel, in one process: "
               "medians on stdout, then one JSON line (docs/benchmarks.md)",
               "myapp_bench_bytes"};
  opts.runs.add_to(cli, "--rounds",
                   "10 MB transfers and the echoes in 3 rounds; 100 MB once, without base64",
                   "seconds a run of one column may take");
  cli.add_flag("--sweep", opts.sweep,
               "also round trips from 4 KiB to 1 MiB around the runtime's thresholds");
  cli.add_option("--sizes", opts.sizes,
                 "only the payload sweep: every road at these sizes in bytes, comma-separated, "
                 "one pass (bench/scale draws it)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::Range(std::size_t{1}, std::size_t{200'000'000}));
  opts.webkitgtk.add_to(cli);
  if (auto code = parse(cli, argc, argv)) return *code;
  const std::string load_start = loadavg();

  // Every buffer the senders serve, made (and touched) before anything is timed.
  bench::payload_store store;
  if (opts.sizes.empty()) {
    for (std::size_t size : {MB10, MB100}) store.emplace(size, bench::make_pattern(size));
  }
  for (std::size_t size : opts.sizes) store.emplace(size, bench::make_pattern(size));
  if (opts.sweep) {
    for (std::size_t size : SWEEP_SIZES) store.emplace(size, bench::make_pattern(size));
  }

  // The naive page's scheme must be registered before the QApplication, which myapp::app
  // creates.
  bench::register_raw_scheme();
  myapp::app app(argc, argv, {.name = "myapp-bench-bytes"});
  app.command(
      "make",
      [&store](std::uint64_t n) -> myapp::bytes {
        auto it = store.find(static_cast<std::size_t>(n));
        if (it == store.end()) throw myapp::error("bench.size", "no buffer of " + std::to_string(n) + " bytes");
        return it->second;
      },
      {"n"});
  app.command(
      "sink",
      [](std::span<const std::byte> data) -> std::uint64_t {
        // The page sends the pattern at the size it says; a sample is checked here, inside the
        // timed call, as every receiver of the benchmark does.
        if (auto why = bench::check_pattern(data, data.size()); !why.empty()) {
          throw myapp::error("bench.corrupt", why);
        }
        return data.size();
      },
      {"data"});
  app.command("echo", [](std::string text) { return text; }, {"text"});
  app.capability(R"J({"identifier":"bench","windows":["bench"],"permissions":["core:default",
      "allow-make","allow-sink","allow-echo"]})J");
  app.window({.label = "bench", .title = "myapp bytes benchmark", .url = "index.html"});
  app.start();

  try {
    bench::naive_app naive(store);  // after `app`: destroyed first, while Qt is still up

    myapp::window* window = app.find_window("bench");
    page_pair pages(*window, naive.page());
    pages.wait_ready(60s);
    progress("both pages ready; load average " + load_start);
    pages.fail_on_renderer_death();

    bench_run run(opts, pages.myapp(), pages.naive(),
                  [window] { return static_cast<pid_t>(window->page()->renderProcessPid()); },
                  opts.webkitgtk);
    run.run_all();
    run.report(load_start, loadavg());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "myapp_bench_bytes: FAILED: %s\n", e.what());
    return 1;
  }
  return 0;
}
