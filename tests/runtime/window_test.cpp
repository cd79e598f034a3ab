// Windows, their commands and events, app events, and the plugin API, in real headless pages.
// Under QT_QPA_PLATFORM=offscreen there is no window manager: frames have no decorations,
// focus moves only when asked, and maximised / full-screen windows take the offscreen screen's
// geometry (800x600 unless QT_QPA_OFFSCREEN... says otherwise). The tests check what the
// platform really does.
#include <gtest/gtest.h>

#include <QApplication>
#include <QPalette>
#include <QScreen>
#include <QWebEngineView>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness.hpp"
#include "myapp/app.hpp"
#include "myapp/plugin.hpp"

namespace {

myapp::app* the_app = nullptr;

// What the C++ side saw.
std::vector<std::string> cpp_events;  // "event target payload"
bool app_ready_seen = false;
bool prevent_next_close = false;  // the C++ close hook prevents once
bool prevent_exit = true;
std::vector<int> exit_codes;
bool probe_setup_ran = false;
bool probe_setup_saw_no_window = false;
bool* probe_torn_down = nullptr;

myapp::window& win(const std::string& label) {
  auto* w = the_app->find_window(label);
  if (w == nullptr) throw std::runtime_error("no window " + label);
  return *w;
}

std::string settle(const std::string& label, const std::string& expr) {
  return myapp::testing::settle(win(label), expr);
}
std::string eval(const std::string& label, const std::string& expr) {
  return myapp::testing::eval(win(label), expr);
}

using myapp::testing::pump;
using myapp::testing::wait_until;

bool saw_cpp(const std::string& prefix) {
  for (const auto& e : cpp_events) {
    if (e.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

// Opens a window from C++ and waits for its page.
void open(const std::string& label) {
  the_app->window({.label = label, .title = label, .url = "index.html", .width = 400, .height = 300});
  ASSERT_TRUE(wait_until([&] { return the_app->find_window(label) && win(label).ready(); }));
}

class Windows : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(wait_until([] { return win("main").ready(); })) << "the page never said hello";
  }
};

constexpr auto CUR = "__MYAPP__.window.getCurrentWindow()";

std::string call(const std::string& method, const std::string& args = "") {
  return settle("main", std::string(CUR) + "." + method + "(" + args + ")");
}

TEST_F(Windows, TheAppIsReadyAndWindowsAreCreatedFromTheConfigOrCode) {
  EXPECT_TRUE(wait_until([] { return app_ready_seen; }));
  EXPECT_TRUE(saw_cpp("myapp://created main {\"label\":\"main\"}"));
  EXPECT_EQ(call("title"), R"({"ok":"main window"})");
  EXPECT_EQ(settle("main", "__MYAPP__.window.getAllWindows().then(ws => ws.map(w => w.label))"),
            R"({"ok":["main","viewer"]})");
  EXPECT_EQ(eval("main", "__MYAPP__.window.getCurrentWindow().label"), "\"main\"");
}

TEST_F(Windows, TitleAndSize) {
  EXPECT_EQ(call("setTitle", "'Renamed'"), R"({"ok":null})");
  EXPECT_EQ(win("main").view()->windowTitle().toStdString(), "Renamed");
  EXPECT_EQ(call("title"), R"({"ok":"Renamed"})");

  eval("main", "window.seen.length = 0");
  EXPECT_EQ(call("setSize", "{width: 520, height: 410}"), R"({"ok":null})");
  EXPECT_EQ(win("main").view()->size(), QSize(520, 410));
  EXPECT_EQ(call("innerSize"), R"({"ok":{"width":520,"height":410}})");
  // The offscreen platform draws a thin frame: the outer size is the frame's.
  const QRect frame = win("main").view()->frameGeometry();
  EXPECT_GE(frame.width(), 520);
  EXPECT_EQ(call("outerSize"), "{\"ok\":{\"width\":" + std::to_string(frame.width()) +
                                   ",\"height\":" + std::to_string(frame.height()) + "}}");
  EXPECT_TRUE(wait_until([] {
    return eval("main", "window.seen.some(e => e.event === 'myapp://resize' && e.payload.width "
                        "=== 520 && e.payload.height === 410)") == "true";
  }));
  EXPECT_EQ(call("scaleFactor"), R"({"ok":1})");

  EXPECT_EQ(call("setSize", "{width: 0, height: 10}"),
            R"({"code":"args.invalid","message":"`size.width` must be between 1 and 100000, got 0"})");
  EXPECT_EQ(settle("main", "__MYAPP__.invoke('plugin:window|set_size', {size: {width: 'wide'}})")
                .find("\"code\":\"args.invalid\""),
            1U);
}

TEST_F(Windows, MinAndMaxSize) {
  EXPECT_EQ(call("setMinSize", "{width: 300, height: 200}"), R"({"ok":null})");
  EXPECT_EQ(win("main").view()->minimumSize(), QSize(300, 200));
  EXPECT_EQ(call("setSize", "{width: 100, height: 100}"), R"({"ok":null})");
  EXPECT_EQ(call("innerSize"), R"({"ok":{"width":300,"height":200}})");
  EXPECT_EQ(call("setMaxSize", "{width: 640, height: 480}"), R"({"ok":null})");
  EXPECT_EQ(win("main").view()->maximumSize(), QSize(640, 480));
  EXPECT_EQ(call("setSize", "{width: 1000, height: 1000}"), R"({"ok":null})");
  EXPECT_EQ(call("innerSize"), R"({"ok":{"width":640,"height":480}})");
  EXPECT_EQ(call("setMinSize", "null"), R"({"ok":null})");
  EXPECT_EQ(call("setMaxSize", "null"), R"({"ok":null})");
  EXPECT_EQ(win("main").view()->minimumSize(), QSize(0, 0));
  EXPECT_EQ(win("main").view()->maximumSize(), QSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX));
  EXPECT_EQ(call("setSize", "{width: 500, height: 400}"), R"({"ok":null})");
}

TEST_F(Windows, PositionAndCenter) {
  eval("main", "window.seen.length = 0");
  EXPECT_EQ(call("setPosition", "{x: 40, y: 30}"), R"({"ok":null})");
  // The position set is the frame's; the content starts inside it.
  EXPECT_EQ(call("outerPosition"), R"({"ok":{"x":40,"y":30}})");
  const QPoint inner = win("main").view()->geometry().topLeft();
  EXPECT_GE(inner.x(), 40);
  EXPECT_EQ(call("innerPosition"), "{\"ok\":{\"x\":" + std::to_string(inner.x()) +
                                      ",\"y\":" + std::to_string(inner.y()) + "}}");
  EXPECT_TRUE(wait_until([] {
    return eval("main", "window.seen.some(e => e.event === 'myapp://move' && e.payload.x === 40 "
                        "&& e.payload.y === 30)") == "true";
  }));
  EXPECT_EQ(call("center"), R"({"ok":null})");
  const QRect screen = win("main").view()->screen()->availableGeometry();
  const QRect frame = win("main").view()->frameGeometry();
  EXPECT_LE(std::abs(frame.center().x() - screen.center().x()), 1);
  EXPECT_LE(std::abs(frame.center().y() - screen.center().y()), 1);
}

TEST_F(Windows, MaximizeMinimizeFullscreen) {
  EXPECT_EQ(call("isMaximized"), R"({"ok":false})");
  EXPECT_EQ(call("maximize"), R"({"ok":null})");
  EXPECT_EQ(call("isMaximized"), R"({"ok":true})");
  EXPECT_EQ(call("unmaximize"), R"({"ok":null})");
  EXPECT_EQ(call("isMaximized"), R"({"ok":false})");
  EXPECT_EQ(call("toggleMaximize"), R"({"ok":null})");
  EXPECT_EQ(call("isMaximized"), R"({"ok":true})");
  EXPECT_EQ(call("toggleMaximize"), R"({"ok":null})");

  EXPECT_EQ(call("minimize"), R"({"ok":null})");
  EXPECT_EQ(call("isMinimized"), R"({"ok":true})");
  EXPECT_EQ(call("unminimize"), R"({"ok":null})");
  EXPECT_EQ(call("isMinimized"), R"({"ok":false})");

  EXPECT_EQ(call("setFullscreen", "true"), R"({"ok":null})");
  EXPECT_EQ(call("isFullscreen"), R"({"ok":true})");
  EXPECT_TRUE(win("main").view()->isFullScreen());
  EXPECT_EQ(call("setFullscreen", "false"), R"({"ok":null})");
  EXPECT_EQ(call("isFullscreen"), R"({"ok":false})");
}

TEST_F(Windows, ShowHideFocus) {
  EXPECT_EQ(call("isVisible"), R"({"ok":true})");
  // The page of a hidden window keeps running: it can show itself again.
  EXPECT_EQ(call("hide"), R"({"ok":null})");
  EXPECT_FALSE(win("main").view()->isVisible());
  EXPECT_EQ(call("isVisible"), R"({"ok":false})");
  EXPECT_EQ(call("show"), R"({"ok":null})");
  EXPECT_EQ(call("isVisible"), R"({"ok":true})");

  EXPECT_EQ(settle("viewer", std::string(CUR) + ".setFocus()").find("acl.denied"), 9U);
  // main focuses the viewer window, then itself: it hears blur, then focus.
  EXPECT_EQ(settle("main", "new __MYAPP__.window.WebviewWindow('viewer', {skip: true}).setFocus()"),
            R"({"ok":null})");
  ASSERT_TRUE(wait_until([] { return call("isFocused") == R"({"ok":false})"; }));
  EXPECT_TRUE(wait_until([] { return saw_cpp("myapp://focus viewer"); }));
  EXPECT_EQ(settle("viewer", std::string(CUR) + ".isFocused()"), R"({"ok":true})");
  eval("main", "window.seen.length = 0");
  EXPECT_EQ(call("setFocus"), R"({"ok":null})");
  ASSERT_TRUE(wait_until([] { return call("isFocused") == R"({"ok":true})"; }));
  EXPECT_TRUE(wait_until([] {
    return eval("main", "window.seen.some(e => e.event === 'myapp://focus')") == "true";
  }));
  EXPECT_TRUE(wait_until([] {
    return eval("viewer", "window.seen.some(e => e.event === 'myapp://blur')") == "true";
  }));
}

TEST_F(Windows, AlwaysOnTopAndResizable) {
  EXPECT_EQ(call("isAlwaysOnTop"), R"({"ok":false})");
  EXPECT_EQ(call("setAlwaysOnTop", "true"), R"({"ok":null})");
  EXPECT_EQ(call("isAlwaysOnTop"), R"({"ok":true})");
  EXPECT_TRUE(win("main").view()->isVisible());  // changing the flag does not hide it
  EXPECT_EQ(call("setAlwaysOnTop", "false"), R"({"ok":null})");
  EXPECT_EQ(call("isAlwaysOnTop"), R"({"ok":false})");

  EXPECT_EQ(call("isResizable"), R"({"ok":true})");
  EXPECT_EQ(call("setResizable", "false"), R"({"ok":null})");
  EXPECT_EQ(call("isResizable"), R"({"ok":false})");
  const QSize fixed = win("main").view()->size();
  EXPECT_EQ(win("main").view()->minimumSize(), fixed);
  EXPECT_EQ(win("main").view()->maximumSize(), fixed);
  // The app may still size it.
  EXPECT_EQ(call("setSize", "{width: 450, height: 350}"), R"({"ok":null})");
  EXPECT_EQ(win("main").view()->size(), QSize(450, 350));
  EXPECT_EQ(call("setResizable", "true"), R"({"ok":null})");
  EXPECT_EQ(win("main").view()->maximumSize(), QSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX));
}

