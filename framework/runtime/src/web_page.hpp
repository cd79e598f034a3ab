// The web page of a myapp window: forwards the page's console, its uncaught exceptions and its
// unhandled promise rejections to the log's `page` area, each line with the window's label.
#pragma once

#include <QWebEnginePage>

#include <functional>
#include <string>

namespace myapp::runtime {

class web_page final : public QWebEnginePage {
  Q_OBJECT

 public:
  web_page(QWebEngineProfile* profile, std::string label, QObject* parent = nullptr);

  /// Called for every console message at error level (uncaught exceptions included).
  std::function<void(const std::string& message)> on_js_error;
  /// Decides whether the page may navigate its main frame to a URL; unset allows everything.
  std::function<bool(const QUrl& url)> allow_navigation;

 protected:
  void javaScriptConsoleMessage(JavaScriptConsoleMessageLevel level, const QString& message,
                                int line, const QString& source) override;
  bool acceptNavigationRequest(const QUrl& url, NavigationType type, bool is_main_frame) override;
  QWebEnginePage* createWindow(WebWindowType type) override;

 private:
  std::string label_;
};

}  // namespace myapp::runtime
