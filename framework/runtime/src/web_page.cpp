// The web page of a window: its console and errors to the log, and its navigation rules.
#include "web_page.hpp"

#include <fmt/format.h>

#include "log.hpp"
#include "refusals.hpp"

namespace myapp::runtime {

web_page::web_page(QWebEngineProfile* profile, std::string label, QObject* parent)
    : QWebEnginePage(profile, parent), label_(std::move(label)) {}

// Chromium reports uncaught exceptions ("Uncaught Error: ...") and unhandled promise rejections
// ("Uncaught (in promise) ...") as console errors itself, even when the page replaced
// console.error: they all arrive here.
void web_page::javaScriptConsoleMessage(JavaScriptConsoleMessageLevel level,
                                        const QString& message, int line,
                                        const QString& source) {
  const std::string text = message.toStdString();
  const std::string where = source.isEmpty() ? std::string()
                                             : " (" + source.toStdString() + ":" +
                                                   std::to_string(line) + ")";
  const auto& page = log(area::page);
  switch (level) {
    case InfoMessageLevel: page->info("[{}] console: {}{}", label_, text, where); break;
    case WarningMessageLevel: page->warn("[{}] console: {}{}", label_, text, where); break;
    case ErrorMessageLevel:
      page->error("[{}] console: {}{}", label_, text, where);
      if (on_js_error) on_js_error(text + where);
      break;
  }
}

bool web_page::acceptNavigationRequest(const QUrl& url, NavigationType type,
                                       bool is_main_frame) {
  if (!is_main_frame || !allow_navigation || allow_navigation(url)) {
    return QWebEnginePage::acceptNavigationRequest(url, type, is_main_frame);
  }
  log_refusal(area::acl, fmt::format("[{}] blocked a navigation to {}: the page may only go to "
                                     "the app's own origin or to a URL a capability lists in "
                                     "`remote.urls`",
                                     label_, url.toString().toStdString()));
  return false;
}

QWebEnginePage* web_page::createWindow(WebWindowType /*type*/) {
  log_refusal(area::acl, fmt::format("[{}] blocked a new window opened by the page (window.open or "
                                     "a link with target=_blank); windows are created by the app",
                                     label_));
  return nullptr;
}

}  // namespace myapp::runtime
