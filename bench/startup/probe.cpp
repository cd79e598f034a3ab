// The start-up probe linked into both programs the start-up benchmark compares (probe.hpp).
#include "probe.hpp"

#include <QApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTimer>
#include <QWebEnginePage>
#include <QWebEngineView>

#include <time.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

double now_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// The process's start time, from /proc/self/stat (clock ticks since boot), on the realtime
// clock.
double process_start_ms() {
  std::ifstream f("/proc/self/stat");
  std::string line;
  std::getline(f, line);
  std::istringstream rest(line.substr(line.rfind(')') + 2));
  std::string field;
  for (int i = 3; i < 22; ++i) rest >> field;  // fields 3..21
  unsigned long long start_ticks = 0;
  rest >> start_ticks;
  timespec boot{};
  ::clock_gettime(CLOCK_BOOTTIME, &boot);
  const double since_boot_ms = static_cast<double>(boot.tv_sec) * 1e3 + static_cast<double>(boot.tv_nsec) / 1e6;
  const double start_since_boot_ms =
      static_cast<double>(start_ticks) * 1e3 / static_cast<double>(::sysconf(_SC_CLK_TCK));
  return now_ms() - (since_boot_ms - start_since_boot_ms);
}

struct probe_state {
  double main_ms = 0;      // the clock at main() (this static initializer)
  double spawn_ms = NAN;   // the clock when the process was started
  double started_ms = NAN;  // loadStarted, on the clock
  double load_ms = NAN;    // loadFinished, on the clock
  bool attached = false;
  bool reported = false;
};

probe_state& state() {
  static probe_state s;
  return s;
}

// The page's timeline, collected in its main world: times are performance.now() values, in ms
// from performance.timeOrigin (epoch ms).
constexpr const char* PAGE_PROBE = R"JS((() => {
  let p = window.__startupProbe;
  if (!p) {
    p = window.__startupProbe = { origin: performance.timeOrigin, ready: null, fcp: null, error: null };
    const c = window.__MYAPP__;
    (c && c.ready ? c.ready : Promise.resolve()).then(
      () => { p.ready = performance.now(); }, (e) => { p.error = String(e); });
    const seen = (entries) => {
      for (const e of entries) if (e.name === 'first-contentful-paint') p.fcp = e.startTime;
    };
    seen(performance.getEntriesByType('paint'));
    if (p.fcp === null) {
      new PerformanceObserver((list) => seen(list.getEntries())).observe({ type: 'paint', buffered: true });
    }
  }
  return JSON.stringify(p);
})())JS";

void quit_on_stdin_eof() {
  if (const char* e = std::getenv("MYAPP_STARTUP_PROBE_EXIT"); e != nullptr && *e == '1') {
    QCoreApplication::quit();
    return;
  }
  auto* notifier = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, qApp);
  QObject::connect(notifier, &QSocketNotifier::activated, qApp, [notifier] {
    char buf[256];
    if (::read(STDIN_FILENO, buf, sizeof buf) <= 0) {
      notifier->setEnabled(false);
      QCoreApplication::quit();
    }
  });
}

void report(const QJsonObject& page, const std::string& error) {
  auto& s = state();
  if (s.reported) return;
  s.reported = true;
  const double origin = page.value(QLatin1String("origin")).toDouble(NAN);
  auto from_main = [&](const char* key) {
    const QJsonValue v = page.value(QLatin1String(key));
    return v.isDouble() ? origin + v.toDouble() - s.main_ms : NAN;
  };
  auto num = [](double v) { return std::isnan(v) ? std::string("null") : std::to_string(v); };
  std::printf(
      "myapp-startup-probe {\"exec_to_main_ms\":%s,\"load_started_ms\":%s,\"load_ms\":%s,"
      "\"first_paint_ms\":%s,\"ready_ms\":%s,\"error\":%s}\n",
      num(s.main_ms - s.spawn_ms).c_str(), num(s.started_ms - s.main_ms).c_str(),
      num(s.load_ms - s.main_ms).c_str(),
      num(from_main("fcp")).c_str(), num(from_main("ready")).c_str(),
      error.empty() ? "null" : QJsonDocument(QJsonObject{{QStringLiteral("e"), QString::fromStdString(error)}})
                                    .toJson(QJsonDocument::Compact)
                                    .toStdString()
                                    .c_str());
  std::fflush(stdout);
  quit_on_stdin_eof();
}

// Asks the page for its timeline until it holds both the first paint and the ready time.
void ask_page(QWebEnginePage* page, int attempts_left) {
  page->runJavaScript(QString::fromLatin1(PAGE_PROBE), [page, attempts_left](const QVariant& v) {
    const QJsonObject p = QJsonDocument::fromJson(v.toString().toUtf8()).object();
    const bool done = p.value(QLatin1String("fcp")).isDouble() &&
                      p.value(QLatin1String("ready")).isDouble();
    if (done || !p.value(QLatin1String("error")).isNull()) {
      report(p, p.value(QLatin1String("error")).toString().toStdString());
    } else if (attempts_left <= 0) {
      report(p, "the page reported no first paint or no ready time within 20 s");
    } else {
      QTimer::singleShot(5, page, [page, attempts_left] { ask_page(page, attempts_left - 1); });
    }
  });
}

void attach(QWebEnginePage* page) {
  // Chromium reports the start of the navigation asynchronously, after the view was shown.
  QObject::connect(page, &QWebEnginePage::loadStarted, page, [] {
    if (std::isnan(state().started_ms)) state().started_ms = now_ms();
  });
  QObject::connect(page, &QWebEnginePage::loadFinished, page, [page](bool ok) {
    auto& s = state();
    if (!std::isnan(s.load_ms)) return;  // the first load only
    s.load_ms = now_ms();
    if (!ok) {
      report({}, "the page failed to load");
      return;
    }
    ask_page(page, 4000);
  });
}

// Watches the application's events until the first web view is shown.
class view_watcher final : public QObject {
 public:
  using QObject::QObject;
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (event->type() == QEvent::Show && !state().attached) {
      if (auto* view = qobject_cast<QWebEngineView*>(watched)) {
        state().attached = true;
        attach(view->page());
        qApp->removeEventFilter(this);
        deleteLater();
      }
    }
    return false;
  }
};

void on_application_created() {
  qApp->installEventFilter(new view_watcher(qApp));
}

// Runs just before main(): the static initializers of the executable run after those of every
// library it loads.
[[maybe_unused]] const bool installed = [] {
  auto& s = state();
  s.main_ms = now_ms();
  if (const char* spawn = std::getenv("MYAPP_STARTUP_SPAWN_NS"); spawn != nullptr && *spawn) {
    s.spawn_ms = std::strtod(spawn, nullptr) / 1e6;
    ::unsetenv("MYAPP_STARTUP_SPAWN_NS");
  } else {
    s.spawn_ms = process_start_ms();
  }
  qAddPreRoutine(on_application_created);
  return true;
}();

}  // namespace
