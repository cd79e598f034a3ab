// The baselines: what a straightforward Qt app does without myapp, on the plain page of
// bench/common/naive_page.hpp, served by its own scheme (rawbench://localhost):
// - the raw down ceiling: a bare scheme handler serving the same preallocated bytes to an XHR
//   GET (`rawbench://localhost/bytes/<n>`);
// - the raw up ceiling: a bare QWebSocketServer on 127.0.0.1 that acknowledges each binary
//   message once it holds all of it;
// - the base64 up baseline: a QWebChannel slot taking the bytes as base64 text;
// - the naive JSON echo: a QWebChannel slot taking a JSON message as a string, answered by a
//   signal carrying a JSON string (as in bench/ipc).
#pragma once

#include <QObject>
#include <QString>
#include <QWebEngineUrlSchemeHandler>
#include <QWebSocketServer>

#include <memory>

#include "naive_page.hpp"
#include "payload.hpp"

namespace bench {

inline constexpr const char* RAW_SCHEME = "rawbench";

/// Registers rawbench:// (secure, like myapp://). Before the QApplication exists.
void register_raw_scheme();

class raw_scheme_handler final : public QWebEngineUrlSchemeHandler {
 public:
  raw_scheme_handler(const payload_store& store, QObject* parent)
      : QWebEngineUrlSchemeHandler(parent), store_(store) {}
  void requestStarted(QWebEngineUrlRequestJob* job) override;

 private:
  const payload_store& store_;
};

class naive_object final : public QObject {
  Q_OBJECT

 public:
  naive_object(quint16 port, QObject* parent) : QObject(parent), ws_port_(port) {}

 public slots:
  /// Decodes the base64 text; answers with its size, or -1 when it is not the expected bytes.
  int sink_b64(const QString& text, int expected_size);
  /// `{"id":N,"cmd":"echo","args":{"text":...}}`; answers with `reply({"id":N,"ok":text})`.
  void call(const QString& json);
  [[nodiscard]] int ws_port() const { return ws_port_; }

 signals:
  void reply(const QString& json);

 private:
  quint16 ws_port_;
};

/// The naive page (rawbench://localhost/index.html) and its servers.
class naive_app {
 public:
  explicit naive_app(const payload_store& store);
  [[nodiscard]] myapp::bench::naive_page& page() noexcept { return page_; }

 private:
  std::unique_ptr<QWebSocketServer> ws_;
  myapp::bench::naive_page page_;
};

}  // namespace bench
