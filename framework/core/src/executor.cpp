// Where handlers run: the worker pool, and the extra workers it starts while all of them wait
// or are stalled.
#include "myapp/executor.hpp"

#include <algorithm>

namespace myapp {

namespace {
// The pool whose worker the calling thread is, if any.
thread_local thread_pool* current_pool = nullptr;
// How long a thread past the pool's base size stays without work before it stops.
constexpr auto EXTRA_IDLE = std::chrono::seconds(30);
// How long the stall watch stays awake once the pool is idle.
constexpr auto WATCH_LINGER = std::chrono::seconds(1);
}  // namespace

thread_pool::thread_pool(std::size_t threads, std::size_t max_extra) {
  if (threads == 0) threads = std::max<std::size_t>(2, std::thread::hardware_concurrency());
  base_ = threads;
  max_threads_ = threads + max_extra;
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < threads; ++i) start_worker();
}

void thread_pool::start_worker() {
  // Workers that stopped are joined here (they released the lock before ending).
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (it->done) {
      it->thread.join();
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
  worker& w = workers_.emplace_back();
  ++live_;
  w.thread = std::thread([this, &w] {
    current_pool = this;
    run(w);
  });
}

std::size_t thread_pool::size() const {
  std::lock_guard lock(mutex_);
  return live_;
}

thread_pool::waiting_scope::waiting_scope() : pool_(current_pool) {
  if (pool_ == nullptr) return;
  std::lock_guard lock(pool_->mutex_);
  ++pool_->waiting_;
  // Every worker is waiting on something that is not its own work: one more keeps the queue
  // moving.
  if (pool_->waiting_ >= pool_->live_ && pool_->live_ < pool_->max_threads_ && !pool_->stopping_) {
    pool_->start_worker();
  }
}

thread_pool::waiting_scope::~waiting_scope() {
  if (pool_ == nullptr) return;
  std::lock_guard lock(pool_->mutex_);
  --pool_->waiting_;
}

thread_pool::~thread_pool() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  wake_.notify_all();
  watch_wake_.notify_all();
  if (watch_.joinable()) watch_.join();
  // No worker starts from now on (stopping_), so the list is stable.
  for (auto& w : workers_) w.thread.join();
  // `dropped` is destroyed here, outside the lock: a task's captures may run code when freed.
}

void thread_pool::queued() {
  if (watch_asleep_) {
    watch_asleep_ = false;
    watch_wake_.notify_one();
  }
}

void thread_pool::post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    queue_.push_back(std::move(task));
    queued();
  }
  wake_.notify_one();
}

void thread_pool::post_all(std::vector<std::function<void()>>& tasks) {
  if (tasks.empty()) return;
  const std::size_t n = tasks.size();
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      for (auto& t : tasks) queue_.push_back(std::move(t));
      queued();
    }
  }
  tasks.clear();
  if (n == 1) {
    wake_.notify_one();
  } else {
    wake_.notify_all();
  }
}

void thread_pool::run(worker& me) {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      me.busy = false;
      ++idle_;
      const auto has_work = [this] { return stopping_ || !queue_.empty(); };
      bool woke = true;
      if (live_ > base_) {
        woke = wake_.wait_for(lock, EXTRA_IDLE, has_work);
      } else {
        wake_.wait(lock, has_work);
      }
      --idle_;
      if (stopping_) return;
      if (!woke) {
        if (live_ > base_) {
          // Idle past the pool's base size: stop. The next start_worker (or the destructor)
          // joins the thread.
          me.done = true;
          --live_;
          return;
        }
        continue;
      }
      task = std::move(queue_.front());
      queue_.pop_front();
      me.busy = true;
      me.busy_since = std::chrono::steady_clock::now();
    }
    task();
  }
}

void thread_pool::watch_stalls(std::function<bool()> starving, std::chrono::milliseconds after) {
  std::lock_guard lock(mutex_);
  if (watch_.joinable() || after.count() <= 0) return;
  starving_ = std::move(starving);
  stall_after_ = after;
  watch_ = std::thread([this] { watch(); });
}

bool thread_pool::all_stalled(std::chrono::steady_clock::time_point now) const {
  return std::all_of(workers_.begin(), workers_.end(), [&](const worker& w) {
    return w.done || (w.busy && now - w.busy_since >= stall_after_);
  });
}

void thread_pool::watch() {
  const auto period = std::max(std::chrono::milliseconds(1), stall_after_ / 2);
  std::unique_lock lock(mutex_);
  auto last_active = std::chrono::steady_clock::now();
  while (!stopping_) {
    if (watch_asleep_) {
      // Idle for a while: sleep until work is queued, so that an idle app does not wake.
      watch_wake_.wait(lock, [this] { return stopping_ || !watch_asleep_; });
      last_active = std::chrono::steady_clock::now();
      continue;
    }
    watch_wake_.wait_for(lock, period);
    if (stopping_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!queue_.empty() || idle_ < live_) {
      last_active = now;
    } else if (now - last_active > WATCH_LINGER) {
      watch_asleep_ = true;
      continue;
    }
    if (queue_.empty() || idle_ > 0 || live_ >= max_threads_ || !all_stalled(now)) continue;
    // Asked without the lock: the answer reads the owner's own tables.
    lock.unlock();
    const bool starving = !starving_ || starving_();
    lock.lock();
    if (starving && !stopping_ && !queue_.empty() && idle_ == 0 && live_ < max_threads_) {
      start_worker();
    }
  }
}

}  // namespace myapp
