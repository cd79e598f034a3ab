// The app scheme: serves the frontend compiled into the binary with Qt's resource system.
#pragma once

#include <QString>
#include <QStringList>
#include <QWebEngineUrlSchemeHandler>

#include <string_view>

namespace myapp::runtime {

/// Where the app scheme serves the modules of @myapp/api (api_modules.hpp).
inline constexpr std::string_view API_PATH = "/__myapp/api/";

/// Registers the `myapp` scheme with Chromium. Must run before the QApplication exists.
void register_schemes();

/// Serves `myapp://localhost/<path>` from `<prefix>/<path>` in the resources (a prefix starting
/// with ':') or in a filesystem directory (any other prefix; `myapp dev` serves the project's
/// frontend folder this way): `/` and folders give their `index.html`; a missing path without a
/// file extension falls back to `/index.html` (single-page apps route on the client); anything
/// else missing is "not found". Nothing outside the root is ever served: `..` cannot climb out
/// of it, and in a directory, neither can a symbolic link. Only GET is served. Paths under
/// `/__myapp/` are the runtime's: `/__myapp/blob/<token>` serves a blob (blobs.hpp) once, to
/// the page it was made for; `/__myapp/api/<module>.js` (or without `.js`) serves a module of
/// @myapp/api, so that a page without a bundler imports it.
class app_scheme_handler final : public QWebEngineUrlSchemeHandler {
  Q_OBJECT

 public:
  explicit app_scheme_handler(QString resource_prefix, QObject* parent = nullptr);
  /// The Content-Security-Policy given to every HTML page served (as a <meta> element at the
  /// top of its head: Qt 6.4's scheme handlers cannot set response headers); empty: none.
  void set_csp(QString csp) { csp_ = std::move(csp); }
  /// `html` with the policy's <meta> element inserted first thing in its <head>.
  static QByteArray with_csp(const QByteArray& html, const QString& csp);
  /// The CSP hash sources (`'sha256-...'`) of the import maps (`<script type="importmap">`) in
  /// `html`, which the policy of the page then allows (config::csp_allow_script_hash).
  static QStringList import_map_hashes(const QByteArray& html);
  void requestStarted(QWebEngineUrlRequestJob* job) override;

  /// The MIME type for a file name, by extension; "application/octet-stream" when unknown.
  static QByteArray mime_type(const QString& path);

  /// The file that serves `url_path` (the URL's decoded path) under `root`, or an empty string
  /// when there is none or it would be outside the root.
  static QString resolve(const QString& root, const QString& url_path);

 private:
  void serve_blob(QWebEngineUrlRequestJob* job, const QString& token);
  void serve_api(QWebEngineUrlRequestJob* job, const QString& file);
  QString prefix_;
  QString csp_;
};

}  // namespace myapp::runtime
