// The web page of a myapp window: forwards the page's console to the log.
#pragma once

#include <QWebEnginePage>

#include <functional>
#include <string>

namespace myapp::runtime {

class app_page final : public QWebEnginePage {
  Q_OBJECT

 public:
  app_page(QWebEngineProfile* profile, std::string label, QObject* parent = nullptr);

  /// Called for every console message at error level (uncaught exceptions included).
  std::function<void(const std::string& message)> on_js_error;

 protected:
  void javaScriptConsoleMessage(JavaScriptConsoleMessageLevel level, const QString& message,
                                int line, const QString& source) override;

 private:
  std::string label_;
};

}  // namespace myapp::runtime
