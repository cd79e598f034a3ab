// Dev mode (`myapp dev`): the frontend from a dev server or from the project's folder on disk,
// and pages reloaded when a file of that folder changes.
//
//   MYAPP_DEV_URL=http://localhost:5173   windows with a relative URL load it from there
//   MYAPP_DEV_FRONTEND=/path/to/frontend  the app scheme serves that folder instead of the
//                                         compiled-in resources, and a change to any file in
//                                         it reloads every window's page (debounced)
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <memory>

class QFileSystemWatcher;

namespace myapp::runtime {

/// MYAPP_DEV_URL as a URL; invalid (empty) when unset or not a URL.
QUrl dev_url();
/// MYAPP_DEV_FRONTEND as an absolute directory path; empty when unset or not a directory.
QString dev_frontend();
/// `relative` ("index.html", "/settings") resolved against `base`.
QUrl resolve_against(const QUrl& base, const QString& relative);

/// Watches a directory tree and calls `reload` once changes have settled for `debounce_ms`.
/// Files and folders created later are watched too; files replaced by editors (write to a
/// temporary file, rename over) stay watched.
class dev_reloader final : public QObject {
 public:
  dev_reloader(QString root, std::function<void()> reload, QObject* parent = nullptr,
               int debounce_ms = 100);
  ~dev_reloader() override;

  /// The paths being watched (folders and files), for tests.
  [[nodiscard]] QStringList watched() const;

 private:
  void rescan();
  void changed(const QString& path);

  QString root_;
  std::function<void()> reload_;
  QFileSystemWatcher* watcher_ = nullptr;
  QTimer debounce_;
  QString last_changed_;
};

}  // namespace myapp::runtime
