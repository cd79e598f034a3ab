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

#include "myapp/router.hpp"

namespace myapp::runtime {

class bridge;

/// One page load's end of the router. Messages sent from any thread are queued and flushed
/// as one batch per event-loop turn. Once detached (the page navigated, reloaded or closed),
/// further messages are dropped.
class page_peer final : public peer {
 public:
  page_peer(bridge* owner, caller_info info) : owner_(owner), info_(std::move(info)) {}
  [[nodiscard]] const caller_info& caller() const noexcept override { return info_; }
  void send(std::string message) override;
  void on_ready() override;
  void on_rejected(std::string_view what) override;

  /// GUI thread: the bridge takes everything queued.
  std::vector<std::string> take();
  /// GUI thread: the page is gone; drop whatever comes later.
  void detach();

 private:
  std::mutex mutex_;
  bridge* owner_;  // guarded by mutex_; null once detached
  std::mutex log_mutex_;
  std::chrono::steady_clock::time_point log_window_{};
  int logged_ = 0;
  long suppressed_ = 0;
  bool flush_scheduled_ = false;
  std::vector<std::string> outbox_;
  caller_info info_;
};

/// Published to the page as `myapp` (protocol::BRIDGE_OBJECT). One slot in, one plain signal
/// out; no properties, so QWebChannel never batches or delays anything behind our back.
class bridge final : public QObject {
  Q_OBJECT

 public:
  struct hooks {
    std::function<void()> ready;                   // the page completed the handshake
  };

  /// `secret`: what the page's injected client passes with every post.
  bridge(router& r, std::string label, std::string secret, hooks h, QObject* parent = nullptr);
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
  void flush();           // GUI thread
  void mark_ready();

  router& router_;
  std::string label_;
  QString secret_;
  hooks hooks_;
  std::shared_ptr<page_peer> peer_;
  bool ready_ = false;
};

}  // namespace myapp::runtime
