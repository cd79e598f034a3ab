// The two pages a page benchmark compares (page_pair.hpp).
#include "page_pair.hpp"

#include <QObject>
#include <QString>
#include <QVariant>
#include <QWebEnginePage>

#include <functional>
#include <string>
#include <utility>

#include "myapp/app.hpp"

namespace myapp::bench {

using namespace std::chrono_literals;

js_side myapp_side(const std::string& name, myapp::window& window) {
  return {name, [&window](const std::string& expression, std::function<void(std::string)> done) {
            window.eval(expression, std::move(done));
          }};
}

js_side naive_side(const std::string& name, naive_page& page) {
  // The wrapper myapp::window::eval applies, for the naive page.
  return {name, [p = page.page()](const std::string& expression, std::function<void(std::string)> done) {
            p->runJavaScript(
                QString::fromStdString(json_stringified(expression)),
                [done = std::move(done)](const QVariant& v) { done(v.toString().toStdString()); });
          }};
}

page_pair::page_pair(myapp::window& window, naive_page& naive)
    : window_(window),
      naive_page_(naive),
      myapp_(myapp_side("myapp", window)),
      naive_(naive_side("naive", naive)) {
  QObject::connect(window.page(), &QWebEnginePage::loadFinished, window.page(),
                   [this](bool ok) { myapp_load_ok_ = myapp_load_ok_ && ok; });
}

void page_pair::wait_ready(std::chrono::seconds timeout) {
  if (!wait_until(
          [&] {
            if (!myapp_load_ok_)
              throw bench_failure("the myapp page (myapp://localhost/index.html) failed to load");
            return window_.ready() && myapp_.eval("typeof window.bench", 5s) == "\"object\"";
          },
          timeout)) {
    throw bench_failure("the myapp page never completed its handshake");
  }
  if (!wait_until(
          [&] {
            if (!naive_page_.load_ok()) {
              throw bench_failure("the naive page (" + naive_page_.url().toString().toStdString() +
                                  ") failed to load");
            }
            return naive_.eval("window.__naiveReady === true", 5s) == "true";
          },
          timeout)) {
    throw bench_failure("the naive page never connected its web channel");
  }
}

void page_pair::fail_on_renderer_death() {
  auto on_death = [](js_side& side) {
    return [&side](QWebEnginePage::RenderProcessTerminationStatus, int code) {
      side.renderer_died("the page's renderer process ended (exit code " + std::to_string(code) +
                         ")");
    };
  };
  QObject::connect(window_.page(), &QWebEnginePage::renderProcessTerminated, window_.page(),
                   on_death(myapp_));
  QObject::connect(naive_page_.page(), &QWebEnginePage::renderProcessTerminated, naive_page_.page(),
                   on_death(naive_));
}

}  // namespace myapp::bench
