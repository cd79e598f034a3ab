#include "myapp/app.hpp"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMetaObject>
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

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <optional>
#include <vector>

#include "app_acl.hpp"
#include "app_config.hpp"
#include "app_describe.hpp"
#include "bridge.hpp"
#include "dev_reload.hpp"
#include "devtools.hpp"
#include "diagnostics.hpp"
#include "lane.hpp"
#include "log.hpp"
#include "page.hpp"
#include "plugin_impl.hpp"
#include "runtime_js.hpp"
#include "scheme.hpp"
#include "secret.hpp"
#include "windows.hpp"

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
  window_impl(window_options options, QWebEngineProfile* profile, router& r, bulk_lane* lane,
              std::function<void(window_impl&)> on_ready)
      : options_(std::move(options)) {
    view_ = std::make_unique<QWebEngineView>();
    page_ = new app_page(profile, options_.label, view_.get());
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
    // session so that late results are dropped.
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
  std::unique_ptr<runtime::bulk_lane> lane;
  std::vector<window_options> declared;
  std::vector<acl::source> extra_capabilities;
  std::shared_ptr<const acl::policy> policy;
  std::vector<acl::source> extra_permissions;
  std::vector<std::unique_ptr<runtime::window_impl>> windows;
  std::vector<myapp::plugin> plugins;  // installed, in registration order
  std::unique_ptr<runtime::window_manager> wm;
  bool torn_down = false;
  bool started = false;
  std::string remote_debugging_error;  // MYAPP_REMOTE_DEBUGGING that is not a port
  bool devtools = false;
  std::string identifier;
  std::optional<result<paths::app_dirs>> dirs;  // computed on first use

  const result<paths::app_dirs>& app_dirs() {
    if (!dirs) {
      identifier = runtime::app_identifier(options);
      dirs.emplace(paths::app_dirs_for(identifier, paths::environment::from_process()));
    }
    return *dirs;
  }
  QElapsedTimer since_main;

  // Smoke test state.
  bool smoke = false;
  std::optional<std::string> describe_to;  // `myapp bindings` asked for the description
  std::optional<std::string> registry_to;  // `myapp check` asked for the commands and plugins
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
        std::move(o), profile, r, lane.get(), [this](runtime::window_impl& win) {
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
    runtime::attach_devtools(raw->view(), raw->label(), devtools);
    add_plugin_scripts(*raw);
    raw->closer = [this, label = raw->label()](bool force) {
      if (force) {
        wm->destroy(label);
      } else {
        wm->request_close(label);
      }
    };
    windows.push_back(std::move(w));
    wm->attach(*raw, raw->options());
    raw->load(url);
    if (raw->options().visible) raw->view()->show();
  }

  // The plugins' scripts, after the myapp client, each in its own function that receives the
  // window's label as `__myapp_label`; one that throws does not stop the others.
  void add_plugin_scripts(runtime::window_impl& w) {
    QString source;
    const QString label = QString::fromStdString(
        fmt::format("\"{}\"", w.label()));  // labels are [A-Za-z0-9-_/:]: no escaping needed
    for (auto& p : plugins) {
      for (const auto& js : p.parts().scripts) {
        source += QStringLiteral("(function(__myapp_label){try{\n");
        source += QString::fromStdString(js);
        source += QStringLiteral("\n}catch(e){console.error('myapp: the script of plugin %1 "
                                 "threw:',e)}})(%2);\n")
                      .arg(QString::fromStdString(p.name()), label);
      }
    }
    if (source.isEmpty()) return;
    QWebEngineScript script;
    script.setName(QStringLiteral("myapp-plugins"));
    script.setSourceCode(source);
    script.setInjectionPoint(QWebEngineScript::DocumentCreation);
    script.setWorldId(QWebEngineScript::MainWorld);
    script.setRunsOnSubFrames(false);
    w.page()->scripts().insert(script);
  }

  std::vector<acl::plugin_permissions> plugin_acl() {
    std::vector<acl::plugin_permissions> out;
    for (auto& p : plugins) {
      auto& parts = p.parts();
      acl::plugin_permissions pp{parts.name, parts.core, {}, {}};
      for (const auto& c : parts.commands) pp.commands.push_back(c.cmd);
      for (std::size_t i = 0; i < parts.permission_texts.size(); ++i) {
        pp.files.push_back(acl::source{
            fmt::format("plugin {}{}", parts.name,
                        parts.permission_texts.size() > 1 ? fmt::format(" (permissions {})", i + 1)
                                                          : std::string()),
            parts.permission_texts[i]});
      }
      out.push_back(std::move(pp));
    }
    return out;
  }

  void teardown(app& a) {
    if (torn_down) return;
    torn_down = true;
    for (auto it = plugins.rbegin(); it != plugins.rend(); ++it) {
      if (it->parts().teardown) it->parts().teardown(a);
    }
  }

  ~impl() {
    // Teardown order matters to QtWebEngine: views and pages, then the profile, then the
    // QApplication. Workers stop before the pages they answer go away.
    windows.clear();
    lane.reset();
    delete profile;
    profile = nullptr;
    qapp.reset();
  }
};

