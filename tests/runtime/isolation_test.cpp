// The isolation hook in real pages (docs/security.md): window "guarded" has one
// (isolation_pages/isolation.js), window "plain" has none. The hook sees every message and what
// it returns is what C++ gets; a refusal reaches the page; a page script cannot reach the
// transport nor get anything past the hook; bytes and the bulk lane work through it.
#include <gtest/gtest.h>

#include <QWebEnginePage>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness.hpp"
#include "isolation.hpp"
#include "lane.hpp"
#include "myapp/app.hpp"
#include "myapp/channel.hpp"

namespace {

myapp::app* the_app = nullptr;
std::atomic<int> forbidden_calls{0};
std::atomic<int> secrets_heard{0};

myapp::window& window(const char* label) {
  auto* w = the_app->find_window(label);
  if (w == nullptr) throw std::runtime_error(std::string("no window ") + label);
  return *w;
}

using myapp::testing::settle;
using myapp::testing::eval;
using myapp::testing::wait_until;

// Evaluates `expression` in the isolation world of window "guarded"; JSON.stringify of its value.
std::string eval_isolated(const std::string& expression) {
  std::string result;
  bool done = false;
  window("guarded").page()->runJavaScript(
      QString::fromStdString("JSON.stringify(" + expression + ")"), myapp::runtime::ISOLATION_WORLD,
      [&](const QVariant& v) {
        result = v.toString().toStdString();
        done = true;
      });
  EXPECT_TRUE(wait_until([&] { return done; })) << "no answer to " << expression;
  return result;
}

class Isolation : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(wait_until([] { return window("guarded").ready() && window("plain").ready(); }))
        << "a page never completed the handshake";
  }
};

TEST_F(Isolation, TheHookSeesEveryKindOfMessage) {
  eval_isolated("(globalThis.seen = [])");
  ASSERT_EQ(settle(window("guarded"), R"(new Promise(async (resolve) => {
      await __MYAPP__.invoke('echo', {text: 'a'});
      await __MYAPP__.emit('ping', 1);
      const unlisten = await __MYAPP__.listen('tick', () => {});
      unlisten();
      const got = [];
      const ch = new __MYAPP__.Channel((f) => got.push(f));
      await __MYAPP__.invoke('stream', {count: 2000, channel: ch});
      await ch.closed;
      resolve(got.length === 2000 && got[1999] === 1999);
    }))"),
            R"({"ok":true})");
  // 2000 frames pass the page's credit window (512): the page's credit went through the hook.
  EXPECT_EQ(eval_isolated("globalThis.seen.some((s) => s.startsWith('credit:'))"), "true");
  const std::string seen = eval_isolated("globalThis.seen.filter((s) => !s.startsWith('credit:'))");
  EXPECT_EQ(seen, R"(["invoke:echo","emit:ping","listen:tick","unlisten:tick","invoke:stream"])");
}

TEST_F(Isolation, WhatTheHookReturnsIsWhatCppGets) {
  EXPECT_EQ(settle(window("guarded"), "__MYAPP__.invoke('echo', {text: 'hello'})"), R"({"ok":"HELLO"})");
  EXPECT_EQ(settle(window("plain"), "__MYAPP__.invoke('echo', {text: 'hello'})"), R"({"ok":"hello"})");
}

TEST_F(Isolation, ARefusalReachesThePage) {
  const std::string r = settle(window("guarded"), "__MYAPP__.invoke('forbidden')");
  EXPECT_NE(r.find(R"("code":"isolation.refused")"), std::string::npos) << r;
  EXPECT_NE(r.find(R"(the isolation hook refused invoke(\"forbidden\"): not from this page)"), std::string::npos) << r;
  EXPECT_EQ(settle(window("guarded"), "__MYAPP__.emit('secret', 1).then(() => 'sent', (e) => e.code)"),
            R"({"ok":"isolation.refused"})");
  myapp::testing::pump(200);
  EXPECT_EQ(forbidden_calls.load(), 0);
  EXPECT_EQ(secrets_heard.load(), 0);
  // Without a hook the same calls go through.
  EXPECT_EQ(settle(window("plain"), "__MYAPP__.invoke('forbidden')"), R"({"ok":1})");
  forbidden_calls = 0;
}

