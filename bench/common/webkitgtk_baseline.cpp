// The WebKitGTK baseline as the suites run it (webkitgtk_baseline.hpp).
#include "webkitgtk_baseline.hpp"

#include <cstdio>

#include "child_process.hpp"
#include "report.hpp"

namespace myapp::bench {

using namespace std::chrono_literals;

namespace {
#ifdef MYAPP_BENCH_WEBKITGTK_PROGRAM
constexpr const char* PROGRAM = MYAPP_BENCH_WEBKITGTK_PROGRAM;
#else
constexpr const char* PROGRAM = "";
#endif
}  // namespace

webkitgtk_baseline::webkitgtk_baseline() : program_(PROGRAM) {}

void webkitgtk_baseline::add_to(CLI::App& app) {
  app.add_option("--webkitgtk", program_, "the WebKitGTK baseline program (bench/webkitgtk)")
      ->capture_default_str();
  app.add_flag("--no-webkitgtk", skip_, "do not run the WebKitGTK baseline");
}

bool webkitgtk_baseline::run(const std::vector<std::string>& args, std::chrono::seconds timeout) {
  values_.clear();
  version_.clear();
  if (skip_) {
    why_not_ = "n/a: turned off (--no-webkitgtk)";
    return false;
  }
  if (program_.empty()) {
    why_not_ = "n/a: not built: WebKitGTK 4.1 >= 2.40 (libwebkit2gtk-4.1-dev) was not found when the "
               "build folder was configured (bash scripts/bench.sh installs it and configures again)";
    return false;
  }
  if (!find_program(program_)) {
    why_not_ = "n/a: " + program_ + " is not an executable (build the target myapp_bench_webkitgtk)";
    return false;
  }
  const auto xvfb = find_program("xvfb-run");
  if (!xvfb) {
    why_not_ = "n/a: xvfb-run is not installed (Debian's xvfb: apt-get install xvfb)";
    return false;
  }
  // -a: the first free display; WebKitGTK has no offscreen platform of its own.
  std::vector<std::string> argv = {*xvfb, "-a", "-s", "-screen 0 1280x1024x24 -nolisten tcp",
                                   program_};
  argv.insert(argv.end(), args.begin(), args.end());
  progress("webkitgtk: " + program_ + " under xvfb-run");
  try {
    child_process child(argv);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string last;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) {
        child.wait(0ms);
        why_not_ = "n/a: the WebKitGTK program took longer than " +
                   std::to_string(timeout.count()) + " s";
        return false;
      }
      auto line = child.read_line(left);
      if (!line) break;
      if (!line->empty() && line->front() == '{') last = *line;
    }
    const int code = child.wait(10s);
    if (code != 0) {
      why_not_ = "n/a: the WebKitGTK program failed (exit code " + std::to_string(code) +
                 "; its messages are above)";
      return false;
    }
    auto result = read_json_line(last);
    if (!result) {
      why_not_ = "n/a: the WebKitGTK program printed no JSON line";
      return false;
    }
    values_ = std::move(result->numbers);
    version_ = result->strings["webkitgtk_version"];
  } catch (const std::exception& e) {
    why_not_ = std::string("n/a: ") + e.what();
    return false;
  }
  why_not_.clear();
  return true;
}

std::optional<double> webkitgtk_baseline::value(const std::string& key) const {
  const auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

void webkitgtk_baseline::print_note(const std::string& roads, const std::string& more) const {
  if (!why_not_.empty()) {
    std::printf("webkitgtk: %s\n", why_not_.c_str());
    return;
  }
  std::printf("webkitgtk %s under Xvfb (%s): main() -> first JS callback %s ms, process tree peak "
              "RSS %s MB, PSS %s MB; %s\n",
              version_.c_str(), roads.c_str(), format(value("webkitgtk_startup_ms"), 1).c_str(),
              format(value("webkitgtk_rss_mb"), 1).c_str(), format(value("webkitgtk_pss_mb"), 1).c_str(),
              more.c_str());
}

std::vector<std::pair<std::string, std::string>> webkitgtk_baseline::json_fields(
    const std::vector<baseline_key>& keys) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto* list : {&keys, &BASELINE_COMMON_KEYS}) {
    for (const auto& k : *list) out.emplace_back(k.key, json_number(value(k.key), k.decimals));
  }
  if (!why_not_.empty()) out.emplace_back("webkitgtk_note", json_string(why_not_));
  return out;
}

}  // namespace myapp::bench
