// The command line of every benchmark: CLI11, the options the suites share, and one way to end
// on a bad command line.
#pragma once

#include <CLI/CLI.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace myapp::bench {

/// What the suites that repeat their measurements share: a smaller `--quick` run, how many
/// rounds (`--rounds N`; the start-up benchmark says `--runs N`) and a `--timeout SECONDS`.
class round_options {
 public:
  /// `full_rounds` unless told, `quick_rounds` with --quick; `timeout` unless told.
  round_options(int full_rounds, int quick_rounds, std::chrono::seconds timeout)
      : full_rounds_(full_rounds),
        quick_rounds_(quick_rounds),
        timeout_s_(static_cast<int>(timeout.count())) {}

  /// Adds --quick, `rounds_flag` N (at least 1) and --timeout SECONDS to `app`; `quick_help`
  /// says what --quick makes smaller, `timeout_help` what the timeout bounds.
  void add_to(CLI::App& app, const std::string& rounds_flag, const std::string& quick_help,
              const std::string& timeout_help);

  [[nodiscard]] bool quick() const noexcept { return quick_; }
  /// As given, else the default for a full or a quick run.
  [[nodiscard]] int rounds() const noexcept {
    return rounds_ > 0 ? rounds_ : quick_ ? quick_rounds_ : full_rounds_;
  }
  [[nodiscard]] std::chrono::seconds timeout() const noexcept {
    return std::chrono::seconds(timeout_s_);
  }

 private:
  int full_rounds_;
  int quick_rounds_;
  bool quick_ = false;
  int rounds_ = 0;  // 0: not given
  int timeout_s_;
};

/// Checks that a number is at least `floor` ("must be at least 1").
[[nodiscard]] CLI::Validator at_least(double floor);
/// Checks that a number is above `floor` ("must be above 0").
[[nodiscard]] CLI::Validator above(double floor);

/// Parses the command line into `app`'s options. nullopt: go on. Otherwise the benchmark ends
/// with the code returned: 0 after --help (printed on stdout), 2 after a bad command line
/// (CLI11's message on stderr).
[[nodiscard]] std::optional<int> parse(CLI::App& app, int argc, char** argv);

}  // namespace myapp::bench
