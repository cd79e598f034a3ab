// The desktop plugins in real headless pages: every command's permission (denied to a window
// whose capability does not list it, allowed to one that does), the opener's URL and path
// scopes, dialogs answered by the test hook and by their real widgets, the clipboard, the tray
// where there is none, and menu clicks delivered to the page.
#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QFileDialog>
#include <QGuiApplication>
#include <QLayout>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSystemTrayIcon>
#include <QUrl>
#include <QWebEngineView>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "desktop_test.hpp"
#include "harness.hpp"
#include "myapp/app.hpp"
#include "myapp/plugins.hpp"

namespace {

namespace fs = std::filesystem;
using myapp::testing::wait_until;

myapp::app* the_app = nullptr;
url_recorder* recorder = nullptr;
fs::path root;  // a folder of files for the opener's path scope

// What the dialog hook saw and will answer.
std::mutex hook_mutex;
std::vector<myapp::plugins::dialog_request> seen;
std::optional<myapp::plugins::dialog_answer> next_answer;
bool show_real_dialogs = false;

myapp::window& win(const char* label) {
  auto* w = the_app->find_window(label);
  if (w == nullptr) throw std::runtime_error(std::string("no window ") + label);
  return *w;
}

std::string settle(const std::string& expr, const char* label = "main") {
  return myapp::testing::settle(win(label), expr);
}
std::string eval(const std::string& expr, const char* label = "main") {
  return myapp::testing::eval(win(label), expr);
}

void answer_next(myapp::plugins::dialog_answer a) {
  std::lock_guard lock(hook_mutex);
  next_answer = std::move(a);
}

class Desktop : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(wait_until(
        [] { return win("main").ready() && win("bare").ready() && win("web").ready(); }));
    ASSERT_TRUE(wait_until([] { return eval("window.listening") == "3"; }));
    std::lock_guard lock(hook_mutex);
    seen.clear();
    next_answer.reset();
    show_real_dialogs = false;
    recorder->opened.clear();
  }
};

// Every command of every desktop plugin, with arguments that would otherwise work.
const std::vector<std::pair<std::string, std::string>> COMMANDS = {
    {"plugin:dialog|open", "{}"},
    {"plugin:dialog|save", "{}"},
    {"plugin:dialog|message", "{message: 'hi'}"},
    {"plugin:dialog|ask", "{message: 'hi'}"},
    {"plugin:dialog|confirm", "{message: 'hi'}"},
    {"plugin:clipboard|read_text", "{}"},
    {"plugin:clipboard|write_text", "{text: 'x'}"},
    {"plugin:clipboard|clear", "{}"},
    {"plugin:opener|open_url", "{url: 'https://docs.example.com/'}"},
    {"plugin:opener|open_path", "{path: '/tmp'}"},
    {"plugin:tray|create", "{}"},
    {"plugin:tray|set_menu", "{id: 'x', menu: null}"},
    {"plugin:tray|set_tooltip", "{id: 'x', tooltip: 't'}"},
    {"plugin:tray|remove", "{id: 'x'}"},
    {"plugin:menu|set", "{items: [{id: 'a', text: 'A'}]}"},
    {"plugin:menu|remove", "{}"},
};

std::string permission_of(const std::string& wire) {
  // plugin:dialog|write_text → core:dialog:allow-write-text
  const auto colon = wire.find(':');
  const auto bar = wire.find('|');
  std::string cmd = wire.substr(bar + 1);
  for (auto& c : cmd) c = c == '_' ? '-' : c;
  return "core:" + wire.substr(colon + 1, bar - colon - 1) + ":allow-" + cmd;
}

TEST_F(Desktop, EveryCommandIsDeniedWithoutItsPermission) {
  for (const auto& [cmd, args] : COMMANDS) {
    const auto r = settle("__MYAPP__.invoke('" + cmd + "', " + args +
                              ").then(() => 'allowed', e => e.code + ' ' + e.message)",
                          "bare");
    EXPECT_NE(r.find("acl.denied"), std::string::npos) << cmd << ": " << r;
    EXPECT_NE(r.find(permission_of(cmd)), std::string::npos) << cmd << ": " << r;
  }
}

