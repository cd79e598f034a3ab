// The app: its builder (commands, state, plugins, windows, capabilities), start-up and run.
#include "myapp/app.hpp"

#include <QApplication>
#include <QFileInfo>
#include <QMetaObject>
#include <QTimer>
#include <QUrl>
#include <QWebEngineProfile>
#include <QWebEngineView>

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "app_acl.hpp"
#include "app_config.hpp"
#include "app_describe.hpp"
#include "bridge.hpp"
#include "dev_reload.hpp"
#include "devtools.hpp"
#include "inspector.hpp"
#include "isolation.hpp"
#include "lane.hpp"
#include "log.hpp"
#include "plugin_impl.hpp"
#include "plugins/builtin.hpp"
#include "scheme.hpp"
#include "signals.hpp"
#include "smoke.hpp"
#include "web_page.hpp"
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

}  // namespace
}  // namespace runtime

// ---------------------------------------------------------------------------------------------

struct app::impl {
  explicit impl(app_options o) : options(std::move(o)), r(options.router) {}

  app_options options;
  runtime::smoke_check smoke;  // first: its clock starts with the app
  // Before the router: its trace calls the hub until the router is gone.
  std::unique_ptr<runtime::inspector_hub> hub;
  std::unique_ptr<runtime::inspector_window> inspector;
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
  std::vector<std::unique_ptr<runtime::app_window>> windows;
  std::vector<myapp::plugin> plugins;  // installed, in registration order
  std::unique_ptr<runtime::window_manager> wm;
  bool torn_down = false;
  bool started = false;
  std::string remote_debugging_error;  // MYAPP_REMOTE_DEBUGGING that is not a port
  bool devtools = false;
  std::string identifier;
  std::optional<result<paths::app_dirs>> dirs;  // computed on first use
  std::optional<std::string> describe_to;  // `myapp bindings` asked for the description
  std::optional<std::string> registry_to;  // `myapp check` asked for the commands and plugins
  // How the client is set up in pages (myapp.conf.json's app.withGlobalMyapp and
  // app.security.isolation), the frontend's root, and the isolation hooks read so far by path.
  bool namespaces = true;
  std::optional<std::string> isolation;
  QString root;
  std::map<std::string, std::string> isolation_sources;

  const result<paths::app_dirs>& app_dirs() {
    if (!dirs) {
      identifier = runtime::app_identifier(options);
      dirs.emplace(paths::app_dirs_for(identifier, paths::environment::from_process()));
    }
    return *dirs;
  }

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

  // The client of window `o`'s pages; throws setup_error when its isolation hook is missing.
  runtime::page_client client_for(const window_options& o) {
    runtime::page_client client;
    client.namespaces = namespaces;
    const std::string path = o.isolation.value_or(isolation.value_or(""));
    if (path.empty()) return client;
    auto it = isolation_sources.find(path);
    if (it == isolation_sources.end()) {
      it = isolation_sources.emplace(path, runtime::isolation_source(root, path, o.label)).first;
    }
    client.isolation = it->second;
    return client;
  }

