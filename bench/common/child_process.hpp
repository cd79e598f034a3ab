// A program a benchmark runs as a child: its standard input and output on pipes, its standard
// error passed through (progress lines), read line by line with a deadline, and its whole
// process tree ended if it outlives its welcome. Used by the drivers that compare fresh
// processes (bench/scale) and by the suites that run the WebKitGTK baseline (bench/ipc,
// bench/bytes).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace myapp::bench {

/// The full path of `name` found on the PATH (or `name` itself when it holds a slash and is
/// executable); nullopt when there is none.
std::optional<std::string> find_program(const std::string& name);

/// The first of `programs` that is not an executable file, if any.
std::optional<std::string> first_not_executable(const std::vector<std::string>& programs);

/// A fresh folder under /tmp (`/tmp/<name>-XXXXXX`) that becomes this process's HOME and
/// XDG_DATA/CACHE/CONFIG_HOME, and so those of the programs it starts: their browser profiles
/// and caches land there, never in the user's. Removed when it goes. This process also becomes
/// the subreaper of what those programs leave behind (Chromium's processes outlive the browser
/// process for a moment), so that reap_children() sees them go. Throws std::runtime_error when
/// the folder cannot be made.
class scratch_home {
 public:
  explicit scratch_home(const std::string& name);
  ~scratch_home();
  scratch_home(const scratch_home&) = delete;
  scratch_home& operator=(const scratch_home&) = delete;

 private:
  std::string path_;
};

/// Reaps every child of this process that has ended, without waiting: a driver that is the
/// subreaper of Chromium's processes (prctl PR_SET_CHILD_SUBREAPER) calls it between runs.
void reap_children();

class child_process {
 public:
  /// Starts `argv` (argv[0] a path) with `env` added to this process's environment
  /// ("NAME=value" each); throws std::runtime_error when it cannot be started.
  explicit child_process(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {});
  /// Ends the process tree if it still runs.
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }

  /// The next line of its standard output, without the newline; nullopt at end of file or when
  /// none came within `timeout`.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  /// Writes `line` and a newline to its standard input.
  bool write_line(const std::string& line);
  /// End of file on its standard input (the programs of bench/scale quit on it).
  void close_stdin();

  /// Waits up to `timeout` for it to exit, then ends its whole tree (SIGKILL). Its exit code,
  /// or -1 when it had to be killed or died of a signal.
  int wait(std::chrono::milliseconds timeout);

 private:
  void kill_tree();

  pid_t pid_ = -1;
  int in_ = -1;   // its stdin, our end
  int out_ = -1;  // its stdout, our end
  std::string buffer_;
  bool eof_ = false;
  std::optional<int> status_;
};

}  // namespace myapp::bench
