// The log, seen from real headless pages: console lines, uncaught exceptions and unhandled
// rejections reach the `page` area with the window's label; MYAPP_LOG=ipc=trace logs every
// invoke with its command, sizes and handler time; denials reach the `acl` area; the log file
// is created in the app's log folder under XDG_STATE_HOME (a temporary folder here).
#include <gtest/gtest.h>

#include <QDir>
#include <QTemporaryDir>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "harness.hpp"
#include "myapp/app.hpp"
#include "myapp/log.hpp"

namespace {

using myapp::testing::eval;
using myapp::testing::settle;
using myapp::testing::wait_until;

myapp::app* the_app = nullptr;
QTemporaryDir* the_home = nullptr;

struct line {
  myapp::log::area where;
  myapp::log::level severity;
  std::string text;
};

// Everything logged since the test began, through the public listener API.
class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    id_ = myapp::log::listen([this](const myapp::log::record& r) {
      std::lock_guard lock(mutex_);
      lines_.push_back({r.where, r.severity, std::string(r.text)});
    });
    ASSERT_TRUE(wait_until([] { return win("main").ready() && win("second").ready(); }));
  }
  void TearDown() override { EXPECT_TRUE(myapp::log::unlisten(id_)); }

  static myapp::window& win(const char* label) {
    auto* w = the_app->find_window(label);
    if (w == nullptr) throw std::runtime_error(std::string("no window ") + label);
    return *w;
  }

  // Waits for a line of `where` containing `needle`; returns it (empty text: none came).
  line wait_for(myapp::log::area where, const std::string& needle) {
    line found{where, myapp::log::level::off, ""};
    wait_until([&] {
      std::lock_guard lock(mutex_);
      for (const auto& l : lines_) {
        if (l.where == where && l.text.find(needle) != std::string::npos) {
          found = l;
          return true;
        }
      }
      return false;
    });
    return found;
  }

  std::mutex mutex_;
  std::vector<line> lines_;
  myapp::log::listener_id id_ = 0;
};

TEST_F(LogTest, ConsoleLinesReachThePageAreaWithTheLabel) {
  eval(win("main"), "console.log('hello from the page'), 0");
  eval(win("main"), "console.warn('careful now'), 0");
  eval(win("main"), "console.error('it broke'), 0");
  eval(win("second"), "console.info('from the second window'), 0");

  auto info = wait_for(myapp::log::area::page, "hello from the page");
  EXPECT_EQ(info.severity, myapp::log::level::info);
  EXPECT_EQ(info.text.rfind("[main] console: hello from the page", 0), 0U) << info.text;
  auto warn = wait_for(myapp::log::area::page, "careful now");
  EXPECT_EQ(warn.severity, myapp::log::level::warn);
  EXPECT_EQ(warn.text.rfind("[main] ", 0), 0U) << warn.text;
  auto error = wait_for(myapp::log::area::page, "it broke");
  EXPECT_EQ(error.severity, myapp::log::level::error);
  EXPECT_EQ(error.text.rfind("[main] ", 0), 0U) << error.text;
  auto second = wait_for(myapp::log::area::page, "from the second window");
  EXPECT_EQ(second.text.rfind("[second] ", 0), 0U) << second.text;
}

TEST_F(LogTest, UncaughtExceptionsAreLoggedAsErrors) {
  eval(win("second"), "setTimeout(() => { throw new Error('thrown and never caught'); }, 0), 0");
  auto l = wait_for(myapp::log::area::page, "thrown and never caught");
  EXPECT_EQ(l.severity, myapp::log::level::error);
  EXPECT_EQ(l.text.rfind("[second] console: Uncaught Error: thrown and never caught", 0), 0U)
      << l.text;
}

TEST_F(LogTest, UnhandledRejectionsAreLoggedAsErrors) {
  // Even after the page replaced console.error.
  eval(win("main"),
       "(console.error = () => {}, Promise.reject(new Error('rejected and never handled')), 0)");
  auto l = wait_for(myapp::log::area::page, "rejected and never handled");
  EXPECT_EQ(l.severity, myapp::log::level::error);
  EXPECT_EQ(
      l.text.rfind("[main] console: Uncaught (in promise) Error: rejected and never handled", 0),
      0U)
      << l.text;
  eval(win("second"), "(Promise.reject('a plain reason'), 0)");
  auto o = wait_for(myapp::log::area::page, "a plain reason");
  EXPECT_EQ(o.severity, myapp::log::level::error);
  EXPECT_EQ(o.text.rfind("[second] console: Uncaught (in promise) a plain reason", 0), 0U)
      << o.text;
}

