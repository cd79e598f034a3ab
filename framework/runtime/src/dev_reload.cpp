#include "dev_reload.hpp"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QFileSystemWatcher>

#include <cstdlib>

#include "log.hpp"

namespace myapp::runtime {

QUrl dev_url() {
  const char* v = std::getenv("MYAPP_DEV_URL");
  if (v == nullptr || *v == '\0') return {};
  QUrl u(QString::fromUtf8(v));
  if (!u.isValid() || u.scheme().isEmpty() || u.host().isEmpty()) {
    log()->warn("MYAPP_DEV_URL={} is not a URL; ignoring it", v);
    return {};
  }
  return u;
}

QString dev_frontend() {
  const char* v = std::getenv("MYAPP_DEV_FRONTEND");
  if (v == nullptr || *v == '\0') return {};
  QFileInfo info(QString::fromUtf8(v));
  if (!info.isDir()) {
    log()->warn("MYAPP_DEV_FRONTEND={} is not a directory; serving the compiled-in frontend", v);
    return {};
  }
  return info.canonicalFilePath();
}

QUrl resolve_against(const QUrl& base, const QString& relative) {
  QUrl b = base;
  // "http://host:5173" and "http://host:5173/app" both mean a folder.
  if (!b.path().endsWith(QLatin1Char('/'))) b.setPath(b.path() + QLatin1Char('/'));
  QString rel = relative;
  while (rel.startsWith(QLatin1Char('/'))) rel.remove(0, 1);
  return b.resolved(QUrl(rel));
}

dev_reloader::dev_reloader(QString root, std::function<void()> reload, QObject* parent,
                           int debounce_ms)
    : QObject(parent), root_(std::move(root)), reload_(std::move(reload)) {
  watcher_ = new QFileSystemWatcher(this);
  debounce_.setSingleShot(true);
  debounce_.setInterval(debounce_ms);
  QObject::connect(&debounce_, &QTimer::timeout, this, [this] {
    rescan();
    log()->info("dev: {} changed; page reloaded", last_changed_.toStdString());
    if (reload_) reload_();
  });
  QObject::connect(watcher_, &QFileSystemWatcher::fileChanged, this,
                   [this](const QString& p) { changed(p); });
  QObject::connect(watcher_, &QFileSystemWatcher::directoryChanged, this,
                   [this](const QString& p) { changed(p); });
  rescan();
  log()->info("dev: serving {} and reloading on change ({} paths watched)", root_.toStdString(),
              watcher_->files().size() + watcher_->directories().size());
}

dev_reloader::~dev_reloader() = default;

QStringList dev_reloader::watched() const {
  return watcher_->directories() + watcher_->files();
}

void dev_reloader::changed(const QString& path) {
  QString rel = QDir(root_).relativeFilePath(path);
  last_changed_ = rel.isEmpty() || rel == QLatin1String(".") ? root_ : rel;
  // A file replaced by rename leaves the watcher; rescanning (now and after the debounce)
  // puts it back, and adds files and folders just created.
  rescan();
  debounce_.start();
}

void dev_reloader::rescan() {
  QStringList want{root_};
  QDirIterator it(root_, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
                  QDirIterator::Subdirectories);
  while (it.hasNext()) {
    it.next();
    const QFileInfo& info = it.fileInfo();
    if (info.fileName() == QLatin1String("node_modules")) continue;
    want.push_back(info.filePath());
  }
  const QStringList have = watched();
  QStringList add;
  for (const auto& p : want) {
    if (!have.contains(p)) add.push_back(p);
  }
  if (!add.isEmpty()) watcher_->addPaths(add);
}

}  // namespace myapp::runtime
