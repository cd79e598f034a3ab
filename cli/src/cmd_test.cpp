// myapp test: the app built and started headless with the DevTools Protocol on loopback, the
// project's browser-level tests run against it with Node's test runner, and every process it
// started ended afterwards.
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <thread>

#include "commands.hpp"
#include "group_process.hpp"
#include "http_probe.hpp"
#include "project.hpp"
#include "util.hpp"

namespace myapp::cli {

namespace {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The last `count` lines of a file, indented, for an error message.
std::string tail_of(const fs::path& file, std::size_t count) {
  const auto text = read_file(file);
  if (!text || text->empty()) return "  (no output)\n";
  std::vector<std::string> lines = split(*text, "\n");
  const std::size_t from = lines.size() > count ? lines.size() - count : 0;
  std::string out;
  for (std::size_t i = from; i < lines.size(); ++i) out += "  " + lines[i] + "\n";
  return out;
}

// The test files: the arguments, or tests/*.test.{mjs,js,cjs}; paths relative to the project.
std::vector<std::string> test_files(const project& p, const std::vector<std::string>& given) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& g : given) {
    const fs::path abs = fs::absolute(g, ec);
    if (!fs::is_regular_file(abs, ec)) {
      throw cli_error(outcome::usage, fmt::format("no test file {}", g));
    }
    out.push_back(abs.string());
  }
  if (!given.empty()) return out;
  const fs::path dir = p.root / "tests";
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    for (const char* ext : {".test.mjs", ".test.js", ".test.cjs"}) {
      const std::string_view suffix(ext);
      if (name.size() > suffix.size() && name.ends_with(suffix) && e.is_regular_file(ec)) {
        out.push_back((fs::path("tests") / name).string());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Node's major and minor version, {0, 0} when unknown.
std::pair<int, int> node_version(const std::string& node) {
  const auto v = capture({node, "--version"});
  if (!v || v->size() < 2 || (*v)[0] != 'v') return {0, 0};
  const auto parts = split(trim(v->substr(1)), ".");
  if (parts.size() < 2) return {0, 0};
  return {std::atoi(parts[0].c_str()), std::atoi(parts[1].c_str())};
}

}  // namespace

outcome cmd_test(const test_options& o) {
  const project p = load_project();
  const std::string node = which("node");
  if (node.empty()) {
    throw cli_error(outcome::tool_missing,
                    "node is not installed; the tests run with Node's test runner (Node 18 or "
                    "later): install it with `apt-get install nodejs npm`");
  }
  if (node_version(node).first < 18) {
    throw cli_error(outcome::tool_missing, "the tests need Node 18 or later (`node --version`)");
  }
  const auto files = test_files(p, o.files);
  if (files.empty()) {
    throw cli_error(outcome::tests_failed,
                    fmt::format("no tests: {} has no *.test.mjs, *.test.js or *.test.cjs files "
                                "(`myapp new` writes one: tests/app.test.mjs)",
                                (p.root / "tests").string()));
  }
  // playwright-core drives the page; it is the project's own devDependency.
  if (run({node, "--input-type=module", "-e", "await import('playwright-core')"},
          [&] {
            auto r = in_dir(p.root);
            r.quiet = true;
            return r;
          }()) != 0) {
    throw cli_error(outcome::tool_missing,
                    fmt::format("playwright-core is not installed in {0}: run `npm install` there "
                                "(its package.json lists it) or `npm install --save-dev "
                                "playwright-core`. No browser is downloaded: the tests drive the "
                                "app's own Chromium",
                                p.root.string()));
  }

  fs::path binary;
  std::error_code ec;
  if (!o.app.empty()) {
    binary = fs::absolute(o.app, ec);
    if (::access(binary.c_str(), X_OK) != 0 || fs::is_directory(binary, ec)) {
      throw cli_error(outcome::usage, fmt::format("--app {}: not an executable", o.app));
    }
  } else {
    if (!o.no_build) cmd_build({.debug = o.debug, .prefix_paths = o.prefix_paths});
    binary = p.binary(o.debug ? build_kind::debug : build_kind::release);
    if (!fs::exists(binary, ec)) {
      throw cli_error(outcome::build_failed,
                      fmt::format("{} is not built; run `myapp build{}` (or drop --no-build)",
                                  binary.string(), o.debug ? " --debug" : ""));
    }
  }

  // From here on, every process started is ended on the way out, whatever happens.
  supervise_children(false);

  const char* tmp = std::getenv("TMPDIR");
  std::string dir_pattern =
      fmt::format("{}/myapp-test-XXXXXX", tmp != nullptr && *tmp != '\0' ? tmp : "/tmp");
  const char* made = ::mkdtemp(dir_pattern.data());
  if (made == nullptr) {
    throw cli_error(outcome::internal,
                    fmt::format("cannot create a folder {}: {}", dir_pattern, std::strerror(errno)));
  }
  const fs::path run_dir(made);
  const fs::path app_log = run_dir / "app.log";

  const int port = free_loopback_port();
  const std::string cdp_url = fmt::format("http://127.0.0.1:{}", port);
  // Chromium reads this itself, so any app serves the protocol there, whichever myapp it was
  // built with; an explicit address keeps it on loopback.
  std::map<std::string, std::string> app_env = {
      {"QTWEBENGINE_REMOTE_DEBUGGING", fmt::format("127.0.0.1:{}", port)},
  };
  // "handshake complete" is logged at debug level in the `app` area; the user's own MYAPP_LOG
  // entries apply to the rest.
  const std::string level = std::getenv("MYAPP_LOG") != nullptr ? std::getenv("MYAPP_LOG") : "";
  if (level.empty()) {
    app_env.emplace("MYAPP_LOG", "info,app=debug");
  } else if (level != "trace" && level != "debug" && level.find("app=trace") == std::string::npos) {
    app_env.emplace("MYAPP_LOG", level + ",app=debug");
  }
  if (std::getenv("QT_QPA_PLATFORM") == nullptr && std::getenv("DISPLAY") == nullptr &&
      std::getenv("WAYLAND_DISPLAY") == nullptr) {
    app_env.emplace("QT_QPA_PLATFORM", "offscreen");
  }
  if (::geteuid() == 0) app_env.emplace("QTWEBENGINE_DISABLE_SANDBOX", "1");

  say(fmt::format("starting {} with the DevTools Protocol on {} (its output: {})",
                  binary.string(), cdp_url, app_log.string()));
  outcome result = outcome::ok;
  std::string failure;
  bool keep_log = false;
  {
    const int log_fd = ::open(app_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0) throw cli_error(outcome::internal, fmt::format("cannot write {}", app_log.string()));
    group_process app({binary.string()},
                      {.cwd = p.root, .env = app_env, .null_stdin = true, .out = log_fd, .err = log_fd});
    ::close(log_fd);
    const auto started = clock::now();
    const auto deadline = started + std::chrono::seconds(o.timeout_s);
    bool endpoint = false;
    bool handshake = false;
    while (!(endpoint && handshake)) {
      if (caught_signal() != 0) {
        result = outcome::interrupted;
        break;
      }
      if (app.exited()) {
        result = outcome::app_failed;
        failure = fmt::format("the app exited (code {}) before it was ready; its output:\n{}",
                              app.code(), tail_of(app_log, 30));
        break;
      }
      if (clock::now() > deadline) {
        result = outcome::app_failed;
        failure = !endpoint
                      ? fmt::format("the DevTools endpoint {} did not answer within {} s "
                                    "(QTWEBENGINE_REMOTE_DEBUGGING=127.0.0.1:{}); the app's "
                                    "output:\n{}",
                                    cdp_url, o.timeout_s, port, tail_of(app_log, 30))
                      : fmt::format("no page of the app completed the handshake with its C++ "
                                    "side within {} s; the app's output:\n{}",
                                    o.timeout_s, tail_of(app_log, 30));
        break;
      }
      if (!endpoint) endpoint = http_get_loopback(port, "/json/version").has_value();
      if (!handshake) {
        const auto text = read_file(app_log);
        handshake = text && text->find("handshake complete") != std::string::npos;
      }
      if (!(endpoint && handshake)) std::this_thread::sleep_for(milliseconds(100));
    }

    if (result == outcome::ok) {
      say(fmt::format("the app is ready ({} ms); running {} test file{}",
                      std::chrono::duration_cast<milliseconds>(clock::now() - started).count(),
                      files.size(), files.size() == 1 ? "" : "s"));
      std::vector<std::string> argv = {node, "--test"};
      const auto [major, minor] = node_version(node);
      // The files share one app: one at a time (the flag exists from Node 20.10 on).
      if (major > 20 || (major == 20 && minor >= 10)) argv.emplace_back("--test-concurrency=1");
      if (!o.name_pattern.empty()) argv.push_back("--test-name-pattern=" + o.name_pattern);
      argv.insert(argv.end(), files.begin(), files.end());
      group_process tests(argv, {.cwd = p.root,
                                 .env = {{"MYAPP_CDP_URL", cdp_url}, {"MYAPP_TEST_APP", binary.string()}},
                                 .null_stdin = true});
      bool forwarded = false;
      while (!tests.exited()) {
        if (caught_signal() != 0 && !forwarded) {
          tests.signal(caught_signal());
          forwarded = true;
        }
        std::this_thread::sleep_for(milliseconds(50));
      }
      if (caught_signal() != 0) {
        result = outcome::interrupted;
      } else if (app.exited()) {
        result = outcome::app_failed;
        failure = fmt::format("the app exited (code {}) during the tests; its output:\n{}",
                              app.code(), tail_of(app_log, 30));
      } else if (tests.code() != 0) {
        result = outcome::tests_failed;
        keep_log = true;
        failure = fmt::format("the tests failed (node exited with {}); the app's output is in {}",
                              tests.code(), app_log.string());
      }
    }
    // `app` ends here: its process group is terminated and reaped.
  }
  end_all({}, milliseconds(3000));  // what the app and the tests left behind
  if (result == outcome::app_failed) {
    failure += fmt::format("(the whole output: {})", app_log.string());
    keep_log = true;
  }
  if (!keep_log) fs::remove_all(run_dir, ec);
  if (result == outcome::interrupted) {
    say("interrupted; the app and the tests were stopped");
    return result;
  }
  if (result != outcome::ok) throw cli_error(result, failure);
  say("the tests passed; the app was stopped");
  return outcome::ok;
}

}  // namespace myapp::cli
