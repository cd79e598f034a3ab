// Scenarios `router` and `coroutines`: the core router alone, no browser. bench/scale runs the
// router bench with many commands and listeners.
#pragma once

#include <chrono>

namespace bench {

struct router_result {
  double messages_per_s = 0;
  bool ok = false;  // every invoke got its right answer
};

/// What the router holds and what it is fed besides `add`.
struct router_setup {
  /// 999 more commands and 100 capabilities granting them: every call is checked against the
  /// page's grants.
  bool with_acl = false;
  /// Commands registered besides `add` (`cmd_0`, ...), when not `with_acl`.
  int extra_commands = 0;
  /// C++ listeners, one on each of `bench:e0`, `bench:e1`, ...
  int listeners = 0;
  /// Every other message of a batch is an event from the page (`bench:e0`, heard by one
  /// listener) instead of an invoke.
  bool emits = false;
  /// Trace callbacks installed and turned off (router::set_trace_active(false)): the router of
  /// an app whose IPC inspector is compiled in and closed.
  bool idle_trace = false;
};

/// Feeds an inline router batches of 100 messages (`add` invokes, and events with
/// `setup.emits`) for about `duration`: the core router alone. `messages_per_s` counts both
/// kinds; ok means every invoke got its right answer and every event reached its listener.
router_result run_router_bench(std::chrono::milliseconds duration, const router_setup& setup = {});

struct coroutine_result {
  double wall_ms = 0;
  bool ok = false;  // every call answered with its value
};

/// `calls` concurrent invokes of a coroutine command that sleeps `sleep` (co_await
/// myapp::sleep), on a router with two workers: the wall time until every one has answered.
/// Blocking handlers would take calls × sleep / 2.
coroutine_result run_coroutine_bench(int calls, std::chrono::milliseconds sleep);

}  // namespace bench
