// Windows at run time: each window (a view, its web page, the bridge and the client injected
// into it), the events of each window (close requested, destroyed, focus, blur, resize, move,
// theme changed) and of the app (ready, exit requested, last window closed). The core window
// plugin's commands (core:window:*) are in plugins/window.cpp. See docs/windows.md.
#pragma once

#include <QObject>
#include <QPointer>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "myapp/app.hpp"
#include "myapp/plugin.hpp"

class QEvent;
class QTimer;
class QUrl;
class QWebChannel;
class QWebEngineProfile;
class QWidget;

namespace myapp::runtime {

/// Event names. A window's events are sent to its label (its own page and C++ listeners of
/// that label or "*"); the app's are broadcast.
namespace window_event {
inline constexpr std::string_view CLOSE_REQUESTED = "myapp://close-requested";
inline constexpr std::string_view DESTROYED = "myapp://destroyed";
inline constexpr std::string_view CREATED = "myapp://created";
inline constexpr std::string_view FOCUS = "myapp://focus";
inline constexpr std::string_view BLUR = "myapp://blur";
inline constexpr std::string_view RESIZE = "myapp://resize";
inline constexpr std::string_view MOVE = "myapp://move";
inline constexpr std::string_view THEME_CHANGED = "myapp://theme-changed";
inline constexpr std::string_view RENDERER_GONE = "myapp://renderer-gone";
inline constexpr std::string_view APP_READY = "myapp://ready";
inline constexpr std::string_view EXIT_REQUESTED = "myapp://exit-requested";
inline constexpr std::string_view LAST_WINDOW_CLOSED = "myapp://last-window-closed";
}  // namespace window_event

class bridge;
class bulk_lane;
struct page_client;
class web_page;

/// One window of the app: a QWebEngineView, its web page, and the bridge that carries the
/// page's messages, with the myapp client injected into every document it loads.
class app_window final : public myapp::window {
 public:
  /// `on_ready` runs when a page of this window completes the handshake; `client` says how the
  /// client is set up in its pages (isolation.hpp).
  app_window(window_options options, QWebEngineProfile* profile, router& r, bulk_lane* lane,
             const page_client& client, std::function<void(app_window&)> on_ready);
  ~app_window() override;

  [[nodiscard]] const std::string& label() const noexcept override { return options_.label; }
  [[nodiscard]] QWebEngineView* view() const noexcept override { return view_.get(); }
  [[nodiscard]] QWebEnginePage* page() const noexcept override;
  [[nodiscard]] web_page& web() const noexcept { return *page_; }
  [[nodiscard]] bool ready() const noexcept override;
  [[nodiscard]] const window_options& options() const noexcept { return options_; }

  void eval(const std::string& expression, std::function<void(std::string)> done) override;
  void load(const QUrl& url);
  /// The page went away without saying so (its renderer died): its session ends now, as a
  /// reload would end it — calls cancelled, channels closed, listens dropped, lane and blobs
  /// freed.
  void end_session();
  /// Injects `source` after the client in every document this window loads.
  void add_script(const std::string& name, const std::string& source);

  void close() override {
    if (closer) closer(false);
  }
  void destroy() override {
    if (closer) closer(true);
  }
  /// Set by the app: asks to close (false) or closes (true).
  std::function<void(bool force)> closer;

 private:
  window_options options_;
  std::unique_ptr<QWebEngineView> view_;
  web_page* page_ = nullptr;
  bridge* bridge_ = nullptr;
  QWebChannel* channel_ = nullptr;
};

/// Helpers the window manager and the window plugin share.
bool is_dark(const QWidget* w);
void set_state_flag(QWidget* v, Qt::WindowState flag, bool on);

class window_manager;

/// Watches one window's widget for the events the app reports, and runs its close handshake.
class window_watch final : public QObject {
  Q_OBJECT

 public:
  window_watch(window_manager& m, app_window& w);
  bool eventFilter(QObject* watched, QEvent* event) override;

  /// Asks to close: the C++ hooks, then the page (if it listens), then closes.
  void request_close();
  /// Closes without asking.
  void destroy();
  /// The page answered close request `id`.
  bool answer(std::uint64_t id, bool prevent);
  /// The page's renderer process died (`status` as QWebEnginePage reports it).
  void on_renderer_gone(int status, int exit_code);
  /// A page loaded after a renderer death: checks that myapp's client came up with it.
  void check_client_after_death();
  /// The page that handles close requests (its `onCloseRequested`).
  void set_close_page(webview page) { close_page_ = std::make_unique<webview>(std::move(page)); }
  [[nodiscard]] bool destroying() const noexcept { return destroying_; }
  [[nodiscard]] const std::string& label() const noexcept { return label_; }

  // Size limits kept here so that `set_resizable(true)` can restore them.
  int min_w = 0, min_h = 0, max_w = 0, max_h = 0;
  bool resizable = true;
  /// Applies the size limits kept here, and the resizable flag, to the window.
  void apply_limits() const;

 private:
  window_manager& m_;
  app_window& w_;
  std::string label_;
  std::unique_ptr<webview> close_page_;
  std::uint64_t pending_ = 0;  // the close request the page has not answered yet
  std::uint64_t next_id_ = 1;
  QTimer* timeout_ = nullptr;
  bool destroying_ = false;
  bool dark_ = false;
  std::vector<std::chrono::steady_clock::time_point> deaths_;  // of the renderer, recent ones
  bool reloading_after_death_ = false;  // the next load is the one after a renderer death
  bool scripts_resent_ = false;         // ...and its scripts were sent again once already
};

/// Everything about windows that the app delegates: one per app, GUI thread only.
class window_manager {
 public:
  struct callbacks {
    std::function<myapp::window*(std::string_view)> find;
    std::function<std::vector<myapp::window*>()> all;
    /// Removes the window (its widget is closed already). Called from a queued task.
    std::function<void(const std::string&)> erase;
    /// Declares and creates a window (app::window after start).
    std::function<void(window_options)> create;
    /// True when a page may be loaded from `url` (after resolving a relative path).
    std::function<bool(const std::string&)> url_allowed;
    /// Ends the event loop with `code`.
    std::function<void(int)> quit;
  };

  window_manager(router& r, callbacks cb);
  ~window_manager();

  /// The core window plugin (commands, permissions, page script).
  myapp::plugin make_plugin();
  /// A window was created: applies its options, watches it, emits `created`.
  void attach(app_window& w, const window_options& o);
  void request_close(std::string_view label);
  void destroy(std::string_view label);
  /// Exit requested (preventable from C++ unless `forced`, as for SIGTERM); then quits.
  /// Returns false when prevented.
  bool request_exit(int code, bool forced = false);
  /// The event loop started.
  void emit_ready();

  std::vector<std::function<void(close_request&)>> close_hooks;
  std::vector<std::function<void(exit_request&)>> exit_hooks;
  /// How long a page may take to answer a close request before the window closes anyway.
  int close_timeout_ms = 3000;

 private:
  friend class window_watch;
  window_watch* watch_of(std::string_view label) const;
  void send_event(std::string_view label, std::string_view event, std::string payload_json);
  void destroyed(const std::string& label);

  router& r_;
  callbacks cb_;
  std::map<std::string, QPointer<window_watch>, std::less<>> watches_;
  bool exiting_ = false;  // an exit went ahead: windows closing now do not ask again
};

}  // namespace myapp::runtime
