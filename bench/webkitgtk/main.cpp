// myapp_bench_webkitgtk: the WebKitGTK baseline. The engine Tauri uses on Linux (WebKitGTK 4.1)
// runs the scenarios of bench/ipc or bench/bytes, the same page code (their page/bench.js on
// bench/common/page/harness.js) over the roads Tauri takes there (page/transport.js): a bound
// function (a script message handler, answered by evaluating a callback in the page) and a
// custom scheme (fetch GET and POST). It also measures main() to the first JS callback and the
// process tree's memory once the page is up. Progress goes to stderr; the last line on stdout
// is one JSON object whose keys are the suite's, prefixed `webkitgtk_`.
//
// WebKitGTK has no offscreen platform: run it under xvfb-run (bench/ipc and bench/bytes do,
// and scripts/bench.sh installs what it needs). See docs/benchmarks.md.
#include <gtk/gtk.h>
#include <webkit2/webkit2.h>

#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "command_line.hpp"
#include "pages.hpp"
#include "pattern.hpp"
#include "plan.hpp"
#include "proc_tree.hpp"
#include "report.hpp"
#include "round_trips.hpp"
#include "scenarios.hpp"

namespace {

using namespace std::chrono_literals;
using namespace myapp::bench;
using steady = std::chrono::steady_clock;

const steady::time_point MAIN_START = steady::now();

double ms_since(steady::time_point t) {
  return std::chrono::duration<double, std::milli>(steady::now() - t).count();
}

// ---------------------------------------------------------------------------------------------
// What is run: one page scenario with its parameters, its numbers kept under `key`.

struct item {
  std::string key;
  std::string scenario;
  std::string params;
  bool first_round_only = false;
  bool watch_memory = false;  // this process's peak RSS over the run (the scheme's receiver)
};

struct options {
  round_options runs{5, 3, 300s};
  std::string suite;
  std::set<std::string> only;
  std::vector<std::size_t> sizes;
};

std::vector<item> ipc_plan(const options& o) {
  std::vector<item> out;
  for (const auto& s : bench::IPC_SCENARIOS) {
    if (!s.on_naive) continue;  // myapp's channels: no counterpart here, as for the naive page
    if (!o.only.empty() && !o.only.contains(s.name)) continue;
    out.push_back({s.name, s.name, o.runs.quick() ? s.quick_params : s.full_params});
    if (std::string_view(s.name) == "echo") {
      // And through a custom-scheme POST: `via` in the parameters.
      std::string p = o.runs.quick() ? s.quick_params : s.full_params;
      p.insert(p.size() - 1, R"(,"via":"scheme")");
      out.push_back({"echo_scheme", s.name, std::move(p)});
    }
  }
  return out;
}

std::vector<item> bytes_plan(const options& o) {
  using bench::MB10;
  using bench::MB100;
  using bench::size_params;
  std::vector<item> out;
  if (!o.sizes.empty()) {
    // The payload sweep of bench/scale: every road at every size, one pass.
    for (std::size_t size : o.sizes) {
      const std::string k = std::to_string(size);
      out.push_back({"sweep_down_" + k, "down", bench::sweep_params(size) + "}"});
      out.push_back({"sweep_up_" + k, "up", bench::sweep_params(size) + "}"});
      if (size > bench::ECHO_SWEEP_MAX) continue;
      const std::string echo = bench::sweep_echo_params(size);
      out.push_back({"sweep_echo_" + k, "echo", echo + R"(,"via":"bound"})"});
      out.push_back({"sweep_echo_scheme_" + k, "echo", echo + R"(,"via":"scheme"})"});
    }
    return out;
  }
  const bool quick = o.runs.quick();
  const int reps10 = quick ? 2 : 3;
  const std::string echo = bench::echo_params(quick ? 1 : 3, 1);
  out.push_back({"down_10mb", "down", size_params(MB10, reps10, 1) + "}"});
  out.push_back({"down_100mb", "down", size_params(MB100, 1, 0) + "}", quick});
  out.push_back({"up_10mb", "up", size_params(MB10, reps10, 1) + "}"});
  out.push_back({"up_100mb", "up", size_params(MB100, 1, 0) + "}", quick, true});
  out.push_back({"echo", "echo", echo + R"(,"via":"bound"})"});
  out.push_back({"echo_scheme", "echo", echo + R"(,"via":"scheme"})"});
  return out;
}

// The suite's JSON keys and where their numbers come from (item key . metric).
std::vector<baseline_key> outputs(const options& o) {
  if (o.suite == "ipc") return bench::IPC_WEBKITGTK_KEYS;
  if (o.sizes.empty()) return bench::BYTES_WEBKITGTK_KEYS;
  std::vector<baseline_key> out;
  for (std::size_t size : o.sizes) {
    const std::string k = std::to_string(size);
    for (const auto& road : bench::SWEEP_WEBKITGTK_ROADS) {
      const bool echo = road.source.find("echo") != std::string::npos;
      out.push_back({road.key + "_" + k + "_ms", road.source + k + (echo ? ".t" : ".ms"), road.decimals});
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The GLib main loop, run until something happened.

bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = steady::now() + timeout;
  // Wakes the loop now and then, so that the deadline is noticed when nothing else happens.
  const guint tick = g_timeout_add(50, [](gpointer) -> gboolean { return G_SOURCE_CONTINUE; }, nullptr);
  while (!done() && steady::now() < deadline) g_main_context_iteration(nullptr, TRUE);
  g_source_remove(tick);
  return done();
}

void pump_for(std::chrono::milliseconds ms) {
  const auto until = steady::now() + ms;
  run_until([&] { return steady::now() >= until; }, ms + 100ms);
}

// ---------------------------------------------------------------------------------------------
// The page and what answers it in C++.

class bench_page {
 public:
  explicit bench_page(const std::string& suite) {
    context_ = webkit_web_context_new_ephemeral();
    webkit_web_context_register_uri_scheme(context_, "bench", &bench_page::on_scheme_request,
                                           this, nullptr);
    auto* security = webkit_web_context_get_security_manager(context_);
    webkit_security_manager_register_uri_scheme_as_secure(security, "bench");
    webkit_security_manager_register_uri_scheme_as_cors_enabled(security, "bench");

    content_ = webkit_user_content_manager_new();
    // Connected before the handlers are registered, as WebKit's documentation asks.
    g_signal_connect(content_, "script-message-received::ipc", G_CALLBACK(&bench_page::on_ipc), this);
    g_signal_connect(content_, "script-message-received::result", G_CALLBACK(&bench_page::on_result),
                     this);
    webkit_user_content_manager_register_script_message_handler(content_, "ipc");
    webkit_user_content_manager_register_script_message_handler(content_, "result");

    view_ = WEBKIT_WEB_VIEW(g_object_new(WEBKIT_TYPE_WEB_VIEW, "web-context", context_,
                                         "user-content-manager", content_, nullptr));
    g_signal_connect(view_, "load-failed", G_CALLBACK(&bench_page::on_load_failed), this);
    g_signal_connect(view_, "web-process-terminated", G_CALLBACK(&bench_page::on_terminated), this);
    window_ = gtk_window_new(GTK_WINDOW_TOPLEVEL);
    gtk_window_set_default_size(GTK_WINDOW(window_), 800, 600);
    gtk_container_add(GTK_CONTAINER(window_), GTK_WIDGET(view_));
    gtk_widget_show_all(window_);
    webkit_web_view_load_uri(view_, ("bench://localhost/" + suite + "/index.html").c_str());
  }

  ~bench_page() {
    gtk_widget_destroy(window_);
    g_object_unref(content_);
    g_object_unref(context_);
  }
  bench_page(const bench_page&) = delete;
  bench_page& operator=(const bench_page&) = delete;

  /// The bytes GET /data/<n> serves, made before anything is timed.
  void serve_bytes(std::size_t n) { store_.emplace(n, bench::pattern_bytes(n)); }

  /// Waits for the page's first callback (its transport is served); ms since main().
  double wait_ready(std::chrono::seconds timeout) {
    if (!run_until([&] { return ready_ms_ > 0 || !failure_.empty(); }, timeout)) {
      throw std::runtime_error("the page did not call back within " + std::to_string(timeout.count()) + " s");
    }
    if (!failure_.empty()) throw std::runtime_error(failure_);
    return ready_ms_;
  }

  /// Runs `window.bench.run(scenario, params)` and returns its object of numbers.
  std::map<std::string, double> run(const std::string& what, const std::string& scenario,
                                    const std::string& params, std::chrono::seconds timeout) {
    return settle(what, "window.bench.run('" + scenario + "', " + params + ")", timeout);
  }

  /// Forgets the arrival times of `echo_small` calls.
  void clear_arrivals() { arrivals_.clear(); }

  /// The sequential round trips of the last `calls` `echo_small` calls, timed in C++
  /// (bench/common/round_trips.hpp).
  [[nodiscard]] std::map<std::string, double> sequential_round_trips(std::size_t calls) const {
    return arrivals_.sequential_round_trips(calls);
  }

  /// The page clock's resolution in µs: the smallest step performance.now() takes.
  double clock_resolution_us() {
    const auto r = settle("clock", R"((async () => {
      let a = performance.now(), min = Infinity;
      for (let i = 0; i < 2000000 && min > 0.001; i++) {
        const b = performance.now();
        if (b > a) { min = Math.min(min, b - a); a = b; }
      }
      return { us: min * 1000 };
    })())", 30s);
    const auto it = r.find("us");
    return it == r.end() ? NAN : it->second;
  }

 private:
  // Evaluates `promise` (an expression) from a timer and waits for the object of numbers it
  // settles with.
  std::map<std::string, double> settle(const std::string& what, const std::string& promise,
                                       std::chrono::seconds timeout) {
    result_.reset();
    const std::string post = "window.webkit.messageHandlers.result.postMessage";
    const std::string script = "setTimeout(() => (" + promise + ").then(v => " + post +
                               "(JSON.stringify({ok: v})), e => " + post +
                               "(JSON.stringify({error: String(e && e.message ? e.message : e)}))), 0)";
    evaluate(script);
    if (!run_until([&] { return result_.has_value() || !failure_.empty(); }, timeout)) {
      throw std::runtime_error(what + ": timed out after " + std::to_string(timeout.count()) + " s");
    }
    if (!failure_.empty()) throw std::runtime_error(what + ": " + failure_);
    return read_result(what, *result_);
  }

  void evaluate(const std::string& script) {
    webkit_web_view_evaluate_javascript(view_, script.data(), static_cast<gssize>(script.size()),
                                        nullptr, nullptr, nullptr, nullptr, nullptr);
  }

  std::map<std::string, double> read_result(const std::string& what, const std::string& text) {
    simdjson::dom::parser parser;
    simdjson::dom::object top;
    if (parser.parse(text).get(top) != simdjson::SUCCESS) {
      throw std::runtime_error(what + ": the page answered " + text.substr(0, 200));
    }
    std::string_view error;
    if (top["error"].get(error) == simdjson::SUCCESS) throw std::runtime_error(what + ": " + std::string(error));
    simdjson::dom::object ok;
    if (top["ok"].get(ok) != simdjson::SUCCESS) throw std::runtime_error(what + ": no result in " + text.substr(0, 200));
    std::map<std::string, double> out;
    for (auto [key, value] : ok) {
      double v = NAN;
      if (value.get(v) == simdjson::SUCCESS) out[std::string(key)] = v;
    }
    return out;
  }

  // The bound function: `{id, cmd, args}` from the page, answered with an evaluated callback.
  static void on_ipc(WebKitUserContentManager*, WebKitJavascriptResult* result, gpointer self) {
    auto* page = static_cast<bench_page*>(self);
    gchar* text = jsc_value_to_string(webkit_javascript_result_get_js_value(result));
    page->handle_ipc(text);
    g_free(text);
  }

  void handle_ipc(std::string_view text) {
    simdjson::padded_string padded(text);
    simdjson::ondemand::document doc;
    std::uint64_t id = 0;
    std::string_view cmd;
    simdjson::ondemand::object args;
    if (json_.iterate(padded).get(doc) != simdjson::SUCCESS || doc["id"].get(id) != simdjson::SUCCESS ||
        doc["cmd"].get(cmd) != simdjson::SUCCESS || doc["args"].get(args) != simdjson::SUCCESS) {
      std::fprintf(stderr, "webkitgtk: a malformed message from the page: %.80s\n",
                   std::string(text).c_str());
      return;
    }
    if (cmd == "echo_small") arrivals_.mark();
    const std::string callback = "window.__wk.reply(" + std::to_string(id) + ",";
    if (cmd == "echo" || cmd == "echo_small") {
      std::string_view arg;
      if (args["text"].get(arg) != simdjson::SUCCESS) return fail(id, "echo needs a string `text`");
      evaluate(callback + json_string(arg) + ")");
    } else if (cmd == "emit_events") {
      std::int64_t count = 0;
      if (args["count"].get(count) != simdjson::SUCCESS || count < 0) {
        return fail(id, "emit_events needs a count");
      }
      for (std::int64_t i = 0; i < count; ++i) evaluate("window.__wk.tick(" + std::to_string(i) + ")");
      evaluate(callback + "null)");
    } else {
      fail(id, "no command named " + std::string(cmd));
    }
  }

  void fail(std::uint64_t id, const std::string& message) {
    evaluate("window.__wk.fail(" + std::to_string(id) + "," + json_string(message) + ")");
  }

  static void on_result(WebKitUserContentManager*, WebKitJavascriptResult* result, gpointer self) {
    auto* page = static_cast<bench_page*>(self);
    gchar* text = jsc_value_to_string(webkit_javascript_result_get_js_value(result));
    std::string s = text;
    g_free(text);
    if (s == R"({"ready":true})") {
      if (page->ready_ms_ == 0) page->ready_ms_ = ms_since(MAIN_START);
    } else {
      page->result_ = std::move(s);
    }
  }

  static gboolean on_load_failed(WebKitWebView*, WebKitLoadEvent, gchar* uri, GError* error,
                                 gpointer self) {
    static_cast<bench_page*>(self)->failure_ =
        std::string("the page ") + uri + " failed to load: " + error->message;
    return FALSE;
  }

  static void on_terminated(WebKitWebView*, WebKitWebProcessTerminationReason reason, gpointer self) {
    static_cast<bench_page*>(self)->failure_ =
        reason == WEBKIT_WEB_PROCESS_EXCEEDED_MEMORY_LIMIT ? "the web process exceeded its memory limit"
                                                          : "the web process ended";
  }

  // The custom scheme: the page's files, bytes down, bytes and JSON up.
  static void on_scheme_request(WebKitURISchemeRequest* request, gpointer self) {
    static_cast<bench_page*>(self)->handle_scheme(request);
  }

  void handle_scheme(WebKitURISchemeRequest* request) {
    const std::string path = webkit_uri_scheme_request_get_path(request);
    const char* method_c = webkit_uri_scheme_request_get_http_method(request);
    const std::string method = method_c != nullptr ? method_c : "GET";
    if (method == "GET" && path.rfind("/data/", 0) == 0) {
      const auto it = store_.find(std::strtoull(path.c_str() + 6, nullptr, 10));
      if (it == store_.end()) return refuse(request, "no buffer for " + path);
      // Served in place, as a scheme handler serving an app's buffer does.
      GInputStream* stream = g_memory_input_stream_new_from_data(it->second.data(),
                                                                 static_cast<gssize>(it->second.size()), nullptr);
      webkit_uri_scheme_request_finish(request, stream, static_cast<gint64>(it->second.size()),
                                       "application/octet-stream");
      g_object_unref(stream);
      return;
    }
    if (method == "POST" && (path == "/sink" || path == "/echo")) {
      std::string body;
      if (!read_body(request, body)) return refuse(request, "cannot read the request body");
      std::string answer;
      const char* mime = "text/plain";
      if (path == "/sink") {
        const auto bytes = std::as_bytes(std::span(body.data(), body.size()));
        if (auto why = bench::check_pattern(bytes, body.size()); !why.empty()) return refuse(request, why);
        answer = std::to_string(body.size());
      } else {
        // The arguments parsed and the string written back as JSON, as Tauri's command does.
        simdjson::padded_string padded(body);
        simdjson::ondemand::document doc;
        std::string_view text;
        if (json_.iterate(padded).get(doc) != simdjson::SUCCESS || doc["text"].get(text) != simdjson::SUCCESS) {
          return refuse(request, "echo needs a JSON object with a string `text`");
        }
        answer = json_string(text);
        mime = "application/json";
      }
      finish_text(request, std::move(answer), mime);
      return;
    }
    for (const auto& f : bench::embedded_files()) {
      if (path == f.path) {
        GInputStream* stream = g_memory_input_stream_new_from_data(f.text.data(), static_cast<gssize>(f.text.size()), nullptr);
        webkit_uri_scheme_request_finish(request, stream, static_cast<gint64>(f.text.size()), f.mime);
        g_object_unref(stream);
        return;
      }
    }
    refuse(request, "no file " + path);
  }

  static bool read_body(WebKitURISchemeRequest* request, std::string& body) {
    GInputStream* stream = webkit_uri_scheme_request_get_http_body(request);
    if (stream == nullptr) return true;  // an empty body
    bool ok = true;
    for (;;) {
      const std::size_t at = body.size();
      body.resize(at + (1 << 20));  // grows geometrically underneath, as a Vec does
      gsize n = 0;
      if (!g_input_stream_read_all(stream, body.data() + at, 1 << 20, &n, nullptr, nullptr)) ok = false;
      body.resize(at + n);
      if (!ok || n < (1 << 20)) break;
    }
    g_object_unref(stream);
    return ok;
  }

  static void finish_text(WebKitURISchemeRequest* request, std::string text, const char* mime) {
    auto* owned = new std::string(std::move(text));
    GInputStream* stream = g_memory_input_stream_new_from_data(
        owned->data(), static_cast<gssize>(owned->size()), nullptr);
    g_object_set_data_full(G_OBJECT(stream), "text", owned,
                           [](gpointer p) { delete static_cast<std::string*>(p); });
    webkit_uri_scheme_request_finish(request, stream, static_cast<gint64>(owned->size()), mime);
    g_object_unref(stream);
  }

  static void refuse(WebKitURISchemeRequest* request, const std::string& why) {
    GError* error = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_FAILED, why.c_str());
    webkit_uri_scheme_request_finish_error(request, error);
    g_error_free(error);
  }

