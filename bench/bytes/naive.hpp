// The baselines: what a straightforward Qt app does without myapp, on a plain QWebEngineView
// with its own profile, its page served by its own scheme (rawbench://localhost):
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

#include <memory>

#include "payload.hpp"

class QWebChannel;
class QWebEnginePage;
class QWebEngineProfile;
class QWebEngineView;
class QWebSocketServer;

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
  ~naive_app();
  naive_app(const naive_app&) = delete;
  naive_app& operator=(const naive_app&) = delete;

  [[nodiscard]] QWebEnginePage* page() const noexcept { return page_; }
  /// False once the page failed to load.
  [[nodiscard]] bool load_ok() const noexcept { return load_ok_; }

 private:
  QWebEngineProfile* profile_ = nullptr;
  std::unique_ptr<QWebEngineView> view_;
  QWebEnginePage* page_ = nullptr;
  QWebChannel* channel_ = nullptr;
  naive_object* object_ = nullptr;
  std::unique_ptr<QWebSocketServer> ws_;
  bool load_ok_ = true;
};

}  // namespace bench
