// myapp — where command handlers run.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
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
/// The pool grows past its base size, up to `max_extra` more threads, in two cases, so that
/// work that holds a thread for long cannot starve the work queued behind it:
///  - a worker about to wait on something that is not its own work (a channel waiting for the
///    page's credit) marks the wait with `waiting_scope`: while every worker waits so, the pool
///    starts one more;
///  - with `watch_stalls`, when tasks are queued and every worker has been running its task for
///    `after` or longer, the pool asks `starving()` whether the queued work deserves a thread
///    of its own and, if so, starts one more.
/// A thread past the base size stops after 30 s without work.
class thread_pool final : public executor {
 public:
  /// `threads == 0` picks the number of hardware threads, at least 2.
  explicit thread_pool(std::size_t threads = 0, std::size_t max_extra = 64);
  ~thread_pool() override;
  thread_pool(const thread_pool&) = delete;
  thread_pool& operator=(const thread_pool&) = delete;

  void post(std::function<void()> task) override;
  void post_all(std::vector<std::function<void()>>& tasks) override;
  /// The threads it runs now (the base count, plus extra ones started since).
  [[nodiscard]] std::size_t size() const;

  /// Starts watching for stalls (see above); call once, before posting. `starving` is called
  /// without the pool's lock, from the watching thread. The watch sleeps while the pool is idle.
  void watch_stalls(std::function<bool()> starving, std::chrono::milliseconds after);

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
  struct worker {
    std::thread thread;
    std::chrono::steady_clock::time_point busy_since{};
    bool busy = false;
    bool done = false;  // it stopped (idle past the base size); joined by the next start
  };
  void run(worker& me);
  void watch();
  void start_worker();  // with mutex_ held
  bool all_stalled(std::chrono::steady_clock::time_point now) const;  // with mutex_ held
  void queued();  // with mutex_ held, after queueing: wakes the watch if it sleeps

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::size_t waiting_ = 0;  // workers inside a waiting_scope
  std::size_t idle_ = 0;     // workers waiting for a task
  std::size_t live_ = 0;     // workers not done
  std::size_t base_;
  std::size_t max_threads_;
  std::list<worker> workers_;  // stable addresses: each thread holds its own entry
  // The stall watch.
  std::function<bool()> starving_;
  std::chrono::milliseconds stall_after_{0};
  std::condition_variable watch_wake_;
  bool watch_asleep_ = false;
  std::thread watch_;
};

}  // namespace myapp
