// myapp — where command handlers run.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace myapp {

/// Runs tasks somewhere: a worker pool, the GUI thread, or inline.
class executor {
 public:
  virtual ~executor() = default;
  /// Queues `task`; may be called from any thread. A task that is never run (the executor
  /// shut down first) is destroyed without being called.
  virtual void post(std::function<void()> task) = 0;
  /// Queues every task of `tasks`, in order, leaving it empty. Executors that can queue many
  /// at once more cheaply than one by one override it.
  virtual void post_all(std::vector<std::function<void()>>& tasks) {
    for (auto& t : tasks) post(std::move(t));
    tasks.clear();
  }
};

/// Runs each task at once, on the calling thread. For tests and tools.
class inline_executor final : public executor {
 public:
  void post(std::function<void()> task) override { task(); }
};

/// A pool of worker threads draining one FIFO queue. The destructor stops the workers after
/// the tasks they are running and drops the tasks still queued.
///
/// A worker about to wait on something that may take long and is not its own work (a channel
/// waiting for the page's credit) marks the wait with `waiting_scope`: while every worker of
/// the pool waits so, the pool starts one more (up to `max_extra`), so that a page that stops
/// reading cannot starve every other page's calls.
class thread_pool final : public executor {
 public:
  /// `threads == 0` picks the number of hardware threads, at least 2.
  explicit thread_pool(std::size_t threads = 0, std::size_t max_extra = 64);
  ~thread_pool() override;
  thread_pool(const thread_pool&) = delete;
  thread_pool& operator=(const thread_pool&) = delete;

  void post(std::function<void()> task) override;
  void post_all(std::vector<std::function<void()>>& tasks) override;
  /// The threads it runs now (the base count, plus extra ones started for waits).
  [[nodiscard]] std::size_t size() const;

  /// Marks the calling thread's wait (see above) for as long as it lives. A no-op off a
  /// pool's worker.
  class waiting_scope {
   public:
    waiting_scope();
    ~waiting_scope();
    waiting_scope(const waiting_scope&) = delete;
    waiting_scope& operator=(const waiting_scope&) = delete;

   private:
    thread_pool* pool_;
  };

 private:
  void run();
  void start_worker();  // with mutex_ held
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::size_t waiting_ = 0;  // workers inside a waiting_scope
  std::size_t max_threads_;
  std::vector<std::thread> workers_;
};

}  // namespace myapp
