// The command line of every benchmark: the shared options and the parse (command_line.hpp).
#include "command_line.hpp"

#include <cstdio>
#include <cstdlib>

namespace myapp::bench {

namespace {

// A number check with the given name and message, for `at_least` and `above`.
CLI::Validator floor_check(double floor, bool inclusive) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", floor);
  const std::string limit = buf;
  return {[floor, inclusive, limit](std::string& text) -> std::string {
            char* end = nullptr;
            const double v = std::strtod(text.c_str(), &end);
            if (end == text.c_str() || *end != '\0') return text + " is not a number";
            if (inclusive ? v >= floor : v > floor) return {};
            return inclusive ? "must be at least " + limit : "must be above " + limit;
          },
          (inclusive ? ">=" : ">") + limit};
}

}  // namespace

void round_options::add_to(CLI::App& app, const std::string& rounds_flag,
                           const std::string& quick_help, const std::string& timeout_help) {
  app.add_flag("--quick", quick_, quick_help);
  app.add_option(rounds_flag, rounds_,
                 "how many " + rounds_flag.substr(2) + " (default " + std::to_string(full_rounds_) +
                     ", " + std::to_string(quick_rounds_) + " with --quick)")
      ->check(at_least(1));
  app.add_option("--timeout", timeout_s_, timeout_help)->capture_default_str();
}

CLI::Validator at_least(double floor) { return floor_check(floor, true); }

CLI::Validator above(double floor) { return floor_check(floor, false); }

std::optional<int> parse(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return std::nullopt;
}

}  // namespace myapp::bench
