// How a command ends. The exit codes are mapped in exactly one place: `exit_code`.
#pragma once

#include <stdexcept>
#include <string>

namespace myapp::cli {

enum class outcome {
  ok,                 ///< 0
  problems,           ///< 1: the configuration has problems (check, and any command reading it)
  usage,              ///< 2: bad command line (unknown option, bad name, unknown template)
  not_a_project,      ///< 3: no myapp.conf.json here or above
  already_exists,     ///< 4: `new` into a non-empty folder without --force
  tool_missing,       ///< 5: cmake, dpkg-deb, ... not found
  build_failed,       ///< 6: beforeBuildCommand, configure or build failed
  bundle_failed,      ///< 7: packaging failed
  dev_server_failed,  ///< 8: beforeDevCommand failed or devUrl never answered
  app_failed,         ///< 9: the app run by `dev` exited with an error; `test`: it never became ready
  tests_failed,       ///< 10: `test`: a test failed, or there are none
  interrupted,        ///< 130: Ctrl-C or SIGTERM
  internal,           ///< 70: a bug or an unexpected system error
};

/// The process exit code of an outcome. The only place that knows the numbers.
[[nodiscard]] int exit_code(outcome o) noexcept;

/// Thrown by commands: ends the command with `kind`, printing `what()` as "myapp: error: ...".
class cli_error : public std::runtime_error {
 public:
  cli_error(outcome kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  [[nodiscard]] outcome kind() const noexcept { return kind_; }

 private:
  outcome kind_;
};

}  // namespace myapp::cli
