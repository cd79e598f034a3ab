// myapp — the Qt-free rules behind the desktop plugins (dialog, opener, tray, menu): scope
// checks for the URLs and paths a page asks the desktop to open, the file filters of dialogs,
// and menu descriptions. The plugins themselves live in the runtime (myapp/plugins.hpp); what
// is here decides, and is unit-tested without a display.
//
//     // The scope of `plugin:opener|open_url` for the calling page, from its capabilities:
//     //   {"identifier": "opener:allow-open-url", "allow": [{"url": "https://*.example.com/*"}]}
//     if (auto denied = myapp::desktop::check_url_scope(scope, url, "plugin:opener|open_url"))
//       throw *denied;   // opener.denied, naming the scope
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "myapp/error.hpp"
#include "myapp/inject.hpp"
#include "myapp/json.hpp"

namespace myapp::desktop {

// ---------------------------------------------------------------------------------------------
// Opener scopes

/// One scope entry of the opener's commands: `{"url": pattern}` for `open_url`,
/// `{"path": glob}` for `open_path`. An entry of the other kind is ignored by a command.
///
/// URL patterns: `scheme://host[:port][/path]` or `scheme:rest` for URLs without a host
/// (`mailto:*`). The scheme is literal; the host is literal, `*.example.com` (any subdomain) or
/// `*` (any host); no port means the scheme's default port only, `*` any port; the path is a glob
/// (`*` any run of characters, `?` one) and a missing path means `/`. Query and fragment are not
/// matched.
///
/// Path globs: absolute, `*` matching any run of characters (`/` included) and `?` one;
/// `$HOME` and `$TEMP` may start them. Paths are compared after symlinks and `..` are resolved,
/// both the page's path and the glob's literal leading folders.
struct opener_scope_entry {
  std::optional<std::string> url;
  std::optional<std::string> path;
};
MYAPP_STRUCT(opener_scope_entry, url, path)

/// Why `pattern` is not a valid opener URL pattern; nothing when it is.
[[nodiscard]] std::optional<std::string> check_url_pattern(std::string_view pattern);
/// True when `url` (already normalised: no `..` segments, lower-case scheme and host) matches
/// `pattern`. A malformed pattern or URL matches nothing; so does a URL with user info.
[[nodiscard]] bool url_matches(std::string_view pattern, std::string_view url);

/// Why `pattern` is not a valid path glob; nothing when it is.
[[nodiscard]] std::optional<std::string> check_path_pattern(std::string_view pattern);
/// True when the canonical path `path` matches `pattern` (variables expanded, its literal
/// leading folders canonicalised). A malformed pattern matches nothing.
[[nodiscard]] bool path_matches(std::string_view pattern, std::string_view path);

/// The canonical form of `path`: absolute, symlinks and `.`/`..` resolved, and existing.
/// Errors: `opener.invalid_path` (empty, relative, NUL, not UTF-8), `opener.not_found`.
[[nodiscard]] result<std::string> canonical_path(std::string_view path);

/// Applies an opener scope to a normalised URL: nothing when some `url` allow entry matches
/// and no `url` deny entry does; otherwise `opener.denied` naming the command, the URL and the
/// scope, or `opener.scope_invalid` naming a malformed entry.
[[nodiscard]] std::optional<error> check_url_scope(const scope<opener_scope_entry>& s,
                                                   std::string_view url,
                                                   std::string_view command);
/// The same for a canonical path and the `path` entries.
[[nodiscard]] std::optional<error> check_path_scope(const scope<opener_scope_entry>& s,
                                                    std::string_view path,
                                                    std::string_view command);

// ---------------------------------------------------------------------------------------------
// Dialogs

/// A file type offered by an open or save dialog: `{"name": "Images", "extensions": ["png"]}`.
/// An extension is 1 to 32 characters from [A-Za-z0-9_+-.] without a leading dot, or `*`.
struct file_filter {
  std::string name;
  std::vector<std::string> extensions;
};
MYAPP_STRUCT(file_filter, name, extensions)

/// The filters as one Qt name-filter list ("Images (*.png *.jpg);;All (*)"); empty when there
/// are none. Error `dialog.invalid_filter` naming the filter's index and what is wrong.
[[nodiscard]] result<std::string> name_filters(const std::vector<file_filter>& filters);

/// The kind of a message box: "info", "warning" or "error". Error `dialog.invalid_kind`.
[[nodiscard]] result<std::string> message_kind(const std::optional<std::string>& kind);

// ---------------------------------------------------------------------------------------------
// Menus

/// An entry of a menu bar, a tray menu or a submenu. A separator is `{"separator": true}`; an
/// entry with `items` is a submenu; any other entry is an action whose `id` comes back in the
/// click event.
struct menu_item {
  std::optional<std::string> id;
  std::optional<std::string> text;
  std::optional<std::vector<menu_item>> items;
  std::optional<bool> separator;
  std::optional<bool> enabled;
  std::optional<bool> checkable;
  std::optional<bool> checked;
  /// A key sequence in Qt's portable form ("Ctrl+S").
  std::optional<std::string> shortcut;
};
MYAPP_STRUCT(menu_item, id, text, items, separator, enabled, checkable, checked, shortcut)

inline constexpr std::size_t MAX_MENU_DEPTH = 8;
inline constexpr std::size_t MAX_MENU_ITEMS = 1000;

/// Checks a menu: every action has a unique id (1 to 128 characters from [A-Za-z0-9-_.:/])
/// and a text (1 to 256 characters), separators have nothing else, submenus have a text and
/// items, at most MAX_MENU_DEPTH levels and MAX_MENU_ITEMS entries. Error `menu.invalid`
/// naming the entry (`items[2].items[0].id`) and what is wrong.
[[nodiscard]] std::optional<error> check_menu(const std::vector<menu_item>& items);

/// The click event of a menu or tray entry, sent to the page(s) as `menu:click` / `tray:menu`.
struct menu_click {
  std::string id;
  /// The label of the window whose menu bar was clicked, or the tray's id.
  std::string source;
  /// The new state of a checkable entry.
  std::optional<bool> checked;
};
MYAPP_STRUCT(menu_click, id, source, checked)

}  // namespace myapp::desktop
