#include "devtools.hpp"

#include <QKeySequence>
#include <QShortcut>
#include <QWebEnginePage>
#include <QWebEngineView>

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <string_view>

#include "app_config.hpp"
#include "log.hpp"

namespace myapp::runtime {

namespace {

// Owned by the inspected view; creates the devtools window on first use.
class devtools_host final : public QObject {
 public:
  devtools_host(QWebEngineView* inspected, std::string label)
      : QObject(inspected), inspected_(inspected), label_(std::move(label)) {
    setObjectName(QStringLiteral("myapp-devtools"));
  }

  void open() {
    if (view_ == nullptr) {
      // A child of the inspected view with its own window: destroyed with it, so before the
      // profile, as QtWebEngine requires.
      view_ = new QWebEngineView(inspected_);
      view_->setWindowFlag(Qt::Window);
      view_->setAttribute(Qt::WA_QuitOnClose, false);
      auto* page = new QWebEnginePage(inspected_->page()->profile(), view_);
      view_->setPage(page);
      inspected_->page()->setDevToolsPage(page);
      view_->setWindowTitle(QString::fromStdString("Devtools — " + label_));
      view_->resize(1000, 700);
      log()->info("[{}] devtools opened", label_);
    }
    view_->show();
    view_->raise();
    view_->activateWindow();
  }

  [[nodiscard]] bool shown() const { return view_ != nullptr && view_->isVisible(); }

 private:
  QWebEngineView* inspected_;
  std::string label_;
  QWebEngineView* view_ = nullptr;
};

devtools_host* host_of(QWebEngineView* view) {
  return view == nullptr ? nullptr
                         : view->findChild<devtools_host*>(QStringLiteral("myapp-devtools"),
                                                           Qt::FindDirectChildrenOnly);
}

}  // namespace

std::string configure_remote_debugging() {
  const char* v = std::getenv("MYAPP_REMOTE_DEBUGGING");
  if (v == nullptr || *v == '\0') return {};
  const std::string_view text(v);
  unsigned port = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), port);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size() || port < 1 || port > 65535) {
    return fmt::format("MYAPP_REMOTE_DEBUGGING={} is not a port: give a number from 1 to 65535, "
                       "and the app serves the Chrome DevTools Protocol on 127.0.0.1 at that "
                       "port",
                       text.substr(0, 40));
  }
  if (const char* q = std::getenv("QTWEBENGINE_REMOTE_DEBUGGING"); q != nullptr && *q != '\0') {
    log()->warn("MYAPP_REMOTE_DEBUGGING={} replaces QTWEBENGINE_REMOTE_DEBUGGING={}", port, q);
  }
  // An explicit address: Chromium listens there alone, never on every interface.
  const std::string value = fmt::format("127.0.0.1:{}", port);
  ::setenv("QTWEBENGINE_REMOTE_DEBUGGING", value.c_str(), 1);
  log()->info("remote debugging: the Chrome DevTools Protocol on http://{}", value);
  return {};
}

bool devtools_enabled(const bool* option) {
  if (const char* v = std::getenv("MYAPP_DEVTOOLS"); v != nullptr && *v != '\0') {
    return std::string_view(v) != "0";
  }
  if (option != nullptr) return *option;
  return env_set("MYAPP_DEV_URL") || env_set("MYAPP_DEV_FRONTEND");
}

void attach_devtools(QWebEngineView* view, const std::string& label, bool enabled) {
  auto* host = new devtools_host(view, label);
  if (!enabled) return;
  for (const QKeySequence& keys :
       {QKeySequence(Qt::Key_F12), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I)}) {
    auto* s = new QShortcut(keys, view);
    s->setContext(Qt::WindowShortcut);
    QObject::connect(s, &QShortcut::activated, host, [host] { host->open(); });
  }
}

bool open_devtools(QWebEngineView* view) {
  auto* host = host_of(view);
  if (host == nullptr) return false;
  host->open();
  return true;
}

bool devtools_open(QWebEngineView* view) {
  auto* host = host_of(view);
  return host != nullptr && host->shown();
}

}  // namespace myapp::runtime