TEST_F(Desktop, EveryCommandIsAllowedWithItsPermission) {
  for (const auto& [cmd, args] : COMMANDS) {
    answer_next({});
    const auto r = settle("__MYAPP__.invoke('" + cmd + "', " + args +
                          ").then(() => 'ran', e => e.code)");
    // Reaching the handler is what counts here; some fail there for their own reasons
    // (no tray headless, no tray icon `x`).
    EXPECT_EQ(r.find("acl.denied"), std::string::npos) << cmd << ": " << r;
  }
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:menu|remove')"), R"J({"ok":null})J");
}

TEST_F(Desktop, OpenDialogAnsweredByTheHook) {
  answer_next({.paths = {"/tmp/a.png"}, .accepted = true});
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:dialog|open', {title: 'Pick', defaultPath: '/tmp', "
                   "filters: [{name: 'Images', extensions: ['png', 'jpg']}]})"),
            R"J({"ok":["/tmp/a.png"]})J");
  {
    std::lock_guard lock(hook_mutex);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].kind, "open");
    EXPECT_EQ(seen[0].window, "main");
    EXPECT_EQ(seen[0].title, "Pick");
    EXPECT_EQ(seen[0].default_path, "/tmp");
    ASSERT_EQ(seen[0].filters.size(), 1u);
    EXPECT_EQ(seen[0].filters[0].extensions, (std::vector<std::string>{"png", "jpg"}));
  }
  // Cancelled: null. Through the wrapper's shape: several paths for `multiple`.
  answer_next({});
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:dialog|open', {directory: true})"),
            R"J({"ok":null})J");
  answer_next({.paths = {"/a", "/b"}, .accepted = true});
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:dialog|open', {multiple: true})"),
            R"J({"ok":["/a","/b"]})J");
  std::lock_guard lock(hook_mutex);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_TRUE(seen[1].directory);
  EXPECT_TRUE(seen[2].multiple);
}

TEST_F(Desktop, SaveAndMessageBoxesAnsweredByTheHook) {
  answer_next({.paths = {"/tmp/out.txt"}, .accepted = true});
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:dialog|save', {defaultPath: '/tmp/x.txt'})"),
            R"J({"ok":"/tmp/out.txt"})J");
  answer_next({.paths = {}, .accepted = true});
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:dialog|ask', {message: 'Delete?', kind: 'warning'})"),
            R"J({"ok":true})J");
  answer_next({.paths = {}, .accepted = false});
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:dialog|confirm', {message: 'Sure?'})"),
            R"J({"ok":false})J");
  answer_next({.paths = {}, .accepted = true});
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:dialog|message', {message: 'Saved', title: 'Notes'})"),
            R"J({"ok":null})J");
  std::lock_guard lock(hook_mutex);
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[1].kind, "ask");
  EXPECT_EQ(seen[1].message, "Delete?");
  EXPECT_EQ(seen[1].message_kind, "warning");
  EXPECT_EQ(seen[2].message_kind, "info");
  EXPECT_EQ(seen[3].title, "Notes");
}

TEST_F(Desktop, BadDialogArgumentsAreRefusedBeforeAnythingShows) {
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:dialog|open', {filters: [{name: 'S', extensions: "
                   "['.sh']}]})"),
            R"J({"code":"dialog.invalid_filter","message":"filters[0].extensions[0]: `.sh` is not an extension (1 to 32 characters from A-Z a-z 0-9 _ + - ., no leading dot, or *)"})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:dialog|ask', {message: 'x', kind: 'loud'})"),
            R"J({"code":"dialog.invalid_kind","message":"`kind` is `loud`; use \"info\", \"warning\" or \"error\""})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:dialog|open', {multiple: true, directory: true}).catch(e => e.code)"),
            R"J({"ok":"dialog.invalid_options"})J");
  std::lock_guard lock(hook_mutex);
  EXPECT_TRUE(seen.empty());
}

