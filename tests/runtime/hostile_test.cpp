// A hostile page gets nothing: denied commands, windows without capabilities, frames, forged
// and oversized messages, floods. Each gets the right error or is dropped and logged; the app
// never crashes and another window stays responsive.
#include <gtest/gtest.h>

#include <QApplication>
#include <QWebEnginePage>

#include <map>
#include <string>

#include "harness.hpp"
#include "myapp/app.hpp"

namespace {

using myapp::testing::eval;
using myapp::testing::pump;
using myapp::testing::settle;
using myapp::testing::wait_until;

myapp::app* the_app = nullptr;

myapp::window& win(const char* label) {
  auto* w = the_app->find_window(label);
  if (w == nullptr) throw std::runtime_error(std::string("no window ") + label);
  return *w;
}

class Hostile : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(wait_until([] {
      return win("main").ready() && win("untrusted").ready() && win("frames").ready() &&
             win("raw").ready() && win("flood").ready();
    }));
  }
};

TEST_F(Hostile, FramesGetNoTransport) {
  ASSERT_TRUE(wait_until([] {
    return eval(win("frames"), "Object.keys(window.__frames).length") == "2";
  }));
  // Neither a frame of another origin nor one of the app's own gets the channel or the
  // client: only the top document of a window has IPC.
  EXPECT_EQ(eval(win("frames"), "window.__frames.cross"),
            R"J({"who":"cross","transport":false,"client":false,"sent":false})J");
  EXPECT_EQ(eval(win("frames"), "window.__frames.same"),
            R"J({"who":"same","transport":false,"client":false})J");
}

