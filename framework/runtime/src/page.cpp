#include "page.hpp"

#include "log.hpp"

namespace myapp::runtime {

app_page::app_page(QWebEngineProfile* profile, std::string label, QObject* parent)
    : QWebEnginePage(profile, parent), label_(std::move(label)) {}

void app_page::javaScriptConsoleMessage(JavaScriptConsoleMessageLevel level,
                                        const QString& message, int line,
                                        const QString& source) {
  const std::string text = message.toStdString();
  const std::string where = source.isEmpty() ? std::string()
                                             : " (" + source.toStdString() + ":" +
                                                   std::to_string(line) + ")";
  switch (level) {
    case InfoMessageLevel: log()->info("[{}] console: {}{}", label_, text, where); break;
    case WarningMessageLevel: log()->warn("[{}] console: {}{}", label_, text, where); break;
    case ErrorMessageLevel:
      log()->error("[{}] console: {}{}", label_, text, where);
      if (on_js_error) on_js_error(text + where);
      break;
  }
}

}  // namespace myapp::runtime
