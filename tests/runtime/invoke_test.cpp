// The first end-to-end path through a real headless QtWebEngine page: the page invokes
// commands through the injected client and the bridge, and the test checks from C++ what the
// page observed.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QThread>
#include <QTimer>
#include <QWebEnginePage>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

#include "harness.hpp"
#include "myapp/app.hpp"

namespace demo {
struct point {
  int x = 0;
  int y = 0;
};
MYAPP_STRUCT(point, x, y)
}  // namespace demo

namespace {

myapp::app* the_app = nullptr;

myapp::window& main_window() {
  auto* w = the_app->find_window("main");
  if (w == nullptr) throw std::runtime_error("no main window");
  return *w;
}

std::string eval(const std::string& expression) {
  return myapp::testing::eval(main_window(), expression);
}

std::string settle(const std::string& promise_expression) {
  return myapp::testing::settle(main_window(), promise_expression);
}

using myapp::testing::wait_until;

class Runtime : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(wait_until([] { return main_window().ready(); })) << "the page never said hello";
  }
};

TEST_F(Runtime, PageScriptsCanInvokeFromTheirFirstLine) {
  std::string text;
  ASSERT_TRUE(wait_until([&] {
    text = eval("document.getElementById('out').textContent");
    return text != "\"pending\"";
  }));
  EXPECT_EQ(text, "\"Hello, page!\"");
}

TEST_F(Runtime, InvokeResolvesWithTheCommandsResult) {
  EXPECT_EQ(settle("__MYAPP__.invoke('greet', {name: 'Ada'})"), R"J({"ok":"Hello, Ada!"})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('add', {a: 40, b: 2})"), R"J({"ok":42})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('norm', {x: 3, y: 4})"), R"J({"ok":25})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('echo', {text: 'h\\u00e9 \\u2603 \"q\" \\\\ \\n'})"),
            "{\"ok\":\"h\xC3\xA9 \xE2\x98\x83 \\\"q\\\" \\\\ \\n\"}");
}

TEST_F(Runtime, HandlerSeesTheCaller) {
  EXPECT_EQ(settle("__MYAPP__.invoke('whoami')"),
            R"J({"ok":"main myapp://localhost myapp://localhost/index.html"})J");
}

TEST_F(Runtime, AppErrorRejectsWithItsCodeMessageAndData) {
  EXPECT_EQ(settle("__MYAPP__.invoke('fail_coded')"),
            R"J({"code":"notes.not_found","message":"no note 7","data":{"id":7}})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('fail_coded').catch(e => e instanceof __MYAPP__.IpcError)"),
            R"J({"ok":true})J");
}

TEST_F(Runtime, ThrowingHandlerRejectsWithHandlerFailed) {
  EXPECT_EQ(settle("__MYAPP__.invoke('explode')"),
            R"J({"code":"handler.failed","message":"command `explode` failed: boom"})J");
}

TEST_F(Runtime, UnknownCommandRejectsWithCommandNotFound) {
  EXPECT_EQ(settle("__MYAPP__.invoke('gret', {name: 'x'})"),
            R"J({"code":"command.not_found","message":"no command named `gret` is registered; did you mean `greet`?"})J");
}

TEST_F(Runtime, BadArgumentsRejectWithArgsInvalid) {
  EXPECT_EQ(settle("__MYAPP__.invoke('greet', {name: 42})"),
            R"J({"code":"args.invalid","message":"invalid arguments for command `greet`: at `name`: expected string, got number 42","data":{"key":"name","expected":"string","got":"number 42"}})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('greet', {})"),
            R"J({"code":"args.invalid","message":"invalid arguments for command `greet`: at `name`: missing key `name` (expected string)","data":{"key":"name","expected":"string","got":"nothing"}})J");
  // Caught on the page, before anything is sent.
  EXPECT_EQ(settle("__MYAPP__.invoke('greet', [1, 2]).catch(e => e.code)"),
            R"J({"ok":"args.invalid"})J");
}

TEST_F(Runtime, ManyInvokesInOneTickAllResolve) {
  EXPECT_EQ(settle("Promise.all(Array.from({length: 500}, (_, i) => __MYAPP__.invoke('add', "
                   "{a: i, b: 1}))).then(r => r.every((v, i) => v === i + 1) && r.length)"),
            R"J({"ok":500})J");
}

TEST_F(Runtime, SlowHandlerDoesNotBlockOtherInvokes) {
  // `slow` sleeps 1.5 s on a worker; `add` answers meanwhile, and the GUI thread keeps going.
  EXPECT_EQ(settle("(() => { const t0 = performance.now(); const slow = __MYAPP__.invoke('slow'); "
                   "return __MYAPP__.invoke('add', {a: 1, b: 1}).then(v => [v, performance.now() "
                   "- t0 < 1000]).then(r => slow.then(() => r)); })()"),
            R"J({"ok":[2,true]})J");
}

