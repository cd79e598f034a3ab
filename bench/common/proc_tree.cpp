// Memory of a process tree, read from /proc (proc_tree.hpp).
#include "proc_tree.hpp"

#include <dirent.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace myapp::bench {

namespace {

// The parent pid of `pid`, or -1. The command name in /proc/PID/stat may hold spaces and
// parentheses, so the fields are read after the last ')'.
pid_t parent_of(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(f, line)) return -1;
  const auto close = line.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(line.substr(close + 1));
  char state = 0;
  pid_t ppid = -1;
  rest >> state >> ppid;
  return ppid;
}

// The value in kB of the line starting with `key` in a /proc status-like file, in MB.
double field_mb(const std::string& path, const std::string& key) {
  std::ifstream f(path);
  for (std::string line; std::getline(f, line);) {
    if (line.rfind(key, 0) == 0) return std::strtod(line.c_str() + key.size(), nullptr) / 1024.0;
  }
  return -1;
}

}  // namespace

std::vector<pid_t> process_tree(pid_t root) {
  std::multimap<pid_t, pid_t> children;
  if (DIR* d = ::opendir("/proc")) {
    while (const dirent* e = ::readdir(d)) {
      char* end = nullptr;
      const long pid = std::strtol(e->d_name, &end, 10);
      if (*end != '\0' || pid <= 0) continue;
      children.emplace(parent_of(static_cast<pid_t>(pid)), static_cast<pid_t>(pid));
    }
    ::closedir(d);
  }
  std::vector<pid_t> out{root};
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto [lo, hi] = children.equal_range(out[i]);
    for (auto it = lo; it != hi; ++it) out.push_back(it->second);
  }
  return out;
}

tree_memory measure_tree(pid_t root) {
  tree_memory m;
  for (pid_t pid : process_tree(root)) {
    const std::string dir = "/proc/" + std::to_string(pid);
    process_memory p;
    p.pid = pid;
    p.rss_mb = field_mb(dir + "/status", "VmRSS:");
    p.hwm_mb = field_mb(dir + "/status", "VmHWM:");
    p.pss_mb = field_mb(dir + "/smaps_rollup", "Pss:");
    if (p.rss_mb < 0 || p.hwm_mb < 0 || p.pss_mb < 0) continue;  // gone, or a zombie
    std::ifstream comm(dir + "/comm");
    std::getline(comm, p.name);
    m.rss_mb += p.rss_mb;
    m.hwm_mb += p.hwm_mb;
    m.pss_mb += p.pss_mb;
    m.processes.push_back(std::move(p));
  }
  return m;
}

std::optional<double> status_mb(pid_t pid, const std::string& field) {
  const double mb = field_mb("/proc/" + std::to_string(pid) + "/status", field + ":");
  if (mb < 0) return std::nullopt;
  return mb;
}

bool reset_peak(pid_t pid) {
  std::ofstream f("/proc/" + std::to_string(pid) + "/clear_refs");
  f << "5";
  f.flush();
  return f.good();
}

std::string describe(const tree_memory& m) {
  std::string out;
  char line[160];
  for (const auto& p : m.processes) {
    std::snprintf(line, sizeof line, "  %7d %-16s rss %7.1f  peak %7.1f  pss %7.1f MB\n", p.pid,
                  p.name.c_str(), p.rss_mb, p.hwm_mb, p.pss_mb);
    out += line;
  }
  return out;
}

}  // namespace myapp::bench
