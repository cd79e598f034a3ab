// myapp — coroutine handlers: a command may be a C++20 coroutine returning `myapp::task<T>`.
// While it waits in `co_await` it holds no thread, so thousands of calls can wait on timers,
// I/O or the GUI at once while short commands keep the worker pool to themselves.
//
//     app.command("fetch_report", [](std::string id, myapp::cancel_token cancel)
//                                     -> myapp::task<report> {
//       co_await myapp::sleep(std::chrono::milliseconds(200));      // a timer, no thread held
//       auto rows = co_await myapp::blocking([id] { return db_query(id); });  // blocking pool
//       co_await myapp::on_gui();                                    // now on the GUI thread
//       co_return make_report(rows);
//     }, {"id"});
//
// What a coroutine handler may wait on: `sleep`, `blocking` (a bounded pool of its own, so
// blocking work cannot starve short commands), `on_gui`, another `task<U>`, a channel's
// `send_async` (waits for the page's credit), `suspend_until` (any callback-based API; the
// runtime's myapp/qt_await.hpp builds QFuture and QNetworkReply on it). When the call is
// cancelled (the page aborts it, reloads or closes), whatever it waits on is abandoned and the
// `co_await` throws `myapp::error` with code `cancelled`; the answer is dropped and the frame
// freed. Arguments are taken by value (the frame outlives the call's buffers); `const
// myapp::request&` stays valid until the handler answers.
#pragma once

#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "myapp/error.hpp"
#include "myapp/executor.hpp"
#include "myapp/inject.hpp"

namespace myapp {

template <class T = void>
class task;

namespace detail {

/// Runs callbacks at deadlines on one thread of its own (started on first use).
class timer_service {
 public:
  timer_service();
  ~timer_service();
  timer_service(const timer_service&) = delete;
  timer_service& operator=(const timer_service&) = delete;
  /// Calls `fn` on the timer thread at `when` (keep it short: it posts work elsewhere). Returns
  /// an id for `cancel`.
  std::uint64_t schedule(std::chrono::steady_clock::time_point when, std::function<void()> fn);
  /// Forgets a timer that has not fired; false when it fired already (or never existed).
  bool cancel(std::uint64_t id);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Where a handler's coroutines run and what wakes them, set by the router when it starts one.
struct task_context {
  executor* workers = nullptr;   // resumptions after a wait
  executor* main = nullptr;      // on_gui()
  executor* blocking = nullptr;  // blocking()
  timer_service* timers = nullptr;
  std::shared_ptr<cancel_state> cancel;
};

/// Counts live coroutine frames of handlers (for tests and router_stats).
std::atomic<std::size_t>& task_frames() noexcept;

/// The wake-up of one suspended coroutine: the first of its event and its cancellation wins,
/// and it is resumed on the worker pool only once the suspension is complete (`armed`), so that
/// an event racing with `await_suspend` can never resume it early.
class wake_state {
 public:
  wake_state(std::coroutine_handle<> h, executor* workers) noexcept : h_(h), workers_(workers) {}
  /// The event (or, with `by_cancel`, the cancellation): resumes the coroutine unless the other
  /// came first. Any thread.
  void wake(bool by_cancel) {
    if (woken_.exchange(true, std::memory_order_acq_rel)) return;
    cancelled_ = by_cancel;
    open();
  }
  /// The last step of `await_suspend`: false when the coroutine was woken already (then it
  /// continues at once instead of suspending).
  bool armed() { return gate_.fetch_sub(1, std::memory_order_acq_rel) != 1; }
  [[nodiscard]] bool cancelled() const noexcept { return cancelled_; }

 private:
  void open() {
    if (gate_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      auto h = h_;
      workers_->post([h] { h.resume(); });
    }
  }
  std::coroutine_handle<> h_;
  executor* workers_;
  std::atomic<int> gate_{2};  // the suspension being completed, and the wake-up
  std::atomic<bool> woken_{false};
  bool cancelled_ = false;  // written by the winner before it opens the gate
};

[[noreturn]] void throw_cancelled();

struct promise_base {
  promise_base() noexcept { task_frames().fetch_add(1, std::memory_order_relaxed); }
  ~promise_base() { task_frames().fetch_sub(1, std::memory_order_relaxed); }
  promise_base(const promise_base&) = delete;
  promise_base& operator=(const promise_base&) = delete;

