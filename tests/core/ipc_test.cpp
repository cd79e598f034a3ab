// The router's IPC surface beyond one call: cancellation, events both ways, channels with
// credit, managed state, injected parameters, and what closing a page leaves behind.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "myapp/router.hpp"

namespace {

using namespace std::chrono_literals;

class test_session final : public myapp::session {
 public:
  explicit test_session(std::string label = "main") { info_.label = std::move(label); }
  const myapp::caller_info& caller() const noexcept override { return info_; }
  void send(std::string message) override {
    std::lock_guard lock(mutex_);
    messages_.push_back(std::move(message));
    arrived_.notify_all();
  }
  std::vector<std::string> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(messages_, {});
  }
  // Waits until at least `n` messages are queued (or 10 s), then takes them all.
  std::vector<std::string> wait_for(std::size_t n) {
    std::unique_lock lock(mutex_);
    arrived_.wait_for(lock, 10s, [&] { return messages_.size() >= n; });
    return std::exchange(messages_, {});
  }
  std::size_t count() {
    std::lock_guard lock(mutex_);
    return messages_.size();
  }

 private:
  myapp::caller_info info_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<std::string> messages_;
};

template <class F>
bool eventually(F f, std::chrono::milliseconds timeout = 10s) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (!f()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

std::shared_ptr<test_session> hello(myapp::router& r, std::string label = "main") {
  auto p = std::make_shared<test_session>(std::move(label));
  r.receive(R"([{"k":"hello","v":1}])", p);
  p->take();
  return p;
}

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

// ---------------------------------------------------------------------------------------------
// cancellation

TEST(Cancel, SetsTheTokenAndSuppressesTheAnswer) {
  myapp::router r(myapp::router_options{.workers = 2});
  std::atomic<bool> saw_cancel{false};
  std::atomic<bool> started{false};
  r.add("wait", [&](myapp::cancel_token token) {
    started = true;
    while (!token.cancelled()) std::this_thread::sleep_for(1ms);
    saw_cancel = true;
    return 1;
  });
  auto p = hello(r);
  r.receive(R"([{"k":"invoke","id":1,"cmd":"wait"}])", p);
  ASSERT_TRUE(eventually([&] { return started.load(); }));
  r.receive(R"([{"k":"cancel","id":1}])", p);
  ASSERT_TRUE(eventually([&] { return saw_cancel.load() && r.in_flight() == 0; }));
  std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(p->take().empty()) << "a cancelled call must not be answered";
  EXPECT_EQ(p->tables().pending, 0U);
}

TEST(Cancel, UnknownIdsAreAFaultButFinishedOnesAreNot) {
  myapp::router r(myapp::router_options{.run_inline = true});
  r.add("one", [] { return 1; });
  auto p = hello(r);
  r.receive(R"([{"k":"invoke","id":3,"cmd":"one"}])", p);
  EXPECT_EQ(p->take().size(), 1U);
  r.receive(R"([{"k":"cancel","id":3}])", p);  // finished already: a normal race
  EXPECT_TRUE(p->take().empty());
  r.receive(R"([{"k":"cancel","id":99}])", p);
  auto m = p->take();
  ASSERT_EQ(m.size(), 1U);
  EXPECT_TRUE(contains(m[0], R"("code":"invoke.not_found")")) << m[0];
  r.receive(R"([{"k":"cancel"}])", p);
  m = p->take();
  ASSERT_EQ(m.size(), 1U);
  EXPECT_TRUE(contains(m[0], "needs `id`")) << m[0];
}

TEST(Cancel, ClosingThePageCancelsEverythingPending) {
  myapp::router r(myapp::router_options{.workers = 2});
  std::atomic<int> started{0};
  std::atomic<int> cancelled{0};
  r.add("wait", [&](myapp::cancel_token token) {
    ++started;
    while (!token.cancelled()) std::this_thread::sleep_for(1ms);
    ++cancelled;
  });
  auto p = hello(r);
  r.receive(R"([{"k":"invoke","id":1,"cmd":"wait"},{"k":"invoke","id":2,"cmd":"wait"}])", p);
  ASSERT_TRUE(eventually([&] { return started == 2 && p->tables().pending == 2; }));
  r.close_session(p);
  bool done = eventually([&] { return cancelled == 2 && r.in_flight() == 0; }, 2s);
  ASSERT_TRUE(done) << "cancelled=" << cancelled << " in_flight=" << r.in_flight() << " pending=" << p->tables().pending << " closed=" << p->closed();
  EXPECT_TRUE(p->take().empty());
  auto st = r.stats();
  EXPECT_EQ(st.pages, 0U);
  EXPECT_EQ(st.pending, 0U);
}

TEST(Invoke, ReusedPendingIdIsRefused) {
  myapp::router r(myapp::router_options{.workers = 1});
  std::atomic<bool> release{false};
  r.add("wait", [&] {
    while (!release) std::this_thread::sleep_for(1ms);
    return 1;
  });
  auto p = hello(r);
  r.receive(R"([{"k":"invoke","id":5,"cmd":"wait"},{"k":"invoke","id":5,"cmd":"wait"}])", p);
  auto m = p->wait_for(1);
  ASSERT_EQ(m.size(), 1U);
  EXPECT_TRUE(contains(m[0], "invoke id 5 is already in use")) << m[0];
  release = true;
  m = p->wait_for(1);
  ASSERT_EQ(m.size(), 1U);
  EXPECT_EQ(m[0], R"({"k":"result","id":5,"ok":1})");
}

// ---------------------------------------------------------------------------------------------
// events

TEST(Events, ReachOnlyPagesThatListen) {
  myapp::router r(myapp::router_options{.run_inline = true});
  auto a = hello(r, "a");
  auto b = hello(r, "b");
  r.receive(R"([{"k":"listen","event":"tick"}])", a);
  r.emit_event("tick", 7);
  auto m = a->take();
  ASSERT_EQ(m.size(), 1U);
  EXPECT_TRUE(contains(m[0], R"({"k":"event","event":"tick","id":)")) << m[0];
  EXPECT_TRUE(contains(m[0], R"("payload":7})")) << m[0];
  EXPECT_TRUE(b->take().empty()) << "b does not listen";
  r.receive(R"([{"k":"unlisten","event":"tick"}])", a);
  r.emit_event("tick", 8);
  EXPECT_TRUE(a->take().empty());
}

TEST(Events, TargetedEventsReachOnlyThatLabel) {
  myapp::router r(myapp::router_options{.run_inline = true});
  auto a = hello(r, "a");
  auto b = hello(r, "b");
  r.receive(R"([{"k":"listen","event":"x"}])", a);
  r.receive(R"([{"k":"listen","event":"x"}])", b);
  r.emit_event_to("b", "x", std::string("only b"));
  EXPECT_TRUE(a->take().empty());
  auto m = b->take();
  ASSERT_EQ(m.size(), 1U);
  EXPECT_TRUE(contains(m[0], R"("payload":"only b")")) << m[0];
  // A page's emitTo: same rule, sender not included unless it is the target.
  r.receive(R"([{"k":"emit","event":"x","payload":{"n":1},"target":"a"}])", b);
  EXPECT_TRUE(b->take().empty());
  m = a->take();
  ASSERT_EQ(m.size(), 1U);
  EXPECT_TRUE(contains(m[0], R"("payload":{"n":1})")) << m[0];
  // A page's broadcast reaches every listening page, the sender too.
  r.receive(R"([{"k":"emit","event":"x"}])", a);
  EXPECT_EQ(a->take().size(), 1U);
  EXPECT_EQ(b->take().size(), 1U);
}

TEST(Events, CxxListenersSeePageEventsWithTheirSource) {
  myapp::router r(myapp::router_options{.run_inline = true});
  std::vector<myapp::event> broadcast;
  std::vector<myapp::event> for_b;
  std::vector<myapp::event> all;
  r.listen("save", [&](const myapp::event& e) { broadcast.push_back(e); });
  r.listen("save", [&](const myapp::event& e) { for_b.push_back(e); }, {.target = "b"});
  r.listen("save", [&](const myapp::event& e) { all.push_back(e); }, {.target = "*"});
  auto a = hello(r, "a");
  r.receive(R"([{"k":"emit","event":"save","payload":[1,2]}])", a);
  r.receive(R"([{"k":"emit","event":"save","payload":3,"target":"b"}])", a);
  ASSERT_EQ(broadcast.size(), 1U);
  EXPECT_EQ(broadcast[0].payload_json, "[1,2]");
  EXPECT_EQ(broadcast[0].source, "a");
  EXPECT_EQ(broadcast[0].payload<std::vector<int>>().value(), (std::vector<int>{1, 2}));
  ASSERT_EQ(for_b.size(), 1U);
  EXPECT_EQ(for_b[0].payload_json, "3");
  EXPECT_EQ(for_b[0].target, "b");
  EXPECT_EQ(all.size(), 2U);
}

TEST(Events, OnceAndUnlisten) {
  myapp::router r(myapp::router_options{.run_inline = true});
  int once = 0;
  int many = 0;
  r.once("e", [&](const myapp::event&) { ++once; });
  auto id = r.listen("e", [&](const myapp::event&) { ++many; });
  r.emit_event("e", nullptr);
  r.emit_event("e", nullptr);
  EXPECT_EQ(once, 1);
  EXPECT_EQ(many, 2);
  EXPECT_TRUE(r.unlisten(id));
  EXPECT_FALSE(r.unlisten(id));
  r.emit_event("e", nullptr);
  EXPECT_EQ(many, 2);
  EXPECT_EQ(r.stats().listeners, 0U);
}

TEST(Events, InvalidNamesAreRefused) {
  myapp::router r(myapp::router_options{.run_inline = true});
  auto p = hello(r);
  for (const char* bad : {R"([{"k":"listen","event":"a b"}])", R"([{"k":"emit","event":""}])",
                          R"([{"k":"listen","event":"é"}])", R"([{"k":"unlisten","event":"x.y"}])"}) {
    r.receive(bad, p);
    auto m = p->take();
    ASSERT_EQ(m.size(), 1U) << bad;
    EXPECT_TRUE(contains(m[0], R"("code":"event.invalid_name")")) << m[0];
  }
  r.receive(R"([{"k":"listen"}])", p);
  auto m = p->take();
  ASSERT_EQ(m.size(), 1U);
  EXPECT_TRUE(contains(m[0], "needs `event`")) << m[0];
  EXPECT_THROW(r.emit_event("bad name", 1), std::invalid_argument);
  EXPECT_THROW(r.listen("", [](const myapp::event&) {}), std::invalid_argument);
  EXPECT_EQ(p->tables().listened_events, 0U);
}

TEST(Events, WebviewEmitsToTheCallingPageOnly) {
  myapp::router r(myapp::router_options{.run_inline = true});
  r.add("notify", [](myapp::webview caller) {
    return caller.emit_event("done", caller.label());
  });
  auto a = hello(r, "a");
  auto b = hello(r, "b");
  r.receive(R"([{"k":"listen","event":"done"}])", a);
  r.receive(R"([{"k":"listen","event":"done"}])", b);
  r.receive(R"([{"k":"invoke","id":1,"cmd":"notify"}])", a);
  auto m = a->take();
  ASSERT_EQ(m.size(), 2U);
  EXPECT_TRUE(contains(m[0], R"("event":"done")") && contains(m[0], R"("payload":"a")")) << m[0];
  EXPECT_EQ(m[1], R"({"k":"result","id":1,"ok":true})");
  EXPECT_TRUE(b->take().empty());
}

// ---------------------------------------------------------------------------------------------
// state

struct counter {
  std::atomic<int> n{0};
};

TEST(State, IsSharedAcrossCalls) {
  myapp::router r(myapp::router_options{.run_inline = true});
  r.manage(std::make_shared<counter>());
  r.add("bump", [](myapp::state<counter> c) { return ++c->n; });
  auto p = hello(r);
  r.receive(R"([{"k":"invoke","id":1,"cmd":"bump"},{"k":"invoke","id":2,"cmd":"bump"}])", p);
  auto m = p->take();
  ASSERT_EQ(m.size(), 2U);
  EXPECT_EQ(m[1], R"({"k":"result","id":2,"ok":2})");
}

TEST(State, AskingForUnregisteredStateFailsAtRegistration) {
  myapp::router r(myapp::router_options{.run_inline = true});
  try {
    r.add("bump", [](myapp::state<counter> c) { return ++c->n; });
    FAIL() << "registration should have thrown";
  } catch (const myapp::setup_error& e) {
    // The type is named as written, not mangled.
    EXPECT_TRUE(contains(e.what(), "command `bump` asks for myapp::state<")) << e.what();
    EXPECT_TRUE(contains(e.what(), "counter>, which was never registered")) << e.what();
  }
  r.manage(std::make_shared<counter>());
  try {
    r.manage(std::make_shared<counter>());
    FAIL() << "a second manage of the same type should have thrown";
  } catch (const myapp::setup_error& e) {
    EXPECT_TRUE(contains(e.what(), "counter is registered twice")) << e.what();
  }
}

// ---------------------------------------------------------------------------------------------
// channels

TEST(Channels, FramesInOrderThenEnd) {
  myapp::router r(myapp::router_options{.run_inline = true});
  r.add("count", [](int n, myapp::channel<int> ch) {
    for (int i = 0; i < n; ++i) ch.send(i * 10);
    return n;
  }, {"n", "channel"});
  auto p = hello(r);
  r.receive(R"([{"k":"invoke","id":1,"cmd":"count","args":{"n":3,"channel":{"$channel":4}}}])", p);
  auto m = p->take();
  ASSERT_EQ(m.size(), 5U);
  EXPECT_EQ(m[0], R"({"k":"chan","ch":4,"i":0,"data":0})");
  EXPECT_EQ(m[1], R"({"k":"chan","ch":4,"i":1,"data":10})");
  EXPECT_EQ(m[2], R"({"k":"chan","ch":4,"i":2,"data":20})");
  // The handler's copy is the last one: the channel ends when the handler returns.
  EXPECT_EQ(m[3], R"({"k":"chan_end","ch":4,"i":3})");
  EXPECT_EQ(m[4], R"({"k":"result","id":1,"ok":3})");
  EXPECT_EQ(p->tables().channels, 0U);
}

TEST(Channels, ProducerWaitsForCreditAndResumes) {
  myapp::router r(myapp::router_options{.workers = 2});
  std::atomic<int> sent{0};
  r.add("flood", [&](int n, myapp::channel<int> ch) {
    for (int i = 0; i < n; ++i) {
      if (!ch.send(i)) return false;
      ++sent;
    }
    return true;
  }, {"n", "channel"});
  auto p = hello(r);
  const auto window = static_cast<int>(myapp::protocol::CHANNEL_INITIAL_CREDIT);
  r.receive(fmt::format(R"([{{"k":"invoke","id":1,"cmd":"flood","args":{{"n":{},"channel":{{"$channel":1}}}}}}])",
                        window + 100),
            p);
  ASSERT_TRUE(eventually([&] { return sent == window; }));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(sent, window) << "the producer must wait for credit";
  EXPECT_EQ(p->count(), static_cast<std::size_t>(window));
  r.receive(R"([{"k":"credit","ch":1,"n":40}])", p);
  ASSERT_TRUE(eventually([&] { return sent == window + 40; }));
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(sent, window + 40);
  r.receive(R"([{"k":"credit","ch":1,"n":100}])", p);
  auto m = p->wait_for(static_cast<std::size_t>(window) + 100 + 2);
  ASSERT_EQ(m.size(), static_cast<std::size_t>(window) + 102);
  for (int i = 0; i < window + 100; ++i) {
    EXPECT_EQ(m[static_cast<std::size_t>(i)],
              fmt::format(R"({{"k":"chan","ch":1,"i":{},"data":{}}})", i, i));
  }
  EXPECT_EQ(m[m.size() - 2], fmt::format(R"({{"k":"chan_end","ch":1,"i":{}}})", window + 100));
  EXPECT_EQ(m.back(), R"({"k":"result","id":1,"ok":true})");
}

TEST(Channels, TrySendReportsWouldBlock) {
  myapp::router r(myapp::router_options{.run_inline = true});
  r.add("burst", [](myapp::channel<int> ch) {
    int sent = 0;
    while (ch.try_send(1) == myapp::send_result::sent) ++sent;
    return sent;
  }, {"channel"});
  auto p = hello(r);
  r.receive(R"([{"k":"invoke","id":1,"cmd":"burst","args":{"channel":{"$channel":9}}}])", p);
  auto m = p->take();
  EXPECT_EQ(m.back(), fmt::format(R"({{"k":"result","id":1,"ok":{}}})",
                                  myapp::protocol::CHANNEL_INITIAL_CREDIT));
}

TEST(Channels, ClosingThePageReleasesABlockedProducer) {
  myapp::router r(myapp::router_options{.workers = 2});
  std::atomic<bool> returned{false};
  std::atomic<bool> result{true};
  r.add("flood", [&](myapp::channel<int> ch) {
    bool ok = true;
    while (ok) ok = ch.send(1);
    result = ok;
    returned = true;
  }, {"channel"});
  auto p = hello(r);
  r.receive(R"([{"k":"invoke","id":1,"cmd":"flood","args":{"channel":{"$channel":1}}}])", p);
  ASSERT_TRUE(eventually([&] { return p->count() >= myapp::protocol::CHANNEL_INITIAL_CREDIT; }));
  r.close_session(p);
  ASSERT_TRUE(eventually([&] { return returned.load(); }));
  EXPECT_FALSE(result.load());
  ASSERT_TRUE(eventually([&] { return r.in_flight() == 0; }));
  auto st = r.stats();
  EXPECT_EQ(st.channels, 0U);
  EXPECT_EQ(st.pending, 0U);
}

TEST(Channels, BadChannelInput) {
  myapp::router r(myapp::router_options{.run_inline = true});
  r.add("use", [](myapp::channel<int> ch) { ch.send(1); }, {"channel"});
  auto p = hello(r);
  // Not a channel.
  r.receive(R"([{"k":"invoke","id":1,"cmd":"use","args":{"channel":5}}])", p);
  auto m = p->take();
  ASSERT_EQ(m.size(), 1U);
  EXPECT_TRUE(contains(m[0], R"("code":"args.invalid")") && contains(m[0], "at `channel`")) << m[0];
  r.receive(R"([{"k":"invoke","id":2,"cmd":"use","args":{"channel":{"$channel":0}}}])", p);
  m = p->take();
  ASSERT_EQ(m.size(), 1U);
  EXPECT_TRUE(contains(m[0], R"("code":"args.invalid")")) << m[0];
  // The same channel twice.
  r.receive(R"([{"k":"invoke","id":3,"cmd":"use","args":{"channel":{"$channel":7}}}])", p);
  p->take();
  r.receive(R"([{"k":"invoke","id":4,"cmd":"use","args":{"channel":{"$channel":7}}}])", p);
  m = p->take();
  ASSERT_EQ(m.size(), 1U);
  EXPECT_TRUE(contains(m[0], "channel 7 is already in use")) << m[0];
  // Credit for a channel that never existed, and for one that already closed.
  r.receive(R"([{"k":"credit","ch":12345,"n":1}])", p);
  m = p->take();
  ASSERT_EQ(m.size(), 1U);
  EXPECT_TRUE(contains(m[0], R"("code":"channel.invalid")")) << m[0];
  r.receive(R"([{"k":"credit","ch":7,"n":1}])", p);
  EXPECT_TRUE(p->take().empty());
  r.receive(R"([{"k":"credit","ch":7,"n":0}])", p);
  m = p->take();
  ASSERT_EQ(m.size(), 1U);
  EXPECT_TRUE(contains(m[0], "needs `n` >= 1")) << m[0];
}

TEST(Channels, SendOnANonBlockingThreadThrowsInsteadOfDeadlocking) {
  myapp::router r(myapp::router_options{.run_inline = true});
  r.add("flood", [](myapp::channel<int> ch) {
    myapp::detail::mark_non_blocking_thread();
    for (;;) ch.send(1);
  }, {"channel"});
  auto p = hello(r);
  std::thread t([&] {
    r.receive(R"([{"k":"invoke","id":1,"cmd":"flood","args":{"channel":{"$channel":1}}}])", p);
  });
  t.join();
  auto m = p->take();
  ASSERT_FALSE(m.empty());
  EXPECT_TRUE(contains(m.back(), R"("code":"handler.failed")")) << m.back();
  EXPECT_TRUE(contains(m.back(), "would block the GUI thread")) << m.back();
}

// ---------------------------------------------------------------------------------------------
// lifecycle

TEST(Lifecycle, ManyPagesAndInvokesLeaveTheTablesEmpty) {
  myapp::router r(myapp::router_options{.workers = 2});
  r.add("add", [](int a, int b) { return a + b; }, {"a", "b"});
  r.add("stream", [](myapp::channel<int> ch) {
    for (int i = 0; i < 10; ++i) ch.send(i);
  }, {"channel"});
  for (int page = 0; page < 100; ++page) {
    auto p = hello(r, "main");
    r.receive(R"([{"k":"listen","event":"e"}])", p);
    std::string batch = "[";
    for (int i = 1; i <= 1000; ++i) {
      if (i > 1) batch += ',';
      if (i % 100 == 0) {
        batch += fmt::format(R"({{"k":"invoke","id":{},"cmd":"stream","args":{{"channel":{{"$channel":{}}}}}}})", i, i);
      } else {
        batch += fmt::format(R"({{"k":"invoke","id":{},"cmd":"add","args":{{"a":{},"b":1}}}})", i, i);
      }
    }
    batch += ']';
    r.receive(batch, p);
    if (page % 2 == 0) p->wait_for(1000);  // half the pages close with calls still running
    r.close_session(p);
  }
  ASSERT_TRUE(eventually([&] { return r.in_flight() == 0; }));
  auto st = r.stats();
  EXPECT_EQ(st.pages, 0U);
  EXPECT_EQ(st.pending, 0U);
  EXPECT_EQ(st.channels, 0U);
  EXPECT_EQ(st.page_listens, 0U);
}

}  // namespace

