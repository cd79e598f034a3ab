#include "bridge.hpp"

#include <QCoreApplication>
#include <QMetaObject>
#include <QThread>
#include <QUrl>
#include <QWebEnginePage>

#include <fmt/format.h>

#include "app_acl.hpp"
#include "blobs.hpp"
#include "lane.hpp"
#include "log.hpp"
#include "myapp/app.hpp"

namespace myapp::runtime {

namespace {
std::string origin_of(const std::string& url) {
  QUrl u(QString::fromStdString(url));
  if (!u.isValid() || u.scheme().isEmpty()) return {};
  QString origin = u.scheme() + QStringLiteral("://") + u.host();
  if (u.port() != -1) origin += QLatin1Char(':') + QString::number(u.port());
  return origin.toStdString();
}

void require_gui_thread(const char* what) {
  if (QThread::currentThread() != QCoreApplication::instance()->thread()) {
    log()->critical("{} called off the GUI thread; this is a bug in myapp", what);
    std::abort();
  }
}
}  // namespace

// ---------------------------------------------------------------------------------------------
// page_peer

page_peer::~page_peer() { blobs().drop(this); }

void page_peer::send(std::string message) {
  std::lock_guard lock(mutex_);
  if (owner_ == nullptr) return;  // the page is gone: late answers are dropped quietly
  if (message.size() > thresholds_.big_message && lanes_usable()) {
    // QWebChannel would carry it as a string inside a JSON string (tens of MB/s); the page
    // fetches it from the app scheme instead, in order with the rest of its batch.
    const std::size_t size = message.size();
    const std::string token = blobs().put(this, info_.origin, bytes(std::move(message)));
    message = fmt::format(R"({{"k":"big","blob":"{}","n":{}}})", token, size);
  }
  outbox_.push_back(std::move(message));
  if (!flush_scheduled_) {
    flush_scheduled_ = true;
    owner_->schedule_flush();
  }
}

void page_peer::send_binary(std::string message, std::vector<bytes> attachments) {
  if (attachments.empty() || message.empty() || message.back() != '}') {
    send(std::move(message));
    return;
  }
  message.pop_back();
  message += R"(,"bin":[)";
  for (std::size_t i = 0; i < attachments.size(); ++i) {
    if (i != 0) message.push_back(',');
    auto& a = attachments[i];
    if (a.size() <= thresholds_.inline_bytes || !lanes_usable()) {
      message += R"({"b64":")";
      base64_encode_to(message, a.span());
      message += "\"}";
    } else {
      const std::size_t size = a.size();
      const std::string token = blobs().put(this, info_.origin, std::move(a));
      fmt::format_to(std::back_inserter(message), R"({{"blob":"{}","n":{}}})", token, size);
    }
  }
  message += "]}";
  send(std::move(message));
}

std::string page_peer::welcome_fields() {
  // Called on the GUI thread when the page says hello.
  if (!lanes_usable()) return {};
  // Qt 6.6 lets pages fetch() from custom schemes; before, only XMLHttpRequest works.
  constexpr bool fetch_works = QT_VERSION >= QT_VERSION_CHECK(6, 6, 0);
  std::string out = fmt::format(R"(,"blobs":"{}{}","fetch":{})", APP_ORIGIN, BLOB_PATH,
                                fetch_works ? "true" : "false");
  if (lane_ == nullptr) return out;
  fmt::format_to(std::back_inserter(out),
                 R"(,"thresholds":{{"laneJson":{},"laneBytes":{},"laneMax":{}}})",
                 thresholds_.lane_json, thresholds_.lane_bytes, lane_->max_message());
  if (lane_secret_.empty()) {
    std::weak_ptr<page_peer> self = std::static_pointer_cast<page_peer>(shared_from_this());
    lane_secret_ = lane_->open(
        info_.label, info_.origin,
        [self](bytes batch, std::shared_ptr<std::vector<bytes>> uploads) {
          auto p = self.lock();
          if (!p) return;
          bridge* b = nullptr;
          {
            std::lock_guard lock(p->mutex_);
            b = p->owner_;
          }
          if (b != nullptr) b->receive_lane(p, batch, std::move(uploads));
        });
  }
  fmt::format_to(std::back_inserter(out), R"(,"lane":"ws://127.0.0.1:{}/{}")", lane_->port(),
                 lane_secret_);
  return out;
}

void page_peer::on_ready() {
  bridge* b = nullptr;
  {
    std::lock_guard lock(mutex_);
    b = owner_;
  }
  if (b != nullptr) b->mark_ready();  // on_ready runs on the GUI thread, inside receive()
}

void page_peer::on_rejected(std::string_view what) { log_refusal(area::ipc, what); }

void page_peer::on_denied(std::string_view /*command*/, std::string_view why) {
  log_refusal(area::acl, why);
}

