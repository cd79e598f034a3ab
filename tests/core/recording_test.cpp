// Recordings of the IPC (myapp/recording.hpp, docs/recording.md): what is written and what never
// is, reading them back with errors that name the line, and replaying a recorded session
// against a router — the same handlers answer the same, a changed one is reported.
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "myapp/recording.hpp"
#include "myapp/router.hpp"
#include "recording_session.hpp"

namespace {

using myapp::bytes;
using myapp::recorder;

// A page whose traffic is recorded as the runtime records it: batches before the router reads
// them, messages as the router sends them.
class recorded_page final : public myapp::session {
 public:
  recorded_page(recorder& rec, std::string label) : rec_(rec), sid_(rec.new_session()) {
    info_.label = std::move(label);
    info_.url = "myapp://localhost/index.html";
    info_.origin = "myapp://localhost";
    info_.local = true;
  }
  const myapp::caller_info& caller() const noexcept override { return info_; }
  void send(std::string message) override {
    rec_.outgoing(sid_, info_, message);
    inner_.send(std::move(message));
  }
  void send_binary(std::string message, std::vector<bytes> attachments) override {
    rec_.outgoing(sid_, info_, message, attachments);
    inner_.send_binary(std::move(message), std::move(attachments));
  }
  void post(myapp::router& r, std::string_view batch) {
    rec_.incoming(sid_, info_, batch);
    r.receive(batch, std::static_pointer_cast<myapp::session>(shared_from_this()));
  }
  std::vector<std::string> wait_for(std::size_t n) { return inner_.wait_for(n); }

