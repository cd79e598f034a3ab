// Helpers for tests that drive a real headless QtWebEngine page from C++.
#pragma once

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>

#include <string>

#include "myapp/app.hpp"

namespace myapp::testing {

/// Spins the event loop until `done()` or the timeout.
template <class F>
bool wait_until(F done, int timeout_ms = 20000) {
  QElapsedTimer t;
  t.start();
  while (!done()) {
    if (t.elapsed() > timeout_ms) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
  }
  return true;
}

/// Spins the event loop for `ms` milliseconds.
inline void pump(int ms) {
  wait_until([] { return false; }, ms);
}

/// Evaluates a JavaScript expression in the window's page; returns JSON.stringify of its value.
inline std::string eval(myapp::window& w, const std::string& expression, int timeout_ms = 20000) {
  std::string result;
  bool done = false;
  w.eval(expression, [&](std::string r) {
    result = std::move(r);
    done = true;
  });
  EXPECT_TRUE(wait_until([&] { return done; }, timeout_ms)) << "no answer to " << expression;
  return result;
}

/// Evaluates an expression giving a promise and waits for it to settle. Returns
/// `{"ok":value}` or `{"code","message","data"}` as JSON text.
inline std::string settle(myapp::window& w, const std::string& promise_expression,
                          int timeout_ms = 20000) {
  static int counter = 0;
  const std::string slot = "__t" + std::to_string(++counter);
  eval(w, "(window." + slot + "=null, Promise.resolve().then(() => " + promise_expression +
              ").then(v => { window." + slot + " = JSON.stringify({ok: v}); }, e => { window." +
              slot + " = JSON.stringify({code: e.code, message: e.message, data: e.data}); }), 0)");
  std::string out;
  bool settled = wait_until(
      [&] {
        out = eval(w, "window." + slot);
        return out != "null";
      },
      timeout_ms);
  EXPECT_TRUE(settled) << "promise never settled: " << promise_expression;
  auto inner = myapp::json::parse<std::string>(out);
  return inner.has_value() ? inner.value() : out;
}

}  // namespace myapp::testing
