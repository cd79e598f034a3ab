// Commands as Tauri users write them, in a real page: error values (a string, a struct) against
// IpcError, serde-like field names, raw request bodies with headers (inline and over the bulk
// lane), coroutine handlers (thousands waiting at once, a reload freeing every frame, a QFuture),
// and a C++ listener that throws on a page's payload without ending the app.
#include <gtest/gtest.h>

#include <QFuture>
#include <QPromise>
#include <QWebEngineView>

#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "harness.hpp"
#include "myapp/app.hpp"
#include "myapp/qt_await.hpp"

namespace shop {
struct failure {
  std::string kind;
  std::string message;
};
MYAPP_STRUCT(failure, kind, message)

struct order {  // as a ported serde struct
  std::string item_name;
  int max_count = 1;
};
MYAPP_STRUCT(order, item_name, max_count)
MYAPP_STRUCT_OPTIONS(order, myapp::json::rename_all(myapp::json::naming::as_written),
                     myapp::json::field(&order::max_count).or_default())
}  // namespace shop

namespace {

using myapp::testing::settle;
using myapp::testing::wait_until;

myapp::app* the_app = nullptr;
std::atomic<int> listener_calls{0};

myapp::window& main_window() { return *the_app->find_window("main"); }

std::string run(const std::string& expression, int timeout_ms = 30000) {
  return settle(main_window(), expression, timeout_ms);
}

class Commands : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(wait_until([] { return main_window().ready(); })); }
};

TEST_F(Commands, ErrorValuesRejectWithTheValueAndIpcErrorsStaySo) {
  EXPECT_EQ(run("__MYAPP__.invoke('login', {user: 'bob'}).catch(e => ({e, ipc: e instanceof __MYAPP__.IpcError}))"),
            R"J({"ok":{"e":"invalid credentials","ipc":false}})J");
  EXPECT_EQ(run("__MYAPP__.invoke('read').catch(e => ({e, ipc: e instanceof __MYAPP__.IpcError}))"),
            R"J({"ok":{"e":{"kind":"io","message":"disk full"},"ipc":false}})J");
  EXPECT_EQ(run("__MYAPP__.invoke('login', {user: 42}).catch(e => ({code: e.code, ipc: e instanceof __MYAPP__.IpcError}))"),
            R"J({"ok":{"code":"args.invalid","ipc":true}})J");
  EXPECT_EQ(run("__MYAPP__.invoke('login', {user: 'ada'})"), R"J({"ok":"logged_in"})J");
}

TEST_F(Commands, SerdeStyleKeysBothWaysAndOtherSpellingsRefused) {
  EXPECT_EQ(run("__MYAPP__.invoke('order', {item_name: 'tea'})"),
            R"J({"ok":{"item_name":"tea","max_count":1}})J");
  auto r = run("__MYAPP__.invoke('order', {itemName: 'tea'}).catch(e => e.data)");
  EXPECT_EQ(r, R"J({"ok":{"key":"itemName","expected":"the key `item_name`","got":"the key `itemName`"}})J");
}

TEST_F(Commands, RawBodiesWithHeadersInlineAndOverTheLane) {
  EXPECT_EQ(run("__MYAPP__.invoke('upload', new Uint8Array([1, 2, 3]), {headers: {Authorization: 'k1'}})"),
            R"J({"ok":"k1 3 6"})J");
  // 4 MB: over the bulk lane.
  EXPECT_EQ(run("__MYAPP__.invoke('upload', new Uint8Array(4 * 1024 * 1024).fill(1), "
                "{headers: new Headers({authorization: 'k2'})})"),
            R"J({"ok":"k2 4194304 4194304"})J");
  EXPECT_EQ(run("__MYAPP__.invoke('upload', new Uint8Array(2)).catch(e => e)"),
            R"J({"ok":"missing Authorization header"})J");
  EXPECT_EQ(run("__MYAPP__.invoke('upload', {file: 'x'}).catch(e => e.code)"), R"J({"ok":"args.invalid"})J");
  EXPECT_EQ(run("__MYAPP__.invoke('login', new Uint8Array(2)).catch(e => e.message)"),
            R"J({"ok":"invalid arguments for command `login`: expected JSON arguments (an object), got a raw body"})J");
}