namespace {

std::atomic<bool> g_smoke{false};
std::terminate_handler g_previous_terminate = nullptr;

// A setup_error that nothing catches (a command registered twice, a window label used twice,
// ... in main(), before run()) ends the program as run() ends it for a bad config: its message
// on stderr and exit code 1, instead of std::terminate's abort.
[[noreturn]] void on_terminate() {
  if (auto e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (const setup_error& s) {
      std::string_view what = s.what();
      std::fprintf(stderr, "%s\n", s.what());
      if (g_smoke) {
        if (what.starts_with("myapp: ")) what.remove_prefix(7);
        std::printf("myapp: smoke failed: %.*s\n", static_cast<int>(what.size()), what.data());
      }
      std::fflush(stdout);
      std::fflush(stderr);
      std::_Exit(1);
    } catch (...) {
      // not ours: the previous handler decides
    }
  }
  if (g_previous_terminate != nullptr) g_previous_terminate();
  std::abort();
}

}  // namespace

app::app(int& argc, char** argv, app_options options)
    : impl_(std::make_unique<impl>(std::move(options))) {
  impl_->since_main.start();
  impl_->smoke = runtime::env_flag("MYAPP_SMOKE_TEST");
  g_smoke = impl_->smoke;
  static std::once_flag terminate_installed;
  std::call_once(terminate_installed, [] { g_previous_terminate = std::set_terminate(on_terminate); });
  impl_->describe_to = runtime::describe_target(argc, argv);
  if (const char* r = std::getenv("MYAPP_ACL_DESCRIBE"); r != nullptr && *r != '\0') {
    impl_->registry_to = r;
  }
  if (::geteuid() == 0 && std::getenv("QTWEBENGINE_DISABLE_SANDBOX") == nullptr) {
    // Chromium refuses to start its sandbox as root. Running a desktop app as root is rare
    // (containers, CI); say so rather than fail.
    runtime::log()->warn("running as root: Chromium's sandbox is disabled");
    ::setenv("QTWEBENGINE_DISABLE_SANDBOX", "1", 1);
  }
  if ((impl_->smoke || impl_->describe_to || impl_->registry_to) &&
      std::getenv("QT_QPA_PLATFORM") == nullptr &&
      std::getenv("DISPLAY") == nullptr && std::getenv("WAYLAND_DISPLAY") == nullptr) {
    ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
  }
  runtime::register_schemes();
  QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
  impl_->remote_debugging_error = runtime::configure_remote_debugging();
  impl_->devtools =
      runtime::devtools_enabled(impl_->options.devtools ? &*impl_->options.devtools : nullptr);
  impl_->qapp = std::make_unique<QApplication>(argc, argv);
  QCoreApplication::setApplicationName(QString::fromStdString(impl_->options.name));
  impl_->r.set_main_executor(std::make_shared<runtime::gui_executor>());
  // Closing the last window asks to exit (preventable) rather than quitting at once.
  QGuiApplication::setQuitOnLastWindowClosed(false);
  auto* d = impl_.get();
  runtime::window_manager::callbacks cb;
  cb.find = [this](std::string_view label) { return find_window(label); };
  cb.all = [d] {
    std::vector<myapp::window*> out;
    for (const auto& w : d->windows) out.push_back(w.get());
    return out;
  };
  cb.erase = [d](const std::string& label) {
    std::erase_if(d->windows, [&](const auto& w) { return w->label() == label; });
  };
  cb.create = [this](window_options o) { window(std::move(o)); };
  cb.url_allowed = [d](const std::string& url) {
    const std::string u = d->resolve(url).toString().toStdString();
    return runtime::is_local_url(u) || (d->policy && d->policy->names_remote_url(u));
  };
  cb.quit = [d](int code) {
    if (!d->smoke) QCoreApplication::exit(code);
  };
  impl_->wm = std::make_unique<runtime::window_manager>(impl_->r, std::move(cb));
  plugin(impl_->wm->make_plugin());
  plugin(runtime::path_plugin(*this));
  plugin(runtime::devtools_plugin(*this, impl_->devtools));
  // A channel send that waits for the page's credit would deadlock the GUI thread, which is
  // the thread that receives the credit.
  detail::mark_non_blocking_thread();
}