TEST_F(Windows, ThemeChanged) {
  EXPECT_EQ(call("theme"), R"({"ok":"light"})");
  eval("main", "window.seen.length = 0");
  const QPalette light = QApplication::palette();
  QPalette dark = light;
  dark.setColor(QPalette::Window, QColor(30, 30, 30));
  dark.setColor(QPalette::WindowText, Qt::white);
  QApplication::setPalette(dark);
  EXPECT_TRUE(wait_until([] {
    return eval("main", "JSON.stringify(window.seen.filter(e => e.event === "
                        "'myapp://theme-changed').map(e => e.payload))") == R"("[\"dark\"]")";
  }));
  EXPECT_EQ(call("theme"), R"({"ok":"dark"})");
  QApplication::setPalette(light);
  EXPECT_TRUE(wait_until([] { return call("theme") == R"({"ok":"light"})"; }));
}

TEST_F(Windows, SettersNeedTheirOwnPermissionGettersAreDefault) {
  // The viewer window has core:default only.
  EXPECT_EQ(settle("viewer", std::string(CUR) + ".title()"), R"({"ok":"viewer"})");
  EXPECT_EQ(settle("viewer", std::string(CUR) + ".setTitle('x')"),
            R"J({"code":"acl.denied","message":"`plugin:window|set_title` is not allowed for )J"
            R"J(window `viewer` at myapp://localhost: no capability that matches it grants it; add )J"
            R"J(`core:window:allow-set-title` (or a permission that includes it) to the )J"
            R"J(`permissions` of `viewer` ((code))"})J");
  // main may address another window by label; an unknown label is an error.
  EXPECT_EQ(settle("main", "__MYAPP__.invoke('plugin:window|set_title', {title: 'T', label: 'viewer'})"),
            R"({"ok":null})");
  EXPECT_EQ(win("viewer").view()->windowTitle().toStdString(), "T");
  EXPECT_EQ(settle("main", "__MYAPP__.invoke('plugin:window|title', {label: 'nope'})"),
            R"({"code":"window.not_found","message":"no window is labelled `nope`"})");
}

