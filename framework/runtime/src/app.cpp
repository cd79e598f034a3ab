#include "myapp/app.hpp"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QMetaObject>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrl>
#include <QWebChannel>
#include <QWebEngineProfile>
#include <QWebEngineScript>
#include <QWebEngineScriptCollection>
#include <QWebEngineSettings>
#include <QWebEngineView>

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

#include "app_acl.hpp"
#include "app_config.hpp"
#include "bridge.hpp"
#include "dev_reload.hpp"
#include "log.hpp"
#include "page.hpp"
#include "runtime_js.hpp"
#include "scheme.hpp"

namespace myapp {

namespace runtime {
namespace {

// Runs tasks on the GUI thread, in order, from any thread.
class gui_executor final : public executor {
 public:
  void post(std::function<void()> task) override {
    QMetaObject::invokeMethod(QCoreApplication::instance(), std::move(task),
                              Qt::QueuedConnection);
  }
};

bool env_flag(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' && std::string_view(v) != "0";
}

// 128 random bits from the system's generator, as 32 hex digits.
std::string make_secret() {
  std::string out;
  auto* gen = QRandomGenerator::system();
  for (int i = 0; i < 4; ++i) out += fmt::format("{:08x}", gen->generate());
  return out;
}

// The script injected into every page at document creation: Qt's QWebChannel client, then
// ours, wrapped in a function that hands it the page's secret. The sources are read once.
QString injected_script(const std::string& secret) {
  static const QString client = [] {
    QFile f(QStringLiteral(":/qtwebchannel/qwebchannel.js"));
    QString source;
    if (f.open(QIODevice::ReadOnly)) {
      source = QString::fromUtf8(f.readAll());
    } else {
      log()->critical("qwebchannel.js is missing from Qt's resources; the page cannot connect");
    }
    source += QStringLiteral("\n(function(__myapp_secret){\n");
    source += QString::fromUtf8(RUNTIME_JS.data(), static_cast<qsizetype>(RUNTIME_JS.size()));
    return source;
  }();
  return client + QStringLiteral("\n})(\"%1\");\n").arg(QString::fromStdString(secret));
}

bool valid_label(std::string_view label) {
  if (label.empty() || label.size() > 64) return false;
  for (char c : label) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '-' || c == '_' || c == '/' || c == ':')) {
      return false;
    }
  }
  return true;
}

}  // namespace

class window_impl final : public myapp::window {
 public:
  window_impl(window_options options, QWebEngineProfile* profile, router& r,
              std::function<void(window_impl&)> on_ready)
      : options_(std::move(options)) {
    view_ = std::make_unique<QWebEngineView>();
    page_ = new app_page(profile, options_.label, view_.get());
    view_->setPage(page_);
    const std::string secret = make_secret();
    bridge_ = new bridge(r, options_.label, secret,
                         bridge::hooks{[this, on_ready] { on_ready(*this); }}, page_);
    channel_ = new QWebChannel(page_);
    channel_->registerObject(
        QString::fromUtf8(protocol::BRIDGE_OBJECT.data(),
                          static_cast<qsizetype>(protocol::BRIDGE_OBJECT.size())),
        bridge_);
    page_->setWebChannel(channel_, QWebEngineScript::MainWorld);

    QWebEngineScript client;
    client.setName(QStringLiteral("myapp-client"));
    client.setSourceCode(injected_script(secret));
    client.setInjectionPoint(QWebEngineScript::DocumentCreation);
    client.setWorldId(QWebEngineScript::MainWorld);
    client.setRunsOnSubFrames(false);
    page_->scripts().insert(client);

    view_->setWindowTitle(QString::fromStdString(options_.title));
    view_->resize(options_.width, options_.height);
    if (!options_.resizable) view_->setFixedSize(options_.width, options_.height);
  }

  ~window_impl() override {
    // The view owns the page, which owns the bridge and the channel; the bridge detaches its
    // peer so that late results are dropped.
    view_.reset();
  }

  [[nodiscard]] const std::string& label() const noexcept override { return options_.label; }
  [[nodiscard]] QWebEngineView* view() const noexcept override { return view_.get(); }
  [[nodiscard]] QWebEnginePage* page() const noexcept override { return page_; }
  [[nodiscard]] app_page* app_page_ptr() const noexcept { return page_; }
  [[nodiscard]] bool ready() const noexcept override { return bridge_->ready(); }
  [[nodiscard]] const window_options& options() const noexcept { return options_; }

  void eval(const std::string& expression, std::function<void(std::string)> done) override {
    const QString script =
        QStringLiteral("(function(){const __v=(%1);return __v===undefined?'undefined':"
                       "JSON.stringify(__v);})()")
            .arg(QString::fromStdString(expression));
    page_->runJavaScript(script, QWebEngineScript::MainWorld,
                         [done = std::move(done)](const QVariant& v) {
                           if (done) done(v.toString().toStdString());
                         });
  }

  void load(const QUrl& url) { view_->load(url); }