namespace {

TEST(Limits, PendingChannelsAndListensPerPage) {
  myapp::router r(myapp::router_options{.workers = 2, .max_pending_per_page = 2,
                                        .max_channels_per_page = 1, .max_listens_per_page = 2});
  std::atomic<bool> release{false};
  r.add("wait", [&] {
    while (!release) std::this_thread::sleep_for(1ms);
  });
  r.add("hold", [&](myapp::channel<int> ch) {
    while (!release) std::this_thread::sleep_for(1ms);
    ch.send(1);
  }, {"channel"});
  auto p = hello(r);
  r.receive(R"([{"k":"invoke","id":1,"cmd":"wait"},{"k":"invoke","id":2,"cmd":"wait"},{"k":"invoke","id":3,"cmd":"wait"}])", p);
  auto m = p->wait_for(1);
  ASSERT_EQ(m.size(), 1U);
  EXPECT_TRUE(contains(m[0], R"({"k":"error","id":3,"error":{"code":"limit.exceeded")")) << m[0];
  EXPECT_TRUE(contains(m[0], "max_pending_per_page")) << m[0];
  r.receive(R"([{"k":"listen","event":"a"},{"k":"listen","event":"b"},{"k":"listen","event":"a"},{"k":"listen","event":"c"}])", p);
  m = p->take();
  ASSERT_EQ(m.size(), 1U) << "listening again to a known name is not a new one";
  EXPECT_TRUE(contains(m[0], "max_listens_per_page")) << m[0];
  release = true;
  ASSERT_TRUE(eventually([&] { return r.in_flight() == 0; }));
  p->take();
  release = false;
  r.receive(R"([{"k":"invoke","id":10,"cmd":"hold","args":{"channel":{"$channel":1}}}])", p);
  ASSERT_TRUE(eventually([&] { return p->tables().channels == 1; }));
  // While the first call holds its channel open, a second one is refused.
  r.receive(R"([{"k":"invoke","id":11,"cmd":"hold","args":{"channel":{"$channel":2}}}])", p);
  m = p->wait_for(1);
  ASSERT_EQ(m.size(), 1U);
  EXPECT_TRUE(contains(m[0], R"({"k":"error","id":11,"error":{"code":"args.invalid")")) << m[0];
  EXPECT_TRUE(contains(m[0], "max_channels_per_page")) << m[0];
  release = true;
  ASSERT_TRUE(eventually([&] { return r.in_flight() == 0; }));
}

}  // namespace