template <class T>
T* find_top_level() {
  for (auto* w : QApplication::topLevelWidgets()) {
    if (auto* d = qobject_cast<T*>(w); d != nullptr && d->isVisible()) return d;
  }
  return nullptr;
}

TEST_F(Desktop, RealFileDialogIsModalToTheWindowAndItsChoiceReachesThePage) {
  show_real_dialogs = true;
  std::ofstream(root / "allowed" / "pick.txt") << "p";
  eval("(window.picked = 'pending', __MYAPP__.invoke('plugin:dialog|open', {defaultPath: '" +
       (root / "allowed").string() +
       "', filters: [{name: 'Text', extensions: ['txt']}]}).then(v => { window.picked = v; }, "
       "e => { window.picked = e.code; }), 0)");
  QFileDialog* d = nullptr;
  ASSERT_TRUE(wait_until([&] { return (d = find_top_level<QFileDialog>()) != nullptr; }));
  EXPECT_EQ(d->parentWidget(), win("main").view());
  EXPECT_EQ(d->nameFilters(), QStringList{QStringLiteral("Text (*.txt)")});
  // A second dialog for the same window waits its turn.
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:dialog|open', {}).catch(e => e.code)"),
            R"J({"ok":"dialog.busy"})J");
  // The GUI thread was never blocked: the page went on answering while the dialog was open.
  EXPECT_EQ(eval("window.picked"), "\"pending\"");
  // As a user would: type the name and accept.
  auto* name = d->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
  ASSERT_NE(name, nullptr);
  name->setText(QString::fromStdString((root / "allowed" / "pick.txt").string()));
  static_cast<QDialog*>(d)->accept();  // public in QDialog, protected in QFileDialog
  ASSERT_TRUE(wait_until([] { return eval("window.picked") != "\"pending\""; }));
  EXPECT_EQ(eval("window.picked"), "[\"" + (root / "allowed" / "pick.txt").string() + "\"]");
}

TEST_F(Desktop, RealMessageBoxButtonsAnswer) {
  show_real_dialogs = true;
  eval("(window.asked = 'pending', __MYAPP__.invoke('plugin:dialog|ask', {message: 'Go?', "
       "okLabel: 'Go', cancelLabel: 'Stay'}).then(v => { window.asked = v; }), 0)");
  QMessageBox* box = nullptr;
  ASSERT_TRUE(wait_until([&] { return (box = find_top_level<QMessageBox>()) != nullptr; }));
  EXPECT_EQ(box->text(), QStringLiteral("Go?"));
  QAbstractButton* stay = nullptr;
  for (auto* b : box->buttons()) {
    if (b->text() == QStringLiteral("Stay")) stay = b;
  }
  ASSERT_NE(stay, nullptr);
  stay->click();
  ASSERT_TRUE(wait_until([] { return eval("window.asked") != "\"pending\""; }));
  EXPECT_EQ(eval("window.asked"), "false");
}

TEST_F(Desktop, CancellingTheCallClosesItsDialog) {
  show_real_dialogs = true;
  eval("(window.ac = new AbortController(), window.cancelled = 'pending', "
       "__MYAPP__.invoke('plugin:dialog|confirm', {message: 'Wait'}, {signal: window.ac.signal})"
       ".catch(e => { window.cancelled = e.code; }), 0)");
  ASSERT_TRUE(wait_until([] { return find_top_level<QMessageBox>() != nullptr; }));
  eval("window.ac.abort()");
  ASSERT_TRUE(wait_until([] { return find_top_level<QMessageBox>() == nullptr; }));
  EXPECT_EQ(eval("window.cancelled"), "\"cancelled\"");
}

TEST_F(Desktop, ClipboardRoundTrip) {
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:clipboard|write_text', {text: 'h\\u00e9llo \\u2603'})"),
            R"J({"ok":null})J");
  EXPECT_EQ(QGuiApplication::clipboard()->text().toStdString(), "h\xC3\xA9llo \xE2\x98\x83");
  QGuiApplication::clipboard()->setText(QStringLiteral("from C++"));
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:clipboard|read_text')"), R"J({"ok":"from C++"})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:clipboard|clear')"), R"J({"ok":null})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:clipboard|read_text')"), R"J({"ok":null})J");
}

