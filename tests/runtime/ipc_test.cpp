// The whole IPC surface in real headless pages: async handlers, state, events both ways and
// targeted, channels with flow control, cancellation, and what a reload leaves behind.
#include <gtest/gtest.h>

#include <QTimer>
#include <QWebEnginePage>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "harness.hpp"
#include "myapp/app.hpp"

namespace {

using myapp::testing::eval;
using myapp::testing::pump;
using myapp::testing::settle;
using myapp::testing::wait_until;

myapp::app* the_app = nullptr;

struct counter {
  std::atomic<int> n{0};
};

std::atomic<int> calls_started{0};
std::atomic<bool> last_sleep_cancelled{false};
std::atomic<int> stream_forever_returned{0};
std::atomic<bool> stream_forever_running{false};
std::atomic<int> produced{0};

std::mutex events_mutex;
std::vector<myapp::event> cxx_events;

myapp::window& win(const char* label) {
  auto* w = the_app->find_window(label);
  if (w == nullptr) throw std::runtime_error(std::string("no window ") + label);
  return *w;
}

long rss_kb() {
  std::ifstream f("/proc/self/status");
  std::string key;
  while (f >> key) {
    if (key == "VmRSS:") {
      long kb = 0;
      f >> kb;
      return kb;
    }
    f.ignore(4096, '\n');
  }
  return 0;
}

class Ipc : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(wait_until([] { return win("main").ready() && win("second").ready(); }));
  }
};

TEST_F(Ipc, SlowHandlerBlocksNeitherTheGuiThreadNorRepaints) {
  int ticks = 0;
  QTimer timer;
  QObject::connect(&timer, &QTimer::timeout, [&] { ++ticks; });
  timer.start(10);
  auto r = settle(win("main"),
                  "(() => { let frames = 0; let on = true; const f = () => { if (on) { frames++; "
                  "requestAnimationFrame(f); } }; requestAnimationFrame(f); return "
                  "__MYAPP__.invoke('sleep_ms', {ms: 1000}).then(() => { on = false; return "
                  "frames; }); })()");
  timer.stop();
  // The page kept painting (about 60 frames in a second) and the GUI thread kept turning
  // (about 100 ticks): the handler ran on a worker.
  auto frames = myapp::json::parse<std::map<std::string, int>>(r);
  ASSERT_TRUE(frames.has_value()) << r;
  EXPECT_GE(frames.value().at("ok"), 20) << r;
  EXPECT_GE(ticks, 50);
}

TEST_F(Ipc, StateIsSharedAcrossCallsAndPages) {
  auto first = settle(win("main"), "__MYAPP__.invoke('bump')");
  auto second = settle(win("second"), "__MYAPP__.invoke('bump')");
  auto a = myapp::json::parse<std::map<std::string, int>>(first).value().at("ok");
  auto b = myapp::json::parse<std::map<std::string, int>>(second).value().at("ok");
  EXPECT_EQ(b, a + 1);
}

TEST_F(Ipc, CxxEventsReachListeningPagesOnly) {
  eval(win("main"), "(window.__got = [], 0)");
  eval(win("second"), "(window.__got = [], 0)");
  EXPECT_EQ(settle(win("main"),
                   "__MYAPP__.listen('news', e => window.__got.push([e.event, e.payload, typeof "
                   "e.id])).then(u => (window.__un = u, 'listening'))"),
            R"J({"ok":"listening"})J");
  ASSERT_TRUE(wait_until([] { return the_app->get_router().stats().page_listens >= 1; }));
  the_app->emit_event("news", std::string("broadcast"));
  the_app->emit_event_to("second", "news", std::string("for second"));
  the_app->emit_event_to("main", "news", std::string("for main"));
  ASSERT_TRUE(wait_until([] { return eval(win("main"), "window.__got.length") == "2"; }));
  EXPECT_EQ(eval(win("main"), "window.__got"),
            R"J([["news","broadcast","number"],["news","for main","number"]])J");
  EXPECT_EQ(eval(win("second"), "window.__got"), "[]") << "second does not listen";
  eval(win("main"), "(window.__un(), 0)");
  ASSERT_TRUE(wait_until([] { return the_app->get_router().stats().page_listens == 0; }));
}

TEST_F(Ipc, PageEventsReachCxxAndTargetedPages) {
  {
    std::lock_guard lock(events_mutex);
    cxx_events.clear();
  }
  eval(win("main"), "(window.__got = [], 0)");
  eval(win("second"), "(window.__got = [], 0)");
  settle(win("main"), "__MYAPP__.listen('chat', e => window.__got.push(e.payload))");
  settle(win("second"), "__MYAPP__.listen('chat', e => window.__got.push(e.payload))");
  settle(win("main"), "__MYAPP__.emit('chat', {text: 'to all'})");
  settle(win("main"), "__MYAPP__.emitTo('second', 'chat', 'to second')");
  ASSERT_TRUE(wait_until([] { return eval(win("second"), "window.__got.length") == "2"; }));
  pump(100);
  EXPECT_EQ(eval(win("second"), "window.__got"), R"J([{"text":"to all"},"to second"])J");
  EXPECT_EQ(eval(win("main"), "window.__got"), R"J([{"text":"to all"}])J")
      << "a targeted event reaches only its target";
  std::lock_guard lock(events_mutex);
  ASSERT_EQ(cxx_events.size(), 1U) << "the C++ listener hears broadcasts only";
  EXPECT_EQ(cxx_events[0].payload_json, R"J({"text":"to all"})J");
  EXPECT_EQ(cxx_events[0].source, "main");
}

