// Where handlers run: the worker pool, and the extra workers it starts while all of them wait.
#include "myapp/executor.hpp"

#include <algorithm>

namespace myapp {

namespace {
// The pool whose worker the calling thread is, if any.
thread_local thread_pool* current_pool = nullptr;
}  // namespace

thread_pool::thread_pool(std::size_t threads, std::size_t max_extra) {
  if (threads == 0) threads = std::max<std::size_t>(2, std::thread::hardware_concurrency());
  max_threads_ = threads + max_extra;
  std::lock_guard lock(mutex_);
  workers_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) start_worker();
}

void thread_pool::start_worker() {
  workers_.emplace_back([this] {
    current_pool = this;
    run();
  });
}

std::size_t thread_pool::size() const {
  std::lock_guard lock(mutex_);
  return workers_.size();
}

thread_pool::waiting_scope::waiting_scope() : pool_(current_pool) {
  if (pool_ == nullptr) return;
  std::lock_guard lock(pool_->mutex_);
  ++pool_->waiting_;
  // Every worker is waiting on something that is not its own work: one more keeps the queue
  // moving.
  if (pool_->waiting_ >= pool_->workers_.size() && pool_->workers_.size() < pool_->max_threads_ &&
      !pool_->stopping_) {
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
  // No worker starts from now on (stopping_), so the list is stable.
  for (auto& w : workers_) w.join();
  // `dropped` is destroyed here, outside the lock: a task's captures may run code when freed.
}

void thread_pool::post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    queue_.push_back(std::move(task));
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
    }
  }
  tasks.clear();
  if (n == 1) {
    wake_.notify_one();
  } else {
    wake_.notify_all();
  }
}

void thread_pool::run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

}  // namespace myapp
