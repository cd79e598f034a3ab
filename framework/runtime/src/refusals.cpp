// The one rate limit on logged refusals.
#include "refusals.hpp"

#include <chrono>
#include <mutex>

#include "log.hpp"

namespace myapp::runtime {

namespace {
constexpr int LINES_PER_SECOND = 20;

struct budget {
  std::mutex mutex;
  std::chrono::steady_clock::time_point window{};
  int logged = 0;
  long suppressed = 0;
};

budget& the_budget() {
  static budget b;
  return b;
}
}  // namespace

void log_refusal(logging::area where, std::string_view what) {
  auto& b = the_budget();
  const auto now = std::chrono::steady_clock::now();
  long left_out = 0;
  bool log_it = false;
  {
    std::lock_guard lock(b.mutex);
    if (now - b.window >= std::chrono::seconds(1)) {
      left_out = b.suppressed;
      b.window = now;
      b.logged = 0;
      b.suppressed = 0;
    }
    if (b.logged < LINES_PER_SECOND) {
      ++b.logged;
      log_it = true;
    } else {
      ++b.suppressed;
    }
  }
  if (left_out > 0) {
    log(where)->warn("... and {} more refusals in the last second, not logged", left_out);
  }
  if (log_it) log(where)->warn("{}", what);
}

}  // namespace myapp::runtime