TEST_F(Ipc, OnceAndUnlistenInThePage) {
  eval(win("main"), "(window.__n = 0, 0)");
  settle(win("main"), "__MYAPP__.once('one', () => window.__n++)");
  the_app->emit_event("one", 1);
  the_app->emit_event("one", 2);
  pump(200);
  EXPECT_EQ(eval(win("main"), "window.__n"), "1");
  EXPECT_EQ(settle(win("main"), "__MYAPP__.listen('bad name', () => {}).catch(e => e.code)"),
            R"J({"ok":"event.invalid_name"})J");
}

TEST_F(Ipc, ChannelDeliversInOrderUnderLoadAndEnds) {
  EXPECT_EQ(settle(win("main"),
                   "(() => { const got = []; const ch = new __MYAPP__.Channel(v => got.push(v)); "
                   "return __MYAPP__.invoke('stream', {n: 20000, channel: ch}).then(r => "
                   "ch.closed.then(() => [r, got.length, got.every((v, i) => v === i)])); })()"),
            R"J({"ok":[20000,20000,true]})J");
}

TEST_F(Ipc, ThrowingOnmessageDoesNotStallTheChannel) {
  EXPECT_EQ(settle(win("main"),
                   "(() => { let n = 0; const ch = new __MYAPP__.Channel(v => { n++; if (v % 500 "
                   "=== 1) throw new Error('thrown on purpose at ' + v); }); return __MYAPP__.invoke('stream', {n: 2000, "
                   "channel: ch}).then(() => ch.closed).then(() => n); })()"),
            R"J({"ok":2000})J");
}

TEST_F(Ipc, SlowConsumerHoldsTheProducerBackThenItResumes) {
  produced = 0;
  // The page holds every frame (its onmessage promise stays pending), so it grants no credit:
  // the producer must stop at the credit window and wait, then finish once the page catches up.
  eval(win("main"),
       "(window.__held = [], window.__consumed = 0, window.__done = false, window.__hold = true, "
       "window.__ch = new __MYAPP__.Channel(() => { window.__consumed++; return window.__hold ? "
       "new Promise(r => window.__held.push(r)) : undefined; }), "
       "__MYAPP__.invoke('count_stream', {n: 3000, channel: window.__ch}).then(() => "
       "window.__ch.closed).then(() => window.__done = true), 0)");
  const int window = static_cast<int>(myapp::protocol::CHANNEL_INITIAL_CREDIT);
  ASSERT_TRUE(wait_until([&] { return produced.load() == window; }));
  pump(300);
  EXPECT_EQ(produced.load(), window) << "the producer did not wait for credit";
  EXPECT_EQ(eval(win("main"), "window.__consumed"), std::to_string(window));
  eval(win("main"), "(window.__hold = false, window.__held.forEach(r => r()), 0)");
  ASSERT_TRUE(wait_until([] { return eval(win("main"), "window.__done") == "true"; }, 60000));
  EXPECT_EQ(produced.load(), 3000);
  EXPECT_EQ(eval(win("main"), "window.__consumed"), "3000");
}

TEST_F(Ipc, AbortBeforeTheCallNeverRunsTheHandler) {
  const int before = calls_started.load();
  EXPECT_EQ(settle(win("main"),
                   "(() => { const c = new AbortController(); c.abort(); return "
                   "__MYAPP__.invoke('sleep_ms', {ms: 10}, {signal: c.signal}).catch(e => "
                   "e.code); })()"),
            R"J({"ok":"cancelled"})J");
  pump(100);
  EXPECT_EQ(calls_started.load(), before);
}

TEST_F(Ipc, AbortDuringTheCallRejectsAtOnceAndCancelsTheHandler) {
  last_sleep_cancelled = false;
  auto r = settle(win("main"),
                  "(() => { const c = new AbortController(); const t0 = performance.now(); "
                  "const p = __MYAPP__.invoke('sleep_ms', {ms: 5000}, {signal: c.signal}); "
                  "setTimeout(() => c.abort(), 50); return p.catch(e => [e.code, "
                  "performance.now() - t0 < 1000]); })()");
  EXPECT_EQ(r, R"J({"ok":["cancelled",true]})J");
  ASSERT_TRUE(wait_until([] { return last_sleep_cancelled.load(); }));
}

