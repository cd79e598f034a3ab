// myapp dev: the dev server, the app, rebuilds and restarts, and every process cleaned up.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>

#include "bindings.hpp"
#include "checks.hpp"
#include "commands.hpp"
#include "group_process.hpp"
#include "http_probe.hpp"
#include "project.hpp"
#include "source_watch.hpp"
#include "util.hpp"

namespace myapp::cli {

namespace {

using clock = std::chrono::steady_clock;

struct child {
  child(std::string tag_, std::string color_, const std::vector<std::string>& argv,
        const spawn_options& options, int fd_)
      : tag(std::move(tag_)), color(std::move(color_)), process(argv, options), fd(fd_) {}
  std::string tag;
  std::string color;
  group_process process;
  int fd = -1;
  std::string partial;
};

// Starts processes in their own process groups, prefixes their output, reaps them, and on
// the way out stops every group it started and every orphan left to it (it is a subreaper).
class supervisor {
 public:
  supervisor() { supervise_children(true); }
  ~supervisor() { shutdown(); }
  supervisor(const supervisor&) = delete;
  supervisor& operator=(const supervisor&) = delete;

  [[nodiscard]] bool interrupted() const noexcept { return caught_signal() != 0; }

  child* spawn(const std::string& tag, const std::string& color,
               const std::vector<std::string>& argv, const fs::path& cwd,
               const std::map<std::string, std::string>& env = {}) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw cli_error(outcome::internal, "cannot create a pipe");
    const spawn_options options{.cwd = cwd, .env = env, .null_stdin = true, .out = fds[1],
                                .err = fds[1], .exec_error_prefix = ""};
    try {
      children_.push_back(std::make_unique<child>(tag, color, argv, options, fds[0]));
    } catch (...) {
      ::close(fds[0]);
      ::close(fds[1]);
      throw;
    }
    ::close(fds[1]);
    ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    return children_.back().get();
  }

  // Waits up to `timeout_ms` for output, signals or exits, and handles what came.
  void pump(int timeout_ms) {
    std::vector<pollfd> fds;
    fds.push_back({wake_fd(), POLLIN, 0});
    for (const auto& c : children_) {
      if (c->fd >= 0) fds.push_back({c->fd, POLLIN, 0});
    }
    ::poll(fds.data(), fds.size(), timeout_ms);
    drain_wake();
    for (const auto& c : children_) read_output(*c);
    reap(processes());
  }

  // Stops one child's process group: SIGTERM, then SIGKILL after a grace period.
  void stop(child* c) {
    if (c != nullptr) c->process.stop(std::chrono::milliseconds(5000), [this] { pump(50); });
  }

  // Ends every group started and every orphan handed to us, and reaps them all.
  void shutdown() {
    if (done_) return;
    done_ = true;
    end_all(processes(), std::chrono::seconds(5), [this] { pump(50); });
    for (const auto& c : children_) {
      read_output(*c);
      flush_partial(*c);
      if (c->fd >= 0) ::close(c->fd);
      c->fd = -1;
    }
  }

 private:
  std::vector<group_process*> processes() const {
    std::vector<group_process*> out;
    for (const auto& c : children_) out.push_back(&c->process);
    return out;
  }

  static void print(const std::string& tag, const std::string& color, std::string_view line) {
    const std::string prefix = paint(color, "[" + tag + "]");
    std::string out = prefix + " ";
    out.append(line);
    out.push_back('\n');
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
  }

  void read_output(child& c) {
    if (c.fd < 0) return;
    char buf[8192];
    while (true) {
      const ssize_t n = ::read(c.fd, buf, sizeof buf);
      if (n > 0) {
        c.partial.append(buf, static_cast<std::size_t>(n));
        std::size_t nl;
        while ((nl = c.partial.find('\n')) != std::string::npos) {
          std::string line = c.partial.substr(0, nl);
          if (!line.empty() && line.back() == '\r') line.pop_back();
          print(c.tag, c.color, line);
          c.partial.erase(0, nl + 1);
        }
        continue;
      }
      if (n == 0) {  // every writer closed it
        flush_partial(c);
        ::close(c.fd);
        c.fd = -1;
      }
      return;  // EAGAIN or error
    }
  }

  static void flush_partial(child& c) {
    if (!c.partial.empty()) {
      print(c.tag, c.color, c.partial);
      c.partial.clear();
    }
  }

