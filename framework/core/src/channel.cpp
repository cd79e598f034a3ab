#include "myapp/channel.hpp"

#include <fmt/format.h>

#include "myapp/executor.hpp"
#include "myapp/protocol.hpp"
#include "myapp/wire.hpp"
#include "session_state.hpp"

namespace myapp::detail {

namespace {
thread_local bool non_blocking_thread = false;
}

void mark_non_blocking_thread() noexcept { non_blocking_thread = true; }

void close_channel(channel_state& st, bool notify_page) {
  std::vector<std::function<void()>> waiting;
  {
    std::lock_guard lock(st.mutex);
    if (st.closed) return;
    st.closed = true;
    st.credit_arrived.notify_all();
    waiting = st.take_waiting();
    if (notify_page) {
      if (auto page = st.page.lock()) {
        {
          std::lock_guard session_lock(state_of(*page).mutex);
          state_of(*page).channels.erase(st.id);
        }
        // Sent under the channel's lock, after every frame: the end is always the last message.
        page->send(wire::channel_end(st.id, st.next_index));
      }
    }
  }
  for (auto& wake : waiting) wake();
}

struct channel_core::handle {
  explicit handle(std::shared_ptr<channel_state> s) : state(std::move(s)) {}
  ~handle() { close_channel(*state, true); }
  handle(const handle&) = delete;
  handle& operator=(const handle&) = delete;
  std::shared_ptr<channel_state> state;
};

bool channel_core::attach(const std::shared_ptr<session>& page, std::uint64_t invoke_id,
                          std::size_t max_open, std::size_t max_frame, std::string& why) {
  if (id_ == 0) {
    why = "a channel id must be a positive integer";
    return false;
  }
  auto st = std::make_shared<channel_state>(page, id_, protocol::CHANNEL_INITIAL_CREDIT);
  st->max_frame = max_frame;
  auto& s = state_of(*page);
  std::lock_guard lock(s.mutex);
  if (s.closed) {
    why = "the page is gone";
    return false;
  }
  if (s.channels.size() >= max_open) {
    why = fmt::format("the page already has {} channels open (limit max_channels_per_page)",
                      s.channels.size());
    return false;
  }
  if (!s.used_channels.insert(id_).second) {
    why = fmt::format("channel {} is already in use; pass a new Channel to each call", id_);
    return false;
  }
  s.channels.emplace(id_, st);
  // Cancelling the call closes the channels it opened.
  if (auto it = s.pending.find(invoke_id); it != s.pending.end()) it->second.channels.push_back(id_);
  handle_ = std::make_shared<handle>(std::move(st));
  return true;
}

namespace {
send_result send_frame(channel_state& st, std::string_view data_json,
                       std::vector<bytes> attachments, bool block) {
  // Long strings sent beside the frame count as if they were in it.
  const std::size_t size = data_json.size() + wire::text_bytes(data_json, attachments);
  if (size > st.max_frame) {
    throw error(errc::limit_exceeded,
                fmt::format("a channel frame of {} bytes of JSON is more than a page can read ({} "
                            "bytes, router_options::max_message_to_page): send it as bytes, or in "
                            "pieces",
                            size, st.max_frame));
  }
  std::unique_lock lock(st.mutex);
  while (!st.closed && st.credit == 0) {
    if (!block) return send_result::would_block;
    if (non_blocking_thread) {
      throw std::logic_error(
          "myapp: channel::send would block the GUI thread waiting for the page; use try_send "
          "there, or send from a worker");
    }
    // While every worker waits on a page that does not read, the pool starts another.
    thread_pool::waiting_scope waiting;
    st.credit_arrived.wait(lock);
  }
  if (st.closed) return send_result::closed;
  auto page = st.page.lock();
  if (!page) {
    st.closed = true;
    return send_result::closed;
  }
  --st.credit;
  std::string message = wire::channel_frame(st.id, st.next_index++, data_json);
  // Under the lock, so frames leave in index order.
  if (attachments.empty()) {
    page->send(std::move(message));
  } else {
    page->send_binary(std::move(message), std::move(attachments));
  }
  return send_result::sent;
}
}  // namespace

bool channel_core::send_json(std::string_view data_json) const {
  return send_json(data_json, {});
}

send_result channel_core::try_send_json(std::string_view data_json) const {
  return try_send_json(data_json, {});
}

bool channel_core::send_json(std::string_view data_json, std::vector<bytes> attachments) const {
  if (!handle_) return false;
  return send_frame(*handle_->state, data_json, std::move(attachments), true) ==
         send_result::sent;
}

send_result channel_core::try_send_json(std::string_view data_json,
                                        std::vector<bytes> attachments) const {
  if (!handle_) return send_result::closed;
  return send_frame(*handle_->state, data_json, std::move(attachments), false);
}

void channel_core::close() const {
  if (handle_) close_channel(*handle_->state, true);
}

bool channel_core::when_sendable(std::function<void()> wake) const {
  if (!handle_) return false;
  auto& st = *handle_->state;
  std::lock_guard lock(st.mutex);
  if (st.closed || st.credit > 0) return false;
  st.waiting.push_back(std::move(wake));
  return true;
}

bool channel_core::is_closed() const {
  if (!handle_) return true;
  std::lock_guard lock(handle_->state->mutex);
  return handle_->state->closed;
}

bool read_channel_id(json::value& v, std::uint64_t& id, json::decoder& d) {
  json::type t{};
  if (!v.get_type(t, d)) return false;
  if (t != json::type::object) return d.fail_type("a Channel ({\"$channel\": id})", v);
  bool found = false;
  bool ok = v.for_each_field(d, [&](std::string_view key, json::value& field) {
    if (key != "$channel") return field.skip(d);
    found = true;
    return field.read(id, d);
  });
  if (!ok) return false;
  if (!found || id == 0) return d.fail("expected a Channel ({\"$channel\": id} with id > 0)");
  return true;
}

}  // namespace myapp::detail
