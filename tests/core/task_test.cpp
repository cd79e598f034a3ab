// Coroutine handlers (task.hpp): sleeping without a thread, many at once beside short commands,
// cancellation waking them and freeing their frames, the blocking pool, the GUI thread, nested
// tasks, errors and error values, channel sends that wait for credit, and cancel_token's
// callbacks.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "myapp/router.hpp"
#include "myapp/task.hpp"
#include "recording_session.hpp"

namespace {

using namespace std::chrono_literals;
using myapp::task;

std::string invoke_msg(std::uint64_t id, std::string_view cmd, std::string_view args = "{}") {
  return fmt::format(R"({{"k":"invoke","id":{},"cmd":"{}","args":{}}})", id, cmd, args);
}

// Waits until no handler frame is left (or gives up after 10 s).
std::size_t frames_after_settling() {
  for (int i = 0; i < 1000 && myapp::live_task_frames() != 0; ++i) std::this_thread::sleep_for(10ms);
  return myapp::live_task_frames();
}

class Tasks : public ::testing::Test {
 protected:
  Tasks() : router_(myapp::router_options{.workers = 2, .max_pending_per_page = 20000}) {
    router_.add("nap", [](int ms) -> task<int> {
      co_await myapp::sleep(std::chrono::milliseconds(ms));
      co_return ms;
    }, {"ms"});
    router_.add("quick", [] { return 1; });
    router_.add("chain", []() -> task<std::string> {
      auto inner = []() -> task<int> {
        co_await myapp::sleep(1ms);
        co_return 41;
      };
      const int v = co_await inner();
      co_return fmt::format("{}", v + 1);
    });
    router_.add("offload", []() -> task<std::string> {
      const auto worker = std::this_thread::get_id();
      auto there = co_await myapp::blocking([] {
        std::this_thread::sleep_for(50ms);
        return std::this_thread::get_id();
      });
      co_return there != worker ? "elsewhere" : "same thread";
    });
    router_.add("fails", []() -> task<int> {
      co_await myapp::sleep(1ms);
      throw std::runtime_error("late failure");
    });
    router_.add("rejects", []() -> task<myapp::result<int, std::string>> {
      co_await myapp::sleep(1ms);
      co_return myapp::err("too late");
    });
    router_.add("stream", [](myapp::channel<int> ch, int n) -> task<int> {
      int sent = 0;
      for (int i = 0; i < n; ++i) {
        if (!co_await ch.send_async(i)) break;
        ++sent;
      }
      co_return sent;
    }, {"ch", "n"});
  }
  ~Tasks() override { router_.close_session(session_); }

  myapp::router router_;
  std::shared_ptr<myapp::testing::recording_session> session_ =
      std::make_shared<myapp::testing::recording_session>();
};

TEST_F(Tasks, ACoroutineAnswersWhenItCompletes) {
  router_.receive("[" + invoke_msg(1, "nap", R"({"ms":20})") + "," + invoke_msg(2, "chain") + "]",
                  session_);
  auto m = session_->wait_for(2);
  std::sort(m.begin(), m.end());
  ASSERT_EQ(m.size(), 2U);
  EXPECT_EQ(m[0], R"({"k":"result","id":1,"ok":20})");
  EXPECT_EQ(m[1], R"({"k":"result","id":2,"ok":"42"})");
  EXPECT_EQ(frames_after_settling(), 0U);
}

// 10,000 calls that each sleep 200 ms, on two workers: they wait at once (one after another
// they would take 1,000 s), and a short command sent after them is answered first.
TEST_F(Tasks, TenThousandSleepersDoNotHoldTheWorkers) {
  constexpr int N = 10000;
  std::string batch = "[";
  for (int i = 1; i <= N; ++i) {
    if (i > 1) batch += ',';
    batch += invoke_msg(i, "nap", R"({"ms":200})");
  }
  batch += "," + invoke_msg(N + 1, "quick") + "]";
  const auto start = std::chrono::steady_clock::now();
  router_.receive(batch, session_);
  auto first = session_->wait_for(1);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first.front(), fmt::format(R"({{"k":"result","id":{},"ok":1}})", N + 1));
  std::size_t answered = first.size();
  while (answered < N + 1 && std::chrono::steady_clock::now() - start < 60s) {
    answered += session_->wait_for(N + 1 - answered).size();
  }
  const auto wall = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(answered, static_cast<std::size_t>(N + 1));
  // Far below the 1,000 s the sleeps would take in turn; the benchmark measures it finely.
  EXPECT_LT(wall, 20s);
  EXPECT_EQ(frames_after_settling(), 0U);
}

TEST_F(Tasks, CancelWakesASleeperAndFreesItsFrame) {
  router_.receive("[" + invoke_msg(1, "nap", R"({"ms":60000})") + "]", session_);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(myapp::live_task_frames(), 1U);
  router_.receive(R"([{"k":"cancel","id":1}])", session_);
  EXPECT_EQ(frames_after_settling(), 0U);
  EXPECT_TRUE(session_->take().empty());  // a cancelled call is not answered
  EXPECT_EQ(router_.stats().pending, 0U);
}