TEST_F(Windows, CreateFromJsAllowedAndDenied) {
  EXPECT_EQ(settle("main", R"(new Promise((resolve, reject) => {
      const w = new __MYAPP__.window.WebviewWindow('child-1', {url: 'index.html', title: 'Child',
                                                                 width: 320, height: 240});
      w.once('myapp://created', (e) => resolve(e.payload));
      w.once('myapp://error', (e) => reject(e.payload));
    }))"),
            R"({"ok":{"label":"child-1"}})");
  ASSERT_NE(the_app->find_window("child-1"), nullptr);
  EXPECT_EQ(win("child-1").view()->size(), QSize(320, 240));
  EXPECT_EQ(win("child-1").view()->windowTitle().toStdString(), "Child");
  ASSERT_TRUE(wait_until([] { return win("child-1").ready(); }));
  // Its page has no capability (windows: main, viewer): no IPC at all.
  EXPECT_NE(settle("child-1", std::string(CUR) + ".title()").find("matches no capability"),
            std::string::npos);

  auto created = [](const std::string& from, const std::string& label, const std::string& opts) {
    return settle(from, "new Promise((resolve, reject) => { const w = new "
                        "__MYAPP__.window.WebviewWindow('" + label + "', " + opts + ");"
                        "w.once('myapp://created', () => resolve('created'));"
                        "w.once('myapp://error', (e) => reject(e.payload)); })");
  };
  EXPECT_EQ(created("viewer", "child-2", "{}").find(R"({"code":"acl.denied")"), 0U);
  EXPECT_EQ(the_app->find_window("child-2"), nullptr);
  EXPECT_EQ(created("main", "child-1", "{}"),
            R"({"code":"window.label_taken","message":"a window labelled `child-1` exists"})");
  EXPECT_EQ(created("main", "bad label", "{}").find(R"({"code":"window.label_invalid")"), 0U);
  EXPECT_EQ(created("main", "child-3", "{url: 'https://example.com/'}")
                .find(R"({"code":"window.url_forbidden")"),
            0U);
  EXPECT_EQ(created("main", "child-3", "{width: -1}").find(R"({"code":"args.invalid")"), 0U);
  EXPECT_EQ(the_app->find_window("child-3"), nullptr);

  win("child-1").destroy();
  EXPECT_TRUE(wait_until([] { return the_app->find_window("child-1") == nullptr; }));
  EXPECT_TRUE(saw_cpp("myapp://destroyed child-1"));
}