TEST_F(Desktop, OpenUrlWithinTheScope) {
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:opener|open_url', {url: 'https://docs.example.com/a/../b?q=1'})"),
            R"J({"ok":null})J");
  EXPECT_EQ(recorder->opened, (std::vector<std::string>{"https://docs.example.com/b?q=1"}));
}

TEST_F(Desktop, OpenUrlOutsideTheScopeIsDeniedNamingTheScope) {
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:opener|open_url', {url: 'https://evil.net/x'})"),
            R"J({"code":"opener.denied","message":"URL `https://evil.net/x` is outside the scope of `plugin:opener|open_url`: no allow entry matches it (allowed: `https://*.example.com/*`, `mailto:*`)"})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:opener|open_url', {url: 'https://ADMIN.example.com/panel'})"),
            R"J({"code":"opener.denied","message":"URL `https://admin.example.com/panel` is outside the scope of `plugin:opener|open_url`: it matches the deny entry {\"url\": \"https://admin.example.com/*\"}"})J");
  // A look-alike host, user info hiding the real host, and files: refused.
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:opener|open_url', {url: 'https://example.com.evil.net/'}).catch(e => e.code)"),
            R"J({"ok":"opener.denied"})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:opener|open_url', {url: 'https://docs.example.com@evil.net/'}).catch(e => e.code)"),
            R"J({"ok":"opener.invalid_url"})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:opener|open_url', {url: 'file:///etc/passwd'}).catch(e => e.code)"),
            R"J({"ok":"opener.invalid_url"})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:opener|open_url', {url: 'not a url'}).catch(e => e.code)"),
            R"J({"ok":"opener.invalid_url"})J");
  EXPECT_TRUE(recorder->opened.empty());
}

TEST_F(Desktop, TheReadyMadeWebScopeOpensWebAndMailUrlsOnly) {
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:opener|open_url', {url: 'https://anything.org/x'})", "web"),
            R"J({"ok":null})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:opener|open_url', {url: 'mailto:ada@example.com'})", "web"),
            R"J({"ok":null})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:opener|open_url', {url: 'ftp://files.org/x'}).catch(e => e.code)", "web"),
            R"J({"ok":"opener.denied"})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:opener|open_path', {path: '/tmp'}).catch(e => e.code)", "web"),
            R"J({"ok":"acl.denied"})J");
  EXPECT_EQ(recorder->opened,
            (std::vector<std::string>{"https://anything.org/x", "mailto:ada@example.com"}));
}

TEST_F(Desktop, OpenPathWithinTheScopeOnTheRealPath) {
  const auto file = (root / "allowed" / "doc.txt").string();
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:opener|open_path', {path: '" +
                   (root / "allowed" / "sub" / ".." / "doc.txt").string() + "'})"),
            R"J({"ok":null})J");
  EXPECT_EQ(recorder->opened, (std::vector<std::string>{"file://" + file}));
}

TEST_F(Desktop, OpenPathOutsideTheScopeIsDenied) {
  // `..` out of the allowed folder.
  const auto escaped = (root / "allowed" / ".." / "secret" / "key").string();
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:opener|open_path', {path: '" + escaped + "'})"),
            "{\"code\":\"opener.denied\",\"message\":\"path `" + (root / "secret" / "key").string() +
                "` is outside the scope of `plugin:opener|open_path`: no allow entry matches it "
                "(allowed: `" + (root / "allowed").string() + "/*`)\"}");
  // A symlink inside the allowed folder pointing out of it.
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:opener|open_path', {path: '" +
                   (root / "allowed" / "link").string() + "'}).catch(e => e.code)"),
            R"J({"ok":"opener.denied"})J");
  // Deny over allow.
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:opener|open_path', {path: '" +
                   (root / "allowed" / "id.key").string() + "'}).catch(e => e.message)"),
            "{\"ok\":\"path `" + (root / "allowed" / "id.key").string() +
                "` is outside the scope of `plugin:opener|open_path`: it matches the deny entry "
                "{\\\"path\\\": \\\"" + (root / "allowed").string() + "/*.key\\\"}\"}");
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:opener|open_path', {path: '" +
                   (root / "allowed" / "missing").string() + "'}).catch(e => e.code)"),
            R"J({"ok":"opener.not_found"})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:opener|open_path', {path: 'relative/x'}).catch(e => e.code)"),
            R"J({"ok":"opener.invalid_path"})J");
  EXPECT_TRUE(recorder->opened.empty());
}

