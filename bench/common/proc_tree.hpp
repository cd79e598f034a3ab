// Memory of a process tree, read from /proc: the browser process, Chromium's zygotes, renderers
// and GPU/utility processes. Shared by the benchmarks so that every figure is measured the same
// way (docs/benchmarks.md).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace myapp::bench {

struct process_memory {
  pid_t pid = 0;
  std::string name;     ///< /proc/PID/comm
  double rss_mb = 0;    ///< VmRSS now
  double hwm_mb = 0;    ///< VmHWM: this process's peak RSS so far
  double pss_mb = 0;    ///< Pss from smaps_rollup: shared pages divided among their sharers
};

struct tree_memory {
  std::vector<process_memory> processes;
  double rss_mb = 0;  ///< sum of VmRSS
  double hwm_mb = 0;  ///< sum of VmHWM (each process's own peak: an upper bound of the tree's peak)
  double pss_mb = 0;  ///< sum of Pss: the fair total of the tree
};

/// `root` and all its descendants, found through the parent pid in /proc/PID/stat.
std::vector<pid_t> process_tree(pid_t root);

/// The memory of `root`'s tree now. Processes that vanish while being read are skipped.
tree_memory measure_tree(pid_t root);

/// A field of /proc/PID/status in MB (VmRSS, VmHWM); nullopt when the process is gone.
std::optional<double> status_mb(pid_t pid, const std::string& field);

/// Sets the process's VmHWM (peak RSS) back to its current RSS (Linux >= 4.0); false when it
/// cannot.
bool reset_peak(pid_t pid);

/// One line per process, for --verbose output.
std::string describe(const tree_memory& m);

}  // namespace myapp::bench