TEST_F(Runtime, EveryAnswerArrivesWhateverTheHandlersTime) {
  // One call at a time, as a page awaiting each answer makes them: the GUI thread waits a moment
  // for a lone call's answer (spinning, then asleep) and flushes it in the same turn, and past
  // that the answer leaves the usual way. Handlers answering before, across and after each of
  // those moments all settle with their own value, in order, while another thread's events
  // arrive in the middle of the waits.
  std::atomic<bool> stop{false};
  std::atomic<int> sent{0};
  std::thread emitter([&] {
    while (!stop.load()) {
      the_app->emit_event("tick", sent.load());
      sent.fetch_add(1);
      std::this_thread::sleep_for(std::chrono::microseconds(300));
    }
  });
  const std::string result = settle(
      "(async () => { let heard = 0; const un = await __MYAPP__.listen('tick', () => { heard++; });"
      " const delays = [0, 5, 20, 35, 39, 41, 45, 80, 150, 190, 199, 201, 210, 400, 3000];"
      " const got = []; for (let round = 0; round < 20; round++) for (const us of delays)"
      "   got.push(await __MYAPP__.invoke('nap', {us}) === us);"
      " un(); return [got.length, got.every(Boolean), heard > 0]; })()");
  stop.store(true);
  emitter.join();
  EXPECT_EQ(result, R"J({"ok":[300,true,true]})J");
}

TEST_F(Runtime, MainThreadCommandsRunOnTheGuiThread) {
  EXPECT_EQ(settle("__MYAPP__.invoke('on_gui_thread')"), R"J({"ok":true})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('on_worker_thread')"), R"J({"ok":true})J");
}

TEST_F(Runtime, AppSchemeServesFilesWithTheirTypes) {
  auto get = [](const std::string& path) {
    return settle("new Promise(r => { const x = new XMLHttpRequest(); x.open('GET', '" + path +
                  "'); x.onloadend = () => r([x.status, x.getResponseHeader('content-type'), "
                  "x.responseText.trim()]); x.send(); })");
  };
  EXPECT_EQ(get("style.css"), R"J({"ok":[200,"text/css; charset=utf-8","body { color: #123; }"]})J");
  EXPECT_EQ(get("/sub/data.json"), R"J({"ok":[200,"application/json","{\"answer\": 42}"]})J");
  EXPECT_EQ(get("/sub/../sub/data.json"), R"J({"ok":[200,"application/json","{\"answer\": 42}"]})J");
  // A route without an extension falls back to index.html; a missing file fails.
  auto spa = get("/settings/profile");
  EXPECT_NE(spa.find(R"J([200,"text/html; charset=utf-8","<!doctype html>)J"), std::string::npos) << spa;
  EXPECT_EQ(get("/missing.png"), R"J({"ok":[0,null,""]})J");
}

TEST_F(Runtime, ReloadStartsAFreshHandshakeAndInvokesStillWork) {
  // A call still running when the page reloads is dropped, not delivered to the new page.
  eval("(window.__old_document = true, __MYAPP__.invoke('slow'), 0)");
  main_window().page()->triggerAction(QWebEnginePage::Reload);
  ASSERT_TRUE(wait_until([] {
    return eval("window.__old_document === undefined") == "true" && main_window().ready();
  }));
  // Watch for the old page's answer reaching the new one (the client warns about unknown ids).
  eval("(window.__stray = [], console.warn = (...a) => window.__stray.push(a.join(' ')), 0)");
  EXPECT_EQ(settle("__MYAPP__.invoke('greet', {name: 'again'})"), R"J({"ok":"Hello, again!"})J");
  ASSERT_TRUE(wait_until([] { return the_app->get_router().in_flight() == 0; }));
  wait_until([] { return false; }, 200);  // let a late batch, if any, arrive
  EXPECT_EQ(eval("window.__stray"), "[]");
  EXPECT_EQ(settle("__MYAPP__.ready.then(r => r.label)"), R"J({"ok":"main"})J");
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (std::getenv("QT_QPA_PLATFORM") == nullptr) setenv("QT_QPA_PLATFORM", "offscreen", 1);

  myapp::app app(argc, argv, {.name = "myapp-runtime-test"});
  app.command("greet", [](std::string name) { return "Hello, " + name + "!"; }, {"name"});
  app.command("add", [](int a, int b) { return a + b; }, {"a", "b"});
  app.command("norm", [](const demo::point& p) { return p.x * p.x + p.y * p.y; });
  app.command("echo", [](std::string text) { return text; }, {"text"});
  app.command("whoami", [](const myapp::request& r) {
    return r.caller().label + " " + r.caller().origin + " " + r.caller().url;
  });
  app.command("fail_coded", []() -> int {
    throw myapp::error("notes.not_found", "no note 7", R"J({"id":7})J");
  });
  app.command("explode", []() -> int { throw std::runtime_error("boom"); });
  app.command("slow", [] { std::this_thread::sleep_for(std::chrono::milliseconds(1500)); });
  app.command("nap", [](int us) {
    // A busy wait: sleep_for would add the scheduler's slack to short naps.
    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(us);
    while (std::chrono::steady_clock::now() < until) {
    }
    return us;
  }, {"us"});
  app.command("on_gui_thread",
              [] { return QThread::currentThread() == QCoreApplication::instance()->thread(); },
              {}, {.main_thread = true});
  app.command("on_worker_thread",
              [] { return QThread::currentThread() != QCoreApplication::instance()->thread(); });
  app.capability(R"J({"identifier":"test","windows":["main"],"permissions":["core:default",
      "allow-greet","allow-add","allow-norm","allow-echo","allow-whoami","allow-fail_coded",
      "allow-explode","allow-slow","allow-nap","allow-on_gui_thread","allow-on_worker_thread"]})J");
  app.window({.label = "main", .title = "runtime test", .url = "index.html"});
  app.start();
  the_app = &app;
  return RUN_ALL_TESTS();
}
