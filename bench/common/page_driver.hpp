// What the page benchmarks (bench/ipc, bench/bytes) share: driving a scenario in a page through
// JavaScript evaluation, and waiting in the event loop without spinning.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace myapp::bench {

/// A run that could not complete: a page that did not answer, a scenario that failed.
class bench_failure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Runs the event loop for `ms`, blocked in it rather than spinning: the browser's processes
/// need both cores.
void pump_for(std::chrono::milliseconds ms);

/// Runs the event loop until `done()` or `timeout`; false on the timeout.
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);

/// `expression` wrapped so that evaluating it yields JSON.stringify of its value.
std::string json_stringified(const std::string& expression);

/// A page under test (myapp's window or a baseline page), seen through JavaScript evaluation.
/// The page defines `window.bench.run(scenario, params)`, a promise of an object of numbers.
class js_side {
 public:
  /// Evaluates an expression; the callback receives JSON.stringify of its value.
  using eval_fn = std::function<void(const std::string&, std::function<void(std::string)>)>;

  js_side(std::string name, eval_fn eval) : name_(std::move(name)), eval_(std::move(eval)) {}
  /// Called by the page's renderProcessTerminated: the runs waiting on it fail at once.
  void renderer_died(std::string why) { died_ = std::move(why); }
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

  /// The value of `expression`, or nullopt when the page does not answer within `timeout`.
  std::optional<std::string> eval(const std::string& expression, std::chrono::milliseconds timeout);

  /// Starts `window.bench.run(scenario, params)` from a timer (so that a first step that is one
  /// long task does not hold up the evaluation) and waits for the object of numbers it settles
  /// with; throws bench_failure naming `what` when it rejects or takes longer than `timeout`.
  std::map<std::string, double> run(const std::string& what, const std::string& scenario,
                                    const std::string& params, std::chrono::seconds timeout);

  /// run() in two halves, for scenarios that run in several pages at once: start() returns
  /// once the scenario is started; result() asks once and returns its numbers when it has
  /// settled (nullopt while it runs), throwing bench_failure as run() does.
  void start(const std::string& what, const std::string& scenario, const std::string& params);
  std::optional<std::map<std::string, double>> result(const std::string& what);

 private:
  [[noreturn]] void fail(const std::string& what, const std::string& why) const;
  std::map<std::string, double> parse_result(const std::string& what, const std::string& text) const;

  std::string name_;
  eval_fn eval_;
  std::string died_;
};

}  // namespace myapp::bench
