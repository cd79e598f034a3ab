// The app scheme: serves the frontend compiled into the binary with Qt's resource system.
#pragma once

#include <QString>
#include <QWebEngineUrlSchemeHandler>

namespace myapp::runtime {

/// Registers the `myapp` scheme with Chromium. Must run before the QApplication exists.
void register_schemes();

/// Serves `myapp://localhost/<path>` from `<prefix>/<path>` in the resources (a prefix starting
/// with ':') or in a filesystem directory (any other prefix; `myapp dev` serves the project's
/// frontend folder this way): `/` and folders give their `index.html`; a missing path without a
/// file extension falls back to `/index.html` (single-page apps route on the client); anything
/// else missing is "not found". Nothing outside the root is ever served: `..` cannot climb out
/// of it, and in a directory, neither can a symbolic link. Only GET is served. Paths under
/// `/__myapp/` are the runtime's: `/__myapp/blob/<token>` serves a blob (blobs.hpp) once, to
/// the page it was made for.
class app_scheme_handler final : public QWebEngineUrlSchemeHandler {
  Q_OBJECT

 public:
  explicit app_scheme_handler(QString resource_prefix, QObject* parent = nullptr);
  /// The Content-Security-Policy given to every HTML page served (as a <meta> element at the
  /// top of its head: Qt 6.4's scheme handlers cannot set response headers); empty: none.
  void set_csp(QString csp) { csp_ = std::move(csp); }
  /// `html` with the policy's <meta> element inserted first thing in its <head>.
  static QByteArray with_csp(const QByteArray& html, const QString& csp);
  void requestStarted(QWebEngineUrlRequestJob* job) override;

  /// The MIME type for a file name, by extension; "application/octet-stream" when unknown.
  static QByteArray mime_type(const QString& path);

  /// The file that serves `url_path` (the URL's decoded path) under `root`, or an empty string
  /// when there is none or it would be outside the root.
  static QString resolve(const QString& root, const QString& url_path);

 private:
  void serve_blob(QWebEngineUrlRequestJob* job, const QString& token);
  QString prefix_;
  QString csp_;
};

}  // namespace myapp::runtime
