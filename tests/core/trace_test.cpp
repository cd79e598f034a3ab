// The router's trace hook (what MYAPP_LOG=ipc=trace prints) and the session's denial callback
// (what the `acl` log area prints).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "myapp/acl.hpp"
#include "myapp/router.hpp"

namespace {

class trace_session final : public myapp::session {
 public:
  trace_session() { info_ = {"main", "myapp://localhost/", "myapp://localhost", true}; }
  const myapp::caller_info& caller() const noexcept override { return info_; }
  void send(std::string message) override {
    std::lock_guard lock(mutex);
    sent.push_back(std::move(message));
  }
  void on_rejected(std::string_view what) override { rejected.emplace_back(what); }
  void on_denied(std::string_view command, std::string_view why) override {
    denied.emplace_back(std::string(command) + " | " + std::string(why));
  }
  std::mutex mutex;
  std::vector<std::string> sent, rejected, denied;

 private:
  myapp::caller_info info_;
};

// Records copied out of the callbacks (their views live only during the call).
struct recorded {
  std::vector<std::string> batches, messages, invokes;
  std::chrono::nanoseconds handler{0};
};

myapp::router_trace recorder(recorded& r) {
  myapp::router_trace t;
  t.batch = [&r](const myapp::batch_trace& b) {
    r.batches.push_back(b.from.label + " " + std::to_string(b.bytes));
  };
  t.message = [&r](const myapp::message_trace& m) {
    r.messages.push_back(std::to_string(m.index) + " " + std::string(m.kind) + " " +
                         std::string(m.name) + " id=" + std::to_string(m.id) +
                         " bytes=" + std::to_string(m.bytes));
  };
  t.invoke = [&r](const myapp::invoke_trace& i) {
    r.invokes.push_back(std::string(i.command) + " id=" + std::to_string(i.id) +
                        " args=" + std::to_string(i.args_bytes) +
                        " result=" + std::to_string(i.result_bytes) + " code=" +
                        std::string(i.error_code) + (i.answered ? " answered" : " dropped"));
    r.handler = i.handler;
  };
  return t;
}

TEST(Trace, EveryBatchMessageAndInvokeIsReported) {
  myapp::router r(myapp::router_options{.run_inline = true});
  r.add("greet", [](std::string name) { return "Hello, " + name + "!"; }, {"name"});
  r.add("nap", [] { std::this_thread::sleep_for(std::chrono::milliseconds(20)); });
  r.add("fail", []() -> int { throw myapp::error("demo.failed", "no"); });
  recorded rec;
  r.set_trace(recorder(rec));
  auto p = std::make_shared<trace_session>();
  const std::string batch =
      R"J([{"k":"hello","v":1},{"k":"invoke","id":1,"cmd":"greet","args":{"name":"Ada"}},)J"
      R"J({"k":"emit","event":"saved","payload":[1,2]},{"k":"invoke","id":2,"cmd":"fail"}])J";
  r.receive(batch, p);
  ASSERT_EQ(rec.batches.size(), 1U);
  EXPECT_EQ(rec.batches[0], "main " + std::to_string(batch.size()));
  ASSERT_EQ(rec.messages.size(), 4U);
  EXPECT_EQ(rec.messages[0], "0 hello  id=0 bytes=0");
  EXPECT_EQ(rec.messages[1], "1 invoke greet id=1 bytes=14");
  EXPECT_EQ(rec.messages[2], "2 emit saved id=0 bytes=5");
  EXPECT_EQ(rec.messages[3], "3 invoke fail id=2 bytes=2");
  ASSERT_EQ(rec.invokes.size(), 2U);
  EXPECT_EQ(rec.invokes[0], "greet id=1 args=14 result=" +
                                std::to_string(std::string(R"({"k":"result","id":1,"ok":"Hello, Ada!"})").size()) +
                                " code= answered");
  EXPECT_NE(rec.invokes[1].find("fail id=2 args=2 result="), std::string::npos) << rec.invokes[1];
  EXPECT_NE(rec.invokes[1].find(" code=demo.failed answered"), std::string::npos) << rec.invokes[1];

  r.receive(R"J([{"k":"invoke","id":3,"cmd":"nap"}])J", p);
  ASSERT_EQ(rec.invokes.size(), 3U);
  EXPECT_GE(rec.handler, std::chrono::milliseconds(20)) << "the handler's time is measured";
}

TEST(Trace, NothingIsReportedWithoutCallbacks) {
  myapp::router r(myapp::router_options{.run_inline = true});
  r.add("greet", [](std::string name) { return "Hello, " + name + "!"; }, {"name"});
  recorded rec;
  auto t = recorder(rec);
  t.message = nullptr;  // only some callbacks: the others stay quiet
  t.batch = nullptr;
  r.set_trace(std::move(t));
  auto p = std::make_shared<trace_session>();
  r.receive(R"J([{"k":"hello","v":1},{"k":"invoke","id":1,"cmd":"greet","args":{"name":"x"}}])J", p);
  EXPECT_TRUE(rec.batches.empty());
  EXPECT_TRUE(rec.messages.empty());
  EXPECT_EQ(rec.invokes.size(), 1U);
}

TEST(Trace, DenialsGoToOnDeniedWithTheCommand) {
  myapp::router r(myapp::router_options{.run_inline = true});
  r.add("greet", [] { return 1; });
  r.add("delete_all", [] { return 2; });
  auto loaded = myapp::acl::policy::load(
      {{"capabilities/main.json",
        R"J({"identifier":"main","windows":["main"],"permissions":["allow-greet"]})J"}},
      {}, r.command_names());
  ASSERT_TRUE(loaded.ok());
  r.set_policy(std::make_shared<myapp::acl::policy>(std::move(*loaded.value)));
  auto p = std::make_shared<trace_session>();
  r.receive(R"J([{"k":"hello","v":1},{"k":"invoke","id":1,"cmd":"delete_all"},)J"
            R"J({"k":"listen","event":"x"},{"k":"invoke","id":2,"cmd":"greet"},)J"
            R"J({"k":"bogus"}])J",
            p);
  ASSERT_EQ(p->denied.size(), 2U);
  EXPECT_EQ(p->denied[0].rfind("delete_all | `delete_all` is not allowed for window `main`", 0), 0U)
      << p->denied[0];
  EXPECT_EQ(p->denied[1].rfind("core:event|listen | message [2]: `core:event|listen` is not allowed", 0), 0U)
      << p->denied[1];
  // Other refusals still go to on_rejected, and denials do not.
  ASSERT_EQ(p->rejected.size(), 1U);
  EXPECT_NE(p->rejected[0].find("unknown message kind `bogus`"), std::string::npos);
}

TEST(Trace, DenialsAndInvokesCarryTheDecidingCapability) {
  myapp::router r(myapp::router_options{.run_inline = true});
  r.add("greet", [] { return 1; });
  r.add("delete_all", [] { return 2; });
  auto loaded = myapp::acl::policy::load(
      {{"capabilities/main.json",
        R"J({"identifier":"main","windows":["main"],"permissions":["allow-greet","deny-delete_all"]})J"}},
      {}, r.command_names());
  ASSERT_TRUE(loaded.ok());
  r.set_policy(std::make_shared<myapp::acl::policy>(std::move(*loaded.value)));
  std::vector<std::string> seen;
  myapp::router_trace t;
  t.message = [&](const myapp::message_trace& m) {
    // The message itself comes with the trace: the inspector shows what the page sent.
    ASSERT_NE(m.message, nullptr);
    EXPECT_EQ(myapp::wire::kind_of(*m.message), m.kind);
  };
  t.invoke = [&](const myapp::invoke_trace& i) {
    ASSERT_NE(i.grants, nullptr);
    const auto d = i.grants->decide(i.command);
    seen.push_back(fmt::format("invoke {} allowed={} by {} ({}) through {}", i.command, d.allowed,
                               d.capability, d.file, d.permission));
  };
  t.denied = [&](const myapp::denial_trace& d) {
    ASSERT_NE(d.grants, nullptr);
    const auto dec = d.grants->decide(d.command);
    seen.push_back(fmt::format("denied {} id={} by {} ({}) through {}: {}", d.command, d.id,
                               dec.capability, dec.file, dec.permission, d.why.substr(0, 20)));
  };
  r.set_trace(std::move(t));
  auto p = std::make_shared<trace_session>();
  r.receive(R"J([{"k":"hello","v":1},{"k":"invoke","id":1,"cmd":"delete_all"},)J"
            R"J({"k":"listen","event":"x"},{"k":"invoke","id":2,"cmd":"greet"}])J",
            p);
  ASSERT_EQ(seen.size(), 3U);
  EXPECT_EQ(seen[0], "denied delete_all id=1 by main (capabilities/main.json) through "
                     "deny-delete_all: `delete_all` is deni");
  // Nothing granted listening: no capability decided it, and the trace names what would.
  EXPECT_EQ(seen[1], "denied core:event|listen id=0 by  () through core:event:allow-listen: "
                     "message [2]: `core:e");
  EXPECT_EQ(seen[2], "invoke greet allowed=true by main (capabilities/main.json) through allow-greet");
}

TEST(Trace, TurnedOffNothingIsReportedAndTurnedOnAgainItIs) {
  myapp::router r(myapp::router_options{.run_inline = true});
  r.add("greet", [](std::string name) { return "Hello, " + name + "!"; }, {"name"});
  recorded rec;
  r.set_trace(recorder(rec));
  auto p = std::make_shared<trace_session>();
  r.set_trace_active(false);
  r.receive(R"J([{"k":"hello","v":1},{"k":"invoke","id":1,"cmd":"greet","args":{"name":"x"}}])J", p);
  EXPECT_TRUE(rec.batches.empty());
  EXPECT_TRUE(rec.messages.empty());
  EXPECT_TRUE(rec.invokes.empty());
  r.set_trace_active(true);
  r.receive(R"J([{"k":"invoke","id":2,"cmd":"greet","args":{"name":"y"}}])J", p);
  EXPECT_EQ(rec.batches.size(), 1U);
  EXPECT_EQ(rec.messages.size(), 1U);
  ASSERT_EQ(rec.invokes.size(), 1U);
  EXPECT_EQ(rec.invokes[0].rfind("greet id=2", 0), 0U) << rec.invokes[0];
}

}  // namespace
