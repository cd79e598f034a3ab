#include "lane.hpp"

#include <QCoreApplication>
#include <QHostAddress>
#include <QMetaObject>
#include <QThread>
#include <QWebSocket>
#include <QWebSocketServer>

#include <fmt/format.h>

#include <atomic>
#include <chrono>

#include "log.hpp"
#include "refusals.hpp"
#include "secret.hpp"

namespace myapp::runtime {

// Lives in the lane's thread: accepts, checks and reads connections.
class lane_server final : public QObject {
 public:
  lane_server(bulk_lane& owner, lane_limits limits) : owner_(owner), limits_(limits) {}

  bool listen(std::uint16_t port, std::string& why) {
    server_ = new QWebSocketServer(QStringLiteral("myapp bulk lane"),
                                   QWebSocketServer::NonSecureMode, this);
    server_->setHandshakeTimeout(std::chrono::milliseconds(5000));
    if (!server_->listen(QHostAddress::LocalHost, port)) {
      why = fmt::format("the bulk lane cannot listen on 127.0.0.1:{}: {}", port,
                        server_->errorString().toStdString());
      return false;
    }
    connect(server_, &QWebSocketServer::newConnection, this, &lane_server::accept);
    return true;
  }
  [[nodiscard]] std::uint16_t port() const { return server_->serverPort(); }

  // Closes the connections of a lane that was closed.
  void close_lane(const std::string& secret) {
    for (auto it = conns_.begin(); it != conns_.end();) {
      if (it->second.secret == secret) {
        QWebSocket* s = it->first;
        it = conns_.erase(it);
        s->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("the page went away"));
        s->deleteLater();
      } else {
        ++it;
      }
    }
    update_count();
  }

  void shut_down() {
    for (auto& [s, c] : conns_) s->abort();
    conns_.clear();
    server_->close();
  }

 private:
  struct connection {
    std::string secret;
    std::string label;
    enum class next { control, upload, batch } expect = next::control;
    std::shared_ptr<std::vector<bytes>> uploads = std::make_shared<std::vector<bytes>>();
    std::size_t pending = 0;
  };

  void refuse(QWebSocket* s, const std::string& why) {
    {
      std::lock_guard lock(owner_.mutex_);
      ++owner_.counters_.refused;
    }
    log_refusal(area::lane, fmt::format("bulk lane: refused a connection from {}: {}",
                                        s->peerAddress().toString().toStdString(), why));
    s->close(QWebSocketProtocol::CloseCodePolicyViolated, QString::fromStdString(why));
    s->deleteLater();
  }

  void accept() {
    while (QWebSocket* s = server_->nextPendingConnection()) {
      s->setParent(this);
      const QString path = s->requestUrl().path();
      const std::string secret = path.startsWith(QLatin1Char('/')) ? path.mid(1).toStdString()
                                                                    : path.toStdString();
      const std::string origin = s->origin().toStdString();
      bulk_lane::lane lane;
      if (secret.empty()) {
        refuse(s, "no lane secret in the URL");
        continue;
      }
      if (!owner_.find(secret, lane)) {
        refuse(s, "unknown or expired lane secret (the page reloaded or went away)");
        continue;
      }
      if (origin != lane.origin) {
        refuse(s, fmt::format("origin `{}` is not the page's origin `{}`", origin, lane.origin));
        continue;
      }
      s->setMaxAllowedIncomingFrameSize(limits_.max_frame);
      s->setMaxAllowedIncomingMessageSize(limits_.max_message);
      conns_.emplace(s, connection{secret, lane.label});
      {
        std::lock_guard lock(owner_.mutex_);
        ++owner_.counters_.accepted;
      }
      update_count();
      connect(s, &QWebSocket::textMessageReceived, this,
              [this, s](const QString& text) { on_text(s, text); });
      connect(s, &QWebSocket::binaryMessageReceived, this,
              [this, s](const QByteArray& data) { on_binary(s, data); });
      connect(s, &QWebSocket::disconnected, this, [this, s] {
        if (auto it = conns_.find(s); it != conns_.end()) {
          const auto code = s->closeCode();
          if (code != QWebSocketProtocol::CloseCodeNormal &&
              code != QWebSocketProtocol::CloseCodeGoingAway) {
            log(area::lane)->warn("[{}] bulk lane: connection closed ({} {})", it->second.label,
                        static_cast<int>(code), s->closeReason().toStdString());
          }
          conns_.erase(it);
          update_count();
        }
        s->deleteLater();
      });
    }
  }

  void fail(QWebSocket* s, connection& c, const std::string& why,
            QWebSocketProtocol::CloseCode code = QWebSocketProtocol::CloseCodeProtocolError) {
    log_refusal(area::lane, fmt::format("[{}] bulk lane: {}; closing the connection", c.label, why));
    conns_.erase(s);
    update_count();
    s->close(code, QString::fromStdString(why));
    s->deleteLater();
  }

