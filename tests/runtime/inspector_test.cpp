// The IPC inspector in a real app (docs/inspector.md): its window opens at start
// (MYAPP_INSPECT=1), two app windows make calls — allowed, denied by a capability, granted by
// none, failing, slow, a channel, an event —, and the inspector's own page shows each as a row
// with the right window, timings and deciding capability; its filters narrow the table, and
// its export is a recording that replays. App pages cannot reach the inspector. With
// MYAPP_DOC_SCREENSHOTS=<dir>, the test also writes the screenshots docs/inspector.md shows.
#include <gtest/gtest.h>

#include <QImage>
#include <QPixmap>
#include <QWebEnginePage>
#include <QWebEngineView>

#include <signal.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness.hpp"
#include "inspector.hpp"
#include "myapp/app.hpp"
#include "myapp/json_struct.hpp"
#include "myapp/recording.hpp"
#include "windows.hpp"

namespace {

using myapp::testing::eval;
using myapp::testing::settle;
using myapp::testing::wait_until;

myapp::app* the_app = nullptr;
std::filesystem::path state_dir;

myapp::window& window(const char* label) { return *the_app->find_window(label); }

myapp::runtime::app_window& inspector() {
  auto* w = myapp::runtime::current_inspector_window();
  EXPECT_NE(w, nullptr);
  EXPECT_NE(w->window(), nullptr) << "the inspector's window is open";
  return *w->window();
}

std::string run(const char* label, const std::string& expression) {
  return settle(window(label), expression, 30000);
}

// One row of the inspector's table, as its cells show it.
struct dom_row {
  int seq = 0;
  std::string window, dir, kind, name, size, queued, handler, status, acl, cls;
};
MYAPP_STRUCT(dom_row, seq, window, dir, kind, name, size, queued, handler, status, acl, cls)

std::vector<dom_row> rows() {
  const std::string text = eval(inspector(), R"JS(
    [...document.querySelectorAll('#rows tr.row')].map(tr => {
      const c = (k) => (tr.querySelector('.' + k) || {textContent: ''}).textContent.trim();
      return {seq: Number(tr.dataset.seq), window: c('c-window'), dir: c('c-dir'), kind: c('c-kind'),
              name: c('c-name'), size: c('c-size'), queued: c('c-queued'), handler: c('c-handler'),
              status: c('c-status'), acl: c('c-acl'), cls: tr.className};
    }))JS");
  auto parsed = myapp::json::parse<std::vector<dom_row>>(text);
  EXPECT_TRUE(parsed.has_value()) << text.substr(0, 300);
  return parsed.has_value() ? parsed.value() : std::vector<dom_row>{};
}

// The first row shown for `window`, `kind` and `name`, once the page shows one (or an empty
// row after 20 s).
dom_row find_row(const std::string& win, const std::string& kind, const std::string& name,
                 const std::string& status = {}) {
  dom_row found;
  wait_until([&] {
    for (auto& r : rows()) {
      if (r.window == win && r.kind == kind && r.name == name &&
          (status.empty() || r.cls.find("status-" + status) != std::string::npos)) {
        found = r;
        return true;
      }
    }
    return false;
  });
  return found;
}

// Clicks row `seq` and returns the detail pane's text once it contains `until` (or what it
// holds after 20 s).
std::string open_detail(int seq, const std::string& until) {
  eval(inspector(), "document.querySelector('#rows tr.row[data-seq=\"" + std::to_string(seq) +
                        "\"] .c-name').click()");
  std::string detail;
  wait_until([&] {
    detail = eval(inspector(), "document.getElementById('detail').textContent");
    return detail.find(until) != std::string::npos;
  });
  return detail;
}

// "12.34 ms" → 12.34; -1 when the cell is empty.
double ms(const std::string& cell) {
  if (cell.empty()) return -1;
  const double v = std::strtod(cell.c_str(), nullptr);
  return cell.ends_with(" s") ? v * 1000 : v;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Clicks Export; returns the path of the file it saved (empty, with a failure recorded, when it
// did not say it saved one).
std::string export_rows() {
  eval(inspector(), "(document.getElementById('s-saved').textContent = '', "
                    "document.getElementById('b-export').click(), 0)");
  std::string saved;
  const bool said = wait_until([&] {
    saved = eval(inspector(), "document.getElementById('s-saved').textContent");
    return saved.find("Saved ") != std::string::npos || saved.find("failed") != std::string::npos;
  });
  const auto at = saved.find(" to /");
  EXPECT_TRUE(said && at != std::string::npos) << saved;
  if (!said || at == std::string::npos) return {};
  std::string path = saved.substr(at + 4);
  return path.substr(0, path.find_first_of(";\""));
}

struct shouted {
  std::string text;
  myapp::bytes raw;
};
MYAPP_STRUCT(shouted, text, raw)

void add_commands(myapp::router& r) {
  r.add("greet", [](std::string name) { return "Hello, " + name + "!"; }, {"name"});
  r.add("secret", [] { return 42; });
  r.add("admin", [] { return 1; });
  r.add("fail", []() -> int { throw myapp::error("notes.not_found", "no note 7"); });
  r.add("slow", [] {
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
    return "done";
  });
  // A long string each way (sent beside the JSON) and bytes back.
  r.add("shout", [](std::string text) {
    std::string upper = text;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return shouted{upper, myapp::bytes::copy_of(std::as_bytes(std::span(text.data(), 3)))};
  }, {"text"});
  r.add("count_to", [](myapp::channel<int> out, int n) {
    for (int i = 1; i <= n; ++i) out.send(i);
    return n;
  }, {"out", "n"});
}

class Inspector : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(wait_until([] { return window("main").ready() && window("second").ready(); }));
    ASSERT_TRUE(wait_until([] { return inspector().ready(); })) << "the inspector's page said hello";
    ASSERT_TRUE(wait_until([] {
      return eval(inspector(), "document.getElementById('app-name').textContent") ==
             R"("myapp-inspector-test")";
    })) << "the inspector's page is watching";
  }
};

// gtest runs the tests in the order they are written: the later ones read these calls' rows.
TEST_F(Inspector, TheAppMakesCalls) {
  EXPECT_EQ(run("main", "__MYAPP__.invoke('greet', {name: 'Ada'})"), R"J({"ok":"Hello, Ada!"})J");
  EXPECT_EQ(run("main", "__MYAPP__.invoke('secret').catch(e => e.code)"), R"J({"ok":"acl.denied"})J");
  EXPECT_EQ(run("main", "__MYAPP__.invoke('admin').catch(e => e.code)"), R"J({"ok":"acl.denied"})J");
  EXPECT_EQ(run("main", "__MYAPP__.invoke('fail').catch(e => e.code)"), R"J({"ok":"notes.not_found"})J");
  EXPECT_EQ(run("main", "__MYAPP__.invoke('nope').catch(e => e.code)"),
            R"J({"ok":"command.not_found"})J");
  EXPECT_EQ(run("main", "__MYAPP__.invoke('slow')"), R"J({"ok":"done"})J");
  EXPECT_EQ(run("main", "(async () => { const got = []; const ch = new __MYAPP__.Channel(v => got.push(v));"
                        " const n = await __MYAPP__.invoke('count_to', {out: ch, n: 3}); await ch.closed;"
                        " return [n, got]; })()"),
            R"J({"ok":[3,[1,2,3]]})J");
  EXPECT_EQ(run("second", "__MYAPP__.listen('saved', () => {}).then(() => 'listening')"),
            R"J({"ok":"listening"})J");
  EXPECT_EQ(run("main", "__MYAPP__.emit('saved', {id: 7}).then(() => 'sent')"), R"J({"ok":"sent"})J");
  EXPECT_EQ(run("second", "__MYAPP__.invoke('greet', {name: 'Bo'})"), R"J({"ok":"Hello, Bo!"})J");
}

TEST_F(Inspector, AnAllowedCallShowsItsWindowTimingsAndTheCapabilityThatGrantedIt) {
  const auto call = find_row("main", "invoke", "greet", "ok");
  ASSERT_NE(call.seq, 0) << "no row for main's greet";
  EXPECT_EQ(call.dir, "→");
  EXPECT_EQ(call.acl, "main");
  EXPECT_GE(ms(call.queued), 0) << call.queued;
  EXPECT_GE(ms(call.handler), 0) << call.handler;
  const auto answer = find_row("main", "result", "greet");
  ASSERT_NE(answer.seq, 0);
  EXPECT_EQ(answer.dir, "←");
  EXPECT_GT(answer.seq, call.seq);
  // The other window's call, granted by its own capability.
  const auto other = find_row("second", "invoke", "greet", "ok");
  ASSERT_NE(other.seq, 0) << "no row for second's greet";
  EXPECT_EQ(other.acl, "viewer");
  // A slow handler's time is its own.
  const auto slow = find_row("main", "invoke", "slow", "ok");
  ASSERT_NE(slow.seq, 0);
  EXPECT_GE(ms(slow.handler), 40) << slow.handler;
  EXPECT_LT(ms(slow.queued), 40) << slow.queued;
  // The detail pane says it in words.
  const std::string detail = open_detail(call.seq, "allowed by capability");
  EXPECT_NE(detail.find("allowed by capability `main` (capabilities/main.json) through `allow-greet`"),
            std::string::npos)
      << detail;
  EXPECT_NE(detail.find("Ada"), std::string::npos) << "the payload is shown: " << detail;
}

TEST_F(Inspector, RefusedCallsNameWhatDecided) {
  const auto denied = find_row("main", "invoke", "secret", "denied");
  ASSERT_NE(denied.seq, 0) << "no row for the denied call";
  EXPECT_EQ(denied.acl, "main");
  std::string detail = open_detail(denied.seq, "denied by capability");
  EXPECT_NE(detail.find("denied by capability `main` (capabilities/main.json) through `deny-secret`"),
            std::string::npos)
      << detail;
  // Granted by no capability: the row says so, and which permission would grant it.
  const auto ungranted = find_row("main", "invoke", "admin", "denied");
  ASSERT_NE(ungranted.seq, 0);
  EXPECT_EQ(ungranted.acl, "none");
  detail = open_detail(ungranted.seq, "no capability grants it");
  EXPECT_NE(detail.find("`allow-admin` would"), std::string::npos) << detail;
  // A failing call: an error row with its code.
  const auto failed = find_row("main", "error", "fail", "error");
  ASSERT_NE(failed.seq, 0);
  EXPECT_NE(failed.status.find("notes.not_found"), std::string::npos) << failed.status;
  EXPECT_EQ(find_row("main", "invoke", "fail", "error").acl, "main");
  // A command that does not exist: its call and its error are both rows, settled.
  const auto unknown = find_row("main", "error", "nope", "error");
  ASSERT_NE(unknown.seq, 0);
  EXPECT_NE(unknown.status.find("command.not_found"), std::string::npos) << unknown.status;
  EXPECT_NE(find_row("main", "invoke", "nope", "error").seq, 0);
}

TEST_F(Inspector, ChannelsAndEventsHaveTheirRows) {
  ASSERT_TRUE(wait_until([] {
    auto rs = rows();
    return std::any_of(rs.begin(), rs.end(), [](const dom_row& r) { return r.kind == "chan_end"; });
  })) << "the channel's end is shown";
  std::size_t frames = 0, ends = 0;
  std::string channel;
  for (const auto& r : rows()) {
    if (r.window == "main" && r.kind == "chan") {
      ++frames;
      channel = r.name;
    }
    if (r.window == "main" && r.kind == "chan_end") ++ends;
  }
  EXPECT_EQ(frames, 3U) << "three frames of count_to";
  EXPECT_EQ(ends, 1U);
  EXPECT_TRUE(channel.starts_with("channel ")) << channel;
  // The emit from main, and the event it became for the listening window.
  const auto emitted = find_row("main", "emit", "saved");
  ASSERT_NE(emitted.seq, 0);
  EXPECT_EQ(emitted.dir, "→");
  const auto delivered = find_row("second", "event", "saved");
  ASSERT_NE(delivered.seq, 0);
  EXPECT_EQ(delivered.dir, "←");
  EXPECT_GT(delivered.seq, emitted.seq);
  const auto listen = find_row("second", "listen", "saved");
  ASSERT_NE(listen.seq, 0);
}

TEST_F(Inspector, Screenshots) {
  const char* dir = std::getenv("MYAPP_DOC_SCREENSHOTS");
  if (dir == nullptr || *dir == '\0') GTEST_SKIP() << "MYAPP_DOC_SCREENSHOTS is not set";
  // The whole table, then one denied call opened in the detail pane.
  eval(inspector(), "(document.querySelector('#detail [data-action=close]') || {click() {}}).click(), 0");
  auto* view = inspector().view();
  view->resize(1280, 660);
  myapp::testing::pump(800);
  auto save = [&](const char* name) {
    const QImage image = view->grab().toImage();
    ASSERT_FALSE(image.isNull());
    const auto path = std::filesystem::path(dir) / name;
    EXPECT_TRUE(image.save(QString::fromStdString(path.string()))) << path;
  };
  save("inspector.png");
  open_detail(find_row("main", "invoke", "secret", "denied").seq, "denied by capability");
  myapp::testing::pump(800);
  save("inspector-denied.png");
}

TEST_F(Inspector, FiltersNarrowTheTable) {
  auto set = [](const std::string& js) { eval(inspector(), js + ", 0"); };
  set("(document.getElementById('f-errors').checked = true, "
      "document.getElementById('f-errors').dispatchEvent(new Event('change')))");
  ASSERT_TRUE(wait_until([] {
    auto rs = rows();
    if (rs.empty()) return false;
    for (const auto& r : rs) {
      const bool error = r.cls.find("status-error") != std::string::npos ||
                         r.cls.find("status-denied") != std::string::npos || r.kind == "error" ||
                         r.kind == "fault";
      if (!error) return false;
    }
    return true;
  })) << "errors only shows only errors";
  set("(document.getElementById('f-errors').checked = false, "
      "document.getElementById('f-errors').dispatchEvent(new Event('change')))");
  set("(document.getElementById('f-window').value = 'second', "
      "document.getElementById('f-window').dispatchEvent(new Event('change')))");
  ASSERT_TRUE(wait_until([] {
    auto rs = rows();
    return !rs.empty() && std::all_of(rs.begin(), rs.end(), [](const dom_row& r) { return r.window == "second"; });
  })) << "one window's rows";
  set("(document.getElementById('f-window').value = 'all', "
      "document.getElementById('f-window').dispatchEvent(new Event('change')))");
  set("(document.getElementById('f-name').value = 'count_to', "
      "document.getElementById('f-name').dispatchEvent(new Event('input')))");
  ASSERT_TRUE(wait_until([] {
    auto rs = rows();
    return !rs.empty() && std::all_of(rs.begin(), rs.end(), [](const dom_row& r) { return r.name == "count_to"; });
  })) << "one command's rows";
}

TEST_F(Inspector, ExportWritesARecordingThatReplays) {
  // Still filtered to count_to; widen to main's greet calls.
  eval(inspector(), "(document.getElementById('f-name').value = 'greet', "
                    "document.getElementById('f-name').dispatchEvent(new Event('input')), 0)");
  ASSERT_TRUE(wait_until([] {
    auto rs = rows();
    return rs.size() >= 4 && std::all_of(rs.begin(), rs.end(), [](const dom_row& r) { return r.name == "greet"; });
  }));
  const std::string path = export_rows();
  ASSERT_FALSE(path.empty());
  EXPECT_TRUE(path.starts_with(state_dir.string())) << path << " is in the app's log folder";
  auto rec = myapp::read_recording(read_file(path));
  ASSERT_TRUE(rec.has_value()) << rec.error_value().message();
  std::size_t in = 0, out = 0;
  for (const auto& r : rec.value().records) (r.from_page ? in : out)++;
  EXPECT_EQ(in, 2U) << "main's and second's greet";
  EXPECT_EQ(out, 2U);
  myapp::router r;
  add_commands(r);
  const auto report = myapp::testing::replay(r, rec.value());
  EXPECT_TRUE(report.ok()) << report.summary();
  EXPECT_EQ(report.calls, 2U);
}

// Long strings travel beside the JSON (the lane up, the answer's attachments down): the rows keep
// them, the detail pane shows them in place, and the export replays.
TEST_F(Inspector, LongStringsAndBytesAreKeptShownAndExported) {
  // (The command upper-cases ASCII only.)
  const std::string text = "'abc'.repeat(3000) + ' \\ud83d\\ude00 \\u00e9'";
  EXPECT_EQ(run("main", "__MYAPP__.invoke('shout', {text: " + text + "}).then(r => r.text === (" + text +
                        ").replace(/[a-z]/g, (c) => c.toUpperCase()) && new Uint8Array(r.raw).length === 3)"),
            R"J({"ok":true})J");
  eval(inspector(), "(document.getElementById('f-name').value = 'shout', "
                    "document.getElementById('f-name').dispatchEvent(new Event('input')), 0)");
  ASSERT_TRUE(wait_until([] {
    auto rs = rows();
    return rs.size() == 2 && rs[0].name == "shout" && rs[1].name == "shout";
  }));
  const auto call = find_row("main", "invoke", "shout", "ok");
  const std::string detail = open_detail(call.seq, "abcabcabc");
  EXPECT_NE(detail.find("abcabcabc"), std::string::npos) << "the string the page sent, in place";
  EXPECT_NE(detail.find("of text"), std::string::npos) << detail.substr(0, 400);
  const std::string path = export_rows();
  ASSERT_FALSE(path.empty());
  auto rec = myapp::read_recording(read_file(path));
  ASSERT_TRUE(rec.has_value()) << rec.error_value().message();
  ASSERT_EQ(rec.value().records.size(), 2U);
  myapp::router r;
  add_commands(r);
  const auto report = myapp::testing::replay(r, rec.value());
  EXPECT_TRUE(report.ok()) << report.summary();
  EXPECT_EQ(report.calls, 1U);
}

TEST_F(Inspector, ASaveThatIsNotARecordingIsRefusedAndAReloadWatchesAgain) {
  for (const char* text : {"''", "'not json'", "'{\"recording\":\"other\"}'",
                           "'{\"recording\":\"myapp\",\"v\":1}\\n{\"dir\":\"in\"}'"}) {
    const auto got = settle(inspector(), std::string("__MYAPP__.invoke('plugin:inspector|save', {text: ") + text +
                                             "}).then(() => 'saved', e => e.code + ': ' + e.message)");
    EXPECT_NE(got.find("args.invalid: the export is not a recording: "), std::string::npos) << text << " -> " << got;
  }
  EXPECT_NE(settle(inspector(), "__MYAPP__.invoke('plugin:inspector|save', {text: 5}).catch(e => e.code)")
                .find("args.invalid"),
            std::string::npos);
  // Reloaded, the page subscribes again and gets the rows the app holds.
  const auto before = rows().size();
  ASSERT_GT(before, 0U);
  inspector().view()->reload();
  ASSERT_TRUE(wait_until([] {
    return eval(inspector(), "document.getElementById('app-name').textContent") == R"("myapp-inspector-test")";
  }));
  EXPECT_TRUE(wait_until([&] { return rows().size() >= before; })) << rows().size() << " of " << before;
}

TEST_F(Inspector, AppPagesCannotReachTheInspector) {
  // Its commands belong to its window alone.
  EXPECT_EQ(run("main", "__MYAPP__.invoke('plugin:inspector|watch', {onUpdate: new __MYAPP__.Channel(() => {})})"
                        ".catch(e => e.code)"),
            R"J({"ok":"acl.denied"})J");
  EXPECT_EQ(run("main", "__MYAPP__.invoke('plugin:inspector|save', {text: ''}).catch(e => e.code)"),
            R"J({"ok":"acl.denied"})J");
  // Its page is not served to the app's profile.
  EXPECT_EQ(run("main", "new Promise(ok => { const x = new XMLHttpRequest();"
                        " x.open('GET', 'myapp://localhost/__myapp/inspector/main.js');"
                        " x.onload = () => ok('status ' + x.status); x.onerror = () => ok('refused'); x.send(); })"),
            R"J({"ok":"refused"})J");
  // And the app cannot take its window's label.
  EXPECT_THROW(the_app->window({.label = "__myapp_inspector"}), myapp::setup_error);
}

TEST_F(Inspector, ClosedItCollectsNothingAndReopenedItShowsWhatItHeld) {
  auto* hub = myapp::runtime::inspector();
  ASSERT_NE(hub, nullptr);
  auto greets = [] {
    auto rs = rows();
    return std::count_if(rs.begin(), rs.end(), [](const dom_row& r) {
      return r.window == "main" && r.kind == "invoke" && r.name == "greet";
    });
  };
  // Without the filters the earlier tests set.
  eval(inspector(), "(document.getElementById('f-name').value = '', "
                    "document.getElementById('f-name').dispatchEvent(new Event('input')), 0)");
  ASSERT_TRUE(wait_until([&] { return greets() >= 1; }));
  const auto before = greets();
  myapp::runtime::current_inspector_window()->close();
  ASSERT_FALSE(hub->watching());
  const auto held = hub->stats().held;
  EXPECT_EQ(run("main", "__MYAPP__.invoke('greet', {name: 'unseen'})"), R"J({"ok":"Hello, unseen!"})J");
  EXPECT_EQ(hub->stats().held, held) << "a closed inspector keeps no rows";
  ASSERT_TRUE(the_app->open_inspector());
  ASSERT_TRUE(hub->watching());
  ASSERT_TRUE(wait_until([] { return inspector().ready(); }));
  ASSERT_TRUE(wait_until([&] { return rows().size() >= held; })) << rows().size() << " of " << held;
  EXPECT_EQ(greets(), before) << "the call made while it was closed is not there";
  // Open again, it shows new calls.
  EXPECT_EQ(run("main", "__MYAPP__.invoke('greet', {name: 'seen'})"), R"J({"ok":"Hello, seen!"})J");
  EXPECT_TRUE(wait_until([&] { return greets() == before + 1; }));
}

TEST_F(Inspector, ItsRendererDyingClosesItsWindow) {
  auto* hub = myapp::runtime::inspector();
  auto* iw = myapp::runtime::current_inspector_window();
  ASSERT_TRUE(iw->is_open());
  const auto pid = inspector().page()->renderProcessPid();
  ASSERT_GT(pid, 0);
  ASSERT_EQ(::kill(static_cast<pid_t>(pid), SIGKILL), 0);
  ASSERT_TRUE(wait_until([&] { return !iw->is_open(); })) << "the window closes";
  EXPECT_FALSE(hub->watching());
  // The app goes on, and the inspector opens again.
  EXPECT_EQ(run("main", "__MYAPP__.invoke('greet', {name: 'after'})"), R"J({"ok":"Hello, after!"})J");
  ASSERT_TRUE(the_app->open_inspector());
  ASSERT_TRUE(wait_until([] { return inspector().ready(); }));
  EXPECT_TRUE(hub->watching());
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (std::getenv("QT_QPA_PLATFORM") == nullptr) setenv("QT_QPA_PLATFORM", "offscreen", 1);
  char dir_template[] = "/tmp/myapp-inspector-XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (dir == nullptr) return 2;
  // Exports go to the app's log folder, under XDG_STATE_HOME.
  setenv("XDG_STATE_HOME", dir, 1);
  state_dir = dir;
  setenv("MYAPP_INSPECTOR", "1", 1);
  setenv("MYAPP_INSPECT", "1", 1);
  int status = 0;
  {
    myapp::app app(argc, argv, {.name = "myapp-inspector-test", .router = {.workers = 2}});
    add_commands(app.get_router());
    app.capability(R"J({"identifier":"main","windows":["main"],"permissions":["core:default",
      "allow-greet","allow-fail","allow-slow","allow-count_to","allow-shout","deny-secret"]})J",
                   "capabilities/main.json");
    app.capability(R"J({"identifier":"viewer","windows":["second"],"permissions":["core:default",
      "allow-greet"]})J",
                   "capabilities/viewer.json");
    app.window({.label = "main", .url = "index.html"});
    app.window({.label = "second", .url = "index.html"});
    app.start();
    the_app = &app;
    status = RUN_ALL_TESTS();
  }
  std::filesystem::remove_all(dir);
  return status;
}