TEST_F(Tasks, AReloadDuringThousandsOfSleepersLeavesNoFrame) {
  std::string batch = "[";
  for (int i = 1; i <= 3000; ++i) {
    if (i > 1) batch += ',';
    batch += invoke_msg(i, "nap", R"({"ms":60000})");
  }
  router_.receive(batch + "]", session_);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(router_.stats().coroutines, 3000U);
  router_.close_session(session_);  // what a reload does to the page's session
  EXPECT_EQ(frames_after_settling(), 0U);
  EXPECT_EQ(router_.stats().in_flight, 0U);
}

TEST_F(Tasks, BlockingWorkRunsOnItsOwnPoolWhileWorkersStayFree) {
  std::string batch = "[";
  for (int i = 1; i <= 6; ++i) batch += invoke_msg(i, "offload") + ",";
  batch += invoke_msg(7, "quick") + "]";
  router_.receive(batch, session_);
  auto m = session_->wait_for(7);
  ASSERT_EQ(m.size(), 7U);
  EXPECT_EQ(m.front(), R"({"k":"result","id":7,"ok":1})");  // not queued behind the six
  for (std::size_t i = 1; i < m.size(); ++i) EXPECT_NE(m[i].find(R"("ok":"elsewhere")"), std::string::npos) << m[i];
}

TEST_F(Tasks, ErrorsAndErrorValuesOfCoroutines) {
  router_.receive("[" + invoke_msg(1, "fails") + "," + invoke_msg(2, "rejects") + "]", session_);
  auto m = session_->wait_for(2);
  std::sort(m.begin(), m.end());
  ASSERT_EQ(m.size(), 2U);
  EXPECT_EQ(m[0], R"({"k":"error","id":1,"error":{"code":"handler.failed","message":"command `fails` failed: late failure"}})");
  EXPECT_EQ(m[1], R"({"k":"error","id":2,"value":"too late"})");
}

TEST_F(Tasks, AChannelSendWaitsForCreditWithoutAThread) {
  // 600 frames: the first 512 go at once, the rest wait for the page's credit.
  router_.receive("[" + invoke_msg(1, "stream", R"({"ch":{"$channel":5},"n":600})") + "]", session_);
  auto first = session_->wait_for(512);
  EXPECT_EQ(first.size(), 512U);
  std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(session_->take().empty());  // waiting, not spinning
  EXPECT_EQ(myapp::live_task_frames(), 2U);  // the handler and its send_async
  router_.receive(R"([{"k":"credit","ch":5,"n":100}])", session_);
  auto rest = session_->wait_for(88 + 2);  // 88 frames, the result and the channel's end
  std::size_t frames = 0;
  bool answered = false;
  for (const auto& m : rest) {
    frames += m.starts_with(R"({"k":"chan",)") ? 1 : 0;
    answered = answered || m == R"({"k":"result","id":1,"ok":600})";
  }
  EXPECT_EQ(frames, 88U);
  EXPECT_TRUE(answered);
}

// The GUI thread's executor, played by a queue this test drains.
class queue_executor final : public myapp::executor {
 public:
  void post(std::function<void()> task) override {
    std::lock_guard lock(mutex);
    tasks.push_back(std::move(task));
  }
  bool run_one() {
    std::function<void()> t;
    {
      std::lock_guard lock(mutex);
      if (tasks.empty()) return false;
      t = std::move(tasks.front());
      tasks.pop_front();
    }
    t();
    return true;
  }
  std::mutex mutex;
  std::deque<std::function<void()>> tasks;
};

TEST(TasksOnGui, OnGuiContinuesOnTheMainExecutor) {
  myapp::router r(myapp::router_options{.workers = 2});
  auto gui = std::make_shared<queue_executor>();
  r.set_main_executor(gui);
  std::atomic<bool> ran_here{false};
  const auto test_thread = std::this_thread::get_id();
  r.add("on_gui", [&]() -> task<int> {
    co_await myapp::on_gui();
    ran_here = std::this_thread::get_id() == test_thread;
    co_return 7;
  });
  auto s = std::make_shared<myapp::testing::recording_session>();
  r.receive("[" + invoke_msg(1, "on_gui") + "]", s);
  for (int i = 0; i < 500 && !gui->run_one(); ++i) std::this_thread::sleep_for(2ms);
  auto m = s->wait_for(1);
  ASSERT_EQ(m.size(), 1U);
  EXPECT_EQ(m[0], R"({"k":"result","id":1,"ok":7})");
  EXPECT_TRUE(ran_here);
  r.close_session(s);
}

TEST(CancelToken, CallbacksRunOnceAndRegistrationsRemoveThem) {
  myapp::cancel_token t;
  int a = 0;
  int b = 0;
  auto ra = t.on_cancel([&] { ++a; });
  {
    auto rb = t.on_cancel([&] { ++b; });
  }  // removed before the cancel
  t.cancel();
  t.cancel();
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, 0);
  int c = 0;
  auto rc = t.on_cancel([&] { ++c; });  // already cancelled: runs at once
  EXPECT_EQ(c, 1);
}

}  // namespace
