#include "devtools.hpp"

#include <QKeySequence>
#include <QShortcut>
#include <QWebEnginePage>
#include <QWebEngineView>

#include <fmt/format.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QTimer>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

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

// The port of MYAPP_REMOTE_DEBUGGING that this process should listen on (0: none) and whether
// its listening was already reported.
int g_remote_port = 0;
bool g_watching = false;

// Why nothing can listen on 127.0.0.1:`port` now, or an empty string when something could.
std::string bind_problem(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) return {};
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  std::string why;
  if (::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) why = std::strerror(errno);
  ::close(s);
  return why;
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// True when this process has a listening TCP socket on `port`: Chromium's DevTools server runs
// in the browser process, so listening there means it bound the port.
bool listening_here(int port) {
  std::vector<std::string> inodes;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::istringstream lines(read_text(table));
    std::string line;
    std::getline(lines, line);  // the header
    while (std::getline(lines, line)) {
      std::istringstream f(line);
      std::string sl, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      f >> sl >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode;
      const auto colon = local.rfind(':');
      if (state != "0A" || colon == std::string::npos) continue;
      if (std::strtol(local.c_str() + colon + 1, nullptr, 16) == port) inodes.push_back("socket:[" + inode + "]");
    }
  }
  if (inodes.empty()) return false;
  std::error_code ec;
  for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    std::error_code link_ec;
    const auto target = std::filesystem::read_symlink(fd.path(), link_ec).string();
    for (const auto& i : inodes) {
      if (!link_ec && target == i) return true;
    }
  }
  return false;
}

// Says that the DevTools Protocol is served once Chromium listens on the port, or that it
// does not after a while.
void watch_remote_debugging() {
  if (g_remote_port == 0 || g_watching || QCoreApplication::instance() == nullptr) return;
  g_watching = true;
  auto* timer = new QTimer(QCoreApplication::instance());
  const auto started = std::chrono::steady_clock::now();
  QObject::connect(timer, &QTimer::timeout, timer, [timer, started] {
    const int port = g_remote_port;
    if (listening_here(port)) {
      log()->info("remote debugging: the Chrome DevTools Protocol on http://127.0.0.1:{}", port);
      timer->deleteLater();
    } else if (std::chrono::steady_clock::now() - started > std::chrono::seconds(15)) {
      const std::string why = bind_problem(port);
      log()->error("remote debugging: Chromium is not listening on 127.0.0.1:{}{}; the app runs "
                   "without the DevTools Protocol. Choose another port in "
                   "MYAPP_REMOTE_DEBUGGING",
                   port, why.empty() ? "" : " (" + why + ")");
      timer->deleteLater();
    }
  });
  timer->start(100);
}

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
  // Taken already: Chromium would only say "Cannot start http server for devtools", and the
  // app would run without them.
  if (const std::string why = bind_problem(static_cast<int>(port)); !why.empty()) {
    log()->error("remote debugging: 127.0.0.1:{} cannot be used ({}): another program holds it; "
                 "the app runs without the DevTools Protocol. Choose another port in "
                 "MYAPP_REMOTE_DEBUGGING",
                 port, why);
    return {};
  }
  // An explicit address: Chromium listens there alone, never on every interface. Whether it
  // did is said once it listens (watch_remote_debugging).
  const std::string value = fmt::format("127.0.0.1:{}", port);
  ::setenv("QTWEBENGINE_REMOTE_DEBUGGING", value.c_str(), 1);
  g_remote_port = static_cast<int>(port);
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
  watch_remote_debugging();  // the first page starts Chromium, and with it the DevTools server
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
