// The bridge: secret-checked batches from the page to the router, and one batch per event-loop
// turn back.
#include "bridge.hpp"

#include <atomic>

#include <QCoreApplication>
#include <QMetaObject>
#include <QThread>
#include <QWebEnginePage>

#include <fmt/format.h>

#include "app_acl.hpp"
#include "log.hpp"
#include "refusals.hpp"
#include "myapp/app.hpp"
#include "myapp/url.hpp"

namespace myapp::runtime {

namespace {
void require_gui_thread(const char* what) {
  if (QThread::currentThread() != QCoreApplication::instance()->thread()) {
    log()->critical("{} called off the GUI thread; this is a bug in myapp", what);
    std::abort();
  }
}
}  // namespace

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
  static std::atomic<std::uint64_t> page_loads{0};
  caller_info info{label_, url, myapp::origin_of(url), is_local_url(url), ++page_loads};
  session_ = std::make_shared<page_session>(this, std::move(info), lane_, thresholds_);
}

void bridge::end_page() {
  if (session_) {
    session_->detach();
    router_.close_session(session_);  // cancels its invokes, closes its channels, drops its listens
    session_.reset();
  }
  ready_ = false;
}

void bridge::post(const QString& secret, const QString& batch) {
  require_gui_thread("bridge::post");
  if (secret != secret_) {
    // Only the client injected into this page knows the secret: this came from a script that
    // talks to the channel by hand. Refuse it loudly, where the page's console shows it.
    log_refusal(area::ipc, fmt::format("[{}] refused a message without this page's secret ({} bytes)",
                                       label_, batch.size()));
    static const QString refusal = QString::fromStdString(wire::batch({wire::fault(
        code_string(errc::protocol_invalid),
        "a message without this page's secret was refused: only the myapp client injected into "
        "the page may post to the bridge")}));
    emit deliver(refusal);
    return;
  }
  // QString is UTF-16; the router reads UTF-8. Lone surrogates become U+FFFD here.
  const QByteArray bytes = batch.toUtf8();
  // Every page's client opens its first batch with `hello`: a new document is talking, and
  // whatever the previous one left pending is dropped with its session.
  const std::string_view text(bytes.constData(), static_cast<std::size_t>(bytes.size()));
  if (wire::opens_with_hello(text)) {
    auto* page = qobject_cast<QWebEnginePage*>(parent());
    begin_page(page != nullptr ? page->url().toString().toStdString() : std::string());
  }
  if (!session_) {
    log()->warn("[{}] a message arrived before the page said hello; dropped", label_);
    return;
  }
  auto keep = session_;  // the handlers may navigate the page and replace session_
  keep->record_incoming(text);
  await_quick_answer(keep, router_.receive(text, keep));
}

void bridge::receive_lane(const std::shared_ptr<page_session>& from, const bytes& batch,
                          std::shared_ptr<const std::vector<bytes>> uploads) {
  require_gui_thread("bridge::receive_lane");
  if (from != session_) return;  // a batch from a page load that is over
  auto keep = session_;
  if (uploads) {
    keep->record_incoming(batch.view(), *uploads);
  } else {
    keep->record_incoming(batch.view());
  }
  await_quick_answer(keep, router_.receive(batch.view(), keep, std::move(uploads)));
}

namespace {
// How long the GUI thread waits for the answer of a lone call on a worker. A call answered within
// it goes back in the same turn of the event loop that brought it: no event posted from the
// worker, no second wake-up of this thread (bench/ipc's invoke_seq: from 0.6x to 0.7-0.9x the
// rate of a plain QWebChannel page, and with the wait's first 40 us spent spinning 0.84-0.87x,
// docs/benchmarks.md). Past it, the answer goes the usual way.
constexpr std::chrono::microseconds QUICK_ANSWER_WAIT{200};
// After a wait that ran out (slow handlers, coroutines), the next batches do not wait: a page
// calling slow commands one by one does not hold the GUI thread 0.2 ms per call.
constexpr int SKIP_AFTER_TIMEOUT = 32;
}  // namespace

void bridge::await_quick_answer(const std::shared_ptr<page_session>& from, std::size_t to_workers) {
  if (to_workers != 1) return;  // waves of calls are answered in batches, as they finish
  if (skip_quick_waits_ > 0) {
    --skip_quick_waits_;
    return;
  }
  if (!from->wait_for_message(QUICK_ANSWER_WAIT)) {
    skip_quick_waits_ = SKIP_AFTER_TIMEOUT;
    return;
  }
  if (from == session_) flush();
}

void bridge::schedule_flush() {
  // Called with the session's lock held, so `this` is alive: the GUI thread detaches the session
  // (under the same lock) before the bridge goes away, and Qt discards events posted to a
  // destroyed object.
  QMetaObject::invokeMethod(this, &bridge::flush, Qt::QueuedConnection);
}

void bridge::flush() {
  if (!session_) return;
  auto messages = session_->take();
  if (messages.empty()) return;
  const std::string batch = wire::batch(messages);
  emit deliver(QString::fromUtf8(batch.data(), static_cast<qsizetype>(batch.size())));
}

void bridge::mark_ready() {
  if (ready_) return;
  ready_ = true;
  if (hooks_.ready) hooks_.ready();
}

}  // namespace myapp::runtime
