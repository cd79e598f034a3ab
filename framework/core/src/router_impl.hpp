// What the router's source files share: the batch being read, and one invoke on its way to a
// handler. Private to the core.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "myapp/router.hpp"
#include "session_state.hpp"

namespace myapp {

/// The C++ listeners, by event name, so that an event costs the same whatever the number of
/// names listened to. Guarded by router::listeners_mutex_.
struct router::listener_table {
  struct listener {
    listener_id id;
    std::optional<std::string> target;
    bool once;
    std::shared_ptr<std::function<void(const myapp::event&)>> fn;
  };
  std::unordered_map<std::string, std::vector<listener>, name_hash, std::equal_to<>> by_event;
  std::unordered_map<listener_id, std::string> event_of;

  [[nodiscard]] std::size_t size() const { return event_of.size(); }
  void add(std::string_view event, listener l) {
    event_of.emplace(l.id, event);
    auto it = by_event.find(event);
    if (it == by_event.end()) it = by_event.emplace(std::string(event), std::vector<listener>{}).first;
    it->second.push_back(std::move(l));
  }
  /// The listener `id`, or null.
  listener* find(listener_id id) {
    auto e = event_of.find(id);
    if (e == event_of.end()) return nullptr;
    for (auto& l : by_event.find(e->second)->second) {
      if (l.id == id) return &l;
    }
    return nullptr;
  }
  bool remove(listener_id id) {
    auto e = event_of.find(id);
    if (e == event_of.end()) return false;
    auto list = by_event.find(e->second);
    std::erase_if(list->second, [&](const listener& l) { return l.id == id; });
    if (list->second.empty()) by_event.erase(list);
    event_of.erase(e);
    return true;
  }
};

/// One invoke, from its message to its answer. One allocation per call: the job carries the
/// arguments and the cancellation flag, which the page's table and the handler's token share.
struct router::job {
  router* owner = nullptr;
  const entry* e = nullptr;
  std::uint64_t id = 0;
  std::string args;
  std::string headers;  // empty: none
  std::string bin;      // the `bin` list as JSON text; empty: none
  std::optional<std::uint64_t> body;  // the attachment that is the raw body, if any
  std::shared_ptr<const std::vector<bytes>> uploads;  // what came over the bulk lane
  std::shared_ptr<session> from;
  std::shared_ptr<const acl::grants> grants;  // keeps the scope alive while the call runs
  detail::cancel_state cancel;  // shared with the page's table and the handler's token
  std::chrono::steady_clock::time_point arrived{};  // set only while tracing
  std::chrono::steady_clock::time_point started{};  // set only while tracing
  // While the handler runs (a coroutine's until it answers): what its request refers to.
  std::vector<bytes> attachments;
  header_map header_values;
  std::optional<request> req;
};

/// Invokes waiting for a worker, one queue per session, served in turn, a session with none of
/// its calls running first: a page with a hundred slow calls queued delays another page's first
/// call by one handler's run at most, and by about router_options::stall_after once the pool
/// starts a worker for it (`starving`).
struct router::waiting_jobs {
  /// Queues a batch's jobs (all of one session) behind that session's earlier ones.
  void push(std::vector<std::shared_ptr<job>>& jobs) {
    std::lock_guard lock(mutex);
    for (auto& j : jobs) {
      auto& q = queues[j->from.get()];
      if (q.empty()) turn.push_back(j->from.get());
      q.push_back(std::move(j));
    }
  }
  /// The next job: the first of the first session in turn with nothing running, or else of the
  /// session whose turn it is; null when none waits. `finished` must follow its run.
  std::shared_ptr<job> pop() {
    std::lock_guard lock(mutex);
    if (turn.empty()) return nullptr;
    auto next = std::find_if(turn.begin(), turn.end(),
                             [this](const session* s) { return !running.contains(s); });
    if (next == turn.end()) next = turn.begin();
    const session* s = *next;
    turn.erase(next);
    auto it = queues.find(s);
    auto j = std::move(it->second.front());
    it->second.pop_front();
    if (it->second.empty()) {
      queues.erase(it);
    } else {
      turn.push_back(s);
    }
    ++running[s];
    return j;
  }
  /// A job `pop` gave has run (or suspended, for a coroutine).
  void finished(const session* s) {
    std::lock_guard lock(mutex);
    if (auto it = running.find(s); it != running.end() && --it->second == 0) running.erase(it);
  }
  /// True when a session waits with none of its jobs running.
  bool starving() {
    std::lock_guard lock(mutex);
    return std::any_of(turn.begin(), turn.end(),
                       [this](const session* s) { return !running.contains(s); });
  }

  std::mutex mutex;
  std::unordered_map<const session*, std::deque<std::shared_ptr<job>>> queues;
  std::deque<const session*> turn;  // sessions with jobs waiting, in the order they are served
  std::unordered_map<const session*, std::size_t> running;  // jobs running, per session
};

/// The batch being read: where it came from, which message is being handled, and the invokes
/// collected for dispatch once the batch is read.
struct router::batch {
  const std::shared_ptr<session>& from;
  const std::shared_ptr<const std::vector<bytes>>& uploads;
  std::vector<std::shared_ptr<job>> jobs;
  std::size_t index = 0;  // the message being handled

  [[nodiscard]] detail::session_state& state() const { return detail::state_of(*from); }
  /// "message [3]: <why>", formatted.
  template <class... A>
  [[nodiscard]] std::string at(fmt::format_string<A...> f, A&&... a) const {
    return fmt::format("message [{}]: {}", index, fmt::format(f, std::forward<A>(a)...));
  }
  /// Answers the message with a fault and logs why.
  void fault(errc code, const std::string& why) const {
    from->send(wire::fault(code_string(code), why));
    from->on_rejected(why);
  }
};

}  // namespace myapp
