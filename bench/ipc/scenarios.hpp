// The page scenarios of bench/ipc (page/bench.js) and their parameters, shared by the suite and
// by the WebKitGTK baseline (bench/webkitgtk), which runs the same ones on its page.
#pragma once

#include <string>
#include <vector>

#include "webkitgtk_baseline.hpp"

namespace bench {

struct ipc_scenario {
  std::string name;
  std::string full_params;
  std::string quick_params;
  bool on_naive;      // also run on the naive page (and on WebKitGTK's)
  bool needs_events;  // the myapp side needs router::emit_event / myapp::channel
  bool on_isolated = false;  // also run in the window with an isolation hook
};

inline const std::vector<ipc_scenario> IPC_SCENARIOS = {
    {"invoke_seq", R"({"calls":3000})", R"({"calls":500})", true, false, true},
    {"invoke_pipelined", R"({"calls":20000,"in_flight":1000})", R"({"calls":5000,"in_flight":1000})",
     true, false, true},
    {"echo", R"({"sizes":{"1kb":1024,"100kb":102400,"1mb":1048576,"5mb":5242880},"reps":5})",
     R"({"sizes":{"1kb":1024,"100kb":102400,"1mb":1048576,"5mb":5242880},"reps":1})", true, false},
    {"events", R"({"count":100000})", R"({"count":20000})", true, true},
    {"channel", R"({"count":200000})", R"({"count":50000})", false, true},
    {"channel_slow", R"({"count":20000,"size":1024})", R"({"count":20000,"size":1024})", false,
     true},
};

/// The WebKitGTK baseline's numbers in this suite (bench/webkitgtk): bench/ipc's keys, prefixed.
/// The `cpp_` round trips are timed in its C++ (its page clock moves in 1 ms steps).
inline const std::vector<myapp::bench::baseline_key> IPC_WEBKITGTK_KEYS = {
    {"webkitgtk_invoke_pipelined_per_s", "invoke_pipelined.per_s", 0},
    {"webkitgtk_invoke_seq_p50_us", "invoke_seq.p50_us", 1},
    {"webkitgtk_invoke_seq_p99_us", "invoke_seq.p99_us", 1},
    {"webkitgtk_invoke_seq_per_s", "invoke_seq.per_s", 0},
    {"webkitgtk_invoke_seq_cpp_p50_us", "invoke_seq.cpp_p50_us", 1},
    {"webkitgtk_invoke_seq_cpp_p99_us", "invoke_seq.cpp_p99_us", 1},
    {"webkitgtk_invoke_seq_cpp_mean_us", "invoke_seq.cpp_mean_us", 1},
    {"webkitgtk_event_push_per_s", "events.per_s", 0},
    {"webkitgtk_echo_1kb_ms", "echo.1kb", 3},
    {"webkitgtk_echo_100kb_ms", "echo.100kb", 3},
    {"webkitgtk_echo_1mb_ms", "echo.1mb", 3},
    {"webkitgtk_echo_5mb_ms", "echo.5mb", 3},
    // The same echo through a custom-scheme POST (its fastest road for large JSON).
    {"webkitgtk_echo_1kb_scheme_ms", "echo_scheme.1kb", 3},
    {"webkitgtk_echo_100kb_scheme_ms", "echo_scheme.100kb", 3},
    {"webkitgtk_echo_1mb_scheme_ms", "echo_scheme.1mb", 3},
    {"webkitgtk_echo_5mb_scheme_ms", "echo_scheme.5mb", 3}};

}  // namespace bench
