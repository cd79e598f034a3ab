// The smoke check: a verdict on the first window's load and handshake, printed once.
#include "smoke.hpp"

#include <QCoreApplication>
#include <QMetaObject>
#include <QTimer>
#include <QUrl>

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

#include "app_config.hpp"
#include "web_page.hpp"

namespace myapp::runtime {

smoke_check::smoke_check() : enabled_(env_flag("MYAPP_SMOKE_TEST")) { since_main_.start(); }

void smoke_check::watch(web_page& page, const QUrl& url) {
  url_ = url.toString().toStdString();
  if (!enabled_) return;
  page.on_js_error = [this](const std::string& m) {
    if (!ready_ || !loaded_) finish(false, "JavaScript error during load: " + m);
  };
  QObject::connect(&page, &QWebEnginePage::loadFinished, &page, [this, p = &page](bool ok) {
    if (done_) return;
    if (!ok) {
      finish(false, "could not load " + p->url().toString().toStdString());
      return;
    }
    loaded_ = true;
    if (ready_) finish(true, {});
  });
}

void smoke_check::handshake() {
  if (!enabled_) return;
  ready_ = true;
  if (loaded_) finish(true, {});
}

void smoke_check::start_timeout() {
  if (!enabled_) return;
  int timeout_ms = 30000;
  if (const char* t = std::getenv("MYAPP_SMOKE_TIMEOUT_MS")) timeout_ms = std::atoi(t);
  if (timeout_ms <= 0) timeout_ms = 30000;
  QTimer::singleShot(timeout_ms, QCoreApplication::instance(), [this, timeout_ms] {
    finish(false, fmt::format("no handshake within {} ms (page {}loaded)", timeout_ms,
                              loaded_ ? "" : "not "));
  });
}

void smoke_check::finish(bool ok, const std::string& what) {
  if (!enabled_ || done_) return;
  done_ = true;
  if (ok) {
    std::printf("myapp: smoke ok url=%s ms=%lld\n", url_.c_str(),
                static_cast<long long>(since_main_.elapsed()));
  } else {
    std::printf("myapp: smoke failed: %s\n", what.c_str());
  }
  std::fflush(stdout);
  exit_code_ = ok ? 0 : 1;
  QMetaObject::invokeMethod(QCoreApplication::instance(),
                            [code = exit_code_] { QCoreApplication::exit(code); },
                            Qt::QueuedConnection);
}

void report_setup_failure(std::string_view what, bool smoke) {
  std::fprintf(stderr, "%.*s\n", static_cast<int>(what.size()), what.data());
  if (smoke) {
    if (what.starts_with("myapp: ")) what.remove_prefix(7);
    std::printf("myapp: smoke failed: %.*s\n", static_cast<int>(what.size()), what.data());
  }
  std::fflush(stdout);
  std::fflush(stderr);
}

}  // namespace myapp::runtime