  std::suspend_always initial_suspend() noexcept { return {}; }
  void unhandled_exception() noexcept { error = std::current_exception(); }

  struct final_awaiter {
    bool await_ready() noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      auto& p = h.promise();
      if (p.continuation) return p.continuation;
      // The root of a handler: the router's callback answers the call and frees the frame.
      if (p.on_done) {
        auto done = std::move(p.on_done);
        done();  // may destroy h
      }
      return std::noop_coroutine();
    }
    void await_resume() noexcept {}
  };
  final_awaiter final_suspend() noexcept { return {}; }

  task_context context;
  std::coroutine_handle<> continuation;
  std::function<void()> on_done;
  std::exception_ptr error;
};

template <class T>
struct promise final : promise_base {
  task<T> get_return_object() noexcept;
  template <class U>
    requires std::is_constructible_v<T, U&&>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
  std::optional<T> value;
};
template <>
struct promise<void> final : promise_base {
  task<void> get_return_object() noexcept;
  void return_void() noexcept {}
};

template <class P>
concept handler_promise = std::is_base_of_v<promise_base, P>;

}  // namespace detail

/// The result of a coroutine handler (or of a coroutine it awaits): `co_return` a T. Lazy: it
/// starts when the router starts it, or when it is awaited.
template <class T>
class [[nodiscard]] task {
 public:
  using promise_type = detail::promise<T>;
  using value_type = T;