TEST_F(Windows, CloseWithoutListenerClosesAtOnce) {
  open("plain");
  cpp_events.clear();
  EXPECT_EQ(settle("main", "__MYAPP__.invoke('plugin:window|close', {label: 'plain'})"),
            R"({"ok":null})");
  EXPECT_TRUE(wait_until([] { return the_app->find_window("plain") == nullptr; }));
  EXPECT_TRUE(saw_cpp("myapp://destroyed plain"));
  // A closed window's label is free again; labels stay validated.
  open("plain");
  win("plain").view()->close();  // as the user's close button does
  EXPECT_TRUE(wait_until([] { return the_app->find_window("plain") == nullptr; }));
  EXPECT_THROW(the_app->window({.label = "no spaces"}), myapp::setup_error);
  EXPECT_THROW(the_app->window({.label = "main"}), myapp::setup_error);
}

TEST_F(Windows, ClosePreventedByThePageThenAllowed) {
  open("editor");
  // The page prevents the first close (unsaved changes), lets the second through.
  ASSERT_EQ(settle("editor", R"((window.asked = 0, __MYAPP__.window.getCurrentWindow()
      .onCloseRequested(async (e) => {
        window.asked++;
        await new Promise((r) => setTimeout(r, 50));  // async handlers are awaited
        if (window.asked === 1) e.preventDefault();
      }).then(() => 'listening')))"),
            R"({"ok":"listening"})");
  win("editor").close();
  EXPECT_TRUE(wait_until([] { return eval("editor", "window.asked") == "1"; }));
  pump(300);
  ASSERT_NE(the_app->find_window("editor"), nullptr) << "the page prevented the close";
  EXPECT_TRUE(win("editor").view()->isVisible());
  // The page closes itself: its own handler runs again and lets it go.
  eval("editor", "(__MYAPP__.window.getCurrentWindow().close(), 0)");
  EXPECT_TRUE(wait_until([] { return the_app->find_window("editor") == nullptr; }));
}