app::~app() {
  if (impl_->started) impl_->teardown(*this);
}

app& app::window(window_options options) {
  if (!runtime::valid_label(options.label)) {
    throw setup_error(fmt::format(
        "myapp: invalid window label `{}`: use 1 to 64 characters from [A-Za-z0-9-_/:]",
        options.label));
  }
  // Before start: the declared windows; after: the live ones (a closed window's label is free).
  auto used = [&](const std::string& l) {
    if (impl_->started) return find_window(l) != nullptr;
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

app& app::plugin(myapp::plugin p) {
  auto& parts = p.parts();
  for (const auto& other : impl_->plugins) {
    if (other.name() == p.name()) {
      throw setup_error(fmt::format("myapp: plugin `{}` is installed twice{}", p.name(),
                                    p.name() == "window" ? " (`window` is built in)" : ""));
    }
  }
  for (auto& add : parts.states) add(impl_->r);
  for (auto& c : parts.commands) c.add(impl_->r, p.wire_name(c.cmd));
  impl_->plugins.push_back(std::move(p));
  return *this;
}

app& app::on_close_requested(std::function<void(close_request&)> fn) {
  impl_->wm->close_hooks.push_back(std::move(fn));
  return *this;
}

app& app::on_exit_requested(std::function<void(exit_request&)> fn) {
  impl_->wm->exit_hooks.push_back(std::move(fn));
  return *this;
}

void app::exit(int code) { impl_->wm->request_exit(code); }

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
  if (!impl_->remote_debugging_error.empty()) {
    throw setup_error("myapp: " + impl_->remote_debugging_error);
  }
  runtime::start_logging(impl_->r, impl_->app_dirs(), impl_->identifier, impl_->options.log_file);
  for (std::size_t i = 0; i < impl_->plugins.size(); ++i) {  // a setup may add plugins
    if (auto& setup = impl_->plugins[i].parts().setup) setup(*this);
  }
  // Every command is registered by now: resolve the capabilities (throws setup_error).
  impl_->policy = runtime::load_policy(impl_->extra_capabilities, impl_->extra_permissions,
                                      impl_->r.command_names(), impl_->plugin_acl(),
                                      conf ? conf->app.security.capabilities
                                           : std::vector<std::string>{});
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
  if (!dev_dir.isEmpty()) {
    new runtime::dev_reloader(dev_dir, [&d] {
      for (const auto& w : d.windows) w->view()->reload();
    }, d.qapp.get());
  }
  if (d.options.lane.enabled) {
    std::string why;
    runtime::lane_limits limits;
    limits.max_message = d.options.lane.max_message_bytes;
    limits.max_frame = d.options.lane.max_frame_bytes;
    d.lane = runtime::bulk_lane::start(limits, d.options.lane.port, why);
    if (!d.lane) {
      throw setup_error(fmt::format("myapp: {}; choose another port in app_options.lane.port, or "
                                    "0 for any free one",
                                    why));
    }
  }
  // A Content-Security-Policy for the app's pages: the config's `app.security.csp` (an empty
  // string turns it off), or this default, which keeps pages to their own origin's scripts,
  // styles and connections (inline ones allowed). Either way the bulk lane's address is added
  // to where pages may connect, or a policy like "default-src 'self'" would shut large uploads
  // out of the lane.
  static constexpr const char* DEFAULT_CSP =
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
      "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; "
      "connect-src 'self'; frame-src 'self' data:; object-src 'none'; "
      "base-uri 'self'; form-action 'self'";
  std::string csp = conf && conf->app.security.csp ? *conf->app.security.csp : DEFAULT_CSP;
  if (d.lane) csp = config::csp_allow_connect(csp, fmt::format("ws://127.0.0.1:{}", d.lane->port()));
  d.scheme->set_csp(QString::fromStdString(csp));
  d.profile->installUrlSchemeHandler(
      QByteArray(APP_SCHEME.data(), static_cast<qsizetype>(APP_SCHEME.size())), d.scheme);
  if (d.declared.empty()) d.declared.push_back(window_options{});
  // A window whose page is not in the frontend would show Chromium's error page forever: say
  // which file is missing and stop instead.
  const QString root = dev_dir.isEmpty() ? d.frontend_prefix : dev_dir;
  for (const auto& o : d.declared) {
    const QUrl url = d.resolve(o.url);
    if (runtime::is_local_url(url.toString().toStdString()) && !runtime::dev_url().isValid() &&
        runtime::app_scheme_handler::resolve(root, url.path(QUrl::FullyDecoded)).isEmpty()) {
      const QString path = url.path();
      const bool page = !path.endsWith(QLatin1Char('/')) && !QFileInfo(path).suffix().isEmpty();
      throw setup_error(fmt::format("myapp: could not load {} for window `{}`: the frontend ({}) "
                                    "has no {}",
                                    url.toString().toStdString(), o.label, root.toStdString(),
                                    page ? "file " + path.toStdString()
                                         : "index.html to serve for " + path.toStdString()));
    }
  }
  for (const auto& o : d.declared) d.create_window(o);
  QTimer::singleShot(0, d.qapp.get(), [&d] { d.wm->emit_ready(); });

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
  // Every command is registered by now; describe them and stop before any window exists.
  if (impl_->describe_to) return runtime::write_description(impl_->r.describe(), *impl_->describe_to);
  // `myapp check`: what the app registered, for checking capability files against it.
  if (impl_->registry_to) {
    return runtime::write_description(
        acl::describe_registry({impl_->r.command_names(), impl_->plugin_acl()}), *impl_->registry_to);
  }
  try {
    start();
  } catch (const setup_error& e) {
    // A mistake in the app's configuration, capabilities or frontend: a message and an exit
    // code rather than std::terminate.
    std::string_view what = e.what();
    std::fprintf(stderr, "%s\n", e.what());
    if (impl_->smoke) {
      if (what.starts_with("myapp: ")) what.remove_prefix(7);
      std::printf("myapp: smoke failed: %.*s\n", static_cast<int>(what.size()), what.data());
      std::fflush(stdout);
    }
    return 1;
  }
  const int code = QApplication::exec();
  impl_->teardown(*this);
  return impl_->smoke ? impl_->exit_code : code;
}

myapp::window* app::find_window(std::string_view label) const {
  for (const auto& w : impl_->windows) {
    if (w->label() == label) return w.get();
  }
  return nullptr;
}

router& app::get_router() noexcept { return impl_->r; }

const paths::app_dirs& app::paths() const {
  const auto& d = impl_->app_dirs();
  if (!d) throw setup_error("myapp: " + d.error_value().message());
  return d.value();
}

}  // namespace myapp
