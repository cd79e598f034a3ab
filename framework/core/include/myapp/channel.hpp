// myapp — channels: ordered streams of frames from C++ to the page, with flow control.
//
// The page creates the channel and passes it as an argument:
//
//     const ch = new Channel((n) => progress.value = n);
//     await invoke('count', { upTo: 1000, channel: ch });
//
// and the handler takes a `myapp::channel<T>`:
//
//     app.command("count", [](int up_to, myapp::channel<int> channel) {
//       for (int i = 0; i < up_to; ++i) {
//         if (!channel.send(i)) return;  // the page went away
//       }
//     }, {"up_to", "channel"});
//
// Frames arrive in order. The page grants credit as it consumes frames; `send` blocks while
// none is left, so a producer faster than the page waits instead of piling up memory, and
// `try_send` returns `would_block` instead of waiting. The channel closes when `close()` is
// called or the last copy of the handle is destroyed; the page then learns that it ended.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "myapp/bytes.hpp"
#include "myapp/json.hpp"
#include "myapp/session.hpp"
#include "myapp/task.hpp"

namespace myapp {

enum class send_result {
  sent,         ///< the frame is on its way
  would_block,  ///< no credit: the page has not consumed enough frames yet
  closed,       ///< the channel was closed, or its page went away
};

namespace detail {
struct channel_state;

/// The untyped channel: frames are JSON text.
class channel_core {
 public:
  channel_core() = default;
  explicit channel_core(std::uint64_t id) noexcept : id_(id) {}

  /// The page's id for this channel.
  [[nodiscard]] std::uint64_t id() const noexcept { return id_; }
  /// Sends one frame of JSON text, waiting for credit. False once the channel is closed.
  /// Throws std::logic_error when it would have to wait on a thread that must never block
  /// (the GUI thread): use try_send_json there; throws `error` (limit.exceeded) for a frame
  /// larger than a page can read (router_options::max_message_to_page).
  bool send_json(std::string_view data_json) const;
  send_result try_send_json(std::string_view data_json) const;
  /// A frame whose JSON refers to binary attachments as `{"$bytes": index}`.
  bool send_json(std::string_view data_json, std::vector<bytes> attachments) const;
  send_result try_send_json(std::string_view data_json, std::vector<bytes> attachments) const;
  void close() const;
  [[nodiscard]] bool is_closed() const;
  /// Calls `wake` once, from any thread, when a frame may be sent again (credit arrived) or the
  /// channel closed; false (without registering it) when that is so already.
  bool when_sendable(std::function<void()> wake) const;
  /// Internal: connects the handle to the calling page. False (with the reason) when the id
  /// is unusable.
  bool attach(const std::shared_ptr<session>& page, std::uint64_t invoke_id, std::size_t max_open,
              std::size_t max_frame,
              std::string& why);

 private:
  struct handle;
  std::uint64_t id_ = 0;
  std::shared_ptr<handle> handle_;
};

/// Marks the calling thread as one that must never block on a channel (the GUI thread).
void mark_non_blocking_thread() noexcept;

/// Waits, in a coroutine handler, until `core` may send again (see channel_core::when_sendable).
class channel_sendable {
 public:
  explicit channel_sendable(const channel_core& core) : core_(core) {}
  bool await_ready() const noexcept { return false; }
  template <handler_promise P>
  bool await_suspend(std::coroutine_handle<P> h) {
    auto& ctx = h.promise().context;
    if (ctx.cancel && ctx.cancel->cancelled()) return false;
    state_ = std::make_shared<wake_state>(h, ctx.workers);
    if (ctx.cancel) {
      registration_ = cancel_token(ctx.cancel).on_cancel([s = state_] { s->wake(true); });
    }
    if (!core_.when_sendable([s = state_] { s->wake(false); })) state_->wake(false);
    return state_->armed();
  }
  void await_resume() {
    registration_.reset();
    if (!state_ || state_->cancelled()) throw_cancelled();
  }

 private:
  const channel_core& core_;
  std::shared_ptr<wake_state> state_;
  cancel_registration registration_;
};

inline task<bool> send_when_sendable(channel_core core, std::string text, std::vector<bytes> bin) {
  for (;;) {
    const auto r = core.try_send_json(text, bin);
    if (r != send_result::would_block) co_return r == send_result::sent;
    co_await channel_sendable(core);
  }
}
}  // namespace detail

/// A channel handler parameter whose frames are T values (any type the JSON codec writes).
template <class T>
class channel {
 public:
  channel() = default;

  bool send(const T& value) const {
    std::vector<bytes> bin;
    auto text = encode(value, bin);
    return core_.send_json(text, std::move(bin));
  }
  send_result try_send(const T& value) const {
    std::vector<bytes> bin;
    auto text = encode(value, bin);
    return core_.try_send_json(text, std::move(bin));
  }
  /// `send` for a coroutine handler: `co_await channel.send_async(v)` waits for the page's
  /// credit without holding a thread. True when sent, false once the channel is closed; throws
  /// `error` with code `cancelled` when the call is cancelled while it waits.
  task<bool> send_async(const T& value) const {
    std::vector<bytes> bin;
    auto text = encode(value, bin);
    return detail::send_when_sendable(core_, std::move(text), std::move(bin));
  }
  /// Sends one binary frame: the page's `onmessage` receives an `ArrayBuffer`, in order with
  /// the other frames. Same waiting and results as `send`.
  bool send_bytes(bytes data) const { return core_.send_json(BYTES_FRAME, {std::move(data)}); }
  send_result try_send_bytes(bytes data) const {
    return core_.try_send_json(BYTES_FRAME, {std::move(data)});
  }
  void close() const { core_.close(); }
  [[nodiscard]] bool is_closed() const { return core_.is_closed(); }
  [[nodiscard]] std::uint64_t id() const noexcept { return core_.id(); }

  // Internal: used by the codec and the router.
  explicit channel(std::uint64_t id) : core_(id) {}
  detail::channel_core& core() noexcept { return core_; }

 private:
  static constexpr std::string_view BYTES_FRAME = R"({"$bytes":0})";
  static std::string encode(const T& value, std::vector<bytes>& bin) {
    std::string text;
    json::writer w(text);
    w.set_attachments(&bin);
    json::write_value(w, value);
    if (!w.ok()) throw std::invalid_argument("myapp: channel frame cannot be written: " + w.error());
    return text;
  }
  detail::channel_core core_;
};

namespace detail {
template <class T>
struct is_channel : std::false_type {};
template <class T>
struct is_channel<channel<T>> : std::true_type {};

/// Reads `{"$channel": id}`.
bool read_channel_id(json::value& v, std::uint64_t& id, json::decoder& d);
}  // namespace detail

template <class T>
struct json::codec<channel<T>> {
  static bool read(value& v, channel<T>& out, decoder& d) {
    std::uint64_t id = 0;
    if (!myapp::detail::read_channel_id(v, id, d)) return false;
    out = channel<T>(id);
    return true;
  }
  static std::string expected() { return "a Channel"; }
};

}  // namespace myapp
