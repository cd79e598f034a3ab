// Error values: result<T, E> (with E any value the codec writes, or void T), reject, ok/err,
// value() throwing the error itself, and how each reaches the page — an error value as
// `{"k":"error","value":...}`, myapp::error and framework failures as IpcError objects.
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "myapp/bytes.hpp"
#include "myapp/describe.hpp"
#include "myapp/router.hpp"
#include "recording_session.hpp"

namespace app {
struct failure {
  std::string kind;
  std::string message;
};
MYAPP_STRUCT(failure, kind, message)
}  // namespace app

namespace {

using myapp::result;

result<std::string> login(bool ok) {
  if (!ok) return myapp::error("auth.denied", "no");
  return "logged_in";  // a string literal makes the value
}

TEST(Result, ConvertsValuesAndErrorsAsTheyRead) {
  EXPECT_EQ(login(true).value(), "logged_in");
  EXPECT_EQ(login(false).error_value().code(), "auth.denied");

  result<int, std::string> a = 3;
  result<int, std::string> b = std::string("bad");
  EXPECT_TRUE(a.has_value());
  EXPECT_FALSE(b.has_value());
  EXPECT_EQ(b.error_value(), "bad");

  // T and E alike: say which.
  result<std::string, std::string> c = myapp::ok("fine");
  result<std::string, std::string> d = myapp::err("broken");
  EXPECT_EQ(c.value(), "fine");
  EXPECT_EQ(d.error_value(), "broken");

  result<void, app::failure> e;
  result<void, app::failure> f = app::failure{"io", "disk full"};
  EXPECT_TRUE(e.has_value());
  EXPECT_EQ(f.error_value().kind, "io");
  EXPECT_EQ(result<double>(3).value(), 3.0);
}

TEST(Result, ValueOnAnErrorThrowsTheErrorItself) {
  try {
    (void)login(false).value();
    FAIL() << "no throw";
  } catch (const myapp::error& e) {
    EXPECT_EQ(e.code(), "auth.denied");
  }
  try {
    result<void, app::failure> f = app::failure{"io", "disk full"};
    f.value();
    FAIL() << "no throw";
  } catch (const myapp::reject& r) {
    EXPECT_EQ(r.value_json(), R"({"kind":"io","message":"disk full"})");
  }
}

class ErrorValues : public ::testing::Test {
 protected:
  ErrorValues() : router_(myapp::router_options{.run_inline = true}) {
    router_.add("login", [](std::string user) -> result<std::string, std::string> {
      if (user != "ada") return myapp::err("invalid credentials");
      return myapp::ok("logged_in");
    }, {"user"});
    router_.add("read", []() -> result<std::string, app::failure> {
      return app::failure{"io", "disk full"};
    });
    router_.add("remove", []() -> result<void, std::string> { return std::string("locked"); });
    router_.add("removed", []() -> result<void, std::string> { return {}; });
    router_.add("thrown", []() -> int { throw myapp::reject(app::failure{"utf8", "bad"}); });
    router_.add("thrown_text", []() -> int { throw myapp::reject("plain text"); });
    router_.add("coded", []() -> int { throw myapp::error("notes.gone", "no note"); });
    router_.add("map", [](std::string path) {
      return myapp::bytes::map_file(path).value().size();  // the file's own error if missing
    }, {"path"});
    router_.add("unsendable", []() -> int { throw myapp::reject(std::string("\xff")); });
  }

  std::string invoke(std::string_view cmd, std::string_view args = "{}") {
    router_.receive(std::string(R"([{"k":"invoke","id":1,"cmd":")") + std::string(cmd) +
                        R"(","args":)" + std::string(args) + "}]",
                    session_);
    auto m = session_->take();
    return m.size() == 1 ? m.front() : "(" + std::to_string(m.size()) + " messages)";
  }

  myapp::router router_;
  std::shared_ptr<myapp::testing::recording_session> session_ =
      std::make_shared<myapp::testing::recording_session>();
};

TEST_F(ErrorValues, AStringErrorRejectsWithTheString) {
  EXPECT_EQ(invoke("login", R"({"user":"bob"})"), R"({"k":"error","id":1,"value":"invalid credentials"})");
  EXPECT_EQ(invoke("login", R"({"user":"ada"})"), R"({"k":"result","id":1,"ok":"logged_in"})");
}

TEST_F(ErrorValues, AStructErrorRejectsWithThePlainObject) {
  EXPECT_EQ(invoke("read"), R"({"k":"error","id":1,"value":{"kind":"io","message":"disk full"}})");
}

TEST_F(ErrorValues, VoidResults) {
  EXPECT_EQ(invoke("remove"), R"({"k":"error","id":1,"value":"locked"})");
  EXPECT_EQ(invoke("removed"), R"({"k":"result","id":1,"ok":null})");
}

TEST_F(ErrorValues, ThrownRejectsAreErrorValuesToo) {
  EXPECT_EQ(invoke("thrown"), R"({"k":"error","id":1,"value":{"kind":"utf8","message":"bad"}})");
  EXPECT_EQ(invoke("thrown_text"), R"({"k":"error","id":1,"value":"plain text"})");
}

TEST_F(ErrorValues, CodedErrorsAndFrameworkFailuresStayIpcErrors) {
  EXPECT_EQ(invoke("coded"),
            R"({"k":"error","id":1,"error":{"code":"notes.gone","message":"no note"}})");
  EXPECT_NE(invoke("nope").find(R"("code":"command.not_found")"), std::string::npos);
}

TEST_F(ErrorValues, ValueOfAMissingFileRejectsWithTheFileError) {
  const auto m = invoke("map", R"({"path":"/nonexistent/file"})");
  EXPECT_NE(m.find(R"("code":"io.failed")"), std::string::npos) << m;
  EXPECT_NE(m.find("/nonexistent/file"), std::string::npos) << m;
  EXPECT_EQ(m.find("variant"), std::string::npos) << m;
}

TEST_F(ErrorValues, AnErrorValueThatCannotBeSentIsResultInvalid) {
  const auto m = invoke("unsendable");
  EXPECT_NE(m.find(R"("code":"result.invalid")"), std::string::npos) << m;
}

TEST_F(ErrorValues, DescribeNamesTheErrorValueType) {
  auto doc = myapp::api::parse_document(router_.describe());
  ASSERT_TRUE(doc) << doc.error_value().message();
  for (const auto& c : doc.value().commands) {
    if (c.name == "read") {
      ASSERT_TRUE(c.rejects.has_value());
      EXPECT_EQ(c.rejects->kind, "struct");
    } else if (c.name == "login") {
      ASSERT_TRUE(c.rejects.has_value());
      EXPECT_EQ(c.rejects->kind, "string");
    } else if (c.name == "coded") {
      EXPECT_FALSE(c.rejects.has_value());
    }
  }
}

}  // namespace
