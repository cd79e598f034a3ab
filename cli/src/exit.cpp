// The exit code of each outcome: the one place that knows the numbers.
#include "exit.hpp"

namespace myapp::cli {

int exit_code(outcome o) noexcept {
  switch (o) {
    case outcome::ok: return 0;
    case outcome::problems: return 1;
    case outcome::usage: return 2;
    case outcome::not_a_project: return 3;
    case outcome::already_exists: return 4;
    case outcome::tool_missing: return 5;
    case outcome::build_failed: return 6;
    case outcome::bundle_failed: return 7;
    case outcome::dev_server_failed: return 8;
    case outcome::app_failed: return 9;
    case outcome::tests_failed: return 10;
    case outcome::interrupted: return 130;
    case outcome::internal: return 70;
  }
  return 70;
}

}  // namespace myapp::cli