TEST_F(Hostile, DeniedCommandSaysWhatWouldHaveToChange) {
  EXPECT_EQ(settle(win("main"), "__MYAPP__.invoke('delete_all')"),
            R"J({"code":"acl.denied","message":"`delete_all` is not allowed for window `main` at myapp://localhost: no capability that matches it grants it; add `allow-delete_all` (or a permission that includes it) to the `permissions` of `main` ((code))"})J");
  EXPECT_EQ(settle(win("main"), "__MYAPP__.invoke('greet', {name: 'ok'})"), R"J({"ok":"Hello, ok!"})J");
}

TEST_F(Hostile, AWindowWithoutCapabilityHasNoIpc) {
  auto r = settle(win("untrusted"), "__MYAPP__.invoke('greet', {name: 'x'})");
  EXPECT_NE(r.find(R"J("code":"acl.denied")J"), std::string::npos) << r;
  EXPECT_NE(r.find("window `untrusted` at myapp://localhost matches no capability"), std::string::npos) << r;
  // Events too: the page is told at once, with the reason, instead of listening in vain.
  auto l = settle(win("untrusted"), "__MYAPP__.listen('x', () => {}).then(() => 'listening')");
  EXPECT_NE(l.find(R"J("code":"acl.denied")J"), std::string::npos) << l;
  EXPECT_NE(l.find("listen(): "), std::string::npos) << l;
  EXPECT_NE(l.find("window `untrusted` at myapp://localhost matches no capability"), std::string::npos) << l;
  auto e = settle(win("untrusted"), "__MYAPP__.emit('x', 1).then(() => 'sent')");
  EXPECT_NE(e.find(R"J("code":"acl.denied")J"), std::string::npos) << e;
  myapp::testing::pump(100);
  EXPECT_EQ(the_app->get_router().stats().page_listens, 0U) << "the listen was refused";
}

TEST_F(Hostile, AMessageWithoutThePageSecretIsRefusedLoudly) {
  // A script that opens its own QWebChannel on the transport and posts by hand.
  eval(win("raw"),
       "(window.__got = [], new QWebChannel(qt.webChannelTransport, ch => { "
       "ch.objects.myapp.deliver.connect(t => window.__got.push(t)); "
       "ch.objects.myapp.post('', '[{\"k\":\"invoke\",\"id\":1,\"cmd\":\"greet\",\"args\":{\"name\":\"forged\"}}]'); "
       "ch.objects.myapp.post('not the secret', '[{\"k\":\"hello\",\"v\":1}]'); }), 0)");
  ASSERT_TRUE(wait_until([] { return eval(win("raw"), "window.__got.length") == "2"; }));
  auto got = eval(win("raw"), "window.__got[0]");
  EXPECT_NE(got.find("a message without this page's secret was refused"), std::string::npos) << got;
  EXPECT_EQ(eval(win("raw"), "window.__got.join('').includes('forged')"), "false");
}

TEST_F(Hostile, HundredMegabyteMessageIsRefusedAndTheAppGoesOn) {
  EXPECT_EQ(settle(win("main"), "__MYAPP__.invoke('greet', {name: 'x'.repeat(100 * 1024 * 1024)}).catch(e => e.code)", 60000),
            R"J({"ok":"limit.exceeded"})J");
  EXPECT_EQ(settle(win("main"), "__MYAPP__.invoke('greet', {name: 'after'})"), R"J({"ok":"Hello, after!"})J");
}

TEST_F(Hostile, DeepNestingIsRefusedWithoutACrash) {
  // 100,000 levels: refused on the page (JSON.stringify cannot go that deep) or by the host's
  // nesting limit; either way the call settles with an error.
  auto r = settle(win("main"),
                  "(() => { let v = 1; for (let i = 0; i < 100000; i++) v = [v]; return "
                  "__MYAPP__.invoke('greet', {name: 'x', deep: v}).then(() => 'accepted', e => "
                  "e.code); })()");
  EXPECT_TRUE(r == R"J({"ok":"args.invalid"})J" || r == R"J({"ok":"protocol.invalid"})J") << r;
  // 1,000 levels fit on the page but not in the host's limit of 128.
  r = settle(win("main"),
             "(() => { let v = 1; for (let i = 0; i < 1000; i++) v = [v]; return "
             "__MYAPP__.invoke('greet', {name: 'x', deep: v}).then(() => 'accepted', e => "
             "e.code); })()");
  EXPECT_EQ(r, R"J({"ok":"args.invalid"})J");
  EXPECT_EQ(settle(win("main"), "__MYAPP__.invoke('greet', {name: 'after'})"), R"J({"ok":"Hello, after!"})J");
}

// A lone surrogate has no UTF-8: a handler gets U+FFFD in its place (docs/bytes.md), never the
// invalid text, whatever the string's length.
TEST_F(Hostile, LoneSurrogatesAreReplacedNotPassedOn) {
  EXPECT_EQ(settle(win("main"), "__MYAPP__.invoke('greet', {name: '\\uD800'}).catch(e => e.code)"),
            "{\"ok\":\"Hello, \xEF\xBF\xBD!\"}");
  EXPECT_EQ(settle(win("main"), "__MYAPP__.invoke('greet', {name: '\\uDC00'.repeat(5000)})"
                                ".then(s => s === 'Hello, ' + '\\ufffd'.repeat(5000) + '!')"),
            R"J({"ok":true})J");
}

TEST_F(Hostile, AppPagesGetAContentSecurityPolicy) {
  auto csp = eval(win("main"),
                  "document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  // A script from another origin is refused by the policy.
  EXPECT_EQ(settle(win("main"),
                   "new Promise(r => { document.addEventListener('securitypolicyviolation', e => "
                   "r(e.violatedDirective), {once: true}); const s = "
                   "document.createElement('script'); s.src = 'https://example.invalid/x.js'; "
                   "document.head.appendChild(s); })"),
            R"J({"ok":"script-src-elem"})J");
}

TEST_F(Hostile, NavigationAndNewWindowsToOtherOriginsAreBlocked) {
  eval(win("main"), "(window.__stay = true, location.href = 'https://example.invalid/', 0)");
  myapp::testing::pump(500);
  EXPECT_EQ(eval(win("main"), "window.__stay === true && location.href"),
            R"J("myapp://localhost/index.html")J");
  // No new window comes to be.
  const auto windows_before = QApplication::topLevelWidgets().size();
  eval(win("main"), "(window.open('https://example.invalid/'), 0)");
  myapp::testing::pump(300);
  EXPECT_EQ(QApplication::topLevelWidgets().size(), windows_before);
  EXPECT_EQ(eval(win("main"), "window.__stay === true"), "true");
}

TEST_F(Hostile, AFloodOfAMillionMessagesLeavesOtherWindowsResponsive) {
  // The flooding page issues a million invokes at once. The host answers each (most with
  // limit.exceeded, past the pending-calls limit) while another window's calls still go through.
  // Started from a timer, so that this evaluation returns at once.
  eval(win("flood"),
       "(window.__flood = null, setTimeout(() => Promise.allSettled(Array.from({length: "
       "1000000}, (_, i) => __MYAPP__.invoke('greet', {name: 'f'}))).then(r => window.__flood "
       "= {n: r.length, ok: r.filter(x => x.status === 'fulfilled').length, limited: "
       "r.filter(x => x.reason && x.reason.code === 'limit.exceeded').length}), 0), 0)");
  // Meanwhile the main window's calls are answered.
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(settle(win("main"), "__MYAPP__.invoke('greet', {name: 'still here'})", 30000),
              R"J({"ok":"Hello, still here!"})J");
  }
  std::string flood;
  // The flooding page's own renderer is busy for a while; that is its own problem.
  ASSERT_TRUE(wait_until([&] {
    flood = eval(win("flood"), "window.__flood", 300000);
    return flood != "null";
  }, 300000));
  auto res = myapp::json::parse<std::map<std::string, int>>(flood);
  ASSERT_TRUE(res.has_value()) << flood;
  EXPECT_EQ(res.value().at("n"), 1000000);
  EXPECT_EQ(res.value().at("ok") + res.value().at("limited"), 1000000) << flood;
  EXPECT_GT(res.value().at("ok"), 0) << flood;
}

TEST_F(Hostile, AListenerThatTrustsThePayloadTooMuchDoesNotEndTheApp) {
  // The C++ listener reads a string with .value(): a number, an object, null and a huge array
  // make it throw; each is logged and the app answers the next call.
  for (const char* payload : {"42", "{a: 1}", "null", "Array(1000).fill(7)"}) {
    EXPECT_EQ(settle(win("main"), std::string("__MYAPP__.emit('file-selected', ") + payload +
                                      ").then(() => 'sent')"),
              R"J({"ok":"sent"})J");
  }
  EXPECT_EQ(settle(win("main"), "__MYAPP__.invoke('greet', {name: 'alive'})"),
            R"J({"ok":"Hello, alive!"})J");
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (std::getenv("QT_QPA_PLATFORM") == nullptr) setenv("QT_QPA_PLATFORM", "offscreen", 1);
  myapp::app app(argc, argv, {.name = "myapp-hostile-test"});
  app.command("greet", [](std::string name) { return "Hello, " + name + "!"; }, {"name"});
  app.command("delete_all", [] { return true; });
  app.listen("file-selected", [](const myapp::event& e) {
    auto path = e.payload<std::string>().value();  // throws on anything but a string
    (void)path;
  });
  app.capability(R"J({"identifier":"main","windows":["main","frames","raw","flood"],"permissions":["core:default","allow-greet"]})J");
  app.window({.label = "main", .url = "index.html"});
  app.window({.label = "untrusted", .url = "index.html"});
  app.window({.label = "frames", .url = "frames.html"});
  app.window({.label = "raw", .url = "index.html"});
  app.window({.label = "flood", .url = "index.html"});
  app.start();
  the_app = &app;
  return RUN_ALL_TESTS();
}
