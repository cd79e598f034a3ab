// What a handler learns of its call: raw request bodies (`invoke(cmd, bytes, {headers})`), the
// headers read once and compared without regard to case, and the rules that keep JSON commands
// and raw-body commands apart. Also: a C++ listener that throws on a page's payload does not end
// the app.
#include <gtest/gtest.h>

#include <string>

#include "myapp/router.hpp"
#include "recording_session.hpp"

namespace {

class Requests : public ::testing::Test {
 protected:
  Requests() : router_(myapp::router_options{.run_inline = true}) {
    router_.add("upload", [](const myapp::request& req) -> myapp::result<std::string, std::string> {
      auto auth = req.header("authorization");
      if (!auth) return myapp::err("missing Authorization header");
      if (!req.has_body()) return myapp::err("unexpected request body");
      return myapp::ok(std::string(*auth) + ":" + std::to_string(req.body().size()) + ":" +
                       std::string(req.body().view()));
    }, {}, {.raw_body = true});
    router_.add("either", [](const myapp::request& req) {
      return req.has_body() ? "raw" : "json";
    });
    router_.add("greet", [](std::string name) { return name; }, {"name"});
    router_.add("headers", [](const myapp::request& req) {
      std::string out;
      for (const auto& [name, value] : req.headers()) out += name + "=" + value + ";";
      return out + std::string(req.header("X-TRACE").value_or("-"));
    });
  }

  std::string call(std::string_view message) {
    router_.receive("[" + std::string(message) + "]", session_);
    auto m = session_->take();
    return m.size() == 1 ? m.front() : "(" + std::to_string(m.size()) + " messages)";
  }

  myapp::router router_;
  std::shared_ptr<myapp::testing::recording_session> session_ =
      std::make_shared<myapp::testing::recording_session>();
};

TEST_F(Requests, ARawBodyAndHeadersReachTheHandler) {
  // "abc" as base64
  EXPECT_EQ(call(R"({"k":"invoke","id":1,"cmd":"upload","body":0,"headers":{"Authorization":"apikey"},"bin":[{"b64":"YWJj"}]})"),
            R"({"k":"result","id":1,"ok":"apikey:3:abc"})");
  EXPECT_EQ(call(R"({"k":"invoke","id":2,"cmd":"upload","body":0,"bin":[{"b64":"YWJj"}]})"),
            R"({"k":"error","id":2,"value":"missing Authorization header"})");
}

TEST_F(Requests, HeadersAreReadOnceAndComparedWithoutCase) {
  EXPECT_EQ(call(R"({"k":"invoke","id":1,"cmd":"headers","args":{},"headers":{"x-Trace":"t1","Lang":"en"}})"),
            R"({"k":"result","id":1,"ok":"x-Trace=t1;Lang=en;t1"})");
  const auto bad = call(R"({"k":"invoke","id":2,"cmd":"headers","args":{},"headers":{"n":1}})");
  EXPECT_NE(bad.find(R"("code":"args.invalid")"), std::string::npos) << bad;
  EXPECT_NE(bad.find("headers.n"), std::string::npos) << bad;
}

TEST_F(Requests, JsonCommandsRefuseRawBodiesAndTheReverse) {
  const auto raw_to_json = call(R"({"k":"invoke","id":1,"cmd":"greet","body":0,"bin":[{"b64":"YWJj"}]})");
  EXPECT_EQ(raw_to_json,
            R"J({"k":"error","id":1,"error":{"code":"args.invalid","message":"invalid arguments for command `greet`: expected JSON arguments (an object), got a raw body","data":{"key":"","expected":"JSON arguments (an object)","got":"a raw body"}}})J");
  const auto json_to_raw = call(R"({"k":"invoke","id":2,"cmd":"upload","args":{"file":"x"}})");
  EXPECT_NE(json_to_raw.find("expected a raw body: invoke(cmd, bytes, { headers }), got JSON arguments"),
            std::string::npos)
      << json_to_raw;
  // A request-only command without the option takes either.
  EXPECT_EQ(call(R"({"k":"invoke","id":3,"cmd":"either","body":0,"bin":[{"b64":"YQ=="}]})"),
            R"({"k":"result","id":3,"ok":"raw"})");
  EXPECT_EQ(call(R"({"k":"invoke","id":4,"cmd":"either","args":{}})"),
            R"({"k":"result","id":4,"ok":"json"})");
}

TEST_F(Requests, MalformedBodiesAreRefusedWithTheirPlace) {
  EXPECT_NE(call(R"({"k":"invoke","id":1,"cmd":"upload","body":3,"bin":[{"b64":"YQ=="}]})")
                .find("`body` names attachment 3 but the invoke has 1"),
            std::string::npos);
  EXPECT_EQ(call(R"({"k":"invoke","id":2,"cmd":"upload","body":0,"args":{},"bin":[{"b64":"YQ=="}]})"),
            R"({"k":"error","id":2,"error":{"code":"protocol.invalid","message":"message [0]: invoke 2 has both `args` and `body`"}})");
  EXPECT_NE(call(R"({"k":"invoke","id":3,"cmd":"upload","body":"x"})").find("protocol.invalid"),
            std::string::npos);
}

TEST(RequestSetup, ARawBodyCommandMustTakeTheRequestAndNoArguments) {
  myapp::router r;
  EXPECT_THROW(r.add("up", [](std::string name) { return name; }, {"name"}, {.raw_body = true}),
               myapp::setup_error);
  EXPECT_THROW(r.add("up2", [] { return 1; }, {}, {.raw_body = true}), myapp::setup_error);
}

TEST(Listeners, AListenerThrowingOnAPagesPayloadIsReportedAndTheOthersStillRun) {
  myapp::router r(myapp::router_options{.run_inline = true});
  int heard = 0;
  r.listen("file-selected", [](const myapp::event& e) {
    auto path = e.payload<std::string>().value();  // throws on a number
    (void)path;
  });
  r.listen("file-selected", [&](const myapp::event&) { ++heard; });
  std::vector<std::string> faults;
  r.set_fault_handler([&](const myapp::app_fault& f) {
    faults.push_back(std::string(f.what) + "|" + std::string(f.name) + "|" +
                     std::string(f.source) + "|" + std::string(f.message));
  });
  auto s = std::make_shared<myapp::testing::recording_session>();
  r.receive(R"([{"k":"hello","v":1},{"k":"emit","event":"file-selected","payload":42},)"
            R"({"k":"emit","event":"file-selected","payload":"/tmp/a"}])",
            s);
  EXPECT_EQ(heard, 2);
  ASSERT_EQ(faults.size(), 1U);
  EXPECT_EQ(faults[0], "listener|file-selected|main|expected string, got number 42");
  // The C++ emitter is not hit either.
  EXPECT_NO_THROW(r.emit_event("file-selected", 7));
  EXPECT_EQ(faults.size(), 2U);
}

}  // namespace