  WebKitWebContext* context_ = nullptr;
  WebKitUserContentManager* content_ = nullptr;
  WebKitWebView* view_ = nullptr;
  GtkWidget* window_ = nullptr;
  simdjson::ondemand::parser json_;
  std::map<std::size_t, std::vector<std::uint8_t>> store_;
  bench::round_trip_clock arrivals_;  // of echo_small, for sequential round trips
  double ready_ms_ = 0;
  std::optional<std::string> result_;
  std::string failure_;
};

// ---------------------------------------------------------------------------------------------

struct memory {
  double rss_mb = 0;  // the tree's summed peaks (VmHWM) once the page is up
  double pss_mb = 0;  // the highest PSS sampled while held
};

// The process tree (this UI process, WebKit's web and network processes) once the page is up:
// sampled for `hold`, as bench/startup does.
memory measure_memory(std::chrono::milliseconds hold) {
  memory m;
  const auto until = steady::now() + hold;
  do {
    m.pss_mb = std::max(m.pss_mb, measure_tree(::getpid()).pss_mb);
    pump_for(100ms);
  } while (steady::now() < until);
  const auto t = measure_tree(::getpid());
  m.pss_mb = std::max(m.pss_mb, t.pss_mb);
  m.rss_mb = t.hwm_mb;
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  CLI::App cli{"The WebKitGTK baseline: bench/ipc's or bench/bytes's scenarios on WebKitGTK 4.1, "
               "over a bound function and a custom scheme as Tauri does on Linux; run it under "
               "xvfb-run. Progress on stderr, one JSON line on stdout (docs/benchmarks.md)",
               "myapp_bench_webkitgtk"};
  cli.add_option("--suite", o.suite, "whose scenarios: ipc or bytes")
      ->required()
      ->check(CLI::IsMember({"ipc", "bytes"}));
  o.runs.add_to(cli, "--rounds", "the suite's --quick sizes", "seconds one scenario may take");
  cli.add_option("--only", o.only, "ipc: only these scenarios, comma-separated")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::IsMember({"invoke_seq", "invoke_pipelined", "echo", "events"}));
  cli.add_option("--sizes", o.sizes, "bytes: instead of the suite's plan, one pass of every road "
                                     "at these sizes in bytes, comma-separated (the sweep)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::Range(std::size_t{1}, std::size_t{200'000'000}));
  if (auto code = parse(cli, argc, argv)) return *code;
  if (!o.sizes.empty() && o.suite != "bytes") {
    std::fprintf(stderr, "myapp_bench_webkitgtk: --sizes belongs to --suite bytes\n");
    return 2;
  }

  if (!gtk_init_check(&argc, &argv)) {
    std::fprintf(stderr, "myapp_bench_webkitgtk: no display: run it under xvfb-run (Debian's xvfb)\n");
    return 1;
  }
  const bool bytes = o.suite == "bytes";
  const auto plan = bytes ? bytes_plan(o) : ipc_plan(o);
  const auto keys = outputs(o);
  samples results;
  double startup_ms = NAN;
  double clock_us = NAN;
  memory mem;
  try {
    bench_page page(o.suite);
    startup_ms = page.wait_ready(60s);
    mem = measure_memory(500ms);
    clock_us = page.clock_resolution_us();
    // After the memory is read: the buffers are not the engine's.
    if (bytes) {
      if (o.sizes.empty()) {
        page.serve_bytes(bench::MB10);
        page.serve_bytes(bench::MB100);
      }
      for (std::size_t size : o.sizes) page.serve_bytes(size);
    }
    progress("webkitgtk " + std::to_string(webkit_get_major_version()) + "." +
             std::to_string(webkit_get_minor_version()) + "." +
             std::to_string(webkit_get_micro_version()) + ": main() -> first JS callback " +
             format(startup_ms, 1) + " ms; process tree peak RSS " + format(mem.rss_mb, 1) +
             " MB, PSS " + format(mem.pss_mb, 1) + " MB; page clock resolution " +
             format(clock_us, 1) + " us");
    const bool sweep = !o.sizes.empty();
    for (int round = 0; round < (sweep ? 1 : o.runs.rounds()); ++round) {
      for (const auto& it : plan) {
        if (it.first_round_only && round > 0) continue;
        const pid_t self = ::getpid();
        std::optional<double> rss_before;
        if (it.watch_memory && reset_peak(self)) rss_before = status_mb(self, "VmRSS");
        page.clear_arrivals();
        auto metrics = page.run(it.key, it.scenario, it.params, o.runs.timeout());
        if (it.scenario == "invoke_seq") {
          // The calls after the warm-up: {"calls":N} of the scenario's parameters.
          const auto calls = std::strtoull(it.params.c_str() + it.params.find(':') + 1, nullptr, 10);
          metrics.merge(page.sequential_round_trips(calls));
        }
        if (rss_before) {
          if (auto hwm = status_mb(self, "VmHWM")) metrics["rss_delta_mb"] = *hwm - *rss_before;
        }
        std::string line = "[" + it.key + "] round " + std::to_string(round + 1) + " webkitgtk";
        for (const auto& [key, value] : metrics) {
          results["webkitgtk"][it.key + "." + key].push_back(value);
          line += " " + key + "=" + format(value, 2);
        }
        progress(line);
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "myapp_bench_webkitgtk: FAILED: %s\n", e.what());
    return 1;
  }

  std::vector<std::pair<std::string, std::string>> json;
  for (const auto& k : keys) {
    json.emplace_back(k.key, json_number(median_of(results, "webkitgtk", k.source), k.decimals));
  }
  const std::map<std::string, double> common = {{"webkitgtk_startup_ms", startup_ms},
                                                {"webkitgtk_rss_mb", mem.rss_mb},
                                                {"webkitgtk_pss_mb", mem.pss_mb},
                                                {"webkitgtk_clock_resolution_us", clock_us}};
  for (const auto& k : BASELINE_COMMON_KEYS) json.emplace_back(k.key, json_number(common.at(k.key), k.decimals));
  json.emplace_back("webkitgtk_version",
                    json_string(std::to_string(webkit_get_major_version()) + "." +
                                std::to_string(webkit_get_minor_version()) + "." +
                                std::to_string(webkit_get_micro_version())));
  json.emplace_back("webkitgtk_rounds", std::to_string(o.sizes.empty() ? o.runs.rounds() : 1));
  print_json_line(json);
  return 0;
}