TEST_F(Windows, ClosePreventedFromCppThenAllowed) {
  open("tool");
  prevent_next_close = true;
  win("tool").close();
  pump(300);
  ASSERT_NE(the_app->find_window("tool"), nullptr);
  EXPECT_FALSE(prevent_next_close);  // the hook ran
  win("tool").close();
  EXPECT_TRUE(wait_until([] { return the_app->find_window("tool") == nullptr; }));
}

TEST_F(Windows, AHungPageStillCloses) {
  open("hung");
  ASSERT_EQ(settle("hung", "__MYAPP__.window.getCurrentWindow().onCloseRequested(() => {})"
                           ".then(() => 'listening')"),
            R"({"ok":"listening"})");
  // The page stops answering anything.
  win("hung").eval("(setTimeout(() => { for (;;) {} }, 0), 0)", nullptr);
  pump(100);
  win("hung").close();
  pump(1000);
  EXPECT_NE(the_app->find_window("hung"), nullptr) << "closed before the page's time ran out";
  EXPECT_TRUE(wait_until([] { return the_app->find_window("hung") == nullptr; }, 10000));
}

TEST_F(Windows, DestroyDoesNotAsk) {
  open("doomed");
  ASSERT_EQ(settle("doomed", "__MYAPP__.window.getCurrentWindow().onCloseRequested(e => "
                             "e.preventDefault()).then(() => 'listening')"),
            R"({"ok":"listening"})");
  EXPECT_EQ(settle("main", "__MYAPP__.invoke('plugin:window|destroy', {label: 'doomed'})"),
            R"({"ok":null})");
  EXPECT_TRUE(wait_until([] { return the_app->find_window("doomed") == nullptr; }));
}