TEST_F(LogTest, IpcTraceLogsEveryInvokeWithCommandSizeAndHandlerTime) {
  ASSERT_TRUE(myapp::log::enabled(myapp::log::area::ipc, myapp::log::level::trace));
  EXPECT_EQ(settle(win("main"), "__MYAPP__.invoke('greet', {name: 'Ada'})"),
            R"J({"ok":"Hello, Ada!"})J");
  // {"name":"Ada"} is 14 bytes; the answer {"k":"result","id":N,"ok":"Hello, Ada!"}.
  auto l = wait_for(myapp::log::area::ipc, "`greet` ok");
  EXPECT_EQ(l.severity, myapp::log::level::trace);
  EXPECT_TRUE(std::regex_search(
      l.text, std::regex(R"(^\[main\] invoke [0-9]+ `greet` ok: 14 B of args, [0-9]+ B answer; )"
                         R"(handler [0-9]+\.[0-9]{3} ms, queued [0-9]+\.[0-9]{3} ms$)")))
      << l.text;
  auto m = wait_for(myapp::log::area::ipc, "invoke");
  EXPECT_FALSE(m.text.empty());
  auto b = wait_for(myapp::log::area::ipc, "batch in: ");
  EXPECT_EQ(b.text.rfind("[main] batch in: ", 0), 0U) << b.text;
}

TEST_F(LogTest, DenialsReachTheAclArea) {
  auto r = settle(win("second"), "__MYAPP__.invoke('greet', {name: 'x'})");
  EXPECT_NE(r.find("acl.denied"), std::string::npos) << r;
  auto l = wait_for(myapp::log::area::acl, "`greet` is not allowed for window `second`");
  EXPECT_EQ(l.severity, myapp::log::level::warn);
  EXPECT_EQ(l.text.rfind("[second] ", 0), 0U) << l.text;
}

TEST_F(LogTest, TheLogFileIsInTheAppsLogFolder) {
  const std::string state = the_home->filePath("state").toStdString();
  const std::string folder = state + "/com.example.logtest/logs";
  EXPECT_EQ(the_app->paths().log, folder);
  EXPECT_EQ(the_app->paths().data, the_home->filePath("data").toStdString() + "/com.example.logtest");
  EXPECT_EQ(the_app->paths().config, the_home->filePath("config").toStdString() + "/com.example.logtest");
  EXPECT_EQ(the_app->paths().cache, the_home->filePath("cache").toStdString() + "/com.example.logtest");
  auto file = myapp::log::file();
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(*file, folder + "/com.example.logtest.log");
  eval(win("main"), "console.log('this line goes to the file too'), 0");
  wait_for(myapp::log::area::page, "this line goes to the file too");
  myapp::log::flush();
  std::ifstream in(*file);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(std::regex_search(
      text.str(), std::regex(R"(\[[0-9-]+ [0-9:.]+\] \[myapp\.page\] \[info\] \[main\] console: )"
                             R"(this line goes to the file too)")))
      << text.str();
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (std::getenv("QT_QPA_PLATFORM") == nullptr) setenv("QT_QPA_PLATFORM", "offscreen", 1);
  // Never the real home: every folder of the app in a temporary one.
  QTemporaryDir home;
  the_home = &home;
  for (const auto& [var, sub] : {std::pair{"XDG_DATA_HOME", "data"}, std::pair{"XDG_CONFIG_HOME", "config"},
                                 std::pair{"XDG_CACHE_HOME", "cache"}, std::pair{"XDG_STATE_HOME", "state"}}) {
    setenv(var, home.filePath(QString::fromLatin1(sub)).toStdString().c_str(), 1);
  }
  setenv("MYAPP_LOG", "info,ipc=trace", 1);
  unsetenv("MYAPP_LOG_FILE");
  myapp::app app(argc, argv, {.name = "myapp-log-test", .identifier = "com.example.logtest"});
  app.command("greet", [](std::string name) { return "Hello, " + name + "!"; }, {"name"});
  app.capability(R"J({"identifier":"main","windows":["main"],"permissions":["core:default","allow-greet"]})J");
  app.capability(R"J({"identifier":"second","windows":["second"],"permissions":["core:default"]})J");
  app.window({.label = "main", .url = "index.html"});
  app.window({.label = "second", .url = "index.html"});
  app.start();
  the_app = &app;
  return RUN_ALL_TESTS();
}
