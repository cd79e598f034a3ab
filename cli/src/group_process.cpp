// The processes `dev` and `test` supervise: signals caught, process groups stopped, orphans ended.
#include "group_process.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <thread>

#include "exit.hpp"
#include "util.hpp"

namespace myapp::cli {

namespace {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

volatile std::sig_atomic_t g_signal = 0;
int g_wake[2] = {-1, -1};

void on_signal(int sig) {
  const int saved = errno;
  if (sig != SIGCHLD) g_signal = sig;
  const char c = 0;
  [[maybe_unused]] auto n = ::write(g_wake[1], &c, 1);
  errno = saved;
}

void wait_a_little() { std::this_thread::sleep_for(milliseconds(20)); }

bool any_running(const std::vector<group_process*>& groups) {
  for (auto* g : groups) {
    if (!g->exited()) return true;
  }
  return false;
}

// Live processes whose parent is this one and that are none of `groups`: descendants orphaned
// by the processes we started, handed to us because we are a subreaper.
std::vector<pid_t> orphans(const std::vector<group_process*>& groups) {
  std::vector<pid_t> out;
  const pid_t self = ::getpid();
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto stat = read_file(e.path() / "stat");
    if (!stat) continue;
    const auto close = stat->rfind(')');
    if (close == std::string::npos || close + 2 >= stat->size()) continue;
    const auto fields = split(stat->substr(close + 2), " ");
    if (fields.size() < 2 || fields[0] == "Z" || std::atoi(fields[1].c_str()) != self) continue;
    const pid_t pid = std::atoi(name.c_str());
    bool known = false;
    for (auto* g : groups) known = known || g->pid() == pid;
    if (!known) out.push_back(pid);
  }
  return out;
}

void record_in(const std::vector<group_process*>& groups, pid_t pid, int status) {
  for (auto* g : groups) {
    if (g->record(pid, status)) return;
  }
}

}  // namespace

void supervise_children(bool wake_on_child_exit) {
  if (g_wake[0] < 0 && ::pipe2(g_wake, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw cli_error(outcome::internal, "cannot create a pipe");
  }
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: poll wakes up
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &sa, nullptr);
  if (wake_on_child_exit) ::sigaction(SIGCHLD, &sa, nullptr);
  // Orphans of our children (a dev server's workers, Chromium's helpers...) become ours, so we
  // can end them.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

int caught_signal() noexcept { return g_signal; }

int wake_fd() noexcept { return g_wake[0]; }

void drain_wake() noexcept {
  char drain[64];
  while (::read(g_wake[0], drain, sizeof drain) > 0) {
  }
}

group_process::group_process(const std::vector<std::string>& argv, spawn_options options) {
  options.own_group = true;
  pid_ = spawn(argv, options);
  if (pid_ < 0) throw cli_error(outcome::internal, "fork failed");
}

bool group_process::exited() {
  if (exited_) return true;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    record(pid_, status);
  } else if (r < 0 && errno == ECHILD) {
    exited_ = true;  // reaped by someone who did not tell us
  }
  return exited_;
}

void group_process::signal(int sig) const { ::kill(-pid_, sig); }

bool group_process::record(pid_t pid, int status) noexcept {
  if (pid != pid_ || exited_) return false;
  exited_ = true;
  code_ = status_code(status);
  return true;
}

void group_process::stop(milliseconds grace, const std::function<void()>& wait_step) {
  if (stopped_) return;
  stopped_ = true;
  const auto& step = wait_step ? wait_step : std::function<void()>(wait_a_little);
  if (!exited()) {
    signal(SIGTERM);
    const auto deadline = clock::now() + grace;
    while (!exited() && clock::now() < deadline) step();
  }
  signal(SIGKILL);  // whatever of its group is still there
  while (!exited()) step();
}

void reap(const std::vector<group_process*>& groups) {
  while (true) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    record_in(groups, pid, status);
  }
}

void end_all(const std::vector<group_process*>& groups, milliseconds grace,
             const std::function<void()>& wait_step) {
  const std::function<void()> step = wait_step ? wait_step : [&groups] {
    reap(groups);
    wait_a_little();
  };
  for (auto* g : groups) {
    if (!g->exited()) g->signal(SIGTERM);
  }
  auto deadline = clock::now() + grace;
  while (clock::now() < deadline) {
    const auto left = orphans(groups);
    if (left.empty() && !any_running(groups)) break;
    for (pid_t o : left) ::kill(o, SIGTERM);  // again: new orphans come as their parents end
    step();
  }
  for (auto* g : groups) g->signal(SIGKILL);
  for (pid_t o : orphans(groups)) ::kill(o, SIGKILL);
  // Reap everything that is ours, waiting for the killed ones.
  deadline = clock::now() + std::chrono::seconds(5);
  while (clock::now() < deadline) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      record_in(groups, pid, status);
      continue;
    }
    if (pid < 0 && errno == ECHILD) break;
    wait_a_little();
  }
}

}  // namespace myapp::cli
