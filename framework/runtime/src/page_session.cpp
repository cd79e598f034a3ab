// The session of one page load: the outbox the bridge flushes, blobs for what is too large for
// the bridge, the bulk lane's offer, and rate-limited logging of refusals.
#include "page_session.hpp"

#include <algorithm>
#include <thread>

#include <QtGlobal>

#include <fmt/format.h>

#include "blobs.hpp"
#include "bridge.hpp"
#include "lane.hpp"
#include "log.hpp"
#include "myapp/app.hpp"
#include "refusals.hpp"

namespace myapp::runtime {

namespace {
// How long wait_for_message spins before it sleeps on the condition variable. A lone call's
// handler usually answers within a few microseconds; a thread asleep on a futex takes 5-6 us more
// to wake (bench/ipc's invoke_seq, split into stages with timestamps), which the spin saves. Not
// on a single core, where the spin would only keep the worker from running.
constexpr std::chrono::microseconds SPIN_FOR_MESSAGE{40};
const bool spin_for_message = std::thread::hardware_concurrency() > 1;
}  // namespace

page_session::~page_session() { blobs().drop(this); }

bool page_session::lanes_usable() const noexcept {
  return info_.local && info_.origin == APP_ORIGIN;
}

bridge* page_session::owner() {
  std::lock_guard lock(mutex_);
  return owner_;
}

bool page_session::attached() {
  std::lock_guard lock(mutex_);
  return owner_ != nullptr;
}

void page_session::send(std::string message) {
  const bool watched = inspector_ != nullptr && inspector_->watching();
  if (recording_ != nullptr || watched) [[unlikely]] {
    // The page is gone (reloaded, navigated, closed): a late answer or frame is dropped here,
    // before a recording or the inspector sees a message no page received. Otherwise queue()
    // drops it, under the lock it takes anyway.
    if (!attached()) return;
    if (recording_ != nullptr) recording_->outgoing(recorded_as_, info_, message);
    if (watched) inspector_->message_out(info_, message, {});
  }
  queue(std::move(message));
}

void page_session::record_incoming(std::string_view batch, std::span<const bytes> uploads) {
  if (recording_ != nullptr) recording_->incoming(recorded_as_, info_, batch, uploads);
}

void page_session::queue(std::string message) {
  std::lock_guard lock(mutex_);
  if (owner_ == nullptr) return;  // the page is gone: late answers are dropped quietly
  if (message.size() > thresholds_.big_message && lanes_usable()) {
    // QWebChannel would carry it as a string inside a JSON string (tens of MB/s); the page
    // fetches it from the app scheme instead, in order with the rest of its batch.
    const std::size_t size = message.size();
    const auto of = wire::routing_of(message);  // what the page fails if it cannot fetch it
    const std::string token = blobs().put(this, info_.origin, bytes(std::move(message)));
    message = wire::big(token, size, of);
  }
  outbox_.push_back(std::move(message));
  if (waiting_) {
    // The bridge waits for this answer on the GUI thread and flushes it when it wakes: no flush
    // event to post.
    flush_scheduled_ = true;
    mail_.store(true, std::memory_order_release);
    queued_.notify_one();
    return;
  }
  if (!flush_scheduled_) {
    flush_scheduled_ = true;
    owner_->schedule_flush();
  }
}

void page_session::send_binary(std::string message, std::vector<bytes> attachments) {
  if (!attached()) return;  // as in send(); nor are its attachments made blobs
  if (recording_ != nullptr) recording_->outgoing(recorded_as_, info_, message, attachments);
  if (inspector_ != nullptr && inspector_->watching()) [[unlikely]] {
    inspector_->message_out(info_, message, attachments);
  }
  if (!attachments.empty()) {
    wire::bin_list bin(message);
    for (auto& a : attachments) {
      if (a.size() <= thresholds_.inline_bytes || !lanes_usable()) {
        bin.add_inline(a.span());
      } else {
        const std::size_t size = a.size();
        bin.add_blob(blobs().put(this, info_.origin, std::move(a)), size);
      }
    }
  }
  queue(std::move(message));
}

std::optional<wire::transport_fields> page_session::transport() {
  // Called on the GUI thread when the page says hello.
  if (!lanes_usable()) return std::nullopt;
  wire::transport_fields t;
  t.blobs = fmt::format("{}{}", APP_ORIGIN, BLOB_PATH);
  // Qt 6.6 lets pages fetch() from custom schemes; before, only XMLHttpRequest works.
  t.fetch = QT_VERSION >= QT_VERSION_CHECK(6, 6, 0);
  if (lane_ == nullptr) return t;
  if (lane_secret_.empty()) {
    std::weak_ptr<page_session> self = std::static_pointer_cast<page_session>(shared_from_this());
    lane_secret_ = lane_->open(
        info_.label, info_.origin,
        [self](bytes batch, std::shared_ptr<std::vector<bytes>> uploads) {
          auto p = self.lock();
          if (!p) return;
          if (bridge* b = p->owner()) b->receive_lane(p, batch, std::move(uploads));
        });
  }
  t.lane = fmt::format("ws://127.0.0.1:{}/{}", lane_->port(), lane_secret_);
  t.lane_json = thresholds_.lane_json;
  t.lane_bytes = thresholds_.lane_bytes;
  t.lane_max = lane_->max_message();
  return t;
}

void page_session::on_ready() {
  // Runs on the GUI thread, inside router::receive.
  if (bridge* b = owner()) b->mark_ready();
}

void page_session::on_rejected(std::string_view what) { log_refusal(area::ipc, what); }

void page_session::on_blob_lost(std::string_view token) {
  const auto freed = blobs().forget(this, token);
  log_refusal(area::ipc, fmt::format("the page could not fetch a blob ({} bytes, freed); the call or "
                                     "channel it carried failed there",
                                     freed));
}

void page_session::on_denied(std::string_view /*command*/, std::string_view why) {
  log_refusal(area::acl, why);
}

void page_session::log_refusal(logging::area where, std::string_view what) {
  runtime::log_refusal(where, fmt::format("[{}] {}", info_.label, what));
}

bool page_session::wait_for_message(std::chrono::microseconds at_most) {
  const auto start = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (owner_ == nullptr) return false;
    if (!outbox_.empty()) return true;
    waiting_ = true;
    mail_.store(false, std::memory_order_relaxed);
  }
  std::chrono::microseconds spin{};
  if (spin_for_message) spin = std::min(at_most, SPIN_FOR_MESSAGE);
  const auto spin_until = start + spin;
  while (!mail_.load(std::memory_order_acquire) && std::chrono::steady_clock::now() < spin_until) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  std::unique_lock lock(mutex_);
  const bool got = queued_.wait_until(
      lock, start + at_most, [this] { return !outbox_.empty() || owner_ == nullptr; });
  waiting_ = false;
  return got && owner_ != nullptr;
}

std::vector<std::string> page_session::take() {
  std::lock_guard lock(mutex_);
  flush_scheduled_ = false;
  return std::exchange(outbox_, {});
}

void page_session::detach() {
  {
    std::lock_guard lock(mutex_);
    owner_ = nullptr;
    outbox_.clear();
  }
  // The page is gone: its lane closes (connections on it are dropped, new ones refused) and
  // the blobs it never fetched are freed.
  if (lane_ != nullptr && !lane_secret_.empty()) lane_->close(lane_secret_);
  lane_ = nullptr;  // the lane may go away before this session does
  blobs().drop(this);
}

}  // namespace myapp::runtime