  std::vector<std::unique_ptr<child>> children_;
  bool done_ = false;
};

// Why the app could not open a window here, before Qt aborts with its own message; nullopt
// when there is a display (or a platform is chosen).
std::optional<std::string> no_display() {
  auto set = [](const char* v) { return std::getenv(v) != nullptr && *std::getenv(v) != '\0'; };
  if (set("QT_QPA_PLATFORM") || set("DISPLAY") || set("WAYLAND_DISPLAY")) return std::nullopt;
  return "there is no display: DISPLAY and WAYLAND_DISPLAY are not set, so the app's window "
         "cannot open. Run `myapp dev` in a desktop session, or headless with "
         "`QT_QPA_PLATFORM=offscreen myapp dev` (devtools then over MYAPP_REMOTE_DEBUGGING=9222)";
}

// "pid 1234 (node .../vite)" for a message.
std::string who(const std::vector<listener>& holders) {
  std::vector<std::string> out;
  for (const auto& h : holders) {
    out.push_back(h.pid == 0 ? std::string("a process this user cannot see")
                             : fmt::format("pid {} ({})", h.pid,
                                           h.command.size() > 80 ? h.command.substr(0, 80) + "..."
                                                                 : h.command));
  }
  return fmt::format("{}", fmt::join(out, ", "));
}

}  // namespace