void page_peer::log_refusal(logging::area where, std::string_view what) {
  // A flooding page must not flood the log too: at most 20 lines a second per page, then a
  // count of what was left out.
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(log_mutex_);
  if (now - log_window_ >= std::chrono::seconds(1)) {
    if (suppressed_ > 0) {
      log(where)->warn("[{}] ... and {} more refused messages in the last second", info_.label,
                  suppressed_);
    }
    log_window_ = now;
    logged_ = 0;
    suppressed_ = 0;
  }
  if (logged_ < 20) {
    ++logged_;
    log(where)->warn("[{}] {}", info_.label, what);
  } else {
    ++suppressed_;
  }
}

std::vector<std::string> page_peer::take() {
  std::lock_guard lock(mutex_);
  flush_scheduled_ = false;
  return std::exchange(outbox_, {});
}

void page_peer::detach() {
  {
    std::lock_guard lock(mutex_);
    owner_ = nullptr;
    outbox_.clear();
  }
  // The page is gone: its lane closes (connections on it are dropped, new ones refused) and
  // the blobs it never fetched are freed.
  if (lane_ != nullptr && !lane_secret_.empty()) lane_->close(lane_secret_);
  lane_ = nullptr;  // the lane may go away before this peer does
  blobs().drop(this);
}

// ---------------------------------------------------------------------------------------------
// bridge

bridge::bridge(router& r, std::string label, std::string secret, hooks h, bulk_lane* lane,
               transfer_thresholds thresholds, QObject* parent)
    : QObject(parent),
      router_(r),
      label_(std::move(label)),
      secret_(QString::fromStdString(secret)),
      hooks_(std::move(h)),
      lane_(lane),
      thresholds_(thresholds) {}

bridge::~bridge() { end_page(); }

void bridge::begin_page(const std::string& url) {
  require_gui_thread("bridge::begin_page");
  end_page();
  caller_info info{label_, url, origin_of(url), is_local_url(url)};
  peer_ = std::make_shared<page_peer>(this, std::move(info), lane_, thresholds_);
}

void bridge::end_page() {
  if (peer_) {
    peer_->detach();
    router_.close_page(peer_);  // cancels its invokes, closes its channels, drops its listens
    peer_.reset();
  }
  ready_ = false;
}

void bridge::post(const QString& secret, const QString& batch) {
  require_gui_thread("bridge::post");
  if (secret != secret_) {
    // Only the client injected into this page knows the secret: this came from a script that
    // talks to the channel by hand. Refuse it loudly, where the page's console shows it.
    log()->warn("[{}] refused a message without this page's secret ({} bytes)", label_,
                batch.size());
    emit deliver(QStringLiteral(
        R"([{"k":"fault","error":{"code":"protocol.invalid","message":"a message without this page's secret was refused: only the myapp client injected into the page may post to the bridge"}}])"));
    return;
  }
  // QString is UTF-16; the router reads UTF-8. Lone surrogates become U+FFFD here.
  const QByteArray bytes = batch.toUtf8();
  // Every page's client opens its first batch with `hello`: a new document is talking, and
  // whatever the previous one left pending is dropped with its peer.
  if (bytes.startsWith(R"([{"k":"hello")")) {
    auto* page = qobject_cast<QWebEnginePage*>(parent());
    begin_page(page != nullptr ? page->url().toString().toStdString() : std::string());
  }
  if (!peer_) {
    log()->warn("[{}] a message arrived before the page said hello; dropped", label_);
    return;
  }
  auto keep = peer_;  // the handlers may navigate the page and replace peer_
  router_.receive(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())),
                  keep);
}

void bridge::receive_lane(const std::shared_ptr<page_peer>& from, const bytes& batch,
                          std::shared_ptr<const std::vector<bytes>> uploads) {
  require_gui_thread("bridge::receive_lane");
  if (from != peer_) return;  // a batch from a page load that is over
  auto keep = peer_;
  router_.receive(batch.view(), keep, std::move(uploads));
}

void bridge::schedule_flush() {
  // Called with the peer's lock held, so `this` is alive: the GUI thread detaches the peer
  // (under the same lock) before the bridge goes away, and Qt discards events posted to a
  // destroyed object.
  QMetaObject::invokeMethod(this, &bridge::flush, Qt::QueuedConnection);
}

void bridge::flush() {
  if (!peer_) return;
  auto messages = peer_->take();
  if (messages.empty()) return;
  std::size_t size = 2 + messages.size();
  for (const auto& m : messages) size += m.size();
  std::string batch;
  batch.reserve(size);
  batch.push_back('[');
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (i != 0) batch.push_back(',');
    batch += messages[i];
  }
  batch.push_back(']');
  emit deliver(QString::fromUtf8(batch.data(), static_cast<qsizetype>(batch.size())));
}

void bridge::mark_ready() {
  if (ready_) return;
  ready_ = true;
  if (hooks_.ready) hooks_.ready();
}

}  // namespace myapp::runtime
