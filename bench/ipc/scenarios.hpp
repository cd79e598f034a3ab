// The page scenarios of bench/ipc (page/bench.js) and their parameters, shared by the suite and
// by the WebKitGTK baseline (bench/webkitgtk), which runs the same ones on its page.
#pragma once

#include <string>
#include <vector>

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

}  // namespace bench
