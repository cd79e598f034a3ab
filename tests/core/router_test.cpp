// The router: dispatch, argument binding by name and by struct, the wire errors
// (command.not_found, args.invalid, handler.failed, protocol.invalid), and the handshake.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "myapp/router.hpp"

namespace demo {
struct point {
  int x = 0;
  int y = 0;
};
MYAPP_STRUCT(point, x, y)
}  // namespace demo

namespace {

class test_session final : public myapp::session {
 public:
  test_session() { info_.label = "main"; info_.origin = "myapp://localhost"; }
  const myapp::caller_info& caller() const noexcept override { return info_; }
  void send(std::string message) override {
    std::lock_guard lock(mutex_);
    messages_.push_back(std::move(message));
    arrived_.notify_all();
  }
  void on_ready() override { ready = true; }
  void on_rejected(std::string_view what) override { rejected.emplace_back(what); }

  std::vector<std::string> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(messages_, {});
  }
  std::vector<std::string> wait_for(std::size_t n) {
    std::unique_lock lock(mutex_);
    arrived_.wait_for(lock, std::chrono::seconds(10), [&] { return messages_.size() >= n; });
    return std::exchange(messages_, {});
  }

  bool ready = false;
  std::vector<std::string> rejected;

 private:
  myapp::caller_info info_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<std::string> messages_;
};

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() : router_(myapp::router_options{.run_inline = true}) {
    router_.add("greet", [](std::string name) { return "Hello, " + name + "!"; }, {"name"});
    router_.add("add", [](int a, int b) { return a + b; }, {"a", "b"});
    router_.add("fail", []() -> int { throw std::runtime_error("disk on fire"); });
    router_.add("fail_coded",
                []() -> int { throw myapp::error("notes.not_found", "no note 7", R"J({"id":7})J"); });
    router_.add("maybe", [](std::optional<std::string> who) { return who.value_or("nobody"); },
                {"who"});
    router_.add("norm", [](const demo::point& p) { return p.x * p.x + p.y * p.y; });
    router_.add("whoami", [](const myapp::request& req, std::string suffix) {
      return req.caller().label + suffix;
    }, {"suffix"});
    router_.add("nothing", [] {});
    router_.add("file_info", [](std::string file_path) { return file_path.size(); },
                {"file_path"});
    router_.add("checked", [](int x) -> myapp::result<int> {
      if (x < 0) return myapp::error("math.negative", "x must not be negative");
      return x * 2;
    }, {"x"});
    router_.add("bad_utf8", [] { return std::string("\xff"); });
  }

  std::string call(std::string_view batch) {
    router_.receive(batch, session_);
    auto m = session_->take();
    EXPECT_EQ(m.size(), 1U) << batch;
    return m.empty() ? std::string() : m.front();
  }
  std::string invoke(std::string_view cmd, std::string_view args) {
    return call(fmt::format(R"J([{{"k":"invoke","id":1,"cmd":"{}","args":{}}}])J", cmd, args));
  }

  myapp::router router_;
  std::shared_ptr<test_session> session_ = std::make_shared<test_session>();
};

TEST_F(RouterTest, DispatchesByNameWithCamelCaseKeys) {
  EXPECT_EQ(invoke("greet", R"J({"name":"Ada"})J"), R"J({"k":"result","id":1,"ok":"Hello, Ada!"})J");
  EXPECT_EQ(invoke("add", R"J({"b":2,"a":40})J"), R"J({"k":"result","id":1,"ok":42})J");
  EXPECT_EQ(invoke("file_info", R"J({"filePath":"/tmp/x"})J"), R"J({"k":"result","id":1,"ok":6})J");
  EXPECT_EQ(invoke("nothing", "{}"), R"J({"k":"result","id":1,"ok":null})J");
  EXPECT_EQ(invoke("whoami", R"J({"suffix":"!"})J"), R"J({"k":"result","id":1,"ok":"main!"})J");
  EXPECT_EQ(invoke("checked", R"J({"x":4})J"), R"J({"k":"result","id":1,"ok":8})J");
}

TEST_F(RouterTest, ArgsMayBeOmittedForCommandsWithoutArguments) {
  EXPECT_EQ(call(R"J([{"k":"invoke","id":3,"cmd":"nothing"}])J"), R"J({"k":"result","id":3,"ok":null})J");
}

TEST_F(RouterTest, OptionalArgumentsMayBeMissingOrNull) {
  EXPECT_EQ(invoke("maybe", "{}"), R"J({"k":"result","id":1,"ok":"nobody"})J");
  EXPECT_EQ(invoke("maybe", R"J({"who":null})J"), R"J({"k":"result","id":1,"ok":"nobody"})J");
  EXPECT_EQ(invoke("maybe", R"J({"who":"me"})J"), R"J({"k":"result","id":1,"ok":"me"})J");
}

