// Child processes of the CLI: started (spawn), waited for, and a command run to its end (run,
// capture). The processes `dev` and `test` supervise are in group_process.hpp.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace myapp::cli {

namespace fs = std::filesystem;

struct run_options {
  fs::path cwd;                               ///< empty: the current directory
  std::map<std::string, std::string> env;     ///< added to the environment
  bool quiet = false;                         ///< stdout and stderr to /dev/null
};
inline run_options in_dir(fs::path dir) {
  run_options o;
  o.cwd = std::move(dir);
  return o;
}
inline run_options quietly() {
  run_options o;
  o.quiet = true;
  return o;
}
/// Runs `argv` with stdin, stdout and stderr inherited; returns its exit code (128+signal when
/// killed, 127 when it could not be started).
int run(const std::vector<std::string>& argv, const run_options& options = {});
/// Runs `argv` and returns its stdout when it exits 0 (stderr is dropped).
std::optional<std::string> capture(const std::vector<std::string>& argv,
                                   const run_options& options = {});

/// What a command printed (stdout and stderr together, in order) and its exit code.
struct captured {
  int code = 127;
  std::string output;
};
/// Runs `argv` to its end, collecting both of its outputs.
captured run_captured(const std::vector<std::string>& argv, const run_options& options = {});

/// Where spawn sends a child's stdout or stderr: a file descriptor of ours, or one of these.
inline constexpr int INHERIT = -1;
inline constexpr int DEV_NULL = -2;

struct spawn_options {
  fs::path cwd;                            ///< empty: the current directory
  std::map<std::string, std::string> env;  ///< added to the environment
  bool own_group = false;   ///< in a process group of its own, our signal handlers undone
  bool null_stdin = false;  ///< stdin from /dev/null instead of ours
  int out = INHERIT;        ///< stdout: INHERIT, DEV_NULL or a descriptor
  int err = INHERIT;        ///< stderr: INHERIT, DEV_NULL or a descriptor
  const char* exec_error_prefix = "myapp: ";  ///< before "cannot run <argv[0]>: <why>"
};
/// Starts `argv` (looked up on PATH) after flushing our stdout and stderr. -1 when fork failed;
/// a child that cannot run says so on its stderr and exits 127.
pid_t spawn(const std::vector<std::string>& argv, const spawn_options& options);

/// The exit code a wait status stands for: the code, 128+signal when killed, otherwise 127.
int status_code(int status) noexcept;
/// Waits for `pid` to end; its status_code, or 127 when it cannot be waited for.
int wait_for(pid_t pid);

}  // namespace myapp::cli
