// Limits that keep one page or one handler from hurting the others: pages take turns on the
// workers, answers and channel frames a page could not read are refused with limit.exceeded,
// and quitting waits a bounded time for handlers that never return.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "myapp/router.hpp"
#include "recording_session.hpp"

namespace {

// Pages share the workers: a page's queue of slow calls does not hold another page's call
// back by more than one handler's run.
TEST(Fairness, AnotherPagesCallIsServedInTurn) {
  std::atomic<int> slow_done{0};
  std::atomic<int> slow_done_when_quick_ran{-1};
  myapp::router r(myapp::router_options{.workers = 2});
  r.add("slow", [&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    ++slow_done;
  });
  r.add("quick", [&] { slow_done_when_quick_ran = slow_done.load(); });
  auto busy = std::make_shared<myapp::testing::recording_session>("busy");
  auto other = std::make_shared<myapp::testing::recording_session>("other");
  std::string batch = "[";
  for (int i = 1; i <= 10; ++i) {
    batch += (i > 1 ? "," : "") + std::string(R"({"k":"invoke","id":)") + std::to_string(i) +
             R"(,"cmd":"slow"})";
  }
  r.receive(batch + "]", busy);
  r.receive(R"([{"k":"invoke","id":1,"cmd":"quick"}])", other);
  EXPECT_EQ(other->wait_for(1).size(), 1U);
  // Two workers were running slow calls when it arrived; it ran as soon as one was free.
  EXPECT_LE(slow_done_when_quick_ran.load(), 2);
  EXPECT_EQ(busy->wait_for(10).size(), 10U);
}

// A page whose calls all run long does not make another page's first call wait for one of
// them to end: once every worker has been busy for router_options::stall_after, the pool
// starts one more for the page that has none running. A page's own queue does not grow it.
TEST(Fairness, AnotherPagesFirstCallDoesNotWaitForSlowCallsToEnd) {
  std::atomic<int> started{0};
  std::atomic<int> started_before_quick{-1};
  myapp::router r(myapp::router_options{.workers = 2});
  r.add("slow", [&](myapp::cancel_token cancel) {
    ++started;
    for (int i = 0; i < 2000 && !cancel.cancelled(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  r.add("quick", [&] {
    started_before_quick = started.load();
    return 1;
  });
  auto busy = std::make_shared<myapp::testing::recording_session>("busy");
  auto other = std::make_shared<myapp::testing::recording_session>("other");
  std::string batch = "[";
  for (int i = 1; i <= 10; ++i) {
    batch += (i > 1 ? "," : "") + std::string(R"({"k":"invoke","id":)") + std::to_string(i) +
             R"(,"cmd":"slow"})";
  }
  r.receive(batch + "]", busy);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(started.load(), 2) << "the page's own queue made the pool grow";
  const auto asked = std::chrono::steady_clock::now();
  r.receive(R"([{"k":"invoke","id":1,"cmd":"quick"}])", other);
  const auto answered = other->wait_for(1, std::chrono::seconds(5));
  const auto waited = std::chrono::steady_clock::now() - asked;
  ASSERT_EQ(answered.size(), 1U);
  EXPECT_EQ(answered[0], R"({"k":"result","id":1,"ok":1})");
  // The slow calls run for 10 s each; the quick one waited for a worker to be started.
  EXPECT_LT(waited, std::chrono::seconds(5));
  // The worker started for the other page ran its call before any more of the busy page's
  // (afterwards it may help with those).
  EXPECT_EQ(started_before_quick.load(), 2) << "the new worker ran the busy page's call first";
  r.close_session(busy);
}

// Producers waiting for a page that stopped reading do not hold every worker: the pool starts
// another while all of them wait.
TEST(Fairness, ProducersWaitingForCreditDoNotStarveOtherPages) {
  std::atomic<int> released{0};
  myapp::router r(myapp::router_options{.workers = 2});
  r.add("flood", [&](myapp::channel<int> ch) {
    for (int i = 0;; ++i) {
      if (!ch.send(i)) break;  // waits once the page's 512 frames of credit are spent
    }
    ++released;
  }, {"ch"});
  r.add("quick", [] { return 1; });
  auto stalled = std::make_shared<myapp::testing::recording_session>("stalled");
  auto other = std::make_shared<myapp::testing::recording_session>("other");
  r.receive(R"([{"k":"invoke","id":1,"cmd":"flood","args":{"ch":{"$channel":1}}},)"
            R"({"k":"invoke","id":2,"cmd":"flood","args":{"ch":{"$channel":2}}}])",
            stalled);
  EXPECT_EQ(stalled->wait_for(1024).size(), 1024U);  // both filled their credit, now waiting
  r.receive(R"([{"k":"invoke","id":1,"cmd":"quick"}])", other);
  const auto answered = other->wait_for(1, std::chrono::seconds(5));
  ASSERT_EQ(answered.size(), 1U);
  EXPECT_EQ(answered[0], R"({"k":"result","id":1,"ok":1})");
  r.close_session(stalled);  // the page goes away: both producers are released
  for (int i = 0; i < 500 && released < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(released.load(), 2);
}

TEST(Limits, AnAnswerLargerThanAPageCanReadIsRefused) {
  myapp::router r(myapp::router_options{.run_inline = true, .max_message_to_page = 200});
  r.add("big", [] { return std::string(500, 'x'); });
  r.add("small", [] { return std::string(10, 'x'); });
  r.add("stream", [](myapp::channel<std::string> ch) {
    (void)ch.try_send(std::string(10, 'y'));
    (void)ch.try_send(std::string(500, 'y'));  // throws limit.exceeded
  }, {"ch"});
  auto s = std::make_shared<myapp::testing::recording_session>();
  r.receive(R"([{"k":"invoke","id":1,"cmd":"big"},{"k":"invoke","id":2,"cmd":"small"}])", s);
  auto m = s->take();
  ASSERT_EQ(m.size(), 2U);
  EXPECT_NE(m[0].find(R"("code":"limit.exceeded")"), std::string::npos) << m[0];
  EXPECT_NE(m[0].find("more than a page can read"), std::string::npos) << m[0];
  EXPECT_EQ(m[1], R"({"k":"result","id":2,"ok":"xxxxxxxxxx"})");
  r.receive(R"([{"k":"invoke","id":3,"cmd":"stream","args":{"ch":{"$channel":1}}}])", s);
  m = s->take();
  ASSERT_GE(m.size(), 2U);
  EXPECT_EQ(m[0], R"({"k":"chan","ch":1,"i":0,"data":"yyyyyyyyyy"})");
  bool refused = false;
  for (const auto& x : m) refused = refused || x.find(R"("id":3,"error":{"code":"limit.exceeded")") != std::string::npos;
  EXPECT_TRUE(refused);
}

TEST(Limits, AnEventLargerThanAPageCanReadIsRefusedBeforeAnyoneHearsIt) {
  myapp::router r(myapp::router_options{.run_inline = true, .max_message_to_page = 200});
  int heard = 0;
  r.listen("big", [&](const myapp::event&) { ++heard; });
  auto s = std::make_shared<myapp::testing::recording_session>();
  r.receive(R"([{"k":"hello","v":1},{"k":"listen","event":"big"}])", s);
  (void)s->take();
  try {
    r.emit_event("big", std::string(500, 'x'));
    ADD_FAILURE() << "a 500-byte event went through a 200-byte limit";
  } catch (const std::length_error& e) {
    EXPECT_NE(std::string(e.what()).find("more than a page can read"), std::string::npos) << e.what();
  }
  EXPECT_EQ(heard, 0);
  EXPECT_TRUE(s->take().empty());
  r.emit_event("big", std::string(10, 'x'));
  EXPECT_EQ(heard, 1);
  EXPECT_EQ(s->take().size(), 1U);
}

TEST(Limits, ShutdownWaitsABoundedTimeAndNamesWhatDidNotFinish) {
  std::atomic<bool> release{false};  // outlives the router, whose worker reads it to the end
  myapp::router r(myapp::router_options{.workers = 2});
  r.add("stuck", [&] {
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  });
  r.add("polite", [](myapp::cancel_token t) {
    while (!t.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  });
  auto s = std::make_shared<myapp::testing::recording_session>();
  r.receive(R"([{"k":"hello","v":1},{"k":"invoke","id":1,"cmd":"stuck"},{"k":"invoke","id":2,"cmd":"polite"}])", s);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const auto start = std::chrono::steady_clock::now();
  const auto still = r.shutdown(std::chrono::milliseconds(300));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  // The polite handler saw the cancellation and returned; the stuck one is named.
  EXPECT_EQ(still, (std::vector<std::string>{"`stuck` (window `main`)"}));
  release = true;
}

}  // namespace
