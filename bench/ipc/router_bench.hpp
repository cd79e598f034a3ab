// Scenarios `router` and `coroutines`: the core router alone, no browser.
#pragma once

#include <chrono>

namespace bench {

struct router_result {
  double messages_per_s = 0;
  bool ok = false;  // every invoke got its right answer
};

/// Feeds an inline router batches of 100 `add` invokes for about `duration`.
/// The core router alone. With `with_acl`, the app also has 1,000 commands and 100
/// capabilities granting them, and every call is checked against the page's grants.
router_result run_router_bench(std::chrono::milliseconds duration, bool with_acl = false);

struct coroutine_result {
  double wall_ms = 0;
  bool ok = false;  // every call answered with its value
};

/// `calls` concurrent invokes of a coroutine command that sleeps `sleep` (co_await
/// myapp::sleep), on a router with two workers: the wall time until every one has answered.
/// Blocking handlers would take calls × sleep / 2.
coroutine_result run_coroutine_bench(int calls, std::chrono::milliseconds sleep);

}  // namespace bench