 private:
  window_options options_;
  std::unique_ptr<QWebEngineView> view_;
  app_page* page_ = nullptr;
  bridge* bridge_ = nullptr;
  QWebChannel* channel_ = nullptr;
};

}  // namespace runtime

// ---------------------------------------------------------------------------------------------

struct app::impl {
  explicit impl(app_options o) : options(std::move(o)), r(options.router) {}

  app_options options;
  std::unique_ptr<QApplication> qapp;
  router r;
  QString frontend_prefix = QStringLiteral(":/myapp/frontend");
  QWebEngineProfile* profile = nullptr;
  runtime::app_scheme_handler* scheme = nullptr;
  std::vector<window_options> declared;
  std::vector<acl::source> extra_capabilities;
  std::shared_ptr<const acl::policy> policy;
  std::vector<acl::source> extra_permissions;
  std::vector<std::unique_ptr<runtime::window_impl>> windows;
  bool started = false;
  QElapsedTimer since_main;

  // Smoke test state.
  bool smoke = false;
  bool smoke_done = false;
  bool smoke_loaded = false;
  bool smoke_ready = false;
  std::string smoke_url;
  int exit_code = 0;

  QUrl resolve(const std::string& url) const {
    QUrl u(QString::fromStdString(url));
    if (u.isValid() && !u.scheme().isEmpty()) return u;
    // Dev mode (`myapp dev` with a dev server): relative URLs load from the dev server.
    if (const QUrl dev = runtime::dev_url(); dev.isValid()) {
      return runtime::resolve_against(dev, QString::fromStdString(url));
    }
    QString path = QString::fromStdString(url);
    if (!path.startsWith(QLatin1Char('/'))) path.prepend(QLatin1Char('/'));
    return QUrl(QString::fromUtf8(APP_ORIGIN.data(), static_cast<qsizetype>(APP_ORIGIN.size())) +
                path);
  }

  void smoke_finish(bool ok, const std::string& what) {
    if (!smoke || smoke_done) return;
    smoke_done = true;
    if (ok) {
      std::printf("myapp: smoke ok url=%s ms=%lld\n", smoke_url.c_str(),
                  static_cast<long long>(since_main.elapsed()));
    } else {
      std::printf("myapp: smoke failed: %s\n", what.c_str());
    }
    std::fflush(stdout);
    exit_code = ok ? 0 : 1;
    QMetaObject::invokeMethod(qapp.get(), [code = exit_code] { QCoreApplication::exit(code); },
                              Qt::QueuedConnection);
  }

  void create_window(window_options o) {
    auto w = std::make_unique<runtime::window_impl>(
        std::move(o), profile, r, [this](runtime::window_impl& win) {
          runtime::log()->debug("[{}] handshake complete", win.label());
          if (smoke && &win == windows.front().get()) {
            smoke_ready = true;
            if (smoke_loaded) smoke_finish(true, {});
          }
        });
    auto* raw = w.get();
    const bool first = windows.empty();
    raw->app_page_ptr()->allow_navigation = [this](const QUrl& url) {
      const std::string u = url.toString().toStdString();
      return url.scheme() == QLatin1String("about") || runtime::is_local_url(u) ||
             (policy && policy->names_remote_url(u));
    };
    if (smoke && first) {
      raw->app_page_ptr()->on_js_error = [this](const std::string& m) {
        if (!smoke_ready || !smoke_loaded) smoke_finish(false, "JavaScript error during load: " + m);
      };
      QObject::connect(raw->page(), &QWebEnginePage::loadFinished, raw->page(),
                       [this, raw](bool ok) {
                         if (smoke_done) return;
                         if (!ok) {
                           smoke_finish(false, "could not load " +
                                                   raw->page()->url().toString().toStdString());
                           return;
                         }
                         smoke_loaded = true;
                         if (smoke_ready) smoke_finish(true, {});
                       });
    }
    const QUrl url = resolve(raw->options().url);
    if (first) smoke_url = url.toString().toStdString();
    windows.push_back(std::move(w));
    raw->load(url);
    if (raw->options().visible) raw->view()->show();
  }

  ~impl() {
    // Teardown order matters to QtWebEngine: views and pages, then the profile, then the
    // QApplication. Workers stop before the pages they answer go away.
    windows.clear();
    delete profile;
    profile = nullptr;
    qapp.reset();
  }
};

