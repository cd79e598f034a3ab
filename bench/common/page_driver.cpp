// Driving a scenario in a page, and waiting in the event loop (page_driver.hpp).
#include "page_driver.hpp"

#include <QByteArray>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <cmath>
#include <memory>

namespace myapp::bench {

using namespace std::chrono_literals;

void pump_for(std::chrono::milliseconds ms) {
  QEventLoop loop;
  QTimer::singleShot(ms, &loop, &QEventLoop::quit);
  loop.exec();
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  QElapsedTimer clock;
  clock.start();
  while (!done()) {
    if (clock.elapsed() > timeout.count()) return false;
    pump_for(20ms);
  }
  return true;
}

std::string json_stringified(const std::string& expression) {
  return "(function(){const __v=(" + expression +
         ");return __v===undefined?'undefined':JSON.stringify(__v);})()";
}

std::optional<std::string> js_side::eval(const std::string& expression,
                                         std::chrono::milliseconds timeout) {
  struct state {
    bool done = false;
    std::string value;
    QEventLoop loop;
  };
  auto s = std::make_shared<state>();
  eval_(expression, [s](std::string v) {
    s->value = std::move(v);
    s->done = true;
    s->loop.quit();
  });
  if (!s->done) {
    QTimer::singleShot(timeout, &s->loop, &QEventLoop::quit);
    s->loop.exec();
  }
  if (!s->done) return std::nullopt;
  return s->value;
}

std::map<std::string, double> js_side::run(const std::string& what, const std::string& scenario,
                                           const std::string& params, std::chrono::seconds timeout) {
  start(what, scenario, params);
  QElapsedTimer clock;
  clock.start();
  for (;;) {
    pump_for(20ms);
    // A page busy for a long time in one task (base64 of 100 MB) answers late: keep asking
    // until the run's own timeout.
    if (auto r = result(what)) return *r;
    if (clock.elapsed() > std::chrono::milliseconds(timeout).count()) {
      fail(what, "timed out after " + std::to_string(timeout.count()) + " s");
    }
  }
}

void js_side::start(const std::string& what, const std::string& scenario, const std::string& params) {
  const std::string start =
      "(window.__benchResult = null, setTimeout(() => window.bench.run('" + scenario + "', " +
      params +
      ").then(v => { window.__benchResult = JSON.stringify({ok: v}); }, e => { "
      "window.__benchResult = JSON.stringify({error: (e && e.code ? e.code + ': ' : '') + "
      "(e && e.message ? e.message : String(e))}); }), 0), 0)";
  if (!died_.empty()) fail(what, died_);
  if (!eval(start, 30s)) fail(what, "the page did not answer");
}

std::optional<std::map<std::string, double>> js_side::result(const std::string& what) {
  auto text = eval("window.__benchResult", 5s);
  if (!died_.empty()) fail(what, died_);
  if (text && *text != "null") return parse_result(what, *text);
  return std::nullopt;
}

void js_side::fail(const std::string& what, const std::string& why) const {
  throw bench_failure(what + " (" + name_ + " page): " + why);
}

std::map<std::string, double> js_side::parse_result(const std::string& what,
                                                    const std::string& text) const {
  // `text` is JSON.stringify of the JSON text stored by the page.
  const auto outer = QJsonDocument::fromJson(QByteArray::fromStdString("[" + text + "]"));
  const auto inner = QJsonDocument::fromJson(outer.array().at(0).toString().toUtf8()).object();
  if (inner.contains(QLatin1String("error"))) {
    fail(what, inner.value(QLatin1String("error")).toString().toStdString());
  }
  std::map<std::string, double> out;
  const auto ok = inner.value(QLatin1String("ok")).toObject();
  for (auto it = ok.begin(); it != ok.end(); ++it) out[it.key().toStdString()] = it.value().toDouble(NAN);
  return out;
}

}  // namespace myapp::bench
