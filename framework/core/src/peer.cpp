#include "myapp/peer.hpp"

#include <vector>

#include "myapp/bytes.hpp"
#include "session.hpp"

namespace myapp {

detail::session& detail::session_of(peer& p) noexcept { return *p.session_; }

peer::peer() : session_(std::make_unique<detail::session>()) {}

peer::~peer() { close(); }

void peer::close() {
  std::unordered_map<std::uint64_t, detail::pending_call> pending;
  std::unordered_map<std::uint64_t, std::shared_ptr<detail::channel_state>> channels;
  {
    std::lock_guard lock(session_->mutex);
    if (session_->closed) return;
    session_->closed = true;
    pending.swap(session_->pending);
    channels.swap(session_->channels);
    session_->listening.clear();
    session_->used_channels.clear();
  }
  for (auto& [id, call] : pending) call.cancelled->store(true);
  for (auto& [id, ch] : channels) detail::close_channel(*ch, false);
}

void peer::send_binary(std::string message, std::vector<bytes> attachments) {
  if (!attachments.empty() && !message.empty() && message.back() == '}') {
    message.pop_back();
    message += R"(,"bin":[)";
    for (std::size_t i = 0; i < attachments.size(); ++i) {
      if (i != 0) message.push_back(',');
      message += R"({"b64":")";
      base64_encode_to(message, attachments[i].span());
      message += "\"}";
    }
    message += "]}";
  }
  send(std::move(message));
}

bool peer::closed() const noexcept {
  std::lock_guard lock(session_->mutex);
  return session_->closed;
}

peer::table_sizes peer::tables() const {
  std::lock_guard lock(session_->mutex);
  return {session_->pending.size(), session_->channels.size(), session_->listening.size()};
}

}  // namespace myapp
