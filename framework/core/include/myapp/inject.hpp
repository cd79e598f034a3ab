// myapp — parameters the router fills in for a handler, rather than reading them from `args`.
//
//     app.command("save", [](myapp::state<store> db, const myapp::request& req,
//                            myapp::cancel_token cancel, myapp::webview caller, note n) {
//       if (cancel.cancelled()) return false;
//       db->put(n);
//       caller.emit_event("saved", n.id);   // only the calling page's listeners
//       return true;
//     }, {"n"});
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <typeindex>
#include <utility>
#include <vector>

#include "myapp/acl.hpp"
#include "myapp/bytes.hpp"
#include "myapp/error.hpp"
#include "myapp/json.hpp"
#include "myapp/session.hpp"

namespace myapp {

/// The `headers` of an invoke (`invoke(cmd, args, { headers })`): names compared without regard
/// to ASCII case, as HTTP's are; values are strings.
class header_map {
 public:
  header_map() = default;
  explicit header_map(std::vector<std::pair<std::string, std::string>> entries)
      : entries_(std::move(entries)) {}
  /// The value of the first header named `name` (any case), or nullopt.
  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const noexcept;
  [[nodiscard]] bool contains(std::string_view name) const noexcept { return get(name).has_value(); }
  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }
  [[nodiscard]] bool empty() const noexcept { return entries_.empty(); }
  /// The headers as the page wrote them, in order.
  [[nodiscard]] auto begin() const noexcept { return entries_.begin(); }
  [[nodiscard]] auto end() const noexcept { return entries_.end(); }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

/// What a handler may ask for about the call it is serving: `const myapp::request&` — its id,
/// command and caller, its headers, and its raw body (Tauri's `ipc::Request`):
///
///     app.command("upload", [](const myapp::request& req) {
///       auto auth = req.header("authorization");
///       if (!auth) throw myapp::reject("missing Authorization header");
///       save(req.body());   // myapp::bytes: invoke('upload', bytes, { headers })
///     }, {}, {.raw_body = true});
class request {
 public:
  request(std::uint64_t id, std::string_view command, const caller_info& caller,
          std::string_view headers_json, const header_map* headers = nullptr,
          const bytes* body = nullptr) noexcept
      : id_(id), command_(command), caller_(&caller), headers_json_(headers_json),
        headers_(headers), body_(body) {}
  [[nodiscard]] std::uint64_t id() const noexcept { return id_; }
  [[nodiscard]] std::string_view command() const noexcept { return command_; }
  [[nodiscard]] const caller_info& caller() const noexcept { return *caller_; }
  /// The `headers` the page passed in invoke's options, as a JSON object ("{}" when none).
  [[nodiscard]] std::string_view headers_json() const noexcept { return headers_json_; }
  /// The headers, read once; names compare without regard to case.
  [[nodiscard]] const header_map& headers() const noexcept;
  /// The value of the header `name` (any case), or nullopt.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const noexcept {
    return headers().get(name);
  }
  /// True when the page sent a raw body (`invoke(cmd, bytes)`) rather than JSON arguments.
  [[nodiscard]] bool has_body() const noexcept { return body_ != nullptr; }
  /// The raw body; empty when the call carried JSON arguments.
  [[nodiscard]] const bytes& body() const noexcept;

 private:
  std::uint64_t id_;
  std::string_view command_;
  const caller_info* caller_;
  std::string_view headers_json_;
  const header_map* headers_;
  const bytes* body_;
};

namespace detail {
/// What a call's cancel_token shares with the router: the flag, and the callbacks to run when
/// it is set.
class cancel_state {
 public:
  [[nodiscard]] bool cancelled() const noexcept { return flag_.load(std::memory_order_acquire); }
  /// Sets the flag and runs every callback registered, once, on this thread. Any thread.
  void cancel();
  /// Registers `fn`, or runs it at once when the call is cancelled already. Returns the id
  /// `remove` takes (0 when it ran at once).
  std::uint64_t add(std::function<void()> fn);
  /// Unregisters a callback; when it is running on another thread, waits until it returns.
  void remove(std::uint64_t id);

 private:
  std::atomic<bool> flag_{false};
  std::mutex mutex_;
  std::condition_variable done_;
  std::vector<std::pair<std::uint64_t, std::function<void()>>> callbacks_;
  std::uint64_t next_ = 1;
  std::uint64_t running_ = 0;  // the callback cancel() is running, 0 when none
  std::thread::id runner_;     // the thread running it
};
}  // namespace detail

/// Removes its cancellation callback when destroyed (see `cancel_token::on_cancel`).
class cancel_registration {
 public:
  cancel_registration() = default;
  cancel_registration(std::shared_ptr<detail::cancel_state> s, std::uint64_t id) noexcept
      : state_(std::move(s)), id_(id) {}
  cancel_registration(cancel_registration&& o) noexcept
      : state_(std::move(o.state_)), id_(std::exchange(o.id_, 0)) {}
  cancel_registration& operator=(cancel_registration&& o) noexcept {
    if (this != &o) {
      reset();
      state_ = std::move(o.state_);
      id_ = std::exchange(o.id_, 0);
    }
    return *this;
  }
  cancel_registration(const cancel_registration&) = delete;
  cancel_registration& operator=(const cancel_registration&) = delete;
  ~cancel_registration() { reset(); }
  /// Unregisters now (waiting for the callback if it is running on another thread).
  void reset() {
    if (state_ && id_ != 0) state_->remove(id_);
    state_.reset();
    id_ = 0;
  }

