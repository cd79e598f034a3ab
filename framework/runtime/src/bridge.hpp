// The QWebChannel object of one webview, and the peer of one page load.
#pragma once

#include <QObject>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "myapp/app.hpp"
#include "myapp/logging.hpp"
#include "myapp/router.hpp"

namespace myapp::runtime {

class bridge;
class bulk_lane;

/// How large things travel to and from pages (docs/bytes.md). Measured on Qt 6.4: below these
/// sizes the QWebChannel string path is as fast as the lanes, above them the lanes win.
struct transfer_thresholds {
  /// Binary attachments up to this size ride inline in the batch (base64); larger ones are
  /// fetched by the page from the app scheme.
  std::size_t inline_bytes = 64 * 1024;
  /// Messages to the page larger than this are fetched from the app scheme.
  std::size_t big_message = 128 * 1024;
  /// The page sends batches larger than this, and buffers larger than `lane_bytes`, over the
  /// bulk lane.
  std::size_t lane_json = 64 * 1024;
  std::size_t lane_bytes = 16 * 1024;
};

/// One page load's end of the router. Messages sent from any thread are queued and flushed
/// as one batch per event-loop turn. Once detached (the page navigated, reloaded or closed),
/// further messages are dropped.
class page_peer final : public peer {
 public:
  page_peer(bridge* owner, caller_info info, bulk_lane* lane, transfer_thresholds thresholds)
      : owner_(owner), info_(std::move(info)), lane_(lane), thresholds_(thresholds) {}
  ~page_peer() override;
  [[nodiscard]] const caller_info& caller() const noexcept override { return info_; }
  void send(std::string message) override;
  void send_binary(std::string message, std::vector<bytes> attachments) override;
  std::string welcome_fields() override;
  void on_ready() override;
  void on_rejected(std::string_view what) override;
  void on_denied(std::string_view command, std::string_view why) override;

  /// GUI thread: the bridge takes everything queued.
  std::vector<std::string> take();
  /// The app's own pages fetch blobs from the app scheme and may open the bulk lane; other
  /// pages (remote URLs a capability allows) get everything through QWebChannel.
  [[nodiscard]] bool lanes_usable() const noexcept {
    return info_.local && info_.origin == APP_ORIGIN;
  }
  /// GUI thread: the page is gone; drop whatever comes later.
  void detach();

 private:
  // Logs a refusal in `where` (ipc, or acl for denials), at most 20 lines a second per page.
  void log_refusal(logging::area where, std::string_view what);

  std::mutex mutex_;
  bridge* owner_;  // guarded by mutex_; null once detached
  std::mutex log_mutex_;
  std::chrono::steady_clock::time_point log_window_{};
  int logged_ = 0;
  long suppressed_ = 0;
  bool flush_scheduled_ = false;
  std::vector<std::string> outbox_;
  caller_info info_;
  bulk_lane* lane_;  // null: no bulk lane (everything goes through QWebChannel)
  std::string lane_secret_;
  transfer_thresholds thresholds_;
};

/// Published to the page as `myapp` (protocol::BRIDGE_OBJECT). One slot in, one plain signal
/// out; no properties, so QWebChannel never batches or delays anything behind our back.
class bridge final : public QObject {
  Q_OBJECT

 public:
  struct hooks {
    std::function<void()> ready;                   // the page completed the handshake
  };

  /// `secret`: what the page's injected client passes with every post. `lane`: the app's bulk
  /// lane, or null.
  bridge(router& r, std::string label, std::string secret, hooks h, bulk_lane* lane,
         transfer_thresholds thresholds, QObject* parent = nullptr);
  ~bridge() override;

  /// GUI thread: a new document at `url` said hello; everything of the previous one is dropped.
  void begin_page(const std::string& url);
  /// GUI thread: the page is going away.
  void end_page();
  [[nodiscard]] bool ready() const noexcept { return ready_; }

 public slots:
  void post(const QString& secret, const QString& batch);

 signals:
  void deliver(const QString& batch);

 private:
  friend class page_peer;
  void schedule_flush();  // any thread, with the peer's lock held
  // GUI thread: a batch that came over the bulk lane for the page load `from`.
  void receive_lane(const std::shared_ptr<page_peer>& from, const bytes& batch,
                    std::shared_ptr<const std::vector<bytes>> uploads);
  void flush();           // GUI thread
  void mark_ready();

  router& router_;
  std::string label_;
  QString secret_;
  hooks hooks_;
  std::shared_ptr<page_peer> peer_;
  bulk_lane* lane_;
  transfer_thresholds thresholds_;
  bool ready_ = false;
};

}  // namespace myapp::runtime
