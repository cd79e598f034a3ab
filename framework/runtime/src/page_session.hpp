// The session of one page load in a window: batches what the router sends to the page, moves
// large messages and attachments to blobs, offers the bulk lane, and logs refusals.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "myapp/logging.hpp"
#include "myapp/recording.hpp"
#include "myapp/session.hpp"
#include "inspector.hpp"
#include "log.hpp"

namespace myapp::runtime {

class bridge;
class bulk_lane;

/// How large things travel to and from pages (docs/bytes.md). Measured on Qt 6.4: below these
/// sizes the QWebChannel string path is as fast as the lanes, above them the lanes win.
struct transfer_thresholds {
  /// Binary attachments up to this size ride inline in the batch (base64); larger ones are
  /// fetched by the page from the app scheme. Where the two roads cross on Qt 6.4: between 32
  /// and 64 KiB (docs/benchmarks.md, "Where inline bytes stop").
  std::size_t inline_bytes = 48 * 1024;
  /// Messages to the page larger than this are fetched from the app scheme.
  std::size_t big_message = 128 * 1024;
  /// The page sends batches larger than this, and buffers larger than `lane_bytes`, over the
  /// bulk lane. Base64 in the batch costs more than a lane message from about 2 KiB on Qt 6.4
  /// (docs/benchmarks.md, "Where the page's bytes take the lane").
  std::size_t lane_json = 64 * 1024;
  std::size_t lane_bytes = 2 * 1024;
};

/// One page load's session. Messages sent from any thread are queued and flushed by the bridge
/// as one batch per event-loop turn. Once detached (the page navigated, reloaded or closed),
/// further messages are dropped.
class page_session final : public session {
 public:
  page_session(bridge* owner, caller_info info, bulk_lane* lane, transfer_thresholds thresholds)
      : owner_(owner), info_(std::move(info)), lane_(lane), thresholds_(thresholds) {}
  ~page_session() override;
  [[nodiscard]] const caller_info& caller() const noexcept override { return info_; }
  void send(std::string message) override;
  void send_binary(std::string message, std::vector<bytes> attachments) override;
  std::optional<wire::transport_fields> transport() override;
  void on_ready() override;
  void on_blob_lost(std::string_view token) override;
  void on_rejected(std::string_view what) override;
  void on_denied(std::string_view command, std::string_view why) override;

  /// GUI thread: the bridge takes everything queued.
  std::vector<std::string> take();
  /// GUI thread: waits up to `at_most` for something to be queued (spinning for the first tens
  /// of microseconds); true when it was. What is queued while the bridge waits posts no flush:
  /// the bridge flushes it when this returns true.
  bool wait_for_message(std::chrono::microseconds at_most);
  /// The app's own pages fetch blobs from the app scheme and may open the bulk lane; other
  /// pages (remote URLs a capability allows) get everything through QWebChannel.
  [[nodiscard]] bool lanes_usable() const noexcept;
  /// GUI thread: the page is gone; drop whatever comes later.
  void detach();
  /// A batch from the page (with the buffers that came before it on the lane), for the IPC
  /// recording when there is one (MYAPP_RECORD).
  void record_incoming(std::string_view batch, std::span<const bytes> uploads = {});

 private:
  // The bridge of this page, or null once detached.
  bridge* owner();
  // Queues a message for the page's next batch (or as a blob when it is large).
  void queue(std::string message);
  // Logs a refusal in `where` (ipc, or acl for denials), within the app's one rate limit.
  void log_refusal(logging::area where, std::string_view what);

  bool attached();

  std::mutex mutex_;
  std::condition_variable queued_;  // notified when a message is queued and the bridge waits
  bool waiting_ = false;
  std::atomic<bool> mail_{false};  // set with a message queued while the bridge waits
  bridge* owner_;  // guarded by mutex_; null once detached
  bool flush_scheduled_ = false;
  std::vector<std::string> outbox_;
  caller_info info_;
  bulk_lane* lane_;  // null: no bulk lane (everything goes through QWebChannel)
  std::string lane_secret_;
  transfer_thresholds thresholds_;
  recorder* recording_ = ipc_recording();
  std::uint64_t recorded_as_ = recording_ != nullptr ? recording_->new_session() : 0;
  inspector_hub* inspector_ = runtime::inspector();
};

}  // namespace myapp::runtime