  task() noexcept = default;
  explicit task(std::coroutine_handle<promise_type> h) noexcept : h_(h) {}
  task(task&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  task& operator=(task&& o) noexcept {
    if (this != &o) {
      if (h_) h_.destroy();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  task(const task&) = delete;
  task& operator=(const task&) = delete;
  ~task() {
    if (h_) h_.destroy();
  }

  struct awaiter {
    std::coroutine_handle<promise_type> h;
    bool await_ready() const noexcept { return !h || h.done(); }
    template <detail::handler_promise P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> parent) noexcept {
      h.promise().context = parent.promise().context;
      h.promise().continuation = parent;
      return h;
    }
    T await_resume() {
      auto& p = h.promise();
      if (p.error) std::rethrow_exception(p.error);
      if constexpr (!std::is_void_v<T>) return std::move(*p.value);
    }
  };
  /// Awaiting a task runs it, in the awaiting handler's context, and gives its value (or
  /// throws what it threw).
  awaiter operator co_await() && noexcept { return awaiter{h_}; }

  /// Internal: hands the frame over to the router, which starts and frees it.
  std::coroutine_handle<promise_type> release() noexcept { return std::exchange(h_, {}); }

 private:
  std::coroutine_handle<promise_type> h_;
};

template <class T>
task<T> detail::promise<T>::get_return_object() noexcept {
  return task<T>(std::coroutine_handle<promise<T>>::from_promise(*this));
}
inline task<void> detail::promise<void>::get_return_object() noexcept {
  return task<void>(std::coroutine_handle<promise<void>>::from_promise(*this));
}

/// Waits `duration` without holding a thread. Throws `error` with code `cancelled` if the call
/// is cancelled first.
class sleep {
 public:
  template <class Rep, class Period>
  explicit sleep(std::chrono::duration<Rep, Period> duration)
      : when_(std::chrono::steady_clock::now() +
              std::chrono::duration_cast<std::chrono::steady_clock::duration>(duration)) {}

  bool await_ready() const noexcept { return false; }
  template <detail::handler_promise P>
  bool await_suspend(std::coroutine_handle<P> h) {
    auto& ctx = h.promise().context;
    timers_ = ctx.timers;
    if (ctx.cancel && ctx.cancel->cancelled()) return false;
    state_ = std::make_shared<detail::wake_state>(h, ctx.workers);
    if (ctx.cancel) {
      registration_ = cancel_token(ctx.cancel).on_cancel([s = state_] { s->wake(true); });
    }
    timer_ = timers_->schedule(when_, [s = state_] { s->wake(false); });
    return state_->armed();
  }
  void await_resume() {
    registration_.reset();
    if (!state_ || state_->cancelled()) {
      if (state_) timers_->cancel(timer_);
      detail::throw_cancelled();
    }
  }

 private:
  std::chrono::steady_clock::time_point when_;
  detail::timer_service* timers_ = nullptr;
  std::shared_ptr<detail::wake_state> state_;
  cancel_registration registration_;
  std::uint64_t timer_ = 0;
};

/// Waits until a callback-based operation says it is done, without holding a thread:
/// `start(resume)` begins the operation and arranges for `resume()` to be called once, from any
/// thread, when it completes. Cancellation stops the wait (the `co_await` throws `cancelled`);
/// the operation itself is left to finish, so `start` must not hand it anything the handler's
/// frame owns.
template <class Start>
class suspend_until {
 public:
  explicit suspend_until(Start start) : start_(std::move(start)) {}
  bool await_ready() const noexcept { return false; }
  template <detail::handler_promise P>
  bool await_suspend(std::coroutine_handle<P> h) {
    auto& ctx = h.promise().context;
    if (ctx.cancel && ctx.cancel->cancelled()) return false;
    state_ = std::make_shared<detail::wake_state>(h, ctx.workers);
    if (ctx.cancel) {
      registration_ = cancel_token(ctx.cancel).on_cancel([s = state_] { s->wake(true); });
    }
    start_([s = state_] { s->wake(false); });
    return state_->armed();
  }
  void await_resume() {
    registration_.reset();
    if (!state_ || state_->cancelled()) detail::throw_cancelled();
  }

 private:
  Start start_;
  std::shared_ptr<detail::wake_state> state_;
  cancel_registration registration_;
};

/// Runs `fn` on the router's blocking pool (threads of its own, bounded: `router_options::
/// blocking_threads`) and gives its result; the handler holds no worker meanwhile. A running
/// `fn` cannot be interrupted: on cancellation the handler resumes when it returns, and the
/// `co_await` throws `cancelled` (let `fn` poll a `cancel_token` to stop early).
template <class F>
class blocking {
 public:
  using value_type = std::invoke_result_t<F&>;
  explicit blocking(F fn) : fn_(std::move(fn)) {}
  bool await_ready() const noexcept { return false; }
  template <detail::handler_promise P>
  void await_suspend(std::coroutine_handle<P> h) {
    auto& ctx = h.promise().context;
    cancel_ = ctx.cancel;
    ctx.blocking->post([this, h, workers = ctx.workers] {
      try {
        if constexpr (std::is_void_v<value_type>) {
          fn_();
          result_.template emplace<1>();
        } else {
          result_.template emplace<1>(fn_());
        }
      } catch (...) {
        result_.template emplace<2>(std::current_exception());
      }
      workers->post([h] { h.resume(); });
    });
  }
  value_type await_resume() {
    if (result_.index() == 2) std::rethrow_exception(std::get<2>(result_));
    if (cancel_ && cancel_->cancelled()) detail::throw_cancelled();
    if constexpr (!std::is_void_v<value_type>) return std::move(std::get<1>(result_));
  }

 private:
  using stored = std::conditional_t<std::is_void_v<value_type>, std::monostate, value_type>;
  F fn_;
  std::variant<std::monostate, stored, std::exception_ptr> result_;
  std::shared_ptr<detail::cancel_state> cancel_;
};

/// Continues the handler on the GUI thread (the router's main executor), for code that touches
/// Qt widgets; a later wait resumes it on the worker pool again.
struct on_gui {
  bool await_ready() const noexcept { return false; }
  template <detail::handler_promise P>
  void await_suspend(std::coroutine_handle<P> h) {
    h.promise().context.main->post([h] { h.resume(); });
  }
  void await_resume() const noexcept {}
};

/// Live coroutine frames of handlers in this process (suspended or running).
[[nodiscard]] inline std::size_t live_task_frames() noexcept {
  return detail::task_frames().load(std::memory_order_relaxed);
}

namespace detail {

template <class T>
struct is_task : std::false_type {};
template <class T>
struct is_task<task<T>> : std::true_type {};

/// Starts a handler's task in `ctx`; `done(promise&)` runs when it completes, on the thread that
/// completes it, and the frame is freed right after.
template <class T, class Done>
void start_task(task<T> t, task_context ctx, Done done) {
  auto h = t.release();
  if (!h) return;
  h.promise().context = std::move(ctx);
  h.promise().on_done = [h, done = std::move(done)]() mutable {
    done(h.promise());
    h.destroy();
  };
  h.resume();
}

}  // namespace detail

}  // namespace myapp
