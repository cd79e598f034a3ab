// MYAPP_RECORD in a real app (docs/recording.md): a page's calls (plain, failing, with bytes over
// the bulk lane, with a channel) and their answers are recorded as JSON lines without the lane's
// secret, and the recording replays against a router with the same commands — and reports a
// handler that changed.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <QWebEnginePage>

#include "harness.hpp"
#include "myapp/app.hpp"
#include "myapp/recording.hpp"

namespace {

using myapp::testing::settle;
using myapp::testing::wait_until;

myapp::app* the_app = nullptr;
std::filesystem::path recording_file;

myapp::window& main_window() { return *the_app->find_window("main"); }

std::string run(const std::string& expression) { return settle(main_window(), expression, 30000); }

// The app's commands, registered on the app's router and on the replay's.
void add_commands(myapp::router& r, const std::string& greeting) {
  r.add("greet", [greeting](std::string name) { return greeting + ", " + name + "!"; }, {"name"});
  r.add("fail", []() -> int { throw myapp::error("notes.not_found", "no note 7"); });
  r.add("checksum", [](myapp::bytes data) {
    long sum = 0;
    for (auto b : data.span()) sum += static_cast<long>(b);
    return sum;
  }, {"data"});
  r.add("late", [] {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    return std::string("answered after the reload");
  });
  r.add("count_to", [](myapp::channel<int> out, int n) {
    for (int i = 1; i <= n; ++i) out.send(i);
    return n;
  }, {"out", "n"});
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class Recording : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(wait_until([] { return main_window().ready(); })); }
};

// The calls the later tests read back; gtest runs tests in the order they are written.
TEST_F(Recording, ThePageMakesCalls) {
  EXPECT_EQ(run("__MYAPP__.invoke('greet', {name: 'Ada'})"), R"J({"ok":"Hello, Ada!"})J");
  EXPECT_EQ(run("__MYAPP__.invoke('fail').catch(e => e.code)"), R"J({"ok":"notes.not_found"})J");
  // 100 KB: over the bulk lane, as an upload before its batch.
  EXPECT_EQ(run("__MYAPP__.invoke('checksum', {data: new Uint8Array(100000).fill(1)})"),
            R"J({"ok":100000})J");
  EXPECT_EQ(run("(async () => { const got = []; const ch = new __MYAPP__.Channel(v => got.push(v));"
                " const n = await __MYAPP__.invoke('count_to', {out: ch, n: 3}); await ch.closed;"
                " return [n, got]; })()"),
            R"J({"ok":[3,[1,2,3]]})J");
}

TEST_F(Recording, EveryBatchAndMessageIsALineAndTheLaneIsNot) {
  const std::string text = read_file(recording_file);
  ASSERT_FALSE(text.empty()) << recording_file;
  EXPECT_TRUE(text.starts_with(R"({"recording":"myapp","v":1,"app":")")) << text.substr(0, 200);
  EXPECT_NE(text.find(R"("cmd":"greet","args":{"name":"Ada"})"), std::string::npos);
  EXPECT_NE(text.find(R"("msg":{"k":"result","id":)"), std::string::npos);
  EXPECT_NE(text.find(R"("code":"notes.not_found")"), std::string::npos);
  // The upload went over the lane: recorded with its batch, by size (past 64 KiB).
  EXPECT_NE(text.find(R"("uploads":[{"n":100000}])"), std::string::npos);
  // The channel's frames.
  EXPECT_NE(text.find(R"({"k":"chan","ch":)"), std::string::npos);
  // The welcome went out without the lane's address and secret.
  EXPECT_NE(text.find(R"("msg":{"k":"welcome")"), std::string::npos);
  EXPECT_EQ(text.find("ws://"), std::string::npos);
  EXPECT_EQ(text.find(R"("lane":")"), std::string::npos);
}

TEST_F(Recording, ReplaysAgainstTheSameCommandsAndReportsAChangedOne) {
  auto rec = myapp::read_recording(read_file(recording_file));
  ASSERT_TRUE(rec.has_value()) << rec.error_value().message();
  {
    myapp::router r;
    add_commands(r, "Hello");
    const auto report = myapp::testing::replay(r, rec.value());
    EXPECT_TRUE(report.ok()) << report.summary();
    EXPECT_EQ(report.skipped, 1U) << "the 100 KB upload was recorded by size only";
    EXPECT_GE(report.calls, 3U);
  }
  {
    myapp::router r;
    add_commands(r, "Hi");
    const auto report = myapp::testing::replay(r, rec.value());
    ASSERT_EQ(report.differences.size(), 1U) << report.summary();
    EXPECT_EQ(report.differences[0].command, "greet");
    EXPECT_NE(report.differences[0].now.find("Hi, Ada!"), std::string::npos);
  }
}

TEST_F(Recording, AnAnswerForAPageThatIsGoneIsNotRecorded) {
  // `late` answers after the page has reloaded: the answer is dropped, and the recording (what
  // the pages sent and received) has no line for it. (The router drops answers for a closed
  // session; the page's session also drops what reaches it between the page going and the
  // router closing the session, before the recorder sees it.)
  EXPECT_EQ(run("(__MYAPP__.invoke('late'), 'sent')"), R"J({"ok":"sent"})J");
  ASSERT_TRUE(wait_until([] { return the_app->get_router().in_flight() == 1; }));
  run("(window.__old_document = true, 0)");
  main_window().page()->triggerAction(QWebEnginePage::Reload);
  ASSERT_TRUE(wait_until([] {
    return settle(main_window(), "window.__old_document === undefined") == R"J({"ok":true})J" &&
           main_window().ready();
  }));
  ASSERT_TRUE(wait_until([] { return the_app->get_router().in_flight() == 0; }, 5000));
  EXPECT_EQ(run("__MYAPP__.invoke('greet', {name: 'after'})"), R"J({"ok":"Hello, after!"})J");
  const std::string text = read_file(recording_file);
  EXPECT_NE(text.find("Hello, after!"), std::string::npos);
  EXPECT_NE(text.find(R"("cmd":"late")"), std::string::npos);
  EXPECT_EQ(text.find("answered after the reload"), std::string::npos);
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (std::getenv("QT_QPA_PLATFORM") == nullptr) setenv("QT_QPA_PLATFORM", "offscreen", 1);
  char dir_template[] = "/tmp/myapp-recording-XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (dir == nullptr) return 2;
  recording_file = std::filesystem::path(dir) / "ipc.jsonl";
  setenv("MYAPP_RECORD", recording_file.c_str(), 1);
  int status = 0;
  {
    myapp::app app(argc, argv, {.name = "myapp-recording-test", .router = {.workers = 2}});
    add_commands(app.get_router(), "Hello");
    app.capability(R"J({"identifier":"main","windows":["main"],"permissions":["core:default",
      "allow-greet","allow-fail","allow-checksum","allow-count_to","allow-late"]})J");
    app.window({.label = "main", .url = "index.html"});
    app.start();
    the_app = &app;
    status = RUN_ALL_TESTS();
  }
  std::filesystem::remove_all(dir);
  return status;
}
