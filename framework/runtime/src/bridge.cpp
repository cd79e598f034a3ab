#include "bridge.hpp"

#include <QCoreApplication>
#include <QMetaObject>
#include <QThread>
#include <QUrl>
#include <QWebEnginePage>

#include "app_acl.hpp"
#include "log.hpp"

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

void page_peer::send(std::string message) {
  std::lock_guard lock(mutex_);
  if (owner_ == nullptr) return;  // the page is gone: late answers are dropped quietly
  outbox_.push_back(std::move(message));
  if (!flush_scheduled_) {
    flush_scheduled_ = true;
    owner_->schedule_flush();
  }
}

void page_peer::on_ready() {
  bridge* b = nullptr;
  {
    std::lock_guard lock(mutex_);
    b = owner_;
  }
  if (b != nullptr) b->mark_ready();  // on_ready runs on the GUI thread, inside receive()
}

void page_peer::on_rejected(std::string_view what) {
  // A flooding page must not flood the log too: at most 20 lines a second per page, then a
  // count of what was left out.
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(log_mutex_);
  if (now - log_window_ >= std::chrono::seconds(1)) {
    if (suppressed_ > 0) {
      log()->warn("[{}] ... and {} more refused messages in the last second", info_.label,
                  suppressed_);
    }
    log_window_ = now;
    logged_ = 0;
    suppressed_ = 0;
  }
  if (logged_ < 20) {
    ++logged_;
    log()->warn("[{}] {}", info_.label, what);
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
  std::lock_guard lock(mutex_);
  owner_ = nullptr;
  outbox_.clear();
}

// ---------------------------------------------------------------------------------------------
// bridge

bridge::bridge(router& r, std::string label, std::string secret, hooks h, QObject* parent)
    : QObject(parent),
      router_(r),
      label_(std::move(label)),
      secret_(QString::fromStdString(secret)),
      hooks_(std::move(h)) {}

bridge::~bridge() { end_page(); }

void bridge::begin_page(const std::string& url) {
  require_gui_thread("bridge::begin_page");
  end_page();
  caller_info info{label_, url, origin_of(url), is_local_url(url)};
  peer_ = std::make_shared<page_peer>(this, std::move(info));
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