 private:
  std::shared_ptr<detail::cancel_state> state_;
  std::uint64_t id_ = 0;
};

/// Tells a handler that its call was cancelled: the page aborted it (`invoke(..., {signal})`)
/// or went away. Long handlers poll `cancelled()` or register `on_cancel`, and stop early;
/// their answer is dropped. A coroutine handler waiting in `co_await` is woken at once.
class cancel_token {
 public:
  cancel_token() : state_(std::make_shared<detail::cancel_state>()) {}
  explicit cancel_token(std::shared_ptr<detail::cancel_state> s) : state_(std::move(s)) {}
  [[nodiscard]] bool cancelled() const noexcept { return state_->cancelled(); }
  void cancel() const { state_->cancel(); }
  /// Calls `fn` once when the call is cancelled — at once when it already is — on the thread
  /// that cancels it (the GUI thread when the page aborts the call or goes away): keep it short,
  /// e.g. abort a socket or notify a condition variable. Keep the registration while `fn` may
  /// run; destroying it unregisters `fn` (waiting for it if it is running elsewhere).
  [[nodiscard]] cancel_registration on_cancel(std::function<void()> fn) const {
    const auto id = state_->add(std::move(fn));
    return id == 0 ? cancel_registration() : cancel_registration(state_, id);
  }
  /// Internal: the shared state.
  [[nodiscard]] const std::shared_ptr<detail::cancel_state>& state() const noexcept {
    return state_;
  }

 private:
  std::shared_ptr<detail::cancel_state> state_;
};

/// Shared state registered once with `router::manage` (or `app::manage`) and handed to every
/// handler that asks for `myapp::state<T>`. Handlers run on several threads at once: protect T
/// with a mutex or make it thread-safe.
template <class T>
class state {
 public:
  explicit state(std::shared_ptr<T> value) noexcept : value_(std::move(value)) {}
  [[nodiscard]] T& get() const noexcept { return *value_; }
  T* operator->() const noexcept { return value_.get(); }
  T& operator*() const noexcept { return *value_; }

 private:
  std::shared_ptr<T> value_;
};

/// The scope of the call: the allow and deny entries that the permissions granting this
/// command to the calling page carry (capabilities/*.json, permissions/*.json), read as T.
///
///     struct path_rule { std::string path; };
///     MYAPP_STRUCT(path_rule, path)
///     app.command("read_file", [](myapp::scope<path_rule> scope, std::string path) {
///       if (!scope.permits([&](const path_rule& r) { return glob_match(r.path, path); }))
///         throw myapp::error("fs.forbidden", path + " is outside the allowed folders");
///       ...
///     }, {"path"});
template <class T>
class scope {
 public:
  scope() = default;
  /// Reads every entry as a T; throws myapp::error("acl.scope_invalid") when one does not fit.
  explicit scope(const acl::scope_entries& entries) {
    read(entries.allow, allow_, "allow");
    read(entries.deny, deny_, "deny");
  }
  [[nodiscard]] const std::vector<T>& allowed() const noexcept { return allow_; }
  [[nodiscard]] const std::vector<T>& denied() const noexcept { return deny_; }
  /// Deny over allow: true when some allow entry matches and no deny entry does.
  template <class F>
  [[nodiscard]] bool permits(F&& matches) const {
    for (const auto& d : deny_) {
      if (matches(d)) return false;
    }
    for (const auto& a : allow_) {
      if (matches(a)) return true;
    }
    return false;
  }

 private:
  static void read(const std::vector<std::string>& texts, std::vector<T>& out, const char* kind) {
    for (std::size_t i = 0; i < texts.size(); ++i) {
      auto r = json::parse<T>(texts[i]);
      if (!r.has_value()) {
        throw error("acl.scope_invalid", "scope " + std::string(kind) + " entry " +
                                             std::to_string(i) + " does not fit the command's "
                                             "scope type: " + r.error_value().message());
      }
      out.push_back(std::move(r).value());
    }
  }
  std::vector<T> allow_;
  std::vector<T> deny_;
};

/// The page that made the call: its label and URL, and a way to send it events.
class webview {
 public:
  webview(std::weak_ptr<session> page, router* r) : page_(std::move(page)), router_(r) {}
  [[nodiscard]] std::string label() const;
  [[nodiscard]] std::string url() const;
  /// Sends `event` to this page's listeners (only this page, and only if it listens).
  /// Returns false when the page is gone or does not listen to `event`.
  template <json::writable T>
  bool emit_event(std::string_view event, const T& payload) const {
    std::string text;
    json::writer w(text);
    json::write_value(w, payload);
    if (!w.ok()) throw std::invalid_argument("myapp: event payload cannot be written: " + w.error());
    return emit_json(event, text);
  }
  bool emit_json(std::string_view event, std::string_view payload_json) const;

 private:
  std::weak_ptr<session> page_;
  router* router_;
};

}  // namespace myapp
