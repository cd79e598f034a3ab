// myapp — the desktop plugins: dialogs, clipboard, opener, tray icon and window menus.
//
//     #include <myapp/plugins.hpp>
//
//     app.plugin(myapp::plugins::dialog());
//     app.plugin(myapp::plugins::clipboard());
//     app.plugin(myapp::plugins::opener());
//     app.plugin(myapp::plugins::menu({.windows = {{"main", file_menu}}}));
//
// Each command has its own permission, `core:<plugin>:allow-<command>` (`_` written `-`), and
// none is granted unless a capability lists it: the plugins add nothing to `core:default`.
// The opener's commands take a scope of `{"url": pattern}` / `{"path": glob}` entries
// (myapp/desktop.hpp), checked in C++ on every call. docs/desktop.md lists every command,
// permission, scope, event and the JS API.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "myapp/desktop.hpp"
#include "myapp/plugin.hpp"

namespace myapp {
class app;
}  // namespace myapp

namespace myapp::plugins {

/// A dialog a page asked for, as the test hook sees it.
struct dialog_request {
  /// "open", "save", "message", "ask" or "confirm".
  std::string kind;
  /// The label of the window that asked; the dialog is modal to it.
  std::string window;
  std::string title;
  /// The text of a message box.
  std::string message;
  /// "info", "warning" or "error" (message boxes).
  std::string message_kind;
  std::vector<desktop::file_filter> filters;
  std::string default_path;
  bool multiple = false;   ///< open: several files
  bool directory = false;  ///< open: a folder
};

/// The answer to a dialog: the chosen paths of a file dialog (none: cancelled), or whether a
/// message box was accepted (Ok / Yes).
struct dialog_answer {
  std::vector<std::string> paths;
  bool accepted = false;
};

struct dialog_options {
  /// Answers dialogs without showing them (tests, automation). Called on the GUI thread for
  /// every dialog; returning nothing shows the real dialog.
  std::function<std::optional<dialog_answer>(const dialog_request&)> answer;
};

/// `plugin:dialog|open`, `save`, `message`, `ask`, `confirm`: QFileDialog and QMessageBox,
/// modal to the calling window. The GUI thread never waits: the command's worker does, and a
/// window has at most one dialog open (another is refused with `dialog.busy`).
plugin dialog(dialog_options options = {});

/// `plugin:clipboard|read_text`, `write_text`, `clear`: the system clipboard's text.
plugin clipboard();

/// `plugin:opener|open_url` and `open_path`: the desktop's browser, mail client or file
/// handler (QDesktopServices::openUrl), within the command's scope. Paths are canonicalised
/// (symlinks, `..`) before the scope is applied; `file:` URLs are refused by `open_url`.
plugin opener();

/// A tray icon: `{"id", "tooltip", "icon", "menu"}`; `icon` is a path inside the app's
/// frontend (`icons/tray.png`).
struct tray_spec {
  std::optional<std::string> id;
  std::optional<std::string> tooltip;
  std::optional<std::string> icon;
  std::optional<std::vector<desktop::menu_item>> menu;
};
MYAPP_STRUCT(tray_spec, id, tooltip, icon, menu)

struct tray_options {
  /// Tray icons created when the app starts (where the desktop has a system tray; elsewhere a
  /// warning is logged).
  std::vector<tray_spec> icons;
};

/// `plugin:tray|create`, `set_menu`, `set_tooltip`, `remove`: icons in the system tray with a
/// menu. Clicks arrive to every listening page as `tray:click` ({id, source: tray id}) and
/// menu entries as `tray:menu` (desktop::menu_click). Where the desktop has no system tray
/// (headless, or no StatusNotifier host) `create` fails with `tray.unavailable`.
plugin tray(tray_options options = {});

struct menu_options {
  /// Menu bars set when the windows are created: window label → entries.
  std::vector<std::pair<std::string, std::vector<desktop::menu_item>>> windows;
};

/// `plugin:menu|set` and `remove`: the menu bar of the calling window. Clicks arrive to that
/// window's page as `menu:click` (desktop::menu_click, `source` being the window's label).
plugin menu(menu_options options = {});

/// Sets (or, with no entries, removes) the menu bar of window `label` from C++, at any time
/// after `app::start()`; GUI thread (elsewhere: `menu.wrong_thread`). Errors: `menu.invalid`,
/// `menu.not_found` (no such window). Returns nothing when it worked.
std::optional<error> set_window_menu(app& a, const std::string& label,
                             const std::vector<desktop::menu_item>& items);

}  // namespace myapp::plugins
