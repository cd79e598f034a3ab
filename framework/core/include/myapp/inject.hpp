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
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <typeindex>
#include <utility>

#include "myapp/acl.hpp"
#include "myapp/error.hpp"
#include "myapp/json.hpp"
#include "myapp/session.hpp"

namespace myapp {

/// What a handler may ask for about the call it is serving: `const myapp::request&`.
class request {
 public:
  request(std::uint64_t id, std::string_view command, const caller_info& caller,
          std::string_view headers_json) noexcept
      : id_(id), command_(command), caller_(&caller), headers_(headers_json) {}
  [[nodiscard]] std::uint64_t id() const noexcept { return id_; }
  [[nodiscard]] std::string_view command() const noexcept { return command_; }
  [[nodiscard]] const caller_info& caller() const noexcept { return *caller_; }
  /// The `headers` the page passed in invoke's options, as a JSON object ("{}" when none).
  [[nodiscard]] std::string_view headers_json() const noexcept { return headers_; }

 private:
  std::uint64_t id_;
  std::string_view command_;
  const caller_info* caller_;
  std::string_view headers_;
};

/// Tells a handler that its call was cancelled: the page aborted it (`invoke(..., {signal})`)
/// or went away. Long handlers poll `cancelled()` and stop early; their answer is dropped.
class cancel_token {
 public:
  cancel_token() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
  explicit cancel_token(std::shared_ptr<std::atomic<bool>> flag) : flag_(std::move(flag)) {}
  [[nodiscard]] bool cancelled() const noexcept { return flag_->load(std::memory_order_relaxed); }
  void cancel() const noexcept { flag_->store(true, std::memory_order_relaxed); }

 private:
  std::shared_ptr<std::atomic<bool>> flag_;
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
