// A session for core tests: records every message the router sends (attachments inline as
// base64, as the default send_binary writes them) and can wait for them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "myapp/session.hpp"

namespace myapp::testing {

class recording_session final : public session {
 public:
  explicit recording_session(std::string label = "main") {
    info_.label = std::move(label);
    info_.url = "myapp://localhost/index.html";
    info_.origin = "myapp://localhost";
    info_.local = true;
  }
  const caller_info& caller() const noexcept override { return info_; }
  void send(std::string message) override {
    std::lock_guard lock(mutex_);
    messages_.push_back(std::move(message));
    arrived_.notify_all();
  }
  void on_rejected(std::string_view what) override {
    std::lock_guard lock(mutex_);
    rejected_.emplace_back(what);
  }

  /// Everything sent so far.
  std::vector<std::string> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(messages_, {});
  }
  /// Waits (up to `limit`) until at least `n` messages were sent, then takes them all.
  std::vector<std::string> wait_for(std::size_t n,
                                    std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    std::unique_lock lock(mutex_);
    arrived_.wait_for(lock, limit, [&] { return messages_.size() >= n; });
    return std::exchange(messages_, {});
  }
  std::vector<std::string> rejected() {
    std::lock_guard lock(mutex_);
    return rejected_;
  }

 private:
  caller_info info_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<std::string> messages_;
  std::vector<std::string> rejected_;
};

}  // namespace myapp::testing