TEST_F(Windows, EventsOfOtherWindowsAreNotHeard) {
  EXPECT_EQ(settle("main", "new __MYAPP__.window.WebviewWindow('viewer', {skip: true})"
                           ".onResized(() => {})")
                .find(R"({"code":"window.not_current")"),
            0U);
}

TEST_F(Windows, ExitRequestedCanBePrevented) {
  exit_codes.clear();
  prevent_exit = true;
  the_app->exit(3);
  ASSERT_EQ(exit_codes, std::vector<int>{3});
  EXPECT_TRUE(saw_cpp("myapp://exit-requested  {\"code\":3}"));
  EXPECT_NE(the_app->find_window("main"), nullptr);
}

// --- the plugin API ----------------------------------------------------------------------------

TEST_F(Windows, APluginsCommandPermissionScriptAndState) {
  EXPECT_TRUE(probe_setup_ran);
  EXPECT_TRUE(probe_setup_saw_no_window);
  // Its script ran after the client, with the window's label.
  EXPECT_EQ(eval("main", "JSON.stringify(window.__probe)"),
            R"("{\"label\":\"main\",\"client\":true}")");
  EXPECT_EQ(eval("viewer", "window.__probe.label"), "\"viewer\"");
  // main's capability grants probe:default: the command and its state.
  EXPECT_EQ(settle("main", "window.__probe.add(2)"), R"({"ok":2})");
  EXPECT_EQ(settle("main", "window.__probe.add(5)"), R"({"ok":7})");
  // viewer's does not: the denial names the permission to add.
  EXPECT_NE(settle("viewer", "window.__probe.add(1)").find("add `probe:allow-add`"),
            std::string::npos);
}

TEST(PluginApi, NamesAreCheckedAndStayInTheirNamespace) {
  EXPECT_THROW(myapp::plugin("Bad"), myapp::setup_error);
  EXPECT_THROW(myapp::plugin("a b"), myapp::setup_error);
  EXPECT_THROW(myapp::plugin(""), myapp::setup_error);
  myapp::plugin p("ok-name2");
  EXPECT_THROW(p.command("other|cmd", [] {}), myapp::setup_error);
  EXPECT_THROW(p.command("plugin:x|y", [] {}), myapp::setup_error);
  EXPECT_THROW(p.command("Upper", [] {}), myapp::setup_error);
  p.command("fine_one", [] {});
  EXPECT_THROW(p.command("fine_one", [] {}), myapp::setup_error);
  EXPECT_THROW(p.command("fine-one", [] {}), myapp::setup_error);  // same permission
  EXPECT_THROW(p.command("args", [](int a) { return a; }, {"a", "b"}), myapp::setup_error);
  EXPECT_EQ(p.wire_name("fine_one"), "plugin:ok-name2|fine_one");
  EXPECT_EQ(p.permission_prefix(), "ok-name2");
  // The window plugin is built in: a second one is refused.
  EXPECT_THROW(the_app->plugin(myapp::plugin("window")), myapp::setup_error);
}

// Last: closing every window closes the app.
TEST_F(Windows, LastWindowClosedAsksToExit) {
  exit_codes.clear();
  cpp_events.clear();
  prevent_exit = false;
  const auto labels = settle("main", "__MYAPP__.window.getAllWindows().then(ws => ws.map(w => w.label))");
  for (const auto* l : {"main", "viewer", "plain", "editor", "tool", "hung", "doomed", "child-1"}) {
    if (auto* w = the_app->find_window(l)) w->destroy();
  }
  EXPECT_EQ(labels, R"({"ok":["main","viewer"]})") << "a test left a window open";
  EXPECT_TRUE(wait_until([] { return the_app->find_window("main") == nullptr &&
                                     the_app->find_window("viewer") == nullptr; }));
  EXPECT_TRUE(wait_until([] { return saw_cpp("myapp://last-window-closed"); }));
  EXPECT_EQ(exit_codes, std::vector<int>{0});
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (std::getenv("QT_QPA_PLATFORM") == nullptr) setenv("QT_QPA_PLATFORM", "offscreen", 1);
  bool torn_down = false;
  probe_torn_down = &torn_down;
  int code = 0;
  {
    myapp::app app(argc, argv, {.name = "myapp-window-test"});
    the_app = &app;
    for (const auto* e : {"myapp://created", "myapp://destroyed", "myapp://focus",
                          "myapp://exit-requested", "myapp://last-window-closed"}) {
      app.listen(e, [](const myapp::event& ev) {
        cpp_events.push_back(ev.name + " " + ev.target + " " + ev.payload_json);
      }, {.target = "*"});
    }
    app.listen("myapp://ready", [](const myapp::event&) { app_ready_seen = true; });
    app.on_close_requested([](myapp::close_request& r) {
      if (prevent_next_close && r.label == "tool") {
        prevent_next_close = false;
        r.prevent();
      }
    });
    app.on_exit_requested([](myapp::exit_request& r) {
      exit_codes.push_back(r.code);
      if (prevent_exit) r.prevent();
    });

    // A third-party plugin: a command with state, its permissions, and a script.
    myapp::plugin probe("probe");
    probe.manage(std::make_shared<std::atomic<int>>(0));
    probe.command("add", [](myapp::state<std::atomic<int>> total, int n) {
      return total->fetch_add(n) + n;
    }, {"n"});
    probe.permissions(R"({"sets":[{"identifier":"default","permissions":["allow-add"]}]})");
    probe.js("window.__probe = { label: __myapp_label, client: !!window.__MYAPP__,"
             " add: (n) => __MYAPP__.invoke('plugin:probe|add', { n }) };");
    probe.setup([](myapp::app& a) {
      probe_setup_ran = true;
      probe_setup_saw_no_window = a.find_window("main") == nullptr;
    });
    probe.teardown([](myapp::app&) { *probe_torn_down = true; });
    app.plugin(std::move(probe));

    app.capability(R"J({"identifier":"main","windows":["main","plain","editor","tool","hung","doomed"],
        "permissions":["core:default","probe:default","core:window:allow-set-title",
        "core:window:allow-set-size","core:window:allow-set-min-size","core:window:allow-set-max-size",
        "core:window:allow-set-position","core:window:allow-center","core:window:allow-maximize",
        "core:window:allow-unmaximize","core:window:allow-minimize","core:window:allow-unminimize",
        "core:window:allow-set-fullscreen","core:window:allow-show","core:window:allow-hide",
        "core:window:allow-set-focus","core:window:allow-set-always-on-top",
        "core:window:allow-set-resizable","core:window:allow-close","core:window:allow-destroy",
        "core:window:allow-create"]})J");
    app.capability(R"J({"identifier":"viewer","windows":["viewer"],"permissions":["core:default"]})J");
    app.window({.label = "main", .title = "main window", .url = "index.html", .width = 500,
                .height = 400});
    app.window({.label = "viewer", .title = "viewer", .url = "index.html", .width = 300,
                .height = 200});
    app.start();
    code = RUN_ALL_TESTS();
  }
  if (!torn_down) {
    std::fprintf(stderr, "the probe plugin's teardown did not run\n");
    return 1;
  }
  return code;
}
