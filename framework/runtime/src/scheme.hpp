// The app scheme: serves the frontend compiled into the binary with Qt's resource system.
#pragma once

#include <QString>
#include <QWebEngineUrlSchemeHandler>

namespace myapp::runtime {

/// Registers the `myapp` scheme with Chromium. Must run before the QApplication exists.
void register_schemes();

/// Serves `myapp://localhost/<path>` from `<prefix>/<path>` in the resources: `/` and folders
/// give their `index.html`; a missing path without a file extension falls back to
/// `/index.html` (single-page apps route on the client); anything else missing is
/// "not found". Only GET is served.
class app_scheme_handler final : public QWebEngineUrlSchemeHandler {
  Q_OBJECT

 public:
  explicit app_scheme_handler(QString resource_prefix, QObject* parent = nullptr);
  void requestStarted(QWebEngineUrlRequestJob* job) override;

  /// The MIME type for a file name, by extension; "application/octet-stream" when unknown.
  static QByteArray mime_type(const QString& path);

 private:
  QString prefix_;
};

}  // namespace myapp::runtime
