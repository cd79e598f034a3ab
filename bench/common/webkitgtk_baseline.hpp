// The WebKitGTK baseline (bench/webkitgtk) as the suites that show it run it: the engine Tauri
// uses on Linux, doing the suite's scenarios in a program of its own under xvfb-run, started as
// a child of the suite in the same run. Its numbers become the `webkitgtk` column and the
// `webkitgtk_*` keys; when it cannot run, the column says "n/a" and why.
#pragma once

#include <CLI/CLI.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace myapp::bench {

/// One number the WebKitGTK program prints: its JSON key (`webkitgtk_...`), where it comes from
/// in the program (the item's key and the scenario's metric, `echo.1mb`), and its decimals.
/// The suites list theirs beside their scenario plans (bench/ipc/scenarios.hpp,
/// bench/bytes/plan.hpp); the program and the suite both read the list.
struct baseline_key {
  std::string key;
  std::string source;
  int decimals;
};

/// What the program prints in every suite besides the suite's own keys.
inline const std::vector<baseline_key> BASELINE_COMMON_KEYS = {
    {"webkitgtk_startup_ms", "", 1},
    {"webkitgtk_rss_mb", "", 1},
    {"webkitgtk_pss_mb", "", 1},
    {"webkitgtk_clock_resolution_us", "", 1}};

class webkitgtk_baseline {
 public:
  webkitgtk_baseline();

  /// Adds --webkitgtk PATH (the program) and --no-webkitgtk to `app`.
  void add_to(CLI::App& app);

  /// Runs the program under xvfb-run with `args` and keeps the numbers of the JSON object it
  /// prints last; false, with why_not() saying why, when it is not built, xvfb-run is missing,
  /// it was turned off, or it fails or takes longer than `timeout`.
  bool run(const std::vector<std::string>& args, std::chrono::seconds timeout);

  /// A number it printed (`webkitgtk_...`), if it ran and printed one.
  [[nodiscard]] std::optional<double> value(const std::string& key) const;
  /// Every number it printed, for the suite's JSON line.
  [[nodiscard]] const std::map<std::string, double>& values() const noexcept { return values_; }
  /// The WebKitGTK version it ran ("2.50.6"), or "".
  [[nodiscard]] const std::string& version() const noexcept { return version_; }
  /// Empty after a run that worked; else why there are no numbers.
  [[nodiscard]] const std::string& why_not() const noexcept { return why_not_; }

  /// A table cell: `text`, or "n/a" when it did not run.
  [[nodiscard]] std::string cell(const std::string& text) const { return why_not_.empty() ? text : "n/a"; }

  /// The line under a suite's table: why it did not run, or its version, the `roads` it took,
  /// its start-up and memory, then `more`.
  void print_note(const std::string& roads, const std::string& more) const;

  /// The suite's JSON fields for `keys` and BASELINE_COMMON_KEYS: each key's number (null when
  /// missing), and `webkitgtk_note` with why_not() when it did not run.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> json_fields(
      const std::vector<baseline_key>& keys) const;

 private:
  std::string program_;
  bool skip_ = false;
  std::map<std::string, double> values_;
  std::string version_;
  std::string why_not_ = "not run";
};

}  // namespace myapp::bench
