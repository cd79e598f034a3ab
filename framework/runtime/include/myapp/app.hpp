// myapp — the application: commands, windows, and the Qt event loop.
//
//     #include <myapp/app.hpp>
//
//     int main(int argc, char** argv) {
//       myapp::app app(argc, argv, {.name = "hello"});
//       app.command("greet", [](std::string name) { return "Hello, " + name + "!"; }, {"name"});
//       app.window({.label = "main", .title = "Hello", .url = "index.html"});
//       return app.run();
//     }
//
// The page calls `await window.__MYAPP__.invoke('greet', { name: 'Ada' })` (or `invoke` from
// '@myapp/api'). Frontend files compiled in with `myapp_add_app(... FRONTEND dir)` are served
// from `myapp://localhost/`.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "myapp/paths.hpp"
#include "myapp/plugin.hpp"
#include "myapp/router.hpp"

class QWebEngineView;
class QWebEnginePage;

namespace myapp {

/// The bulk lane: a loopback WebSocket carrying large batches and binary arguments from pages
/// (docs/bytes.md). Bound to 127.0.0.1; each page load gets its own secret.
struct bulk_lane_options {
  /// Off: everything travels through QWebChannel (correct, but slow for large data).
  bool enabled = true;
  /// 0: any free port (the default). A fixed port that is taken makes `start()` fail.
  std::uint16_t port = 0;
  /// Largest message (one buffer, or one batch) a page may send over the lane, in bytes.
  std::size_t max_message_bytes = std::size_t{1} << 30;
  /// Largest WebSocket frame, in bytes.
  std::size_t max_frame_bytes = std::size_t{1} << 30;
};

struct app_options {
  /// The application's name: the Qt application name and the web profile's storage name.
  std::string name = "myapp";
  /// Options for the router (workers, limits).
  router_options router{};
  /// The bulk lane for large data from pages.
  bulk_lane_options lane{};
  /// Names the app's folders (`app::paths()`); empty: `identifier` from myapp.conf.json, or
  /// else `name`.
  std::string identifier{};
  /// Log to a rotating file in `paths().log` as well as stderr (MYAPP_LOG_FILE=0 turns it off
  /// too). See docs/logging.md.
  bool log_file = true;
  /// Devtools (F12, Ctrl+Shift+I, `__MYAPP__.openDevtools()`). Unset: on under `myapp dev`
  /// only. MYAPP_DEVTOOLS=1 or 0 in the environment overrides both.
  std::optional<bool> devtools{};
  /// The IPC inspector (docs/inspector.md). Unset: myapp.conf.json's app.inspector decides, and
  /// without it, on under `myapp dev` only. MYAPP_INSPECTOR=1 or 0 overrides all of them.
  std::optional<bool> inspector{};
  /// On quitting, how long handlers still running may take to finish once their calls are
  /// cancelled. Past it the app logs which did not and exits anyway, with the code asked.
  std::chrono::milliseconds exit_grace{3000};
};

/// What a window does when its page's renderer process dies (it crashed, ran out of memory, or
/// was killed): its calls are cancelled and its channels closed in any case, and the app hears
/// `myapp://renderer-gone` (docs/windows.md).
enum class renderer_gone {
  reload,  ///< load the page again (the default); after 3 deaths within a minute, keep it dead
  close,   ///< close the window
  keep,    ///< leave the dead page shown
};

struct window_options {
  /// Unique label naming the window's webview; what `caller().label` reports to handlers.
  std::string label = "main";
  std::string title = "myapp";
  /// A path inside the frontend ("index.html", "/settings") or an absolute URL.
  std::string url = "index.html";
  int width = 800;
  int height = 600;
  bool resizable = true;
  /// Show the window when the app starts.
  bool visible = true;
  /// Position of the window's top-left corner; unset: where the window system puts it.
  std::optional<int> x{};
  std::optional<int> y{};
  /// Center the window on its screen (overrides x and y).
  bool center = false;
  /// Size limits in logical pixels; 0: none.
  int min_width = 0;
  int min_height = 0;
  int max_width = 0;
  int max_height = 0;
  bool maximized = false;
  bool fullscreen = false;
  bool always_on_top = false;
  /// The isolation hook of this window's pages: a script inside the frontend ("isolation.js")
  /// defining `__MYAPP_ISOLATION_HOOK__` (docs/security.md). Unset: myapp.conf.json's
  /// `app.security.isolation`; empty: none for this window.
  std::optional<std::string> isolation{};
  /// When the page's renderer process dies.
  renderer_gone on_renderer_gone = renderer_gone::reload;
};

/// A window is about to close (the user, `window::close()`, or `close()` from its page).
/// Handlers registered with `app::on_close_requested` may keep it open with `prevent()`.
struct close_request {
  std::string label;
  bool prevented = false;
  void prevent() noexcept { prevented = true; }
};

/// The app is about to exit (its last window closed, or `app::exit`). Handlers registered with
/// `app::on_exit_requested` may keep it running with `prevent()`.
struct exit_request {
  int code = 0;
  bool prevented = false;
  void prevent() noexcept { prevented = true; }
};

/// The scheme and host the compiled-in frontend is served from.
inline constexpr std::string_view APP_SCHEME = "myapp";
inline constexpr std::string_view APP_ORIGIN = "myapp://localhost";

/// One top-level window holding one webview. Owned by the app; GUI thread only.
class window {
 public:
  virtual ~window() = default;
  [[nodiscard]] virtual const std::string& label() const noexcept = 0;
  [[nodiscard]] virtual QWebEngineView* view() const noexcept = 0;
  [[nodiscard]] virtual QWebEnginePage* page() const noexcept = 0;
  /// Runs `script` in the page's main world; `done` receives the result as JSON text
  /// (`JSON.stringify` of the value; "undefined" when it has none).
  virtual void eval(const std::string& script, std::function<void(std::string)> done) = 0;
  /// True once the current page completed the handshake with the C++ side.
  [[nodiscard]] virtual bool ready() const noexcept = 0;
  /// Asks the window to close, as the user's close button does: close-requested handlers (C++,
  /// then the page's `onCloseRequested`) may keep it open. The window object is destroyed
  /// later, in the event loop.
  virtual void close() = 0;
  /// Closes the window without asking.
  virtual void destroy() = 0;
};

/// The application. Construct it first thing in `main` (it creates the QApplication), register
/// commands and windows, then `run()`.
///
/// With `MYAPP_SMOKE_TEST=1` in the environment, `run()` loads the first window, waits until
/// its page has loaded and the JS client has completed its handshake, prints
/// `myapp: smoke ok url=<url> ms=<milliseconds>` and returns 0; a load failure, a JavaScript
/// error during load, or no handshake within `MYAPP_SMOKE_TIMEOUT_MS` (default 30000) prints
/// `myapp: smoke failed: <why>` and returns 1.
///
/// With `MYAPP_DESCRIBE=<file>` in the environment (or a `--myapp-describe=<file>` argument;
/// "-" is stdout), `run()` writes `router::describe()` there and returns 0 without creating a
/// window or needing a display: `myapp bindings` reads it.
///
/// Mistakes in setting up (a command registered twice, a window label used twice, ...) throw
/// `setup_error` where they are made; one that `main()` does not catch ends the program like a
/// failed start: its message on stderr and exit code 1.
class app {
 public:
  app(int& argc, char** argv, app_options options = {});
  ~app();
  app(const app&) = delete;
  app& operator=(const app&) = delete;

