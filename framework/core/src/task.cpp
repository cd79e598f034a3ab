// Coroutine handlers' runtime: the timer thread behind `sleep`, the count of live frames, and
// the cancellation a `co_await` throws.
#include "myapp/task.hpp"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace myapp::detail {

std::atomic<std::size_t>& task_frames() noexcept {
  static std::atomic<std::size_t> frames{0};
  return frames;
}

void throw_cancelled() {
  throw error(errc::cancelled, "the call was cancelled while it waited");
}

struct timer_service::impl {
  std::mutex mutex;
  std::condition_variable wake;
  // Deadlines in order; ties keep their order of scheduling.
  std::multimap<std::chrono::steady_clock::time_point, std::uint64_t> by_time;
  struct entry {
    std::multimap<std::chrono::steady_clock::time_point, std::uint64_t>::iterator at;
    std::function<void()> fn;
  };
  std::unordered_map<std::uint64_t, entry> timers;
  std::uint64_t next = 1;
  bool stopping = false;
  std::thread thread;

  void run() {
    std::unique_lock lock(mutex);
    while (!stopping) {
      if (by_time.empty()) {
        wake.wait(lock);
        continue;
      }
      const auto first = by_time.begin();
      if (first->first > std::chrono::steady_clock::now()) {
        // A copy: wait_until reads the deadline again after waking, and a cancel may have
        // erased the entry (and its key) while the lock was released.
        const auto due = first->first;
        wake.wait_until(lock, due);
        continue;
      }
      const auto id = first->second;
      by_time.erase(first);
      auto it = timers.find(id);
      auto fn = std::move(it->second.fn);
      timers.erase(it);
      lock.unlock();
      fn();
      lock.lock();
    }
  }
};

timer_service::timer_service() : impl_(std::make_unique<impl>()) {
  impl_->thread = std::thread([this] { impl_->run(); });
}

timer_service::~timer_service() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  impl_->thread.join();
}

std::uint64_t timer_service::schedule(std::chrono::steady_clock::time_point when,
                                      std::function<void()> fn) {
  std::lock_guard lock(impl_->mutex);
  const auto id = impl_->next++;
  const auto at = impl_->by_time.emplace(when, id);
  const bool earliest = at == impl_->by_time.begin();
  impl_->timers.emplace(id, impl::entry{at, std::move(fn)});
  if (earliest) impl_->wake.notify_one();
  return id;
}

bool timer_service::cancel(std::uint64_t id) {
  std::function<void()> dropped;  // destroyed outside the lock
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->timers.find(id);
  if (it == impl_->timers.end()) return false;
  impl_->by_time.erase(it->second.at);
  dropped = std::move(it->second.fn);
  impl_->timers.erase(it);
  return true;
}

}  // namespace myapp::detail