  void create_window(window_options o) {
    const bool first = windows.empty();
    const runtime::page_client client = client_for(o);
    auto w = std::make_unique<runtime::app_window>(
        std::move(o), profile, r, lane.get(), client, [this, first](runtime::app_window& win) {
          runtime::log()->debug("[{}] handshake complete", win.label());
          if (first) smoke.handshake();
        });
    auto* raw = w.get();
    raw->web().allow_navigation = [this](const QUrl& url) {
      const std::string u = url.toString().toStdString();
      return url.scheme() == QLatin1String("about") || runtime::is_local_url(u) ||
             (policy && policy->names_remote_url(u));
    };
    const QUrl url = resolve(raw->options().url);
    if (first) smoke.watch(raw->web(), url);
    runtime::attach_devtools(raw->view(), raw->label(), devtools);
    if (auto scripts = detail::plugin_scripts(plugins, raw->label()); !scripts.empty()) {
      raw->add_script("myapp-plugins", scripts);
    }
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

  void teardown(app& a) {
    if (torn_down) return;
    torn_down = true;
    for (auto it = plugins.rbegin(); it != plugins.rend(); ++it) {
      if (auto& teardown = it->parts().teardown) {
        runtime::run_guarded(fmt::format("the teardown of plugin `{}`", it->name()),
                             [&] { teardown(a); });
      }
    }
  }

  ~impl() {
    // Teardown order matters to QtWebEngine: views and pages, then the profile, then the
    // QApplication. Workers stop before the pages they answer go away.
    inspector.reset();
    if (hub && runtime::inspector() == hub.get()) runtime::set_inspector(nullptr);
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
      runtime::report_setup_failure(s.what(), g_smoke);
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
  g_smoke = impl_->smoke.enabled();
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
  if (std::getenv("QT_QPA_PLATFORM") == nullptr && std::getenv("DISPLAY") == nullptr &&
      std::getenv("WAYLAND_DISPLAY") == nullptr) {
    if (!(impl_->smoke.enabled() || impl_->describe_to || impl_->registry_to)) {
      // Qt would abort with "could not connect to display": say what is missing and how to run
      // without one instead.
      throw setup_error(
          "myapp: no display: DISPLAY and WAYLAND_DISPLAY are not set, so no window can open. "
          "Start the app in a desktop session, or headless with QT_QPA_PLATFORM=offscreen (a "
          "CI check: MYAPP_SMOKE_TEST=1 loads the page headless by itself)");
    }
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
    if (!d->smoke.enabled()) QCoreApplication::exit(code);
  };
  impl_->wm = std::make_unique<runtime::window_manager>(impl_->r, std::move(cb));
  plugin(impl_->wm->make_plugin());
  plugin(plugins::detail::path(*this));
  plugin(plugins::detail::devtools(*this, impl_->devtools));
  // A channel send that waits for the page's credit would deadlock the GUI thread, which is
  // the thread that receives the credit.
  detail::mark_non_blocking_thread();
}

app::~app() {
  if (impl_->started) impl_->teardown(*this);
}

app& app::window(window_options options) {
  if (!config::valid_window_label(options.label)) {
    throw setup_error(fmt::format(
        "myapp: invalid window label `{}`: use 1 to 64 characters from [A-Za-z0-9-_/:], not beginning with __myapp",
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
  if (runtime::inspector_enabled(impl_->options.inspector,
                                 conf ? conf->app.inspector : std::optional<bool>{})) {
    impl_->hub = std::make_unique<runtime::inspector_hub>(impl_->options.name);
    runtime::set_inspector(impl_->hub.get());
    impl_->hub->windows = [d = impl_.get()] {
      std::vector<std::string> labels;
      for (const auto& w : d->windows) labels.push_back(w->label());
      return labels;
    };
    plugin(runtime::inspector_plugin(*impl_->hub, [d = impl_.get()] {
      const auto& dirs = d->app_dirs();
      return dirs ? dirs.value().log.string() : std::filesystem::temp_directory_path().string();
    }));
  } else if (runtime::inspector_requested()) {
    runtime::log()->warn("MYAPP_INSPECT=1, but the IPC inspector is off in this run: it is on under "
                         "`myapp dev`, with MYAPP_INSPECTOR=1, app.inspector in myapp.conf.json, "
                         "or app_options::inspector");
  }
  std::function<router_trace(router_trace)> wrap;
  if (impl_->hub) {
    // The router traces only while the inspector's window is open (or the log asks for it).
    wrap = [h = impl_->hub.get(), r = &impl_->r](router_trace t) {
      h->attach(*r, t.batch || t.message || t.invoke || t.denied);
      return h->trace(std::move(t));
    };
  }
  runtime::start_logging(impl_->r, impl_->app_dirs(), impl_->identifier, impl_->options.log_file,
                         wrap);
  for (std::size_t i = 0; i < impl_->plugins.size(); ++i) {  // a setup may add plugins
    if (auto& setup = impl_->plugins[i].parts().setup) {
      try {
        setup(*this);
      } catch (const setup_error&) {
        throw;
      } catch (const std::exception& e) {
        throw setup_error(fmt::format("myapp: the setup of plugin `{}` failed: {}",
                                      impl_->plugins[i].name(), e.what()));
      }
    }
  }
  // Every command is registered by now: resolve the capabilities (throws setup_error).
  impl_->policy = runtime::load_policy(impl_->extra_capabilities, impl_->extra_permissions,
                                      impl_->r.command_names(), detail::plugin_acl(impl_->plugins),
                                      conf ? conf->app.security.capabilities
                                           : std::vector<std::string>{});
  impl_->r.set_policy(impl_->policy);
  for (const auto& url : impl_->policy->insecure_remote_urls()) {
    runtime::log(runtime::area::acl)->warn(
        "{} accepts unencrypted pages (remote.allowInsecure): anyone on their network path can "
        "change them and call the app through them",
        url);
  }
  impl_->started = true;
  auto& d = *impl_;
  if (d.declared.empty() && conf) {
    d.declared = runtime::configured_windows(*conf);
  } else if (conf && !conf->app.windows.empty()) {
    // One set hides the other: say so, rather than leave the config's windows silently unused.
    std::vector<std::string> ignored;
    for (const auto& w : conf->app.windows) ignored.push_back(w.label);
    runtime::log()->warn("the app declares its windows in C++, so myapp.conf.json's app.windows "
                         "({}) are not created; declare them in one place",
                         fmt::format("{}", fmt::join(ignored, ", ")));
  }
  if (conf) {
    d.namespaces = conf->app.with_global_myapp;
    d.isolation = conf->app.security.isolation;
  }
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
  if (d.options.lane.enabled &&
      d.options.lane.max_message_bytes > d.options.router.max_pending_bytes_per_page) {
    throw setup_error(fmt::format(
        "myapp: app_options.lane.max_message_bytes ({}) is larger than "
        "app_options.router.max_pending_bytes_per_page ({}): a call carrying one buffer of the "
        "lane's largest size would always be refused; raise the second with the first",
        d.options.lane.max_message_bytes, d.options.router.max_pending_bytes_per_page));
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
  d.scheme->set_csp(QString::fromStdString(runtime::page_csp(conf, d.lane ? d.lane->port() : 0)));
  d.profile->installUrlSchemeHandler(
      QByteArray(APP_SCHEME.data(), static_cast<qsizetype>(APP_SCHEME.size())), d.scheme);
  if (d.declared.empty()) d.declared.push_back(window_options{});
  // A window whose page is not in the frontend would show Chromium's error page forever: say
  // which file is missing and stop instead.
  const QString root = dev_dir.isEmpty() ? d.frontend_prefix : dev_dir;
  d.root = root;
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
  if (d.hub) {
    d.inspector = std::make_unique<runtime::inspector_window>(d.r, *d.hub);
    // Open before the app's pages load, so that it shows their first calls.
    if (runtime::inspector_requested()) d.inspector->open();
  }
  for (const auto& o : d.declared) d.create_window(o);
  QTimer::singleShot(0, d.qapp.get(), [&d] { d.wm->emit_ready(); });

  d.smoke.start_timeout();
}

int app::run() {
  // Every command is registered by now; describe them and stop before any window exists.
  if (impl_->describe_to) return runtime::write_description(impl_->r.describe(), *impl_->describe_to);
  // `myapp check`: what the app registered, for checking capability files against it.
  if (impl_->registry_to) {
    return runtime::write_description(
        acl::describe_registry({impl_->r.command_names(), detail::plugin_acl(impl_->plugins)}), *impl_->registry_to);
  }
  try {
    start();
  } catch (const setup_error& e) {
    // A mistake in the app's configuration, capabilities or frontend: a message and an exit
    // code rather than std::terminate.
    runtime::report_setup_failure(e.what(), impl_->smoke.enabled());
    return 1;
  }
  // A SIGTERM (logout, a service manager, kill) or a SIGINT (Ctrl+C) ends the app as a quit
  // does: exit hooks, windows closed, plugin teardown; exit code 128 + the signal.
  runtime::watch_quit_signals([d = impl_.get()](int sig) {
    runtime::log()->info("signal {} received: quitting", sig);
    d->wm->request_exit(128 + sig, /*forced=*/true);
  });
  const int code = QApplication::exec();
  const int exit_code = impl_->smoke.enabled() ? impl_->smoke.exit_code() : code;
  // Calls still running are cancelled and given the grace to finish before the plugins tear
  // down what they use; a handler that never returns must not keep the process alive (its
  // worker thread could not be joined).
  const auto still = impl_->r.shutdown(impl_->options.exit_grace);
  impl_->teardown(*this);
  if (!still.empty()) {
    runtime::log()->error("quitting with {} handler{} still running after {} ms: {}", still.size(),
                          still.size() == 1 ? "" : "s", impl_->options.exit_grace.count(),
                          fmt::format("{}", fmt::join(still, ", ")));
    runtime::flush_logs();
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(exit_code);
  }
  return exit_code;
}

bool app::open_inspector() {
  if (!impl_->inspector) return false;
  impl_->inspector->open();
  return true;
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