TEST_F(RouterTest, WholeStructArgument) {
  EXPECT_EQ(invoke("norm", R"J({"x":3,"y":4})J"), R"J({"k":"result","id":1,"ok":25})J");
  auto m = invoke("norm", R"J({"x":3})J");
  EXPECT_NE(m.find(R"J("code":"args.invalid")J"), std::string::npos) << m;
  EXPECT_NE(m.find("missing key `y`"), std::string::npos) << m;
}

TEST_F(RouterTest, UnknownCommand) {
  auto m = invoke("gret", "{}");
  EXPECT_EQ(m, R"J({"k":"error","id":1,"error":{"code":"command.not_found","message":"no command named `gret` is registered; did you mean `greet`?"}})J");
  m = invoke("zzzzzzzzzz", "{}");
  EXPECT_NE(m.find("no command named `zzzzzzzzzz` is registered\""), std::string::npos) << m;
}

TEST_F(RouterTest, MissingArgumentNamesTheKey) {
  EXPECT_EQ(invoke("greet", "{}"),
            R"J({"k":"error","id":1,"error":{"code":"args.invalid","message":"invalid arguments for command `greet`: at `name`: missing key `name` (expected string)","data":{"key":"name","expected":"string","got":"nothing"}}})J");
}

TEST_F(RouterTest, WrongTypeSaysExpectedAndGot) {
  EXPECT_EQ(invoke("greet", R"J({"name":42})J"),
            R"J({"k":"error","id":1,"error":{"code":"args.invalid","message":"invalid arguments for command `greet`: at `name`: expected string, got number 42","data":{"key":"name","expected":"string","got":"number 42"}}})J");
  auto m = invoke("add", R"J({"a":1,"b":3000000000})J");
  EXPECT_NE(m.find("at `b`: expected integer in [-2147483648, 2147483647], got number 3000000000"),
            std::string::npos)
      << m;
  m = invoke("add", R"J({"a":1,"a":2,"b":3})J");
  EXPECT_NE(m.find("at `a`: duplicate key"), std::string::npos) << m;
}

TEST_F(RouterTest, ThrowingHandlerBecomesHandlerFailed) {
  EXPECT_EQ(invoke("fail", "{}"),
            R"J({"k":"error","id":1,"error":{"code":"handler.failed","message":"command `fail` failed: disk on fire"}})J");
}

TEST_F(RouterTest, AppErrorCodesAndData) {
  EXPECT_EQ(invoke("fail_coded", "{}"),
            R"J({"k":"error","id":1,"error":{"code":"notes.not_found","message":"no note 7","data":{"id":7}}})J");
  EXPECT_EQ(invoke("checked", R"J({"x":-1})J"),
            R"J({"k":"error","id":1,"error":{"code":"math.negative","message":"x must not be negative"}})J");
}

TEST_F(RouterTest, UnsendableResultIsResultInvalid) {
  auto m = invoke("bad_utf8", "{}");
  EXPECT_NE(m.find(R"J("code":"result.invalid")J"), std::string::npos) << m;
}

TEST_F(RouterTest, BatchesAnswerEveryInvoke) {
  router_.receive(
      R"J([{"k":"invoke","id":1,"cmd":"add","args":{"a":1,"b":1}},{"k":"invoke","id":2,"cmd":"nope"},{"k":"invoke","id":3,"cmd":"greet","args":{"name":"x"}}])J",
      session_);
  auto m = session_->take();
  ASSERT_EQ(m.size(), 3U);
  // Answers are matched by id; their order is not part of the protocol.
  std::sort(m.begin(), m.end());
  EXPECT_NE(m[0].find(R"J("id":2,"error":{"code":"command.not_found")J"), std::string::npos);
  EXPECT_EQ(m[1], R"J({"k":"result","id":1,"ok":2})J");
  EXPECT_EQ(m[2], R"J({"k":"result","id":3,"ok":"Hello, x!"})J");
}

TEST_F(RouterTest, Handshake) {
  EXPECT_EQ(call(R"J([{"k":"hello","v":1}])J"),
            R"J({"k":"welcome","v":1,"label":"main","limits":{"batch":67108864,"listens":1000}})J");
  EXPECT_FALSE(session_->ready);
  router_.receive(R"J([{"k":"ready"}])J", session_);
  EXPECT_TRUE(session_->ready);
  EXPECT_TRUE(session_->take().empty());
  auto m = call(R"J([{"k":"hello","v":2}])J");
  EXPECT_NE(m.find(R"J("code":"protocol.version")J"), std::string::npos) << m;
}

TEST_F(RouterTest, MalformedBatchesGetAFault) {
  for (const char* bad : {"", "{", "not json", R"J({"k":"invoke"})J", "[1]", R"J([{"id":1}])J",
                          R"J([{"k":"invoke","cmd":"greet"}])J", R"J([{"k":"bogus"}])J",
                          R"J([{"k":"invoke","id":-1,"cmd":"greet"}])J",
                          R"J([{"k":"invoke","id":9007199254740992,"cmd":"greet"}])J",
                          R"J([{"k":"invoke","id":"1","cmd":"greet"}])J", "[\"\xff\"]"}) {
    auto m = call(bad);
    EXPECT_NE(m.find(R"J({"k":"fault","error":{"code":"protocol.invalid")J"), std::string::npos)
        << bad << " → " << m;
  }
  EXPECT_FALSE(session_->rejected.empty());
}