  void on_text(QWebSocket* s, const QString& text) {
    auto it = conns_.find(s);
    if (it == conns_.end()) return;
    auto& c = it->second;
    if (c.expect != connection::next::control) {
      return fail(s, c, "a text message arrived where a binary one was announced");
    }
    if (text == QLatin1String("u")) {
      c.expect = connection::next::upload;
    } else if (text == QLatin1String("j")) {
      c.expect = connection::next::batch;
    } else {
      fail(s, c, fmt::format("unknown control message ({} characters)", text.size()));
    }
  }

  void on_binary(QWebSocket* s, const QByteArray& data) {
    auto it = conns_.find(s);
    if (it == conns_.end()) return;
    auto& c = it->second;
    // Adopted, not copied: the QByteArray's buffer is shared.
    auto owner = std::make_shared<QByteArray>(data);
    bytes b = bytes::adopt(owner, owner->constData(), static_cast<std::size_t>(owner->size()));
    switch (c.expect) {
      case connection::next::control:
        return fail(s, c, "a binary message arrived without a control message before it");
      case connection::next::upload:
        c.pending += b.size();
        if (c.pending > limits_.max_pending) {
          return fail(s, c,
                      fmt::format("more than {} bytes of buffers wait for their batch",
                                  limits_.max_pending),
                      QWebSocketProtocol::CloseCodeTooMuchData);
        }
        c.uploads->push_back(std::move(b));
        c.expect = connection::next::control;
        return;
      case connection::next::batch: {
        bulk_lane::lane lane;
        if (!owner_.find(c.secret, lane)) return fail(s, c, "the page's lane was closed");
        auto uploads = std::exchange(c.uploads, std::make_shared<std::vector<bytes>>());
        c.pending = 0;
        c.expect = connection::next::control;
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [receiver = std::move(lane.receiver), batch = std::move(b),
             uploads = std::move(uploads)]() mutable {
              receiver(std::move(batch), std::move(uploads));
            },
            Qt::QueuedConnection);
        return;
      }
    }
  }

  void update_count() {
    std::lock_guard lock(owner_.mutex_);
    owner_.counters_.connections = conns_.size();
  }

  bulk_lane& owner_;
  lane_limits limits_;
  QWebSocketServer* server_ = nullptr;
  std::unordered_map<QWebSocket*, connection> conns_;
};

namespace {
std::atomic<bulk_lane*> active_lane{nullptr};
}

bulk_lane* bulk_lane::active() noexcept { return active_lane.load(); }

std::vector<std::string> bulk_lane::secrets_of(std::string_view label) const {
  std::vector<std::string> out;
  std::lock_guard lock(mutex_);
  for (const auto& [secret, l] : lanes_) {
    if (l.label == label) out.push_back(secret);
  }
  return out;
}

std::unique_ptr<bulk_lane> bulk_lane::start(lane_limits limits, std::uint16_t port,
                                            std::string& why) {
  std::unique_ptr<bulk_lane> lane(new bulk_lane());
  lane->limits_ = limits;
  lane->thread_ = new QThread();
  lane->thread_->setObjectName(QStringLiteral("myapp-lane"));
  lane->server_ = new lane_server(*lane, limits);
  lane->server_->moveToThread(lane->thread_);
  lane->thread_->start();
  bool ok = false;
  std::uint16_t bound = 0;
  // Listening happens in the lane's thread, so that its sockets belong to it.
  QMetaObject::invokeMethod(
      lane->server_,
      [&] {
        ok = lane->server_->listen(port, why);
        if (ok) bound = lane->server_->port();
      },
      Qt::BlockingQueuedConnection);
  if (!ok) return nullptr;  // the destructor stops the thread
  lane->port_ = bound;
  active_lane.store(lane.get());
  return lane;
}

bulk_lane::~bulk_lane() {
  bulk_lane* self = this;
  active_lane.compare_exchange_strong(self, nullptr);
  if (thread_ == nullptr) return;
  if (server_ != nullptr) {
    QMetaObject::invokeMethod(
        server_,
        [s = server_] {
          s->shut_down();
          delete s;
        },
        Qt::BlockingQueuedConnection);
    server_ = nullptr;
  }
  thread_->quit();
  thread_->wait();
  delete thread_;
}

std::string bulk_lane::open(std::string label, std::string origin, lane_receiver receiver) {
  std::string secret = random_secret();
  std::lock_guard lock(mutex_);
  lanes_.insert_or_assign(secret, lane{std::move(label), std::move(origin), std::move(receiver)});
  counters_.open_lanes = lanes_.size();
  return secret;
}

void bulk_lane::close(const std::string& secret) {
  {
    std::lock_guard lock(mutex_);
    if (lanes_.erase(secret) == 0) return;
    counters_.open_lanes = lanes_.size();
  }
  QMetaObject::invokeMethod(server_, [s = server_, secret] { s->close_lane(secret); },
                            Qt::QueuedConnection);
}

bool bulk_lane::find(const std::string& secret, lane& out) const {
  std::lock_guard lock(mutex_);
  auto it = lanes_.find(secret);
  if (it == lanes_.end()) return false;
  out = it->second;
  return true;
}

bulk_lane::counters bulk_lane::stats() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

}  // namespace myapp::runtime
