// Devtools and remote debugging in a real headless app. Run twice by ctest: with
// MYAPP_DEVTOOLS=1 (dev mode: `__MYAPP__.openDevtools()` opens a devtools window) and with
// MYAPP_DEVTOOLS=0 (the call is refused). Both serve the Chrome DevTools Protocol from
// MYAPP_REMOTE_DEBUGGING on 127.0.0.1 and on no other address.
#include <gtest/gtest.h>

#include <QTemporaryDir>
#include <QTest>
#include <QWebEnginePage>
#include <QWebEngineView>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <future>
#include <sstream>
#include <string>
#include <vector>

#include "harness.hpp"
#include "myapp/app.hpp"

namespace {

using myapp::testing::eval;
using myapp::testing::settle;
using myapp::testing::wait_until;

myapp::app* the_app = nullptr;
int the_port = 0;

bool dev_mode() {
  const char* v = std::getenv("MYAPP_DEVTOOLS");
  return v != nullptr && std::string(v) == "1";
}

myapp::window& main_window() {
  auto* w = the_app->find_window("main");
  if (w == nullptr) throw std::runtime_error("no main window");
  return *w;
}

// A free port on loopback, as the kernel hands it out.
int free_port() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

// GET `path` from 127.0.0.1:port; the whole response, or empty.
std::string http_get_blocking(int port, const std::string& path) {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{5, 0};
  ::setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  std::string out;
  if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    const std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::send(s, req.data(), req.size(), 0) == static_cast<ssize_t>(req.size())) {
      char buf[4096];
      ssize_t n = 0;
      while ((n = ::recv(s, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(s);
  return out;
}

// Chromium answers on the GUI thread (its UI thread is Qt's), so the request runs on another
// thread while this one spins the event loop.
std::string http_get(int port, const std::string& path) {
  auto f = std::async(std::launch::async, [=] { return http_get_blocking(port, path); });
  wait_until([&] { return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready; });
  return f.get();
}

// The local addresses (as /proc/net/tcp* writes them) of sockets listening on `port`.
std::vector<std::string> listening_addresses(int port) {
  std::vector<std::string> out;
  char want[8];
  std::snprintf(want, sizeof want, "%04X", port);
  for (const char* file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(file);
    std::string l;
    std::getline(in, l);  // header
    while (std::getline(in, l)) {
      std::istringstream f(l);
      std::string slot, local, remote, state;
      f >> slot >> local >> remote >> state;
      const auto colon = local.rfind(':');
      if (state == "0A" && local.substr(colon + 1) == want) out.push_back(local.substr(0, colon));
    }
  }
  return out;
}

TEST(RemoteDebugging, AnswersOnLoopback) {
  std::string r;
  ASSERT_TRUE(wait_until([&] {
    r = http_get(the_port, "/json/version");
    return r.find("Protocol-Version") != std::string::npos;
  }, 20000)) << r;
  EXPECT_NE(r.find("\"Browser\""), std::string::npos) << r;
  auto list = http_get(the_port, "/json/list");
  EXPECT_NE(list.find("myapp://localhost/"), std::string::npos) << list;
}

TEST(RemoteDebugging, ListensOnNoOtherAddress) {
  ASSERT_TRUE(wait_until([] { return !listening_addresses(the_port).empty(); }));
  // 0100007F is 127.0.0.1 in /proc/net/tcp's byte order; 0.0.0.0 or [::] would mean every
  // interface.
  for (const auto& a : listening_addresses(the_port)) EXPECT_EQ(a, "0100007F");
}

TEST(Devtools, TheJsCallOpensThemInDevModeOnly) {
  auto& w = main_window();
  ASSERT_TRUE(wait_until([&] { return w.ready(); }));
  EXPECT_EQ(w.page()->devToolsPage(), nullptr);
  const auto r = settle(w, "__MYAPP__.openDevtools().then(() => 'opened')");
  if (dev_mode()) {
    EXPECT_EQ(r, R"J({"ok":"opened"})J");
    ASSERT_NE(w.page()->devToolsPage(), nullptr);
    // The devtools page loads Chromium's front end for this page.
    EXPECT_TRUE(wait_until([&] {
      return w.page()->devToolsPage()->url().scheme() == QLatin1String("devtools");
    })) << w.page()->devToolsPage()->url().toString().toStdString();
    auto* devtools_view = qobject_cast<QWebEngineView*>(w.page()->devToolsPage()->parent());
    ASSERT_NE(devtools_view, nullptr);
    EXPECT_TRUE(devtools_view->isVisible());
    EXPECT_TRUE(devtools_view->isWindow());
    // A second call brings the same window forward.
    EXPECT_EQ(settle(w, "__MYAPP__.openDevtools().then(() => 'again')"), R"J({"ok":"again"})J");
    EXPECT_EQ(qobject_cast<QWebEngineView*>(w.page()->devToolsPage()->parent()), devtools_view);
  } else {
    EXPECT_NE(r.find(R"J("code":"devtools.disabled")J"), std::string::npos) << r;
    EXPECT_EQ(w.page()->devToolsPage(), nullptr);
  }
}

TEST(Devtools, TheCommandGoesThroughTheAcl) {
  // A window whose capability leaves out core:devtools:default may not call it, in any mode.
  auto* w = the_app->find_window("locked");
  ASSERT_NE(w, nullptr);
  ASSERT_TRUE(wait_until([&] { return w->ready(); }));
  const auto r = settle(*w, "__MYAPP__.openDevtools()");
  EXPECT_NE(r.find(R"J("code":"acl.denied")J"), std::string::npos) << r;
  EXPECT_EQ(w->page()->devToolsPage(), nullptr);
}

TEST(Devtools, F12AndCtrlShiftIOpenThemInDevModeOnly) {
  // The shortcuts are the user's own action: no capability is involved, only the mode.
  auto* w = the_app->find_window("locked");
  ASSERT_NE(w, nullptr);
  auto* view = w->view();
  view->show();
  view->activateWindow();
  ASSERT_TRUE(QTest::qWaitForWindowActive(view));
  QTest::keyClick(view, Qt::Key_I, Qt::ControlModifier | Qt::ShiftModifier);
  if (dev_mode()) {
    ASSERT_TRUE(wait_until([&] { return w->page()->devToolsPage() != nullptr; }));
    auto* devtools_view = qobject_cast<QWebEngineView*>(w->page()->devToolsPage()->parent());
    ASSERT_NE(devtools_view, nullptr);
    EXPECT_TRUE(devtools_view->isVisible());
    devtools_view->close();
    EXPECT_FALSE(devtools_view->isVisible());
    view->activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(view));
    QTest::keyClick(view, Qt::Key_F12);
    EXPECT_TRUE(wait_until([&] { return devtools_view->isVisible(); }));
  } else {
    QTest::keyClick(view, Qt::Key_F12);
    myapp::testing::pump(300);
    EXPECT_EQ(w->page()->devToolsPage(), nullptr);
  }
}

TEST(Paths, ThePageGetsTheAppsFolders) {
  auto& w = main_window();
  const auto r = settle(w, "__MYAPP__.invoke('plugin:path|app_dirs').then(d => d.log)");
  EXPECT_EQ(r, R"J({"ok":")J" + the_app->paths().log.string() + R"J("})J");
  auto* locked = the_app->find_window("locked");
  EXPECT_NE(settle(*locked, "__MYAPP__.invoke('plugin:path|app_dirs')").find("acl.denied"),
            std::string::npos);
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (std::getenv("QT_QPA_PLATFORM") == nullptr) setenv("QT_QPA_PLATFORM", "offscreen", 1);
  QTemporaryDir home;
  setenv("XDG_STATE_HOME", home.filePath("state").toStdString().c_str(), 1);
  setenv("MYAPP_LOG_FILE", "0", 1);
  the_port = free_port();
  setenv("MYAPP_REMOTE_DEBUGGING", std::to_string(the_port).c_str(), 1);
  myapp::app app(argc, argv, {.name = "myapp-devtools-test"});
  app.capability(R"J({"identifier":"main","windows":["main"],"permissions":["core:default"]})J");
  app.capability(R"J({"identifier":"locked","windows":["locked"],"permissions":["core:event:default"]})J");
  app.window({.label = "main", .url = "index.html"});
  app.window({.label = "locked", .url = "index.html"});
  app.start();
  the_app = &app;
  return RUN_ALL_TESTS();
}