  /// Registers a command; see `router::add`. Throws `setup_error` on a mistake.
  template <class F>
  app& command(std::string name, F fn, std::initializer_list<std::string_view> arg_names = {},
               command_options options = {}) {
    get_router().add(std::move(name), std::move(fn), arg_names, options);
    return *this;
  }

  /// Registers shared state for handlers taking `myapp::state<T>`; before those commands.
  template <class T>
  app& manage(std::shared_ptr<T> value) {
    get_router().manage(std::move(value));
    return *this;
  }

  /// Sends an event to every listener (C++ and pages); any thread. See router::emit_event.
  template <json::writable T>
  void emit_event(std::string_view event, const T& payload) {
    get_router().emit_event(event, payload);
  }
  /// Sends an event to the webview labelled `target` only.
  template <json::writable T>
  void emit_event_to(std::string_view target, std::string_view event, const T& payload) {
    get_router().emit_event_to(target, event, payload);
  }
  /// Listens to events from pages and C++; see router::listen.
  listener_id listen(std::string_view event, std::function<void(const myapp::event&)> fn,
                     listen_options options = {}) {
    return get_router().listen(event, std::move(fn), std::move(options));
  }
  /// Declares that the event `name` carries a T, so that `myapp bindings` types its listeners
  /// and emitters; see router::declare_event.
  template <class T>
  app& declare_event(std::string name) {
    get_router().declare_event<T>(std::move(name));
    return *this;
  }

