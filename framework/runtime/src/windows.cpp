#include "windows.hpp"

#include <QCloseEvent>
#include <QEvent>
#include <QGuiApplication>
#include <QMoveEvent>
#include <QPalette>
#include <QResizeEvent>
#include <QScreen>
#include <QTimer>
#include <QWebEngineView>
#include <QWidget>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "log.hpp"
#include "window_js.hpp"

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

bool valid_label(std::string_view label) {
  if (label.empty() || label.size() > 64) return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '/' || c == ':';
  });
}

void check_extent(std::string_view what, int v, int min) {
  if (v < min || v > MAX_EXTENT) {
    throw error(errc::args_invalid, fmt::format("`{}` must be between {} and {}, got {}", what, min,
                                                MAX_EXTENT, v));
  }
}

bool is_dark(const QWidget* w) {
  const QColor c = w->palette().color(QPalette::Window);
  return c.lightness() < 128;
}

std::string json_string(std::string_view s) {
  std::string out;
  json::writer w(out);
  json::write_value(w, std::string(s));
  return out;
}

// Applies the size limits a watch keeps, and the resizable flag.
void apply_limits(QWidget* v, const window_watch& w) {
  if (!w.resizable) {
    v->setFixedSize(v->size());
    return;
  }
  v->setMinimumSize(w.min_w, w.min_h);
  v->setMaximumSize(w.max_w > 0 ? w.max_w : QWIDGETSIZE_MAX, w.max_h > 0 ? w.max_h : QWIDGETSIZE_MAX);
}

