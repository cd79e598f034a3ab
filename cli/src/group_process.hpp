// The processes `dev` and `test` supervise: each in a process group of its own, stopped group
// and all, with our signals caught meanwhile and the orphans they leave behind ended with them.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "process.hpp"

namespace myapp::cli {

/// From here on this process supervises the children it starts: SIGINT, SIGTERM and SIGHUP are
/// recorded (caught_signal) instead of ending it, each of them (and, with `wake_on_child_exit`,
/// each SIGCHLD) makes wake_fd() readable, and the orphans of its children are handed to it (a
/// subreaper) so that end_all can end them. Throws cli_error when it cannot.
void supervise_children(bool wake_on_child_exit);
/// The signal that asked us to stop, 0 while none came.
[[nodiscard]] int caught_signal() noexcept;
/// Readable after a signal supervise_children watches; empty it with drain_wake.
[[nodiscard]] int wake_fd() noexcept;
void drain_wake() noexcept;

/// A process started in a process group of its own. The destructor stops the whole group.
///
///   group_process app({binary}, {.cwd = root, .null_stdin = true});
///   while (!app.exited()) ...;
class group_process {
 public:
  /// Starts `argv` as spawn does, `options.own_group` implied. Throws cli_error when fork fails.
  group_process(const std::vector<std::string>& argv, spawn_options options);
  ~group_process() { stop(); }
  group_process(const group_process&) = delete;
  group_process& operator=(const group_process&) = delete;

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  /// True once the process itself has ended (and been reaped).
  [[nodiscard]] bool exited();
  /// Its status_code once exited.
  [[nodiscard]] int code() const noexcept { return code_; }
  /// `sig` to the whole group.
  void signal(int sig) const;
  /// For a reaper waiting for any child: records `status` and returns true when `pid` is this
  /// process.
  bool record(pid_t pid, int status) noexcept;

  /// SIGTERM to the group, SIGKILL after `grace` to whatever is left of it; returns once the
  /// process itself is reaped. `wait_step` runs between checks (by default a 20 ms sleep). Once.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000),
            const std::function<void()>& wait_step = {});

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  bool stopped_ = false;
  int code_ = 0;
};

/// Reaps every child that has ended, without waiting; the exit of one of `groups` is recorded
/// in it.
void reap(const std::vector<group_process*>& groups);

/// Ends `groups` and every orphan handed to us (supervise_children), and reaps them all:
/// SIGTERM, up to `grace` for them to end, SIGKILL to what is left, and up to 5 s more to reap
/// it. `wait_step` runs between checks and must reap (by default reap(groups) and a 20 ms
/// sleep).
void end_all(const std::vector<group_process*>& groups, std::chrono::milliseconds grace,
             const std::function<void()>& wait_step = {});

}  // namespace myapp::cli
