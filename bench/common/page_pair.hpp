// The two pages a page benchmark (bench/ipc, bench/bytes) compares, each seen through JavaScript
// evaluation as a js_side: myapp's window and the naive baseline's page.
#pragma once

#include <chrono>
#include <string>

#include "naive_page.hpp"
#include "page_driver.hpp"

namespace myapp {
class window;
}

namespace myapp::bench {

/// myapp's window as a js_side named `name`.
js_side myapp_side(const std::string& name, myapp::window& window);
/// A naive page as a js_side named `name`.
js_side naive_side(const std::string& name, naive_page& page);

class page_pair {
 public:
  /// Watches both pages load from now on.
  page_pair(myapp::window& window, naive_page& naive);

  [[nodiscard]] js_side& myapp() noexcept { return myapp_; }
  [[nodiscard]] js_side& naive() noexcept { return naive_; }

  /// Waits until myapp's page has completed its handshake and defines `window.bench`, then
  /// until the naive page has connected its channel (`window.__naiveReady`), each within
  /// `timeout`; throws bench_failure when a page fails to load or is not ready in time.
  void wait_ready(std::chrono::seconds timeout);

  /// From now on, a page whose renderer process ends fails the runs waiting on it at once.
  void fail_on_renderer_death();

 private:
  myapp::window& window_;
  naive_page& naive_page_;
  bool myapp_load_ok_ = true;
  js_side myapp_;
  js_side naive_;
};

}  // namespace myapp::bench