  /// Installs a plugin (plugin.hpp): registers its state and commands now; its permissions,
  /// script and hooks take effect at `start()`. Throws `setup_error` for a plugin name used
  /// twice or a mistake in its commands.
  app& plugin(myapp::plugin p);

  /// Calls `fn` when a window is asked to close; `request.prevent()` keeps it open. GUI thread.
  app& on_close_requested(std::function<void(close_request&)> fn);
  /// Calls `fn` when the app is asked to exit (the last window closed, or `exit`);
  /// `request.prevent()` keeps the event loop running. GUI thread.
  app& on_exit_requested(std::function<void(exit_request&)> fn);
  /// Asks the app to exit with `code` (exit-requested handlers may prevent it), then closes
  /// every window and ends the event loop. GUI thread.
  void exit(int code = 0);

  /// Adds a capability given as JSON text (same format as capabilities/*.json, which
  /// myapp_add_app compiles in); `name` appears in error messages. Checked at start().
  app& capability(std::string json_text, std::string name = "(code)");
  /// Adds permissions and sets given as JSON text (the format of permissions/*.json).
  app& permissions(std::string json_text, std::string name = "(code)");

  /// Declares a window, created when the app starts (or at once if it already has).
  /// Throws `setup_error` when the label is empty, malformed or already used.
  app& window(window_options options);

  /// The resource prefix the frontend is served from (default ":/myapp/frontend").
  app& frontend(std::string resource_prefix);

  /// Creates and shows the declared windows (one default window if none was declared).
  /// Called by `run()`; tests call it to drive the event loop themselves. Throws
  /// `setup_error` when the config or capabilities have problems, or when a window's page (an
  /// app URL) is not in the frontend.
  void start();
  /// Starts the app and runs the Qt event loop until the last window closes. Returns the exit
  /// code. When start-up fails (a `setup_error`: the embedded config or the capabilities have
  /// problems, a window's page is not in the frontend), prints the message on stderr and
  /// returns 1.
  int run();

  /// Opens the IPC inspector's window (docs/inspector.md), or brings it forward. False when
  /// the inspector is off or the app has not started. GUI thread.
  bool open_inspector();

  /// The window with `label`, or nullptr.
  [[nodiscard]] myapp::window* find_window(std::string_view label) const;
  [[nodiscard]] router& get_router() noexcept;

  /// The app's folders per the XDG Base Directory specification, each named after its
  /// identifier (see `app_options::identifier`): `paths().data / "notes.db"`. Nothing is
  /// created. Throws `setup_error` when they cannot be placed (no HOME and no XDG_* set).
  [[nodiscard]] const paths::app_dirs& paths() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace myapp