TEST_F(Desktop, TrayWithoutASystemTraySaysSo) {
  const auto r = settle("__MYAPP__.invoke('plugin:tray|create', {tooltip: 'hi'}).then(id => "
                        "'created ' + id, e => e.code + ': ' + e.message)");
  if (QSystemTrayIcon::isSystemTrayAvailable()) {
    EXPECT_EQ(r, R"J({"ok":"created tray-1"})J");
  } else {
    EXPECT_EQ(r, R"J({"ok":"tray.unavailable: this desktop has no system tray (QSystemTrayIcon::isSystemTrayAvailable() is false: a headless session, or no StatusNotifier host is running)"})J");
  }
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:tray|remove', {id: 'nope'}).catch(e => e.code + ': ' + e.message)"),
            R"J({"ok":"tray.not_found: no tray icon with id `nope`"})J");
}

QMenuBar* menu_bar_of(const char* label) {
  return win(label).view()->window()->findChild<QMenuBar*>(QStringLiteral("myapp-menu-bar"));
}

TEST_F(Desktop, MenuFromThePageDeliversClicksToThePage) {
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:menu|set', {items: [{text: 'File', items: ["
                   "{id: 'save', text: 'Save', shortcut: 'Ctrl+S'}, {separator: true}, "
                   "{id: 'wrap', text: 'Wrap', checkable: true}]}]})"),
            R"J({"ok":null})J");
  QMenuBar* bar = nullptr;
  ASSERT_TRUE(wait_until([&] { return (bar = menu_bar_of("main")) != nullptr; }));
  auto* save = bar->findChild<QAction*>(QStringLiteral("save"));
  auto* wrap = bar->findChild<QAction*>(QStringLiteral("wrap"));
  ASSERT_NE(save, nullptr);
  ASSERT_NE(wrap, nullptr);
  EXPECT_EQ(save->shortcut().toString(), QStringLiteral("Ctrl+S"));
  eval("(window.events = [], 0)");
  save->trigger();
  wrap->trigger();
  ASSERT_TRUE(wait_until([] { return eval("window.events.length") == "2"; }));
  EXPECT_EQ(eval("window.events"),
            R"J([{"event":"menu:click","payload":{"id":"save","source":"main","checked":null}},{"event":"menu:click","payload":{"id":"wrap","source":"main","checked":true}}])J");
  // Another window's page hears nothing of it.
  EXPECT_EQ(eval("window.events.length", "bare"), "0");
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:menu|remove')"), R"J({"ok":null})J");
  EXPECT_TRUE(wait_until([] { return menu_bar_of("main") == nullptr; }));
}

TEST_F(Desktop, BadMenusAreRefusedNamingTheEntry) {
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:menu|set', {items: [{text: 'File', items: [{text: 'Open'}]}]})"),
            R"J({"code":"menu.invalid","message":"items[0].items[0]: an action needs an `id`: it is what its click event reports"})J");
  EXPECT_EQ(settle("__MYAPP__.invoke('plugin:menu|set', {items: [{id: 'x', text: 'X', shortcut: 'Ctrl+Nope'}]})"),
            R"J({"code":"menu.invalid","message":"items[0]: `shortcut` `Ctrl+Nope` is not a key sequence (e.g. \"Ctrl+S\")"})J");
}

