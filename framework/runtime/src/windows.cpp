// Windows at run time: each window, its watch (events, close handshake) and the manager.
#include "windows.hpp"

#include <QCloseEvent>
#include <QEvent>
#include <QGuiApplication>
#include <QMoveEvent>
#include <QPalette>
#include <QResizeEvent>
#include <QScreen>
#include <QTimer>
#include <QWebChannel>
#include <QWebEngineProfile>
#include <QWebEngineScript>
#include <QWebEngineScriptCollection>
#include <QWebEngineView>
#include <QWidget>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "bridge.hpp"
#include "isolation.hpp"
#include "log.hpp"
#include "secret.hpp"
#include "web_page.hpp"

namespace myapp::runtime {

namespace {

std::string json_string(std::string_view s) {
  std::string out;
  json::writer w(out);
  json::write_value(w, std::string(s));
  return out;
}

}  // namespace

bool is_dark(const QWidget* w) {
  const QColor c = w->palette().color(QPalette::Window);
  return c.lightness() < 128;
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

// ---------------------------------------------------------------------------------------------
// app_window

app_window::app_window(window_options options, QWebEngineProfile* profile, router& r,
                       bulk_lane* lane, const page_client& client,
                       std::function<void(app_window&)> on_ready)
    : options_(std::move(options)) {
  view_ = std::make_unique<QWebEngineView>();
  page_ = new web_page(profile, options_.label, view_.get());
  view_->setPage(page_);
  const std::string secret = random_secret();
  bridge_ = new bridge(r, options_.label, secret,
                       bridge::hooks{[this, on_ready] { on_ready(*this); }}, lane,
                       transfer_thresholds{}, page_);
  channel_ = new QWebChannel(page_);
  channel_->registerObject(
      QString::fromUtf8(protocol::BRIDGE_OBJECT.data(),
                        static_cast<qsizetype>(protocol::BRIDGE_OBJECT.size())),
      bridge_);
  install_client(*page_, *channel_, secret, options_.label, client);

  view_->setWindowTitle(QString::fromStdString(options_.title));
  view_->resize(options_.width, options_.height);
  if (!options_.resizable) view_->setFixedSize(options_.width, options_.height);
}

app_window::~app_window() {
  // The view owns the page, which owns the bridge and the channel; the bridge detaches its
  // session so that late results are dropped.
  view_.reset();
}

QWebEnginePage* app_window::page() const noexcept { return page_; }

bool app_window::ready() const noexcept { return bridge_->ready(); }

void app_window::eval(const std::string& expression, std::function<void(std::string)> done) {
  const QString script =
      QStringLiteral("(function(){const __v=(%1);return __v===undefined?'undefined':"
                     "JSON.stringify(__v);})()")
          .arg(QString::fromStdString(expression));
  page_->runJavaScript(script, QWebEngineScript::MainWorld,
                       [done = std::move(done)](const QVariant& v) {
                         if (done) done(v.toString().toStdString());
                       });
}

void app_window::load(const QUrl& url) { view_->load(url); }

void app_window::end_session() { bridge_->end_page(); }

void app_window::add_script(const std::string& name, const std::string& source) {
  page_->scripts().insert(
      document_script(QString::fromStdString(name), QString::fromStdString(source)));
}

// ---------------------------------------------------------------------------------------------
// window_watch

void window_watch::apply_limits() const {
  QWidget* v = w_.view();
  if (!resizable) {
    v->setFixedSize(v->size());
    return;
  }
  v->setMinimumSize(min_w, min_h);
  v->setMaximumSize(max_w > 0 ? max_w : QWIDGETSIZE_MAX, max_h > 0 ? max_h : QWIDGETSIZE_MAX);
}

window_watch::window_watch(window_manager& m, app_window& w)
    : QObject(w.view()), m_(m), w_(w), label_(w.label()) {
  dark_ = is_dark(w.view());
  w.view()->installEventFilter(this);
  connect(w.page(), &QWebEnginePage::renderProcessTerminated, this,
          [this](QWebEnginePage::RenderProcessTerminationStatus status, int exit_code) {
            on_renderer_gone(static_cast<int>(status), exit_code);
          });
  connect(w.page(), &QWebEnginePage::loadFinished, this, [this](bool ok) {
    if (ok && reloading_after_death_) check_client_after_death();
  });
}

void window_watch::on_renderer_gone(int status, int exit_code) {
  if (destroying_) return;
  const char* reason = "abnormal";
  switch (static_cast<QWebEnginePage::RenderProcessTerminationStatus>(status)) {
    case QWebEnginePage::NormalTerminationStatus: reason = "normal"; break;
    case QWebEnginePage::AbnormalTerminationStatus: reason = "abnormal"; break;
    case QWebEnginePage::CrashedTerminationStatus: reason = "crashed"; break;
    case QWebEnginePage::KilledTerminationStatus: reason = "killed"; break;
  }
  // Everything the dead page had is let go at once: its calls are cancelled (their handlers'
  // tokens set, coroutines woken), its channels closed (waiting producers released), its
  // listens dropped, its lane and blobs freed.
  w_.end_session();
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(deaths_, [&](auto t) { return now - t > std::chrono::minutes(1); });
  deaths_.push_back(now);
  auto policy = w_.options().on_renderer_gone;
  const bool looping = policy == renderer_gone::reload && deaths_.size() > 3;
  if (looping) policy = renderer_gone::keep;
  log()->error("[{}] the page's renderer process died ({}, exit code {}); {}", label_, reason,
               exit_code,
               looping ? "it died 4 times within a minute: the page is left as it is"
               : policy == renderer_gone::reload ? "reloading it"
               : policy == renderer_gone::close  ? "closing the window"
                                                 : "the page is left as it is");
  m_.send_event(label_, window_event::RENDERER_GONE,
                fmt::format(R"({{"reason":"{}","exitCode":{},"reloading":{}}})", reason, exit_code,
                            policy == renderer_gone::reload ? "true" : "false"));
  switch (policy) {
    case renderer_gone::reload:
      // A new navigation to the page's URL, not reload(): a renderer that dies while its page
      // is still loading leaves a reload with nothing to do, and the page dead.
      reloading_after_death_ = true;
      scripts_resent_ = false;
      QTimer::singleShot(0, this, [this] {
        if (!destroying_) w_.page()->load(w_.page()->url());
      });
      break;
    case renderer_gone::close:
      QTimer::singleShot(0, this, [this] { destroy(); });
      break;
    case renderer_gone::keep:
      break;
  }
}

void window_watch::check_client_after_death() {
  // QtWebEngine 6.4 sometimes loses a page's scripts when the same page's renderer dies a
  // second time: the page loads without myapp's client, so it can call nothing. Sending the
  // scripts again, now that a renderer is alive to take them, and loading once more brings it
  // back.
  QPointer<window_watch> self(this);
  w_.page()->runJavaScript(
      QStringLiteral("typeof window.__MYAPP__"), QWebEngineScript::MainWorld,
      [self](const QVariant& type) {
        if (!self || self->destroying_) return;
        if (type.toString() == QLatin1String("object")) {
          self->reloading_after_death_ = false;
          return;
        }
        if (self->scripts_resent_) {
          self->reloading_after_death_ = false;
          log()->error("[{}] the page came back from its renderer's death without myapp's "
                       "client, twice: it cannot call the app until it is loaded again",
                       self->label_);
          return;
        }
        self->scripts_resent_ = true;
        log()->warn("[{}] the page came back from its renderer's death without myapp's client; "
                    "sending the client again and reloading",
                    self->label_);
        auto& scripts = self->w_.page()->scripts();
        const auto all = scripts.toList();
        scripts.clear();
        for (const auto& script : all) scripts.insert(script);
        self->w_.page()->load(self->w_.page()->url());
      });
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
    run_guarded(fmt::format("[{}] an on_close_requested handler", label_), [&] { hook(req); });
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

void window_manager::attach(app_window& w, const window_options& o) {
  auto* v = w.view();
  auto* watch = new window_watch(*this, w);
  watches_[w.label()] = watch;
  watch->min_w = o.min_width;
  watch->min_h = o.min_height;
  watch->max_w = o.max_width;
  watch->max_h = o.max_height;
  watch->resizable = o.resizable;
  watch->apply_limits();
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

bool window_manager::request_exit(int code, bool forced) {
  exit_request req{code};
  r_.emit_json({}, window_event::EXIT_REQUESTED, fmt::format(R"({{"code":{}}})", code));
  for (const auto& hook : exit_hooks) {
    run_guarded("an on_exit_requested handler", [&] { hook(req); });
    if (req.prevented && forced) {
      log()->info("an on_exit_requested handler asked to keep running; the exit was forced");
      break;
    }
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

}  // namespace myapp::runtime