outcome cmd_dev(const dev_options& o) {
  const project p = load_project();
  require_tool("cmake", "install it with `apt-get install cmake`");
  if (auto why = no_display()) throw cli_error(outcome::app_failed, *why);
  if (const auto& cmd = p.conf.build.before_dev_command) {
    if (auto why = npm_install_needed(p, *cmd)) throw cli_error(outcome::tool_missing, *why);
  }
  // The dev server's port must be free before beforeDevCommand starts it: otherwise the app
  // would load whatever answers there.
  const auto& dev_url = p.conf.build.dev_url;
  const int dev_port = dev_url ? url_port(*dev_url) : 0;
  const bool own_server = dev_url && p.conf.build.before_dev_command && url_is_local(*dev_url) && dev_port > 0;
  if (own_server) {
    if (const auto holders = port_listeners(dev_port); !holders.empty()) {
      throw cli_error(outcome::dev_server_failed,
                      fmt::format("port {} of build.devUrl ({}) is already taken by {}, before "
                                  "beforeDevCommand could start its server there: stop it, or "
                                  "change the port in build.devUrl and in beforeDevCommand",
                                  dev_port, *dev_url, who(holders)));
    }
  }
  supervisor sv;
  const std::string C_APP = "36", C_DEV = "35", C_BUILD = "33";
  std::map<std::string, std::string> app_env;

  // Runs a command as [build] and waits for it, pumping everything else meanwhile. False when
  // it failed or when we were interrupted.
  auto run_step = [&](const std::vector<std::string>& argv) {
    child* c = sv.spawn("build", C_BUILD, argv, p.root);
    while (!c->process.exited()) {
      sv.pump(100);
      if (sv.interrupted()) {
        sv.stop(c);
        return false;
      }
    }
    return c->process.code() == 0;
  };

  // The frontend.
  child* dev = nullptr;
  if (const auto& cmd = p.conf.build.before_dev_command) {
    say(fmt::format("starting beforeDevCommand: {}", *cmd));
    dev = sv.spawn("dev", C_DEV, shell(*cmd), p.root);
  }
  if (const auto& url = p.conf.build.dev_url) {
    say(fmt::format("waiting for {} ...", *url));
    const auto deadline = clock::now() + std::chrono::seconds(60);
    // Answering, and (when beforeDevCommand runs the server) served by a process it started.
    auto ours = [&] {
      if (!own_server || dev == nullptr) return true;
      for (const auto& l : port_listeners(dev_port)) {
        if (l.pid != 0 && ::getpgid(l.pid) == dev->process.pid()) return true;
      }
      return false;
    };
    while (!(url_answers(*url) && ours())) {
      if (sv.interrupted()) return outcome::interrupted;
      if (dev != nullptr && dev->process.exited()) {
        throw cli_error(outcome::dev_server_failed,
                        fmt::format("beforeDevCommand exited (code {}) before {} answered",
                                    dev->process.code(), *url));
      }
      if (clock::now() > deadline) {
        const auto holders = own_server ? port_listeners(dev_port) : std::vector<listener>{};
        throw cli_error(outcome::dev_server_failed,
                        holders.empty()
                            ? fmt::format("{} did not answer within 60 s; is beforeDevCommand "
                                          "serving it? (build.devUrl in {})",
                                          *url, CONFIG_FILE)
                            : fmt::format("{} is served by {}, not by beforeDevCommand's server",
                                          *url, who(holders)));
      }
      sv.pump(250);
    }
    say(fmt::format("{} answers", *url));
    app_env["MYAPP_DEV_URL"] = *url;
  } else {
    std::error_code ec;
    if (!fs::is_directory(p.frontend_dist(), ec)) {
      throw cli_error(outcome::not_a_project,
                      fmt::format("the frontend folder {} (build.frontendDist) does not exist",
                                  p.frontend_dist().string()));
    }
    app_env["MYAPP_DEV_FRONTEND"] = fs::canonical(p.frontend_dist()).string();
  }
  if (o.inspect) app_env.insert_or_assign("MYAPP_INSPECT", std::string(1, '1'));
  // The build compiles frontendDist in; make it exist once if a dev server alone serves it.
  if (p.frontend_is_empty() && p.conf.build.before_build_command) {
    say(fmt::format("{} is empty; running beforeBuildCommand once: {}", p.conf.build.frontend_dist,
                    *p.conf.build.before_build_command));
    if (!run_step(shell(*p.conf.build.before_build_command))) {
      if (sv.interrupted()) return outcome::interrupted;
      throw cli_error(outcome::build_failed, "beforeBuildCommand failed");
    }
  }

  const fs::path binary = p.binary(build_kind::dev);
  // build.bindings: the TypeScript bindings follow the C++ side, rewritten only when they
  // change (a dev server watching them reloads once, not after every build).
  auto regenerate_bindings = [&] {
    if (!p.conf.build.bindings) return;
    try {
      const auto doc = select_commands(describe_app(p, binary), false);
      if (write_if_changed(p.root / *p.conf.build.bindings, typescript_bindings(doc))) {
        say(fmt::format("wrote {} ({})", *p.conf.build.bindings, summary(doc)));
      }
    } catch (const cli_error& e) {
      warn(fmt::format("{} not updated: {}", *p.conf.build.bindings, e.what()));
    }
  };

  build_settings settings{.kind = build_kind::dev, .prefix_paths = o.prefix_paths};
  auto build = [&]() {
    if (auto configure = configure_command(p, settings)) {
      say(fmt::format("configuring (Debug) in {}", shown_path(p.build_dir(build_kind::dev))));
      if (!run_step(*configure)) {
        if (!sv.interrupted()) say(fmt::format("configuring failed; {}", configure_failure_hint(o.prefix_paths)));
        return false;
      }
    }
    say("building");
    const auto start = clock::now();
    if (!run_step(build_command(p, build_kind::dev))) return false;
    say(fmt::format("built in {:.1f} s",
                    std::chrono::duration<double>(clock::now() - start).count()));
    regenerate_bindings();
    return true;
  };

  child* app = nullptr;
  // Starts the app when its capabilities let it start (checked as `myapp check` does, against
  // the commands it registers); otherwise says why. False when it did not start.
  auto start_app = [&] {
    if (const auto checked = check_files(p.root, &p.conf, binary); checked.problems != 0) {
      say(fmt::format("the new build is not started: its capabilities have {} problem{} "
                      "(above), so it would exit at once; fix {} and save to try again{}",
                      checked.problems, checked.problems == 1 ? "" : "s",
                      checked.problems == 1 ? "it" : "them",
                      app != nullptr ? " (the last good app keeps running)" : ""));
      return false;
    }
    if (app != nullptr) {
      say("restarting the app");
      sv.stop(app);
      app = nullptr;
    }
    say(fmt::format("starting {}", binary.string()));
    app = sv.spawn("app", C_APP, {binary.string()}, p.root, app_env);
    return true;
  };

  snapshot files = scan(p);
  if (build()) {
    start_app();
  } else if (sv.interrupted()) {
    return outcome::interrupted;
  } else {
    say("the build failed; the app starts once it builds (fix the error and save)");
  }

  while (true) {
    sv.pump(300);
    if (sv.interrupted()) {
      say("stopping");
      sv.shutdown();
      return outcome::interrupted;
    }
    if (app != nullptr && app->process.exited()) {
      const int code = app->process.code();
      app = nullptr;
      if (code == 0) {
        say("the app exited (code 0)");
        sv.shutdown();
        return outcome::ok;
      }
      // A start-up failure (a bad capability, a missing page) or a crash: the session and the
      // dev server go on, and the next change starts it again.
      say(fmt::format("the app exited (code {}); fix the problem above and save: it starts "
                      "again after the next change (Ctrl-C ends myapp dev)",
                      code));
    }
    if (dev != nullptr && dev->process.exited()) {
      sv.shutdown();
      throw cli_error(outcome::dev_server_failed,
                      fmt::format("beforeDevCommand exited (code {})", dev->process.code()));
    }
    snapshot now = scan(p);
    const auto changed = differences(files, now);
    if (changed.empty()) continue;
    files = std::move(now);
    say(fmt::format("{} changed; rebuilding", fmt::join(changed, ", ")));
    if (!build()) {
      if (sv.interrupted()) continue;
      say(app != nullptr ? "the build failed; the last good app keeps running"
                         : "the build failed; the app starts once it builds");
      continue;
    }
    start_app();
  }
}

}  // namespace myapp::cli
