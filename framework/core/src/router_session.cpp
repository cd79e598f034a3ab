// The router's side of a session: the handshake (hello, grants, welcome, ready), cancel, listen
// and unlisten, channel credit, and the table of live sessions.
#include <fmt/format.h>

#include <algorithm>

#include "router_impl.hpp"

namespace myapp {

bool router::permitted(std::string_view op, batch& b) {
  if (!policy_) return true;
  std::shared_ptr<const acl::grants> g;
  {
    std::lock_guard lock(b.state().mutex);
    g = b.state().grants;
  }
  if (g && g->allows(op)) return true;
  auto why = g ? g->denial(op) : fmt::format("`{}` is not allowed: the page has not said hello", op);
  why = fmt::format("message [{}]: {}", b.index, why);
  b.from->send(wire::fault(code_string(errc::acl_denied), why));
  if (tracing() && trace_.denied) [[unlikely]] trace_.denied(denial_trace{b.from->caller(), op, 0, why, g.get()});
  b.from->on_denied(op, why);
  return false;
}

void router::handle(const wire::in::hello& m, batch& b) {
  if (m.version != protocol::VERSION) {
    b.fault(errc::protocol_version,
            b.at("the page speaks protocol version {}, this app speaks {}",
                 m.version ? std::to_string(*m.version) : "(none)", protocol::VERSION));
    return;
  }
  const auto& caller = b.from->caller();
  wire::welcome_fields welcome{caller.label, options_.max_batch_bytes,
                               options_.max_listens_per_page, {}, b.from->transport()};
  if (policy_) {
    // What this page may call, resolved once: each command's verdict is kept by its index.
    auto g = policy_->resolve(acl::context{caller.label, caller.url, caller.local});
    std::vector<std::uint8_t> allowed(commands_.size(), 0);
    for (const auto& [name, e] : commands_) allowed[e->index] = g->allows(name) ? 1 : 0;
    // The event operations this page may not use, each with its denial: the page's client
    // rejects them at once instead of sending what would be refused.
    for (auto [key, op] : {std::pair{"listen", acl::EVENT_LISTEN},
                           std::pair{"emit", acl::EVENT_EMIT},
                           std::pair{"emitTo", acl::EVENT_EMIT_TO}}) {
      if (!g->allows(op)) welcome.denied.emplace_back(key, g->denial(op));
    }
    std::lock_guard lock(b.state().mutex);
    b.state().grants = std::move(g);
    b.state().allowed = std::move(allowed);
  }
  register_session(b.from);
  b.from->send(wire::welcome(welcome));
}

void router::handle(const wire::in::ready& /*m*/, batch& b) { b.from->on_ready(); }

void router::handle(const wire::in::lost& m, batch& b) { b.from->on_blob_lost(m.blob); }

void router::handle(const wire::in::cancel& m, batch& b) {
  auto& s = b.state();
  std::shared_ptr<detail::cancel_state> flag;
  std::vector<std::shared_ptr<detail::channel_state>> opened;
  bool known = false;
  {
    std::lock_guard lock(s.mutex);
    if (auto it = s.pending.find(m.id); it != s.pending.end()) {
      flag = it->second.cancelled;
      for (auto ch : it->second.channels) {
        if (auto c = s.channels.find(ch); c != s.channels.end()) opened.push_back(c->second);
      }
    }
    known = m.id <= s.max_invoke_id;
  }
  if (flag) {
    flag->cancel();
    // A producer blocked on the call's channels is released at once.
    for (auto& ch : opened) detail::close_channel(*ch, true);
  } else if (!known) {
    b.fault(errc::invoke_not_found,
            b.at("cancel names invoke {}, which this page never sent", m.id));
  }
  // A cancel for an invoke that already finished is an ordinary race: nothing to do.
}

void router::handle(const wire::in::listen& m, batch& b) {
  if (!permitted(acl::EVENT_LISTEN, b)) return;
  auto& s = b.state();
  std::lock_guard lock(s.mutex);
  if (s.closed) return;
  if (s.listening.size() >= options_.max_listens_per_page &&
      s.listening.find(m.event) == s.listening.end()) {
    b.fault(errc::limit_exceeded,
            b.at("the page already listens to {} event names (limit max_listens_per_page)",
                 s.listening.size()));
    return;
  }
  s.listening.emplace(m.event);
}

void router::handle(const wire::in::unlisten& m, batch& b) {
  auto& s = b.state();
  std::lock_guard lock(s.mutex);
  if (s.closed) return;
  if (auto it = s.listening.find(m.event); it != s.listening.end()) s.listening.erase(it);
}

void router::handle(const wire::in::credit& m, batch& b) {
  auto& s = b.state();
  std::shared_ptr<detail::channel_state> ch;
  bool used = false;
  bool closed = false;
  {
    std::lock_guard lock(s.mutex);
    if (auto it = s.channels.find(m.channel); it != s.channels.end()) ch = it->second;
    used = s.used_channels.contains(m.channel);
    closed = s.closed;
  }
  if (ch) {
    std::vector<std::function<void()>> waiting;
    {
      std::lock_guard lock(ch->mutex);
      // Never more than the initial window: a page granting more than it consumed cannot make
      // C++ buffer without bound.
      ch->credit = std::min<std::uint64_t>(ch->credit + m.n, protocol::CHANNEL_INITIAL_CREDIT);
      ch->credit_arrived.notify_all();
      waiting = ch->take_waiting();
    }
    for (auto& wake : waiting) wake();
  } else if (!used && !closed) {
    b.fault(errc::channel_invalid,
            b.at("credit for channel {}, which no call of this page opened", m.channel));
  }
  // Credit for a channel that already closed is an ordinary race.
}

void router::register_session(const std::shared_ptr<session>& s) {
  std::lock_guard lock(sessions_mutex_);
  std::erase_if(sessions_, [&](const std::weak_ptr<session>& w) {
    auto p = w.lock();
    return !p || p == s || p->closed();
  });
  sessions_.push_back(s);
}

std::vector<std::shared_ptr<session>> router::live_sessions() {
  std::vector<std::shared_ptr<session>> out;
  std::lock_guard lock(sessions_mutex_);
  out.reserve(sessions_.size());
  std::erase_if(sessions_, [&](const std::weak_ptr<session>& w) {
    auto p = w.lock();
    if (!p || p->closed()) return true;
    out.push_back(std::move(p));
    return false;
  });
  return out;
}

void router::close_session(const std::shared_ptr<session>& s) {
  s->close();
  std::lock_guard lock(sessions_mutex_);
  std::erase_if(sessions_, [&](const std::weak_ptr<session>& w) {
    auto p = w.lock();
    return !p || p == s;
  });
}

}  // namespace myapp
