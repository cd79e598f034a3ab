// The core `window` plugin: every window command under its own core:window: permission, and
// the getters in core:window:default. The page side is @myapp/api/window
// (runtime-js/src/api/window.js).
#include <QCoreApplication>
#include <QScreen>
#include <QTimer>
#include <QWebEngineView>
#include <QWidget>

#include <fmt/format.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "myapp/config.hpp"
#include "windows.hpp"

namespace myapp::runtime {

namespace {

struct size_value {
  int width = 0;
  int height = 0;
};
MYAPP_STRUCT(size_value, width, height)

struct position_value {
  int x = 0;
  int y = 0;
};
MYAPP_STRUCT(position_value, x, y)

/// What `new WebviewWindow(label, options)` may ask for.
struct create_options {
  std::optional<std::string> url, title;
  std::optional<int> width, height, x, y;
  std::optional<int> min_width, min_height, max_width, max_height;
  std::optional<bool> resizable, visible, center, maximized, fullscreen, always_on_top, focus;
};
MYAPP_STRUCT(create_options, url, title, width, height, x, y, min_width, min_height, max_width,
             max_height, resizable, visible, center, maximized, fullscreen, always_on_top, focus)

constexpr int MAX_EXTENT = 100000;

void check_extent(std::string_view what, int v, int min) {
  if (v < min || v > MAX_EXTENT) {
    throw error(errc::args_invalid, fmt::format("`{}` must be between {} and {}, got {}", what, min,
                                                MAX_EXTENT, v));
  }
}

}  // namespace

myapp::plugin window_manager::make_plugin() {
  auto p = detail::core_plugin("window");
  const command_options gui{.main_thread = true};
  using opt_label = std::optional<std::string>;

  // The window a command addresses: the one named by `label`, or the caller's.
  auto target = [this](const request& req, const opt_label& label) -> QWidget* {
    const std::string& l = label ? *label : req.caller().label;
    auto* w = cb_.find(l);
    auto* watch = watch_of(l);
    if (w == nullptr || watch == nullptr || watch->destroying()) {
      throw error("window.not_found", fmt::format("no window is labelled `{}`", l));
    }
    return w->view();
  };
  auto watch_for = [this](const request& req, const opt_label& label) -> window_watch& {
    const std::string& l = label ? *label : req.caller().label;
    auto* watch = watch_of(l);
    if (watch == nullptr || watch->destroying()) {
      throw error("window.not_found", fmt::format("no window is labelled `{}`", l));
    }
    return *watch;
  };

  // Getters (core:window:default).
  p.command("title", [target](const request& req, opt_label label) {
    return target(req, label)->windowTitle().toStdString();
  }, {"label"}, gui);
  p.command("inner_size", [target](const request& req, opt_label label) {
    auto* v = target(req, label);
    return size_value{v->width(), v->height()};
  }, {"label"}, gui);
  p.command("outer_size", [target](const request& req, opt_label label) {
    auto g = target(req, label)->frameGeometry();
    return size_value{g.width(), g.height()};
  }, {"label"}, gui);
  p.command("inner_position", [target](const request& req, opt_label label) {
    auto g = target(req, label)->geometry();
    return position_value{g.x(), g.y()};
  }, {"label"}, gui);
  p.command("outer_position", [target](const request& req, opt_label label) {
    auto g = target(req, label)->frameGeometry();
    return position_value{g.x(), g.y()};
  }, {"label"}, gui);
  p.command("scale_factor", [target](const request& req, opt_label label) {
    return target(req, label)->devicePixelRatioF();
  }, {"label"}, gui);
  p.command("is_maximized", [target](const request& req, opt_label label) {
    return target(req, label)->isMaximized();
  }, {"label"}, gui);
  p.command("is_minimized", [target](const request& req, opt_label label) {
    return target(req, label)->isMinimized();
  }, {"label"}, gui);
  p.command("is_fullscreen", [target](const request& req, opt_label label) {
    return target(req, label)->isFullScreen();
  }, {"label"}, gui);
  p.command("is_visible", [target](const request& req, opt_label label) {
    return target(req, label)->isVisible();
  }, {"label"}, gui);
  p.command("is_focused", [target](const request& req, opt_label label) {
    return target(req, label)->isActiveWindow();
  }, {"label"}, gui);
  p.command("is_resizable", [watch_for](const request& req, opt_label label) {
    return watch_for(req, label).resizable;
  }, {"label"}, gui);
  p.command("is_always_on_top", [target](const request& req, opt_label label) {
    return target(req, label)->windowFlags().testFlag(Qt::WindowStaysOnTopHint);
  }, {"label"}, gui);
  p.command("theme", [target](const request& req, opt_label label) {
    return std::string(is_dark(target(req, label)) ? "dark" : "light");
  }, {"label"}, gui);
  p.command("get_all_windows", [this] {
    std::vector<std::string> labels;
    for (auto* w : cb_.all()) {
      if (auto* watch = watch_of(w->label()); watch != nullptr && !watch->destroying()) {
        labels.push_back(w->label());
      }
    }
    return labels;
  }, {}, gui);
  // The page's side of the close handshake: only ever about the caller's own window.
  p.command("close_listen", [watch_for](const request& req, webview caller) {
    watch_for(req, std::nullopt).set_close_page(std::move(caller));
  }, {}, gui);
  p.command("close_answer", [watch_for](const request& req, std::uint64_t id, bool prevent) {
    return watch_for(req, std::nullopt).answer(id, prevent);
  }, {"id", "prevent"}, gui);

  // Setters: each needs its own permission.
  p.command("set_title", [target](const request& req, std::string title, opt_label label) {
    if (title.size() > 4096) throw error(errc::args_invalid, "`title` is longer than 4096 bytes");
    target(req, label)->setWindowTitle(QString::fromStdString(title));
  }, {"title", "label"}, gui);
  p.command("set_size", [target, watch_for](const request& req, size_value size, opt_label label) {
    check_extent("size.width", size.width, 1);
    check_extent("size.height", size.height, 1);
    auto* v = target(req, label);
    if (!watch_for(req, label).resizable) v->setFixedSize(size.width, size.height);
    v->resize(size.width, size.height);
  }, {"size", "label"}, gui);
  p.command("set_min_size", [target, watch_for](const request& req, std::optional<size_value> size,
                                                opt_label label) {
    target(req, label);  // the window must exist
    auto& w = watch_for(req, label);
    if (size) {
      check_extent("size.width", size->width, 0);
      check_extent("size.height", size->height, 0);
    }
    w.min_w = size ? size->width : 0;
    w.min_h = size ? size->height : 0;
    w.apply_limits();
  }, {"size", "label"}, gui);
  p.command("set_max_size", [target, watch_for](const request& req, std::optional<size_value> size,
                                                opt_label label) {
    target(req, label);  // the window must exist
    auto& w = watch_for(req, label);
    if (size) {
      check_extent("size.width", size->width, 1);
      check_extent("size.height", size->height, 1);
    }
    w.max_w = size ? size->width : 0;
    w.max_h = size ? size->height : 0;
    w.apply_limits();
  }, {"size", "label"}, gui);
  p.command("set_position", [target](const request& req, position_value position,
                                     opt_label label) {
    if (std::abs(position.x) > MAX_EXTENT || std::abs(position.y) > MAX_EXTENT) {
      throw error(errc::args_invalid, fmt::format("`position` must be within ±{}", MAX_EXTENT));
    }
    target(req, label)->move(position.x, position.y);
  }, {"position", "label"}, gui);
  p.command("center", [target](const request& req, opt_label label) {
    auto* v = target(req, label);
    auto* screen = v->screen();
    if (screen == nullptr) throw error("window.no_screen", "the window is on no screen");
    QRect frame = v->frameGeometry();
    frame.moveCenter(screen->availableGeometry().center());
    v->move(frame.topLeft());
  }, {"label"}, gui);
  p.command("maximize", [target](const request& req, opt_label label) {
    set_state_flag(target(req, label), Qt::WindowMaximized, true);
  }, {"label"}, gui);
  p.command("unmaximize", [target](const request& req, opt_label label) {
    set_state_flag(target(req, label), Qt::WindowMaximized, false);
  }, {"label"}, gui);
  p.command("minimize", [target](const request& req, opt_label label) {
    set_state_flag(target(req, label), Qt::WindowMinimized, true);
  }, {"label"}, gui);
  p.command("unminimize", [target](const request& req, opt_label label) {
    set_state_flag(target(req, label), Qt::WindowMinimized, false);
  }, {"label"}, gui);
  p.command("set_fullscreen", [target](const request& req, bool fullscreen, opt_label label) {
    set_state_flag(target(req, label), Qt::WindowFullScreen, fullscreen);
  }, {"fullscreen", "label"}, gui);
  p.command("show", [target](const request& req, opt_label label) {
    target(req, label)->show();
  }, {"label"}, gui);
  p.command("hide", [target](const request& req, opt_label label) {
    target(req, label)->hide();
  }, {"label"}, gui);
  p.command("set_focus", [target](const request& req, opt_label label) {
    auto* v = target(req, label);
    v->show();
    v->raise();
    v->activateWindow();
  }, {"label"}, gui);
  p.command("set_always_on_top", [target](const request& req, bool always_on_top,
                                          opt_label label) {
    auto* v = target(req, label);
    const bool visible = v->isVisible();
    v->setWindowFlag(Qt::WindowStaysOnTopHint, always_on_top);
    if (visible) v->show();  // changing the flags hides a window
  }, {"always_on_top", "label"}, gui);
  p.command("set_resizable", [target, watch_for](const request& req, bool resizable,
                                                 opt_label label) {
    target(req, label);  // the window must exist
    auto& w = watch_for(req, label);
    w.resizable = resizable;
    w.apply_limits();
  }, {"resizable", "label"}, gui);
  p.command("close", [this, watch_for](const request& req, opt_label label) {
    auto& w = watch_for(req, label);
    // After this call has been answered: the page may be the one asked.
    QTimer::singleShot(0, QCoreApplication::instance(),
                       [this, l = w.label()] { request_close(l); });
  }, {"label"}, gui);
  p.command("destroy", [this, watch_for](const request& req, opt_label label) {
    auto& w = watch_for(req, label);
    QTimer::singleShot(0, QCoreApplication::instance(), [this, l = w.label()] { destroy(l); });
  }, {"label"}, gui);
  p.command("create", [this](std::string label, std::optional<create_options> options) {
    if (!config::valid_window_label(label)) {
      throw error("window.label_invalid",
                  fmt::format("`{}` is not a valid window label: use 1 to 64 characters from "
                              "[A-Za-z0-9-_/:], not beginning with __myapp",
                              label.substr(0, 80)));
    }
    if (cb_.find(label) != nullptr) {
      throw error("window.label_taken", fmt::format("a window labelled `{}` exists", label));
    }
    const create_options o = options.value_or(create_options{});
    window_options w;
    w.label = label;
    if (o.url) w.url = *o.url;
    if (!cb_.url_allowed(w.url)) {
      throw error("window.url_forbidden",
                  fmt::format("`{}` is neither an app page nor a URL that a capability's "
                              "`remote.urls` names",
                              w.url.substr(0, 200)));
    }
    if (o.title) w.title = *o.title;
    if (o.width) {
      check_extent("options.width", *o.width, 1);
      w.width = *o.width;
    }
    if (o.height) {
      check_extent("options.height", *o.height, 1);
      w.height = *o.height;
    }
    w.x = o.x;
    w.y = o.y;
    w.min_width = o.min_width.value_or(0);
    w.min_height = o.min_height.value_or(0);
    w.max_width = o.max_width.value_or(0);
    w.max_height = o.max_height.value_or(0);
    w.resizable = o.resizable.value_or(true);
    w.visible = o.visible.value_or(true);
    w.center = o.center.value_or(false);
    w.maximized = o.maximized.value_or(false);
    w.fullscreen = o.fullscreen.value_or(false);
    w.always_on_top = o.always_on_top.value_or(false);
    cb_.create(w);
    if (o.focus.value_or(false)) {
      if (auto* created = cb_.find(label)) created->view()->activateWindow();
    }
  }, {"label", "options"}, gui);

  p.permissions(R"({
    "sets": [{
      "identifier": "default",
      "description": "Reading a window's state, and the page's side of onCloseRequested",
      "permissions": ["allow-title", "allow-inner-size", "allow-outer-size", "allow-inner-position",
                      "allow-outer-position", "allow-scale-factor", "allow-is-maximized",
                      "allow-is-minimized", "allow-is-fullscreen", "allow-is-visible",
                      "allow-is-focused", "allow-is-resizable", "allow-is-always-on-top",
                      "allow-theme", "allow-get-all-windows", "allow-close-listen",
                      "allow-close-answer"]
    }]
  })");
  return p;
}

}  // namespace myapp::runtime
