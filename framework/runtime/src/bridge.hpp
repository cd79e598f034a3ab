// The QWebChannel object of one window: one slot in, one signal out, and the session of the
// page load it carries.
#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "myapp/router.hpp"
#include "page_session.hpp"

namespace myapp::runtime {

class bulk_lane;

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
  friend class page_session;
  void schedule_flush();  // any thread, with the session's lock held
  // GUI thread: a batch that came over the bulk lane for the page load `from`.
  void receive_lane(const std::shared_ptr<page_session>& from, const bytes& batch,
                    std::shared_ptr<const std::vector<bytes>> uploads);
  void flush();           // GUI thread
  void mark_ready();
  // GUI thread, after a batch: when it handed one call to a worker, waits briefly for its answer
  // and sends it in this turn of the event loop (see bridge.cpp).
  void await_quick_answer(const std::shared_ptr<page_session>& from, std::size_t to_workers);

  router& router_;
  std::string label_;
  QString secret_;
  hooks hooks_;
  std::shared_ptr<page_session> session_;
  bulk_lane* lane_;
  transfer_thresholds thresholds_;
  bool ready_ = false;
  int skip_quick_waits_ = 0;  // batches to skip waiting after a wait ran out
};

}  // namespace myapp::runtime