app::app(int& argc, char** argv, app_options options)
    : impl_(std::make_unique<impl>(std::move(options))) {
  impl_->since_main.start();
  impl_->smoke = runtime::env_flag("MYAPP_SMOKE_TEST");
  if (::geteuid() == 0 && std::getenv("QTWEBENGINE_DISABLE_SANDBOX") == nullptr) {
    // Chromium refuses to start its sandbox as root. Running a desktop app as root is rare
    // (containers, CI); say so rather than fail.
    runtime::log()->warn("running as root: Chromium's sandbox is disabled");
    ::setenv("QTWEBENGINE_DISABLE_SANDBOX", "1", 1);
  }
  if (impl_->smoke && std::getenv("QT_QPA_PLATFORM") == nullptr &&
      std::getenv("DISPLAY") == nullptr && std::getenv("WAYLAND_DISPLAY") == nullptr) {
    ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
  }
  runtime::register_schemes();
  QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
  impl_->qapp = std::make_unique<QApplication>(argc, argv);
  QCoreApplication::setApplicationName(QString::fromStdString(impl_->options.name));
  impl_->r.set_main_executor(std::make_shared<runtime::gui_executor>());
  // A channel send that waits for the page's credit would deadlock the GUI thread, which is
  // the thread that receives the credit.
  detail::mark_non_blocking_thread();
}

app::~app() = default;

app& app::window(window_options options) {
  if (!runtime::valid_label(options.label)) {
    throw setup_error(fmt::format(
        "myapp: invalid window label `{}`: use 1 to 64 characters from [A-Za-z0-9-_/:]",
        options.label));
  }
  auto used = [&](const std::string& l) {
    for (const auto& d : impl_->declared) {
      if (d.label == l) return true;
    }
    return false;
  };
  if (used(options.label)) {
    throw setup_error(fmt::format("myapp: window label `{}` is used twice", options.label));
  }
  impl_->declared.push_back(options);
  if (impl_->started) impl_->create_window(std::move(options));
  return *this;
}

app& app::capability(std::string json_text, std::string name) {
  impl_->extra_capabilities.push_back(acl::source{std::move(name), std::move(json_text)});
  return *this;
}

app& app::permissions(std::string json_text, std::string name) {
  impl_->extra_permissions.push_back(acl::source{std::move(name), std::move(json_text)});
  return *this;
}

app& app::frontend(std::string resource_prefix) {
  impl_->frontend_prefix = QString::fromStdString(resource_prefix);
  return *this;
}

void app::start() {
  if (impl_->started) return;
  // The embedded myapp.conf.json: checked before anything starts (throws setup_error).
  const auto conf = runtime::load_embedded_config();
  // Every command is registered by now: resolve the capabilities (throws setup_error).
  impl_->policy = runtime::load_policy(impl_->extra_capabilities, impl_->extra_permissions,
                                      impl_->r.command_names());
  impl_->r.set_policy(impl_->policy);
  impl_->started = true;
  auto& d = *impl_;
  if (d.declared.empty() && conf) d.declared = runtime::configured_windows(*conf);
  d.profile = new QWebEngineProfile(QString::fromStdString(d.options.name));
  // Dev mode (`myapp dev` without a dev server): serve the project's frontend folder and
  // reload the pages when it changes.
  const QString dev_dir = runtime::dev_frontend();
  d.scheme = new runtime::app_scheme_handler(dev_dir.isEmpty() ? d.frontend_prefix : dev_dir,
                                             d.profile);
  // A Content-Security-Policy for the app's pages: the config's `app.security.csp` (an empty
  // string turns it off), or this default, which keeps pages to their own origin's scripts,
  // styles and connections (inline ones allowed) and the bulk lane on loopback.
  static constexpr const char* DEFAULT_CSP =
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
      "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; "
      "connect-src 'self' ws://127.0.0.1:*; frame-src 'self' data:; object-src 'none'; "
      "base-uri 'self'; form-action 'self'";
  d.scheme->set_csp(QString::fromStdString(conf && conf->app.security.csp
                                               ? *conf->app.security.csp
                                               : std::string(DEFAULT_CSP)));
  if (!dev_dir.isEmpty()) {
    new runtime::dev_reloader(dev_dir, [&d] {
      for (const auto& w : d.windows) w->view()->reload();
    }, d.qapp.get());
  }
  d.profile->installUrlSchemeHandler(
      QByteArray(APP_SCHEME.data(), static_cast<qsizetype>(APP_SCHEME.size())), d.scheme);
  if (d.declared.empty()) d.declared.push_back(window_options{});
  for (const auto& o : d.declared) d.create_window(o);

  if (d.smoke) {
    int timeout_ms = 30000;
    if (const char* t = std::getenv("MYAPP_SMOKE_TIMEOUT_MS")) timeout_ms = std::atoi(t);
    if (timeout_ms <= 0) timeout_ms = 30000;
    QTimer::singleShot(timeout_ms, d.qapp.get(), [&d, timeout_ms] {
      std::string what = fmt::format("no handshake within {} ms (page {}loaded)", timeout_ms,
                                     d.smoke_loaded ? "" : "not ");
      d.smoke_finish(false, what);
    });
  }
}

int app::run() {
  start();
  const int code = QApplication::exec();
  return impl_->smoke ? impl_->exit_code : code;
}

myapp::window* app::find_window(std::string_view label) const {
  for (const auto& w : impl_->windows) {
    if (w->label() == label) return w.get();
  }
  return nullptr;
}

router& app::get_router() noexcept { return impl_->r; }

}  // namespace myapp
