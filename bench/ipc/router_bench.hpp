// Scenario `router`: the core router alone, no browser, on one core.
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

}  // namespace bench
