#include "myapp/executor.hpp"

#include <algorithm>

namespace myapp {

thread_pool::thread_pool(std::size_t threads) {
  if (threads == 0) threads = std::max<std::size_t>(2, std::thread::hardware_concurrency());
  workers_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { run(); });
}

thread_pool::~thread_pool() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  wake_.notify_all();
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