 private:
  recorder& rec_;
  std::uint64_t sid_;
  myapp::caller_info info_;
  myapp::testing::recording_session inner_;
};

void register_commands(myapp::router& r, const std::string& greeting) {
  r.add("greet", [greeting](std::string name) { return greeting + ", " + name + "!"; }, {"name"});
  r.add("fail", []() -> int { throw myapp::error("notes.not_found", "no such note"); });
  r.add("blob", [](std::size_t n) { return bytes(std::vector<std::byte>(n, std::byte{7})); }, {"n"});
  r.add("count", [n = std::make_shared<int>(0)] { return ++*n; });
}

// Records one session of a page against a router with `greeting`.
std::string record_session() {
  std::string text;
  recorder rec([&](std::string_view line) { text += line; }, "notes", {.max_inline_bytes = 16});
  myapp::router r;
  register_commands(r, "Hello");
  auto page = std::make_shared<recorded_page>(rec, "main");
  page->post(r, R"([{"k":"hello","v":1},{"k":"invoke","id":1,"cmd":"greet","args":{"name":"Ada"}}])");
  page->wait_for(2);
  page->post(r, R"([{"k":"ready"},{"k":"invoke","id":2,"cmd":"fail"},{"k":"invoke","id":3,"cmd":"blob","args":{"n":4}}])");
  page->wait_for(2);
  page->post(r, R"([{"k":"invoke","id":4,"cmd":"count"}])");
  page->wait_for(1);
  page->post(r, R"([{"k":"invoke","id":5,"cmd":"count"}])");
  page->wait_for(1);
  r.close_session(page);
  return text;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto nl = text.find('\n', at);
    lines.push_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  return lines;
}

TEST(Recording, WritesAHeaderThenEveryBatchAndMessageAsALine) {
  const auto lines = lines_of(record_session());
  ASSERT_GE(lines.size(), 9U);
  EXPECT_TRUE(lines[0].starts_with(R"({"recording":"myapp","v":1,"app":"notes","started":")")) << lines[0];
  EXPECT_NE(lines[1].find(R"("session":1,"window":"main","url":"myapp://localhost/index.html","origin":"myapp://localhost","local":true,"dir":"in","batch":[{"k":"hello","v":1},)"),
            std::string::npos) << lines[1];
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  EXPECT_NE(all.find(R"("dir":"out","msg":{"k":"result","id":1,"ok":"Hello, Ada!"})"), std::string::npos) << all;
  EXPECT_NE(all.find(R"("code":"notes.not_found")"), std::string::npos) << all;
  // The 4 bytes of `blob` are under the 16-byte limit: inline.
  EXPECT_NE(all.find(R"("msg":{"k":"result","id":3,"ok":{"$bytes":0}},"bin":[{"b64":"BwcHBw=="}])"), std::string::npos) << all;
}

TEST(Recording, NeverWritesTheLaneOrTheBlobPrefixAndLargeBytesOnlyBySize) {
  std::string text;
  recorder rec([&](std::string_view line) { text += line; }, "notes", {.max_inline_bytes = 4});
  myapp::caller_info who{"main", "myapp://localhost/", "myapp://localhost", true};
  rec.outgoing(1, who, R"({"k":"welcome","v":1,"label":"main","blobs":"myapp://localhost/__myapp/blob/","lane":"ws://127.0.0.1:4000/SECRETSECRET","limits":{"batch":1}})");
  rec.outgoing(1, who, R"({"k":"result","id":1,"ok":{"$bytes":0}})",
               std::vector<bytes>{bytes(std::string(100, 'x'))});
  rec.incoming(1, who, R"([{"k":"invoke","id":2,"cmd":"save","args":{"data":{"$bytes":0}},"bin":[{"lane":0}]}])",
               std::vector<bytes>{bytes(std::string("ab"))});
  rec.incoming(1, who, "not json at all");
  EXPECT_EQ(text.find("SECRET"), std::string::npos) << text;
  EXPECT_EQ(text.find("__myapp/blob"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("msg":{"k":"welcome","v":1,"label":"main","limits":{"batch":1}})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("bin":[{"n":100}])"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("uploads":[{"b64":"YWI="}])"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("text":"not json at all")"), std::string::npos) << text;
}

TEST(Recording, LongStringsSentAsAttachmentsAreWrittenWhole) {
  std::string text;
  recorder rec([&](std::string_view line) { text += line; }, "notes", {.max_inline_bytes = 4});
  myapp::caller_info who{"main", "myapp://localhost/", "myapp://localhost", true};
  // Out: the string's attachment whole, the bytes' by size.
  rec.outgoing(1, who, R"({"k":"result","id":1,"ok":[{"$bytes":0},{"$str":1}]})",
               std::vector<bytes>{bytes(std::string(100, 'x')), bytes(std::string("Zoë Zoë"))});
  EXPECT_NE(text.find(R"("bin":[{"n":100},{"b64":"Wm/DqyBab8Or"}])"), std::string::npos) << text;
  // In: the lane's uploads of a batch with string references, when they are UTF-8.
  text.clear();
  rec.incoming(1, who, R"([{"k":"invoke","id":2,"cmd":"save","args":{"t":{"$str":0},"d":{"$bytes":1}},"bin":[{"lane":0},{"lane":1}]}])",
               std::vector<bytes>{bytes(std::string("Zoë Zoë")), bytes(std::string("\xff\xfe\xfd\xfc\xfb"))});
  EXPECT_NE(text.find(R"("uploads":[{"b64":"Wm/DqyBab8Or"},{"n":5}])"), std::string::npos) << text;
  // And what was written reads back.
  auto back = myapp::read_recording(std::string(R"({"recording":"myapp","v":1})") + "\n" + text);
  ASSERT_TRUE(back.has_value()) << back.error_value().message();
}

TEST(Recording, ReadsBackWhatItWrote) {
  auto rec = myapp::read_recording(record_session());
  ASSERT_TRUE(rec.has_value()) << rec.error_value().message();
  EXPECT_EQ(rec.value().app, "notes");
  const auto& first = rec.value().records.front();
  EXPECT_TRUE(first.from_page);
  EXPECT_EQ(first.window, "main");
  EXPECT_EQ(first.session, 1U);
  EXPECT_TRUE(first.local);
  EXPECT_TRUE(first.json.starts_with(R"([{"k":"hello")"));
}

TEST(Recording, ErrorsNameTheLineAndWhatIsWrong) {
  auto no_header = myapp::read_recording(R"({"t":1,"session":1,"dir":"in","batch":[]})");
  ASSERT_FALSE(no_header.has_value());
  EXPECT_EQ(no_header.error_value().message(), R"(line 1: not a myapp recording: its first line has no "recording": "myapp")");
  auto future = myapp::read_recording(R"({"recording":"myapp","v":9})");
  ASSERT_FALSE(future.has_value());
  EXPECT_EQ(future.error_value().message(), "line 1: a recording of version 9; this myapp reads version 1");
  auto bad_dir = myapp::read_recording("{\"recording\":\"myapp\",\"v\":1}\n\n{\"t\":1,\"session\":1,\"dir\":\"up\",\"batch\":[]}\n");
  ASSERT_FALSE(bad_dir.has_value());
  EXPECT_EQ(bad_dir.error_value().message(), R"(line 3: `dir` must be "in" or "out")");
  auto bad_json = myapp::read_recording("{\"recording\":\"myapp\",\"v\":1}\n{\"t\":\"soon\"}\n");
  ASSERT_FALSE(bad_json.has_value());
  EXPECT_NE(bad_json.error_value().message().find("line 2: at `t`: expected"), std::string::npos)
      << bad_json.error_value().message();
  EXPECT_FALSE(myapp::read_recording("").has_value());
}

TEST(Replay, TheSameHandlersGiveTheSameAnswers) {
  auto rec = myapp::read_recording(record_session()).value();
  myapp::router r;
  register_commands(r, "Hello");
  const auto report = myapp::testing::replay(r, rec);
  EXPECT_TRUE(report.ok()) << report.summary();
  EXPECT_EQ(report.calls, 5U);
  EXPECT_EQ(report.skipped, 0U);
}

TEST(Replay, AChangedHandlerIsReportedWithBothAnswers) {
  auto rec = myapp::read_recording(record_session()).value();
  myapp::router r;
  register_commands(r, "Howdy");
  const auto report = myapp::testing::replay(r, rec);
  ASSERT_EQ(report.differences.size(), 1U) << report.summary();
  const auto& d = report.differences[0];
  EXPECT_EQ(d.window, "main");
  EXPECT_EQ(d.id, 1U);
  EXPECT_EQ(d.command, "greet");
  EXPECT_NE(d.recorded.find("Hello, Ada!"), std::string::npos);
  EXPECT_NE(d.now.find("Howdy, Ada!"), std::string::npos);
  EXPECT_NE(report.summary().find("call 1 `greet`"), std::string::npos) << report.summary();
}

TEST(Replay, AMissingCommandIsADifferenceNotAHang) {
  auto rec = myapp::read_recording(record_session()).value();
  myapp::router r;
  r.add("greet", [](std::string name) { return "Hello, " + name + "!"; }, {"name"});
  const auto report = myapp::testing::replay(r, rec, {.timeout = std::chrono::seconds(5)});
  EXPECT_EQ(report.calls, 5U);
  EXPECT_EQ(report.differences.size(), 4U) << report.summary();
  EXPECT_NE(report.summary().find("command.not_found"), std::string::npos) << report.summary();
}

}  // namespace