TEST_F(Ipc, ReloadCancelsCallsClosesChannelsAndDropsListeners) {
  stream_forever_returned = 0;
  stream_forever_running = false;
  last_sleep_cancelled = false;
  // Start from fresh pages, without the listeners earlier tests left.
  for (const char* label : {"main", "second"}) {
    eval(win(label), "(window.__old_document = true, 0)");
    win(label).page()->triggerAction(QWebEnginePage::Reload);
    ASSERT_TRUE(wait_until([&] {
      return eval(win(label), "window.__old_document === undefined") == "true" &&
             win(label).ready();
    }));
  }
  eval(win("main"),
       "(window.__old_document = true, __MYAPP__.listen('news', () => {}), "
       "__MYAPP__.invoke('sleep_ms', {ms: 10000}), __MYAPP__.invoke('stream_forever', {channel: "
       "new __MYAPP__.Channel(() => new Promise(() => {}))}), 0)");
  ASSERT_TRUE(wait_until([] { return stream_forever_running.load(); }));
  win("main").page()->triggerAction(QWebEnginePage::Reload);
  ASSERT_TRUE(wait_until([] {
    return eval(win("main"), "window.__old_document === undefined") == "true" &&
           win("main").ready();
  }));
  ASSERT_TRUE(wait_until([] { return stream_forever_returned.load() == 1; }))
      << "the blocked producer was not released";
  ASSERT_TRUE(wait_until([] { return last_sleep_cancelled.load(); }));
  ASSERT_TRUE(wait_until([] { return the_app->get_router().in_flight() == 0; }));
  auto st = the_app->get_router().stats();
  EXPECT_EQ(st.pending, 0U);
  EXPECT_EQ(st.channels, 0U);
  EXPECT_EQ(st.page_listens, 0U);
}

TEST_F(Ipc, HundredThousandInvokesAcrossHundredReloadsLeaveNothingBehind) {
  long rss_after_warmup = 0;
  for (int reload = 0; reload < 100; ++reload) {
    if (reload == 20) rss_after_warmup = rss_kb();
    // 1000 invokes per page load; half the loads reload while calls are still in flight.
    const bool wait = reload % 2 == 0;
    std::string expr =
        "(window.__old_document = true, Promise.all(Array.from({length: 1000}, (_, i) => "
        "__MYAPP__.invoke('add', {a: i, b: 1}))).then(r => r.length))";
    if (wait) {
      ASSERT_EQ(settle(win("main"), expr), R"J({"ok":1000})J");
    } else {
      eval(win("main"), "(" + expr + ", 0)");
    }
    win("main").page()->triggerAction(QWebEnginePage::Reload);
    ASSERT_TRUE(wait_until([] {
      return eval(win("main"), "window.__old_document === undefined") == "true" &&
             win("main").ready();
    }));
  }
  ASSERT_TRUE(wait_until([] { return the_app->get_router().in_flight() == 0; }));
  auto st = the_app->get_router().stats();
  EXPECT_EQ(st.pending, 0U);
  EXPECT_EQ(st.channels, 0U);
  EXPECT_EQ(st.pages, 2U) << "one live page per window";
  const long growth_kb = rss_kb() - rss_after_warmup;
  RecordProperty("rss_growth_kb", static_cast<int>(growth_kb));
  EXPECT_LT(growth_kb, 40 * 1024) << "RSS grew by " << growth_kb << " kB over 80 reloads";
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (std::getenv("QT_QPA_PLATFORM") == nullptr) setenv("QT_QPA_PLATFORM", "offscreen", 1);

  myapp::app app(argc, argv, {.name = "myapp-ipc-test"});
  app.manage(std::make_shared<counter>());
  app.command("bump", [](myapp::state<counter> c) { return ++c->n; });
  app.command("add", [](int a, int b) { return a + b; }, {"a", "b"});
  app.command("greet", [](std::string name) { return "Hello, " + name + "!"; }, {"name"});
  app.command("sleep_ms", [](int ms, myapp::cancel_token token) {
    ++calls_started;
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < end) {
      if (token.cancelled()) {
        last_sleep_cancelled = true;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
  }, {"ms"});
  app.command("stream", [](int n, myapp::channel<int> ch) {
    for (int i = 0; i < n; ++i) {
      if (!ch.send(i)) return -1;
    }
    return n;
  }, {"n", "channel"});
  app.command("count_stream", [](int n, myapp::channel<int> ch) {
    for (int i = 0; i < n; ++i) {
      if (!ch.send(i)) return false;
      ++produced;
    }
    return true;
  }, {"n", "channel"});
  app.command("stream_forever", [](myapp::channel<int> ch) {
    stream_forever_running = true;
    int i = 0;
    while (ch.send(i)) ++i;
    ++stream_forever_returned;
    return i;
  }, {"channel"});
  app.listen("chat", [](const myapp::event& e) {
    std::lock_guard lock(events_mutex);
    cxx_events.push_back(e);
  });
  app.capability(R"J({"identifier":"test","windows":["main","second"],"permissions":[
      "core:default","allow-bump","allow-add","allow-greet","allow-sleep_ms","allow-stream",
      "allow-count_stream","allow-stream_forever"]})J");
  app.window({.label = "main", .url = "index.html"});
  app.window({.label = "second", .url = "index.html"});
  app.start();
  the_app = &app;
  return RUN_ALL_TESTS();
}