TEST_F(Isolation, APageScriptCannotReachTheTransport) {
  // No web channel in the page's world, and nothing that looks like one.
  EXPECT_EQ(eval(window("guarded"), "typeof qt"), R"("undefined")");
  EXPECT_EQ(eval(window("guarded"), "typeof QWebChannel"), R"("undefined")");
  EXPECT_EQ(eval(window("guarded"), "Object.getOwnPropertyNames(window).filter((n) => /^[a-z_$].*(qt|channel|transport|secret|lane)/i.test(n) && !/^[A-Z]/.test(n))"), "[]");
  EXPECT_EQ(eval(window("plain"), "typeof qt.webChannelTransport"), R"("object")");
  // __MYAPP__ cannot be replaced.
  EXPECT_EQ(eval(window("guarded"), "(() => { try { Object.defineProperty(window, '__MYAPP__', {value: {}}); return 'replaced'; } "
                                    "catch (e) { window.__MYAPP__ = {}; return typeof __MYAPP__.invoke; } })()"),
            R"("function")");
  // A patched JSON.stringify makes the client hand over whatever it returns: the hook sees that
  // and refuses it (the page's own call, which never left, is the page's loss).
  eval_isolated("(globalThis.seen = [])");
  eval(window("guarded"), R"((() => {
      const original = JSON.stringify;
      JSON.stringify = () => '{"k":"invoke","id":9999,"cmd":"forbidden","args":{}}';
      __MYAPP__.invoke('echo', {text: 'x'});
      JSON.stringify = original;
      return 0;
    })())");
  EXPECT_TRUE(wait_until([] { return eval_isolated("globalThis.seen") == R"(["invoke:forbidden"])"; }))
      << eval_isolated("globalThis.seen");
  // A forged batch on the relay goes through the hook too.
  eval(window("guarded"), R"((document.dispatchEvent(new CustomEvent('myapp-relay-out', {detail: {k: 'batch',
      parts: ['{"k":"invoke","id":777,"cmd":"forbidden","args":{}}', '{"k":"hello","v":1}'], bins: [], seqs: []}})), 0))");
  myapp::testing::pump(300);
  EXPECT_EQ(forbidden_calls.load(), 0);
  // The page still works.
  EXPECT_EQ(settle(window("guarded"), "__MYAPP__.invoke('echo', {text: 'still'})"), R"({"ok":"STILL"})");
}

TEST_F(Isolation, BytesAndTheBulkLaneWorkThroughTheHook) {
  EXPECT_EQ(settle(window("guarded"), "(() => { const a = pattern(1000); return __MYAPP__.invoke('digest', {data: a})"
                                      ".then((d) => d.size === a.length && d.fnv === fnv(a)); })()"),
            R"({"ok":true})");
  EXPECT_EQ(eval_isolated("globalThis.sawBytes"), "1000");
  auto* lane = myapp::runtime::bulk_lane::active();
  ASSERT_NE(lane, nullptr);
  const auto before = lane->stats();
  EXPECT_EQ(settle(window("guarded"), "(() => { const a = pattern(12 * 1024 * 1024); return __MYAPP__.invoke('digest', "
                                      "{data: a}).then((d) => d.size === a.length && d.fnv === fnv(a)); })()"),
            R"({"ok":true})");
  EXPECT_EQ(eval_isolated("globalThis.sawBytes"), "12582912");
  const auto after = lane->stats();
  EXPECT_GT(after.accepted, before.accepted) << "the upload did not travel the bulk lane";
  // Large results come back as blobs, which the page's world fetches from the app.
  EXPECT_EQ(settle(window("guarded"), "__MYAPP__.invoke('zeros', {n: 3 * 1024 * 1024})"
                                      ".then((b) => b instanceof ArrayBuffer && b.byteLength)"),
            R"({"ok":3145728})");
}