void set_state_flag(QWidget* v, Qt::WindowState flag, bool on) {
  Qt::WindowStates s = v->windowState();
  if (on) {
    s |= flag;
    if (flag == Qt::WindowMaximized) s &= ~Qt::WindowMinimized;
  } else {
    s &= ~flag;
  }
  v->setWindowState(s);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// window_watch

window_watch::window_watch(window_manager& m, myapp::window& w)
    : QObject(w.view()), m_(m), w_(w), label_(w.label()) {
  dark_ = is_dark(w.view());
  w.view()->installEventFilter(this);
}

bool window_watch::eventFilter(QObject* watched, QEvent* event) {
  if (watched != w_.view()) return false;
  switch (event->type()) {
    case QEvent::Close:
      if (destroying_) return false;
      event->ignore();
      // Decide later: a handler may close other windows or run an event loop.
      QTimer::singleShot(0, this, [this] { request_close(); });
      return true;
    case QEvent::WindowActivate:
      m_.send_event(label_, window_event::FOCUS, "null");
      break;
    case QEvent::WindowDeactivate:
      m_.send_event(label_, window_event::BLUR, "null");
      break;
    case QEvent::Resize: {
      const auto* e = static_cast<QResizeEvent*>(event);
      m_.send_event(label_, window_event::RESIZE,
              fmt::format(R"({{"width":{},"height":{}}})", e->size().width(), e->size().height()));
      break;
    }
    case QEvent::Move: {
      const auto* e = static_cast<QMoveEvent*>(event);
      m_.send_event(label_, window_event::MOVE,
              fmt::format(R"({{"x":{},"y":{}}})", e->pos().x(), e->pos().y()));
      break;
    }
    case QEvent::ThemeChange:
    case QEvent::PaletteChange:
    case QEvent::ApplicationPaletteChange: {
      const bool dark = is_dark(w_.view());
      if (dark != dark_) {
        dark_ = dark;
        m_.send_event(label_, window_event::THEME_CHANGED, dark ? "\"dark\"" : "\"light\"");
      }
      break;
    }
    default:
      break;
  }
  return false;
}

void window_watch::request_close() {
  if (destroying_ || pending_ != 0) return;  // one question at a time
  close_request req{label_};
  for (const auto& hook : m_.close_hooks) {
    hook(req);
    if (req.prevented) {
      log()->debug("[{}] close prevented by the app", label_);
      return;
    }
  }
  const auto id = next_id_++;
  if (close_page_ &&
      close_page_->emit_json(window_event::CLOSE_REQUESTED, fmt::format(R"({{"id":{}}})", id))) {
    // The page decides; a page that does not answer in time (hung, or listening without
    // answering) does not keep its window open.
    pending_ = id;
    if (timeout_ == nullptr) {
      timeout_ = new QTimer(this);
      timeout_->setSingleShot(true);
      connect(timeout_, &QTimer::timeout, this, [this] {
        if (pending_ == 0) return;
        log()->warn("[{}] the page did not answer the close request within {} ms; closing",
                    label_, m_.close_timeout_ms);
        pending_ = 0;
        destroy();
      });
    }
    timeout_->start(m_.close_timeout_ms);
    return;
  }
  destroy();
}

bool window_watch::answer(std::uint64_t id, bool prevent) {
  if (id == 0 || id != pending_) return false;
  pending_ = 0;
  if (timeout_ != nullptr) timeout_->stop();
  if (prevent) {
    log()->debug("[{}] close prevented by the page", label_);
  } else {
    destroy();
  }
  return true;
}

void window_watch::destroy() {
  if (destroying_) return;
  destroying_ = true;
  pending_ = 0;
  w_.view()->close();
  // Not from inside the widget's own event handling: the window object goes away in a
  // queued task.
  QTimer::singleShot(0, QCoreApplication::instance(),
                     [m = &m_, label = label_] { m->destroyed(label); });
}

// ---------------------------------------------------------------------------------------------
// window_manager

window_manager::window_manager(router& r, callbacks cb) : r_(r), cb_(std::move(cb)) {}
window_manager::~window_manager() = default;

void window_manager::send_event(std::string_view label, std::string_view event,
                          std::string payload_json) {
  r_.emit_json(label, event, payload_json);
}

window_watch* window_manager::watch_of(std::string_view label) const {
  auto it = watches_.find(label);
  return it == watches_.end() ? nullptr : it->second.data();
}

void window_manager::attach(myapp::window& w, const window_options& o) {
  auto* v = w.view();
  auto* watch = new window_watch(*this, w);
  watches_[w.label()] = watch;
  watch->min_w = o.min_width;
  watch->min_h = o.min_height;
  watch->max_w = o.max_width;
  watch->max_h = o.max_height;
  watch->resizable = o.resizable;
  apply_limits(v, *watch);
  if (o.x && o.y) v->move(*o.x, *o.y);
  if (o.center) {
    if (auto* screen = v->screen()) {
      QRect frame = v->frameGeometry();
      frame.moveCenter(screen->availableGeometry().center());
      v->move(frame.topLeft());
    }
  }
  if (o.always_on_top) v->setWindowFlag(Qt::WindowStaysOnTopHint, true);
  if (o.maximized) set_state_flag(v, Qt::WindowMaximized, true);
  if (o.fullscreen) set_state_flag(v, Qt::WindowFullScreen, true);
  send_event(w.label(), window_event::CREATED, fmt::format(R"({{"label":{}}})", json_string(w.label())));
}

void window_manager::request_close(std::string_view label) {
  if (auto* w = watch_of(label)) w->request_close();
}

void window_manager::destroy(std::string_view label) {
  if (auto* w = watch_of(label)) w->destroy();
}

void window_manager::destroyed(const std::string& label) {
  watches_.erase(label);
  cb_.erase(label);
  // Only C++ listeners of this label (or "*") hear it: the window's page is gone.
  send_event(label, window_event::DESTROYED, "null");
  if (cb_.all().empty() && !exiting_) {
    r_.emit_json({}, window_event::LAST_WINDOW_CLOSED, "null");
    request_exit(0);
  }
}

bool window_manager::request_exit(int code) {
  exit_request req{code};
  r_.emit_json({}, window_event::EXIT_REQUESTED, fmt::format(R"({{"code":{}}})", code));
  for (const auto& hook : exit_hooks) {
    hook(req);
    if (req.prevented) {
      log()->debug("exit prevented by the app");
      return false;
    }
  }
  exiting_ = true;
  for (auto* w : cb_.all()) {
    if (auto* watch = watch_of(w->label())) watch->destroy();
  }
  cb_.quit(code);
  return true;
}

void window_manager::emit_ready() { r_.emit_json({}, window_event::APP_READY, "null"); }

// ---------------------------------------------------------------------------------------------
// the core window plugin

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
    auto* v = target(req, label);
    auto& w = watch_for(req, label);
    if (size) {
      check_extent("size.width", size->width, 0);
      check_extent("size.height", size->height, 0);
    }
    w.min_w = size ? size->width : 0;
    w.min_h = size ? size->height : 0;
    apply_limits(v, w);
  }, {"size", "label"}, gui);
  p.command("set_max_size", [target, watch_for](const request& req, std::optional<size_value> size,
                                                opt_label label) {
    auto* v = target(req, label);
    auto& w = watch_for(req, label);
    if (size) {
      check_extent("size.width", size->width, 1);
      check_extent("size.height", size->height, 1);
    }
    w.max_w = size ? size->width : 0;
    w.max_h = size ? size->height : 0;
    apply_limits(v, w);
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
    auto* v = target(req, label);
    auto& w = watch_for(req, label);
    w.resizable = resizable;
    apply_limits(v, w);
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
    if (!valid_label(label)) {
      throw error("window.label_invalid",
                  fmt::format("`{}` is not a valid window label: use 1 to 64 characters from "
                              "[A-Za-z0-9-_/:]",
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
  p.js(std::string(WINDOW_JS));
  return p;
}

}  // namespace myapp::runtime
