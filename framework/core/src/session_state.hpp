// The router's per-page tables, and the state behind a channel. Private to the core.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "myapp/acl.hpp"
#include "myapp/inject.hpp"
#include "myapp/session.hpp"

namespace myapp::detail {

struct channel_state {
  channel_state(std::weak_ptr<session> p, std::uint64_t channel_id, std::uint64_t initial_credit)
      : page(std::move(p)), id(channel_id), credit(initial_credit) {}
  std::mutex mutex;
  std::condition_variable credit_arrived;
  std::weak_ptr<session> page;
  const std::uint64_t id;
  std::uint64_t next_index = 0;
  std::uint64_t credit;
  std::size_t max_frame = SIZE_MAX;  // the largest frame (JSON text) the page can read
  bool closed = false;
  /// Coroutines waiting to send (channel_core::when_sendable), woken by credit or the close.
  std::vector<std::function<void()>> waiting;
  /// Takes the waiters to wake (with the lock held); the caller wakes them after unlocking.
  std::vector<std::function<void()>> take_waiting() { return std::exchange(waiting, {}); }
};

struct pending_call {
  std::shared_ptr<cancel_state> cancelled;
  std::vector<std::uint64_t> channels;  // channels this call's arguments opened
  std::size_t bytes = 0;                // what it holds (router_options::max_pending_bytes_per_page)
};

struct session_state {
  mutable std::mutex mutex;
  bool closed = false;
  /// Invokes being served, by id.
  std::unordered_map<std::uint64_t, pending_call> pending;
  std::size_t pending_bytes = 0;  // the sum of their `bytes`
  std::uint64_t max_invoke_id = 0;
  std::unordered_map<std::uint64_t, std::shared_ptr<channel_state>> channels;
  /// Every channel id this page has used: an id is attached once.
  std::unordered_set<std::uint64_t> used_channels;
  std::set<std::string, std::less<>> listening;
  /// What this page may call, resolved when it said hello (null: no policy installed).
  std::shared_ptr<const acl::grants> grants;
  /// The same, per registered command (by registration index): 1 when the page may call it.
  std::vector<std::uint8_t> allowed;
};

/// Closes a channel: no more frames; tells the page unless it is gone. `notify_page` is
/// false when the page itself is going away.
void close_channel(channel_state& st, bool notify_page);

}  // namespace myapp::detail