TEST_F(Isolation, TheAppServesTheModulesOfTheApi) {
  // By name with or without .js, as JavaScript; nothing else under /__myapp/api/.
  const auto get = [](const std::string& path) {
    return settle(window("plain"), "new Promise((resolve) => { const x = new XMLHttpRequest(); x.open('GET', '" + path +
                                       "'); x.onload = () => resolve(x.status + ' ' + x.getResponseHeader('Content-Type') + ' ' + "
                                       "(x.responseText.includes('export function listen') || x.responseText.includes('export const invoke'))); "
                                       "x.onerror = () => resolve('error'); x.send(); })");
  };
  EXPECT_EQ(get("/__myapp/api/core.js"), R"({"ok":"200 text/javascript; charset=utf-8 true"})");
  EXPECT_EQ(get("/__myapp/api/event"), R"({"ok":"200 text/javascript; charset=utf-8 true"})");
  EXPECT_EQ(get("/__myapp/api/nope.js"), R"({"ok":"error"})");
  EXPECT_EQ(get("/__myapp/api/sub/core.js"), R"({"ok":"error"})");
  EXPECT_EQ(settle(window("plain"), "import('myapp://localhost/__myapp/api/window.js').then((m) => m.getCurrentWindow().label)"),
            R"({"ok":"plain"})");
}

TEST_F(Isolation, TheModulesAndTheNamespacesWorkOnTopOfIt) {
  EXPECT_EQ(settle(window("guarded"), "import('myapp://localhost/__myapp/api/core.js').then((m) => m.invoke('echo', {text: 'mod'}))"),
            R"({"ok":"MOD"})");
  EXPECT_EQ(settle(window("guarded"), "__MYAPP__.core.invoke('echo', {text: 'ns'})"), R"({"ok":"NS"})");
  EXPECT_EQ(eval(window("guarded"), "__MYAPP__.window.getCurrentWindow().label"), R"("guarded")");
}

TEST_F(Isolation, AReloadBringsBothWorldsBack) {
  auto& w = window("guarded");
  w.page()->triggerAction(QWebEnginePage::Reload);
  myapp::testing::pump(100);
  ASSERT_TRUE(wait_until([&] { return w.ready() && eval(w, "typeof __MYAPP__") == R"("object")"; }));
  EXPECT_EQ(settle(w, "__MYAPP__.invoke('echo', {text: 'again'})"), R"({"ok":"AGAIN"})");
  EXPECT_EQ(eval_isolated("typeof globalThis.__MYAPP_ISOLATION_HOOK__"), R"("function")");
}

std::uint32_t fnv(const myapp::bytes& b) {
  std::uint32_t h = 0x811c9dc5U;
  for (const auto byte : b.span()) {
    h ^= static_cast<std::uint8_t>(byte);
    h *= 0x01000193U;
  }
  return h;
}

struct digest_result {
  std::size_t size = 0;
  std::uint32_t fnv = 0;
};
MYAPP_STRUCT(digest_result, size, fnv)

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (std::getenv("QT_QPA_PLATFORM") == nullptr) setenv("QT_QPA_PLATFORM", "offscreen", 1);

  myapp::app app(argc, argv, {.name = "myapp-isolation-test"});
  app.command("echo", [](std::string text) { return text; }, {"text"});
  app.command("forbidden", [] { return ++forbidden_calls; });
  app.command("digest", [](myapp::bytes data) { return digest_result{data.size(), fnv(data)}; }, {"data"});
  app.command("zeros", [](int n) { return myapp::bytes(std::vector<std::byte>(static_cast<std::size_t>(n))); }, {"n"});
  app.command("stream", [](int count, myapp::channel<int> channel) {
    for (int i = 0; i < count; ++i) channel.send(i);
    channel.close();
  }, {"count", "channel"});
  app.get_router().listen("secret", [](const myapp::event&) { ++secrets_heard; });
  app.capability(R"J({"identifier":"test","windows":["guarded","plain"],"permissions":["core:default",
      "allow-echo","allow-forbidden","allow-digest","allow-stream","allow-zeros"]})J");
  app.window({.label = "guarded", .title = "isolation test", .url = "index.html", .isolation = "isolation.js"});
  app.window({.label = "plain", .title = "no isolation", .url = "index.html"});
  app.start();
  the_app = &app;
  return RUN_ALL_TESTS();
}
