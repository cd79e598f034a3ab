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
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "myapp/router.hpp"

class QWebEngineView;
class QWebEnginePage;

namespace myapp {

struct app_options {
  /// The application's name: the Qt application name and the web profile's storage name.
  std::string name = "myapp";
  /// Options for the router (workers, limits).
  router_options router{};
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
};

/// The application. Construct it first thing in `main` (it creates the QApplication), register
/// commands and windows, then `run()`.
///
/// With `MYAPP_SMOKE_TEST=1` in the environment, `run()` loads the first window, waits until
/// its page has loaded and the JS client has completed its handshake, prints
/// `myapp: smoke ok url=<url> ms=<milliseconds>` and returns 0; a load failure, a JavaScript
/// error during load, or no handshake within `MYAPP_SMOKE_TIMEOUT_MS` (default 30000) prints
/// `myapp: smoke failed: <why>` and returns 1.
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
  /// Called by `run()`; tests call it to drive the event loop themselves.
  void start();
  /// Starts the app and runs the Qt event loop until the last window closes. Returns the exit
  /// code.
  int run();

  /// The window with `label`, or nullptr.
  [[nodiscard]] myapp::window* find_window(std::string_view label) const;
  [[nodiscard]] router& get_router() noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace myapp
