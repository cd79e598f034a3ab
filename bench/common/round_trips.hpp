// Sequential round trips timed in C++: when a page makes one call at a time, each sent when the
// previous answer arrived, the time between two arrivals of the call in C++ is one whole round
// trip, on steady_clock — finer than a page's clock (QtWebEngine's performance.now() moves in
// 100 us steps, WebKitGTK's in 1 ms). Thread-safe: handlers mark from any thread.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace bench {

class round_trip_clock {
 public:
  /// A call arrived in C++.
  void mark() {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    arrivals_.push_back(now);
  }
  /// Forgets the arrivals so far.
  void clear() {
    std::lock_guard lock(mutex_);
    arrivals_.clear();
  }
  /// {cpp_p50_us, cpp_p99_us, cpp_mean_us} over the gaps between the last `calls` arrivals
  /// (the warm-up calls before them are left out); empty with fewer than 2 arrivals.
  [[nodiscard]] std::map<std::string, double> sequential_round_trips(std::size_t calls) const {
    std::vector<double> us;
    {
      std::lock_guard lock(mutex_);
      if (arrivals_.size() < 2) return {};
      const std::size_t first = arrivals_.size() > calls ? arrivals_.size() - calls : 1;
      for (std::size_t i = first; i < arrivals_.size(); ++i) {
        us.push_back(std::chrono::duration<double, std::micro>(arrivals_[i] - arrivals_[i - 1]).count());
      }
    }
    double sum = 0;
    for (double u : us) sum += u;
    std::sort(us.begin(), us.end());
    auto at = [&](double q) {
      return us[std::min(us.size() - 1, static_cast<std::size_t>(q * static_cast<double>(us.size())))];
    };
    return {{"cpp_p50_us", at(0.5)},
            {"cpp_p99_us", at(0.99)},
            {"cpp_mean_us", sum / static_cast<double>(us.size())}};
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::chrono::steady_clock::time_point> arrivals_;
};

}  // namespace bench
