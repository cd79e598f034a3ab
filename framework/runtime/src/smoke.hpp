// The smoke check (MYAPP_SMOKE_TEST=1): the first window loads its page, the page's client
// completes the handshake, and the app prints `myapp: smoke ok url=… ms=…` and exits 0 — or
// prints `myapp: smoke failed: <why>` and exits 1. Used by `myapp new`'s first run, the
// templates' tests and CI.
#pragma once

#include <QElapsedTimer>

#include <string>
#include <string_view>

class QUrl;

namespace myapp::runtime {

class web_page;

class smoke_check {
 public:
  /// Reads MYAPP_SMOKE_TEST; the clock for `ms=` starts here (in app's constructor).
  smoke_check();
  [[nodiscard]] bool enabled() const noexcept { return enabled_; }

  /// The first window: its load result and its JavaScript errors decide.
  void watch(web_page& page, const QUrl& url);
  /// The first window's page completed the handshake.
  void handshake();
  /// Fails the check if nothing decided it within MYAPP_SMOKE_TIMEOUT_MS (default 30 s).
  void start_timeout();
  /// Prints the verdict once and ends the event loop with its exit code.
  void finish(bool ok, const std::string& what);
  /// The exit code of the verdict (0 before one).
  [[nodiscard]] int exit_code() const noexcept { return exit_code_; }

 private:
  bool enabled_ = false;
  bool done_ = false;
  bool loaded_ = false;
  bool ready_ = false;
  std::string url_;
  int exit_code_ = 0;
  QElapsedTimer since_main_;
};

/// Ends a start that a setup_error stopped: its message on stderr and, under the smoke check,
/// the smoke line saying why. The caller exits with 1.
void report_setup_failure(std::string_view what, bool smoke);

}  // namespace myapp::runtime
