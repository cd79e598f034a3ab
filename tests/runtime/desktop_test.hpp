// A receiver for QDesktopServices::setUrlHandler (its slot is found through Qt's meta-object,
// so it needs moc; the test's own file has raw strings moc cannot read).
#pragma once

#include <QObject>
#include <QUrl>

#include <string>
#include <vector>

/// Receives what QDesktopServices::openUrl would have handed to the desktop.
class url_recorder : public QObject {
  Q_OBJECT
 public:
  std::vector<std::string> opened;
 public slots:
  void open(const QUrl& url) { opened.push_back(url.toString().toStdString()); }
};