TEST_F(Desktop, MenuDeclaredInCppIsOnItsWindow) {
  QMenuBar* bar = nullptr;
  ASSERT_TRUE(wait_until([&] { return (bar = menu_bar_of("bare")) != nullptr; }));
  auto* about = bar->findChild<QAction*>(QStringLiteral("about"));
  ASSERT_NE(about, nullptr);
  eval("(window.events = [], 0)", "bare");
  about->trigger();
  ASSERT_TRUE(wait_until([] { return eval("window.events.length", "bare") == "1"; }));
  EXPECT_EQ(eval("window.events[0].payload", "bare"),
            R"J({"id":"about","source":"bare","checked":null})J");
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (std::getenv("QT_QPA_PLATFORM") == nullptr) setenv("QT_QPA_PLATFORM", "offscreen", 1);

  root = fs::temp_directory_path() / ("myapp-desktop-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "allowed" / "sub");
  fs::create_directories(root / "secret");
  std::ofstream(root / "allowed" / "doc.txt") << "d";
  std::ofstream(root / "allowed" / "id.key") << "k";
  std::ofstream(root / "secret" / "key") << "k";
  fs::create_symlink(root / "secret" / "key", root / "allowed" / "link");
  root = fs::canonical(root);

  myapp::app app(argc, argv, {.name = "myapp-desktop-test"});
  app.plugin(myapp::plugins::dialog({.answer = [](const myapp::plugins::dialog_request& r)
                                         -> std::optional<myapp::plugins::dialog_answer> {
    std::lock_guard lock(hook_mutex);
    if (show_real_dialogs) return std::nullopt;
    seen.push_back(r);
    auto a = next_answer.value_or(myapp::plugins::dialog_answer{});
    next_answer.reset();
    return a;
  }}));
  app.plugin(myapp::plugins::clipboard());
  app.plugin(myapp::plugins::opener());
  app.plugin(myapp::plugins::tray());
  myapp::desktop::menu_item about;
  about.id = "about";
  about.text = "About";
  myapp::desktop::menu_item help;
  help.text = "Help";
  help.items = std::vector<myapp::desktop::menu_item>{about};
  app.plugin(myapp::plugins::menu({.windows = {{"bare", {help}}}}));

  const std::string allowed = root.string() + "/allowed";
  std::string permissions = R"J("core:default")J";
  for (const auto& [cmd, args] : COMMANDS) {
    if (cmd.starts_with("plugin:opener")) continue;
    permissions += ",\"" + permission_of(cmd) + "\"";
  }
  app.capability(R"J({"identifier":"desktop","windows":["main"],"permissions":[)J" + permissions +
                 R"J(,{"identifier":"core:opener:allow-open-url",
                       "allow":[{"url":"https://*.example.com/*"},{"url":"mailto:*"}],
                       "deny":[{"url":"https://admin.example.com/*"}]},
                     {"identifier":"core:opener:allow-open-path",
                       "allow":[{"path":")J" + allowed + R"J(/*"}],
                       "deny":[{"path":")J" + allowed + R"J(/*.key"}]}]})J");
  app.capability(R"J({"identifier":"bare","windows":["bare"],"permissions":["core:default"]})J");
  app.window({.label = "main", .title = "desktop test", .url = "index.html"});
  app.capability(R"J({"identifier":"web","windows":["web"],
                      "permissions":["core:default","core:opener:allow-open-web-urls"]})J");
  app.window({.label = "bare", .title = "no desktop permissions", .url = "index.html"});
  app.window({.label = "web", .title = "web URLs only", .url = "index.html"});
  app.start();
  the_app = &app;

  url_recorder rec;
  recorder = &rec;
  QDesktopServices::setUrlHandler(QStringLiteral("https"), &rec, "open");
  QDesktopServices::setUrlHandler(QStringLiteral("file"), &rec, "open");
  QDesktopServices::setUrlHandler(QStringLiteral("mailto"), &rec, "open");

  const int code = RUN_ALL_TESTS();
  QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
  QDesktopServices::unsetUrlHandler(QStringLiteral("file"));
  QDesktopServices::unsetUrlHandler(QStringLiteral("mailto"));
  fs::remove_all(root);
  return code;
}
