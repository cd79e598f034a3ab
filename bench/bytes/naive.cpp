// The baselines of bench/bytes: the raw scheme, the raw WebSocket and the naive page (naive.hpp).
#include "naive.hpp"

#include <QBuffer>
#include <QFile>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <QWebEngineProfile>
#include <QWebEngineUrlRequestJob>
#include <QWebEngineUrlScheme>
#include <QWebSocket>
#include <QWebSocketServer>

#include <cstdio>
#include <stdexcept>

namespace bench {

void register_raw_scheme() {
  QWebEngineUrlScheme scheme(RAW_SCHEME);
  scheme.setSyntax(QWebEngineUrlScheme::Syntax::Host);
  scheme.setFlags(QWebEngineUrlScheme::SecureScheme | QWebEngineUrlScheme::CorsEnabled);
  QWebEngineUrlScheme::registerScheme(scheme);
}

namespace {
// Serves a preallocated buffer where it is, as myapp's blob handler does.
class raw_buffer final : public QBuffer {
 public:
  raw_buffer(myapp::bytes data, QObject* parent) : QBuffer(parent), data_(std::move(data)) {
    setData(QByteArray::fromRawData(reinterpret_cast<const char*>(data_.data()),
                                    static_cast<qsizetype>(data_.size())));
  }

 private:
  myapp::bytes data_;
};
}  // namespace

void raw_scheme_handler::requestStarted(QWebEngineUrlRequestJob* job) {
  const QString path = job->requestUrl().path();
  if (path.startsWith(QLatin1String("/bytes/"))) {
    bool ok = false;
    const auto n = path.mid(7).toULongLong(&ok);
    auto it = ok ? store_.find(n) : store_.end();
    if (it == store_.end()) {
      job->fail(QWebEngineUrlRequestJob::UrlNotFound);
      return;
    }
    auto* buffer = new raw_buffer(it->second, job);
    buffer->open(QIODevice::ReadOnly);
    job->reply("application/octet-stream", buffer);
    return;
  }
  // The page's own files: from this program's resources, and Qt's qwebchannel.js.
  const QString file = path == QLatin1String("/qwebchannel.js")
                           ? QStringLiteral(":/qtwebchannel/qwebchannel.js")
                           : QStringLiteral(":/rawbench") + (path == QLatin1String("/") ? QStringLiteral("/index.html") : path);
  QFile f(file);
  if (!f.open(QIODevice::ReadOnly)) {
    std::fprintf(stderr, "rawbench: %s not found\n", qPrintable(file));
    job->fail(QWebEngineUrlRequestJob::UrlNotFound);
    return;
  }
  auto* buffer = new QBuffer(job);
  buffer->setData(f.readAll());
  buffer->open(QIODevice::ReadOnly);
  job->reply(file.endsWith(QLatin1String(".html")) ? "text/html; charset=utf-8"
                                                   : "text/javascript; charset=utf-8",
             buffer);
}

int naive_object::sink_b64(const QString& text, int expected_size) {
  const QByteArray data = QByteArray::fromBase64(text.toLatin1());
  const auto why = check_pattern(
      std::span(reinterpret_cast<const std::byte*>(data.constData()),
                static_cast<std::size_t>(data.size())),
      static_cast<std::size_t>(expected_size));
  if (!why.empty()) {
    std::fprintf(stderr, "naive sink_b64: %s\n", why.c_str());
    return -1;
  }
  return static_cast<int>(data.size());
}

void naive_object::call(const QString& json) {
  const QJsonObject message = QJsonDocument::fromJson(json.toUtf8()).object();
  const QJsonValue id = message.value(QLatin1String("id"));
  const QString cmd = message.value(QLatin1String("cmd")).toString();
  QJsonObject answer{{QLatin1String("id"), id}};
  if (cmd == QLatin1String("echo")) {
    answer.insert(QLatin1String("ok"), message.value(QLatin1String("args"))
                                           .toObject()
                                           .value(QLatin1String("text"))
                                           .toString());
  } else {
    answer.insert(QLatin1String("error"), QStringLiteral("no command named ") + cmd);
  }
  emit reply(QString::fromUtf8(QJsonDocument(answer).toJson(QJsonDocument::Compact)));
}

naive_app::naive_app(const payload_store& store)
    : ws_(std::make_unique<QWebSocketServer>(QStringLiteral("rawbench"),
                                             QWebSocketServer::NonSecureMode)),
      page_(QStringLiteral("myapp-bench-bytes-naive")) {
  // The raw up ceiling: one binary message in, its size (or what was wrong) back as text.
  if (!ws_->listen(QHostAddress::LocalHost, 0)) {
    throw std::runtime_error("the raw WebSocket server cannot listen on 127.0.0.1: " +
                             ws_->errorString().toStdString());
  }
  ws_->setMaxPendingConnections(4);
  QObject::connect(ws_.get(), &QWebSocketServer::newConnection, ws_.get(), [this] {
    while (QWebSocket* s = ws_->nextPendingConnection()) {
      s->setParent(ws_.get());
      s->setMaxAllowedIncomingFrameSize(quint64{1} << 30);
      s->setMaxAllowedIncomingMessageSize(quint64{1} << 30);
      // The page announces each buffer's size in a text message before sending it.
      auto expected = std::make_shared<std::size_t>(0);
      QObject::connect(s, &QWebSocket::textMessageReceived, s,
                       [expected](const QString& t) { *expected = t.toULongLong(); });
      QObject::connect(s, &QWebSocket::binaryMessageReceived, s,
                       [s, expected](const QByteArray& data) {
                         const auto why = check_pattern(
                             std::span(reinterpret_cast<const std::byte*>(data.constData()),
                                       static_cast<std::size_t>(data.size())),
                             *expected);
                         s->sendTextMessage(why.empty() ? QString::number(data.size())
                                                        : QString::fromStdString("bad: " + why));
                       });
      QObject::connect(s, &QWebSocket::disconnected, s, &QObject::deleteLater);
    }
  });

  page_.profile()->installUrlSchemeHandler(RAW_SCHEME, new raw_scheme_handler(store, page_.profile()));
  page_.open(new naive_object(ws_->serverPort(), nullptr),
             QUrl(QStringLiteral("rawbench://localhost/index.html")));
}

}  // namespace bench
