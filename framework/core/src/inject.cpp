// What handlers are given besides their arguments: the request's headers and body, and the
// cancellation state behind cancel_token.
#include "myapp/inject.hpp"

#include <thread>

namespace myapp {

namespace {
bool same_name(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}
}  // namespace

std::optional<std::string_view> header_map::get(std::string_view name) const noexcept {
  for (const auto& [n, v] : entries_) {
    if (same_name(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

const header_map& request::headers() const noexcept {
  static const header_map none;
  return headers_ != nullptr ? *headers_ : none;
}

const bytes& request::body() const noexcept {
  static const bytes none;
  return body_ != nullptr ? *body_ : none;
}

namespace detail {

void cancel_state::cancel() {
  std::unique_lock lock(mutex_);
  if (flag_.exchange(true, std::memory_order_acq_rel)) return;
  // One at a time, the lock released while each runs: a callback may register or remove others.
  while (!callbacks_.empty()) {
    auto [id, fn] = std::move(callbacks_.front());
    callbacks_.erase(callbacks_.begin());
    running_ = id;
    runner_ = std::this_thread::get_id();
    lock.unlock();
    fn();
    lock.lock();
    running_ = 0;
    done_.notify_all();
  }
}

std::uint64_t cancel_state::add(std::function<void()> fn) {
  {
    std::lock_guard lock(mutex_);
    if (!flag_.load(std::memory_order_acquire)) {
      const auto id = next_++;
      callbacks_.emplace_back(id, std::move(fn));
      return id;
    }
  }
  fn();
  return 0;
}

void cancel_state::remove(std::uint64_t id) {
  std::unique_lock lock(mutex_);
  std::erase_if(callbacks_, [id](const auto& c) { return c.first == id; });
  // The callback is running on another thread: wait, so that what it uses outlives it. (On this
  // thread it would be the callback removing itself: nothing to wait for.)
  if (running_ == id && running_ != 0 && runner_ != std::this_thread::get_id()) {
    done_.wait(lock, [&] { return running_ != id; });
  }
}

}  // namespace detail

}  // namespace myapp