TEST_F(Commands, ThousandsOfSleepingCoroutinesAnswerTogether) {
  // 5,000 calls that sleep 300 ms each, on the app's two workers, and a quick one among them.
  EXPECT_EQ(run("(async () => { const t = performance.now();"
                " const naps = Array.from({length: 5000}, () => __MYAPP__.invoke('nap', {ms: 300}));"
                " const quick = await __MYAPP__.invoke('quick'); const quickMs = performance.now() - t;"
                " const all = await Promise.all(naps);"
                " return {quick, quickFirst: quickMs < 300, n: all.length,"
                "   allOk: all.every(v => v === 300), wallUnder: performance.now() - t < 20000}; })()",
                60000),
            R"J({"ok":{"quick":1,"quickFirst":true,"n":5000,"allOk":true,"wallUnder":true}})J");
  EXPECT_TRUE(wait_until([] { return myapp::live_task_frames() == 0; }));
}

TEST_F(Commands, AReloadDuringWaitingCoroutinesFreesEveryFrame) {
  myapp::testing::eval(main_window(), "(Array.from({length: 2000}, () => __MYAPP__.invoke('nap', {ms: 60000}).catch(() => 0)), 0)");
  ASSERT_TRUE(wait_until([] { return myapp::live_task_frames() == 2000; })) << myapp::live_task_frames();
  main_window().view()->reload();
  EXPECT_TRUE(wait_until([] { return myapp::live_task_frames() == 0; })) << myapp::live_task_frames();
  ASSERT_TRUE(wait_until([] { return main_window().ready(); }));
  EXPECT_EQ(the_app->get_router().stats().pending, 0U);
}

TEST_F(Commands, ACoroutineAwaitsAQFuture) {
  EXPECT_EQ(run("__MYAPP__.invoke('sum_in_background', {n: 1000})"), R"J({"ok":500500})J");
}

TEST_F(Commands, AListenerThrowingOnAPayloadDoesNotEndTheApp) {
  const int before = listener_calls.load();
  EXPECT_EQ(run("__MYAPP__.emit('file-selected', 42).then(() => 'sent')"), R"J({"ok":"sent"})J");
  EXPECT_EQ(run("__MYAPP__.emit('file-selected', {not: 'a path'}).then(() => 'sent')"), R"J({"ok":"sent"})J");
  EXPECT_EQ(run("__MYAPP__.emit('file-selected', '/tmp/x').then(() => 'sent')"), R"J({"ok":"sent"})J");
  EXPECT_TRUE(wait_until([&] { return listener_calls.load() == before + 1; }));
  EXPECT_EQ(run("__MYAPP__.invoke('quick')"), R"J({"ok":1})J");
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (std::getenv("QT_QPA_PLATFORM") == nullptr) setenv("QT_QPA_PLATFORM", "offscreen", 1);
  myapp::app app(argc, argv, {.name = "myapp-commands-test", .router = {.workers = 2}});
  app.command("login", [](std::string user) -> myapp::result<std::string, std::string> {
    if (user != "ada") return myapp::err("invalid credentials");
    return myapp::ok("logged_in");
  }, {"user"});
  app.command("read", []() -> myapp::result<std::string, shop::failure> {
    return shop::failure{"io", "disk full"};
  });
  app.command("order", [](const shop::order& o) { return o; });
  app.command("upload", [](const myapp::request& req) -> myapp::result<std::string, std::string> {
    auto auth = req.header("authorization");
    if (!auth) return myapp::err("missing Authorization header");
    long sum = 0;
    for (auto b : req.body().span()) sum += static_cast<long>(b);
    return myapp::ok(std::string(*auth) + " " + std::to_string(req.body().size()) + " " +
                     std::to_string(sum));
  }, {}, {.raw_body = true});
  app.command("nap", [](int ms) -> myapp::task<int> {
    co_await myapp::sleep(std::chrono::milliseconds(ms));
    co_return ms;
  }, {"ms"});
  app.command("quick", [] { return 1; });
  app.command("sum_in_background", [](int n) -> myapp::task<long> {
    // A QFuture fulfilled by another thread, as QtConcurrent's or a library's would be.
    auto promise = std::make_shared<QPromise<long>>();
    QFuture<long> future = promise->future();
    promise->start();
    std::thread([promise, n] {
      long s = 0;
      for (int i = 1; i <= n; ++i) s += i;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      promise->addResult(s);
      promise->finish();
    }).detach();
    co_return co_await myapp::qt::result(future);
  }, {"n"});
  app.listen("file-selected", [](const myapp::event& e) {
    auto path = e.payload<std::string>().value();  // throws for 42 and for an object
    (void)path;
    ++listener_calls;
  });
  app.capability(R"J({"identifier":"main","windows":["main"],"permissions":["core:default",
    "allow-login","allow-read","allow-order","allow-upload","allow-nap","allow-quick",
    "allow-sum_in_background"]})J");
  app.window({.label = "main", .url = "index.html"});
  app.start();
  the_app = &app;
  return RUN_ALL_TESTS();
}