TEST_F(RouterTest, BadFieldWithAnIdAnswersThatId) {
  auto m = call(R"J([{"k":"invoke","id":5,"cmd":7}])J");
  EXPECT_NE(m.find(R"J({"k":"error","id":5,"error":{"code":"protocol.invalid")J"), std::string::npos)
      << m;
  m = call(R"J([{"k":"invoke","id":6,"cmd":"greet","args":[1]}])J");
  EXPECT_NE(m.find(R"J({"k":"error","id":6,"error":{"code":"protocol.invalid")J"), std::string::npos)
      << m;
  EXPECT_NE(m.find("at `args`: expected an object, got array"), std::string::npos) << m;
}

TEST_F(RouterTest, LimitsAreEnforced) {
  myapp::router small(myapp::router_options{.run_inline = true, .max_batch_bytes = 64});
  small.add("x", [] {});
  small.receive(std::string(100, ' '), session_);
  auto m = session_->take();
  ASSERT_EQ(m.size(), 1U);
  EXPECT_NE(m[0].find("limit.exceeded"), std::string::npos);

  std::string deep = R"J([{"k":"invoke","id":1,"cmd":"greet","args":{"name":)J" +
                     std::string(200, '[') + std::string(200, ']') + "}}]";
  auto f = call(deep);
  EXPECT_NE(f.find("nesting deeper than the limit of 128"), std::string::npos) << f;
}

TEST(RouterSetup, RegistrationMistakesThrowAtOnce) {
  myapp::router r(myapp::router_options{.run_inline = true});
  r.add("ok", [](int) {}, {"n"});
  EXPECT_THROW(r.add("ok", [] {}), myapp::setup_error);
  EXPECT_THROW(r.add("two", [](int, int) {}, {"a"}), myapp::setup_error);
  EXPECT_THROW(r.add("three", [](int) {}, {"a", "b"}), myapp::setup_error);
  EXPECT_THROW(r.add("bad name", [] {}), myapp::setup_error);
  EXPECT_THROW(r.add("", [] {}), myapp::setup_error);
  EXPECT_THROW(r.add("dup", [](int, int) {}, {"a", "a"}), myapp::setup_error);
  EXPECT_THROW(r.add("argname", [](int) {}, {"a-b"}), myapp::setup_error);
  try {
    r.add("two", [](int, int) {}, {"a"});
  } catch (const myapp::setup_error& e) {
    EXPECT_NE(std::string(e.what()).find("command `two` takes 2 argument(s) from JSON but 1"),
              std::string::npos);
  }
  auto p = std::make_shared<test_session>();
  r.receive(R"J([{"k":"ready"}])J", p);
  EXPECT_THROW(r.add("late", [] {}), myapp::setup_error);
  EXPECT_EQ(r.command_names(), std::vector<std::string>{"ok"});
}

TEST(RouterAsync, SlowHandlerDoesNotDelayOthers) {
  myapp::router r(myapp::router_options{.workers = 2});
  std::mutex m;
  std::condition_variable cv;
  bool release = false;
  r.add("slow", [&] {
    std::unique_lock lock(m);
    cv.wait_for(lock, std::chrono::seconds(10), [&] { return release; });
    return 1;
  });
  r.add("fast", [] { return 2; });
  auto p = std::make_shared<test_session>();
  r.receive(R"J([{"k":"invoke","id":1,"cmd":"slow"},{"k":"invoke","id":2,"cmd":"fast"}])J", p);
  auto first = p->wait_for(1);
  ASSERT_EQ(first.size(), 1U);
  EXPECT_EQ(first[0], R"J({"k":"result","id":2,"ok":2})J");
  {
    std::lock_guard lock(m);
    release = true;
  }
  cv.notify_all();
  auto second = p->wait_for(1);
  ASSERT_EQ(second.size(), 1U);
  EXPECT_EQ(second[0], R"J({"k":"result","id":1,"ok":1})J");
  for (int i = 0; i < 100 && r.in_flight() != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(r.in_flight(), 0U);
}

TEST(RouterAsync, HandlerMayParseJsonItself) {
  myapp::router r(myapp::router_options{.run_inline = true});
  r.add("nested", [](std::string text) {
    return myapp::json::parse<std::vector<int>>(text).value().size();
  }, {"text"});
  auto p = std::make_shared<test_session>();
  r.receive(R"J([{"k":"invoke","id":1,"cmd":"nested","args":{"text":"[1,2,3]"}}])J", p);
  auto m = p->take();
  ASSERT_EQ(m.size(), 1U);
  EXPECT_EQ(m[0], R"J({"k":"result","id":1,"ok":3})J");
}

}  // namespace
