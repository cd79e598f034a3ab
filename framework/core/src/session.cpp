// A session: closing it, its default binary sending, and the sizes of its tables.
#include "myapp/session.hpp"

#include <vector>

#include "myapp/bytes.hpp"
#include "session_state.hpp"

namespace myapp {

detail::session_state& detail::state_of(session& s) noexcept { return *s.state_; }

session::session() : state_(std::make_unique<detail::session_state>()) {}

session::~session() { close(); }

void session::close() {
  std::unordered_map<std::uint64_t, detail::pending_call> pending;
  std::unordered_map<std::uint64_t, std::shared_ptr<detail::channel_state>> channels;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->closed) return;
    state_->closed = true;
    pending.swap(state_->pending);
    state_->pending_bytes = 0;
    channels.swap(state_->channels);
    state_->listening.clear();
    state_->used_channels.clear();
  }
  for (auto& [id, call] : pending) call.cancelled->cancel();
  for (auto& [id, ch] : channels) detail::close_channel(*ch, false);
}

void session::send_binary(std::string message, std::vector<bytes> attachments) {
  if (!attachments.empty()) {
    wire::bin_list bin(message);
    for (const auto& a : attachments) bin.add_inline(a.span());
  }
  send(std::move(message));
}

bool session::closed() const noexcept {
  std::lock_guard lock(state_->mutex);
  return state_->closed;
}

session::table_sizes session::tables() const {
  std::lock_guard lock(state_->mutex);
  return {state_->pending.size(), state_->channels.size(), state_->listening.size()};
}

}  // namespace myapp
