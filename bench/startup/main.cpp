// myapp_bench_startup: how long the hello example takes to show its page and be ready, and how
// much memory its process tree holds, against a bare QtWebEngine program showing the same page
// (docs/benchmarks.md). Every run is a fresh process; the two programs alternate, and who goes
// first alternates between rounds, so that both columns come from the same run of the same
// noisy machine. Both programs carry the same probe (probe.hpp), which reports the times; this
// driver reads the memory of the process tree from /proc once the page is ready and has
// painted, then closes the program's standard input to let it quit. Prints a table of medians,
// then one JSON object as the last line.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "child_process.hpp"
#include "command_line.hpp"
#include "proc_tree.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct options {
  myapp::bench::round_options runs{10, 3, 30s};
  int hold_ms = 500;
  bool verbose = false;
  std::string app;
  std::string bare;
};

double now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

struct sample {
  double exec_to_main_ms = NAN;
  double load_started_ms = NAN;
  double load_ms = NAN;
  double first_paint_ms = NAN;
  double ready_ms = NAN;
  double rss_mb = 0;   // sum of the tree's processes' peak RSS (VmHWM)
  double pss_mb = 0;   // the tree's PSS, highest sample while held
  double cpu_ms = NAN;  // CPU time (user + system) of the whole tree over the whole run
  int processes = 0;
};

class run_failure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The number after `"key":` in the probe's JSON line; NaN when it is null or missing.
double json_number(const std::string& line, const std::string& key) {
  const auto at = line.find("\"" + key + "\":");
  if (at == std::string::npos) return NAN;
  const char* p = line.c_str() + at + key.size() + 3;
  if (std::strncmp(p, "null", 4) == 0) return NAN;
  return std::strtod(p, nullptr);
}

std::string tail_of(const fs::path& file, std::size_t bytes = 2000) {
  std::ifstream f(file);
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

// CPU time of every reaped child and descendant of this process so far (as the subreaper, the
// Chromium processes come to us).
double children_cpu_ms() {
  rusage u{};
  ::getrusage(RUSAGE_CHILDREN, &u);
  auto ms = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3; };
  return ms(u.ru_utime) + ms(u.ru_stime);
}

// Reaps every child of this process (the program, and Chromium's processes it left behind,
// which come to us as the subreaper) without waiting.
void reap() {
  while (::waitpid(-1, nullptr, WNOHANG) > 0) {
  }
}

bool alive(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(f, line)) return false;
  const auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

// Starts `exe` with its stdin and stdout on pipes and its stderr in `log`, measures it, and
// lets it quit.
sample run_once(const std::string& exe, const options& o, const fs::path& scratch) {
  int in[2];
  int out[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  const fs::path log = scratch / "stderr.log";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "MYAPP_STARTUP_", 14) != 0 && std::strncmp(*e, "MYAPP_SMOKE_", 12) != 0) {
      env_strings.emplace_back(*e);
    }
  }
  const std::size_t spawn_slot = env_strings.size();
  env_strings.emplace_back();
  std::vector<char*> env;
  char* args[] = {const_cast<char*>(exe.c_str()), nullptr};

  const double cpu_before = children_cpu_ms();
  const double spawn_ns = now_ns();
  env_strings[spawn_slot] = "MYAPP_STARTUP_SPAWN_NS=" + std::to_string(static_cast<long long>(spawn_ns));
  for (auto& s : env_strings) env.push_back(s.data());
  env.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, exe.c_str(), &actions, nullptr, args, env.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  if (rc != 0) {
    ::close(in[1]);
    ::close(out[0]);
    throw run_failure("cannot start " + exe + ": " + std::strerror(rc));
  }

  // Read the probe's line.
  std::string buffer;
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + o.runs.timeout();
  std::string failure;
  while (line.empty()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) {
      failure = "no probe line within " + std::to_string(o.runs.timeout().count()) + " s";
      break;
    }
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000))) <= 0) continue;
    char chunk[4096];
    const ssize_t n = ::read(out[0], chunk, sizeof chunk);
    if (n <= 0) {
      failure = "the program ended before the probe reported";
      break;
    }
    buffer.append(chunk, static_cast<std::size_t>(n));
    for (std::size_t nl; line.empty() && (nl = buffer.find('\n')) != std::string::npos;) {
      std::string l = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      if (l.rfind("myapp-startup-probe ", 0) == 0) line = l;
    }
  }

  sample s;
  std::vector<pid_t> tree;
  if (failure.empty()) {
    s.exec_to_main_ms = json_number(line, "exec_to_main_ms");
    s.load_started_ms = json_number(line, "load_started_ms");
    s.load_ms = json_number(line, "load_ms");
    s.first_paint_ms = json_number(line, "first_paint_ms");
    s.ready_ms = json_number(line, "ready_ms");
    if (line.find("\"error\":null") == std::string::npos) failure = "the probe says: " + line;
    // Memory: every process's peak RSS at the end, and the highest PSS seen while held.
    const auto hold_until = std::chrono::steady_clock::now() + std::chrono::milliseconds(o.hold_ms);
    myapp::bench::tree_memory m;
    do {
      m = myapp::bench::measure_tree(pid);
      s.pss_mb = std::max(s.pss_mb, m.pss_mb);
      std::this_thread::sleep_for(100ms);
    } while (std::chrono::steady_clock::now() < hold_until);
    m = myapp::bench::measure_tree(pid);
    s.pss_mb = std::max(s.pss_mb, m.pss_mb);
    s.rss_mb = m.hwm_mb;
    s.processes = static_cast<int>(m.processes.size());
    for (const auto& p : m.processes) tree.push_back(p.pid);
    if (o.verbose) std::fprintf(stderr, "%s", myapp::bench::describe(m).c_str());
  } else {
    tree = myapp::bench::process_tree(pid);
  }

  // Let it quit: end of file on its stdin. Then wait for the whole tree to be gone, so that the
  // next run starts on a quiet machine.
  ::close(in[1]);
  ::close(out[0]);
  const auto quit_deadline = std::chrono::steady_clock::now() + 10s;
  int status = 0;
  bool exited = false;
  while (std::chrono::steady_clock::now() < quit_deadline) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  if (!exited) {
    for (pid_t p : tree) ::kill(p, SIGKILL);
    ::waitpid(pid, &status, 0);
    if (failure.empty()) failure = "did not quit within 10 s of its stdin closing";
  } else if (failure.empty() && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
    failure = "exited with status " + std::to_string(status) + " after reporting";
  }
  const auto gone_deadline = std::chrono::steady_clock::now() + 5s;
  for (;;) {
    reap();
    const bool any = std::any_of(tree.begin(), tree.end(), alive);
    if (!any) break;
    if (std::chrono::steady_clock::now() > gone_deadline) {
      for (pid_t p : tree) ::kill(p, SIGKILL);
      std::this_thread::sleep_for(50ms);
      reap();
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  s.cpu_ms = children_cpu_ms() - cpu_before;
  if (!failure.empty()) throw run_failure(exe + ": " + failure + "\nits stderr ends with:\n" + tail_of(log));
  return s;
}

double median(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct column {
  std::vector<sample> samples;
  double med(double sample::*field) const {
    std::vector<double> v;
    for (const auto& s : samples) v.push_back(s.*field);
    return median(v);
  }
  double spread(double sample::*field) const {  // min..max, for the table
    double lo = INFINITY;
    double hi = -INFINITY;
    for (const auto& s : samples) {
      if (std::isnan(s.*field)) continue;
      lo = std::min(lo, s.*field);
      hi = std::max(hi, s.*field);
    }
    return hi - lo;
  }
};

std::string fmt_num(double v, int decimals = 1) {
  if (std::isnan(v)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  const fs::path here = fs::read_symlink("/proc/self/exe").parent_path();
  o.app = (here / "myapp_bench_startup_hello").string();
  o.bare = (here / "myapp_bench_startup_bare").string();
  CLI::App cli{"Starts the hello example and the bare QtWebEngine baseline N times each, in turn, "
               "and prints the medians (docs/benchmarks.md)",
               "myapp_bench_startup"};
  o.runs.add_to(cli, "--runs", "3 runs each", "seconds a run may take to report");
  cli.add_option("--hold-ms", o.hold_ms, "how long memory is sampled after the page is ready")
      ->capture_default_str();
  cli.add_option("--app", o.app, "the myapp program")->capture_default_str();
  cli.add_option("--bare", o.bare, "the bare QtWebEngine program")->capture_default_str();
  cli.add_flag("--verbose", o.verbose, "every process's memory on stderr");
  if (auto code = myapp::bench::parse(cli, argc, argv)) return *code;
  if (auto exe = myapp::bench::first_not_executable({o.app, o.bare})) {
    std::fprintf(stderr, "myapp_bench_startup: %s is not an executable\n", exe->c_str());
    return 2;
  }
  // A scratch home for both programs' profiles and caches: the runs do not touch the user's,
  // and every run but the first (a warm-up, not counted) starts warm, as an app's second start.
  // This process becomes the subreaper of Chromium's processes, which outlive the browser
  // process for a moment, and so sees them go.
  std::optional<myapp::bench::scratch_home> home;
  try {
    home.emplace("myapp-bench-startup");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "myapp_bench_startup: %s\n", e.what());
    return 1;
  }
  const fs::path scratch = std::getenv("HOME");

  std::map<std::string, column> columns;
  const char* names[] = {"myapp", "bare"};
  auto exe_of = [&](const std::string& name) { return name == "myapp" ? o.app : o.bare; };
  int code = 0;
  try {
    std::fprintf(stderr, "warm-up\n");
    for (const char* name : names) run_once(exe_of(name), o, scratch);
    for (int round = 0; round < o.runs.rounds(); ++round) {
      for (int k = 0; k < 2; ++k) {
        const std::string name = names[(round + k) % 2];
        const sample s = run_once(exe_of(name), o, scratch);
        columns[name].samples.push_back(s);
        std::fprintf(stderr,
                     "run %2d %-5s exec->main %5.1f  started %6.1f  load %6.1f  paint %6.1f  ready %6.1f ms  "
                     "rss %6.1f  pss %6.1f MB  cpu %5.0f ms  (%d processes)\n",
                     round + 1, name.c_str(), s.exec_to_main_ms, s.load_started_ms, s.load_ms, s.first_paint_ms,
                     s.ready_ms, s.rss_mb, s.pss_mb, s.cpu_ms, s.processes);
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "myapp_bench_startup: %s\n", e.what());
    code = 1;
  }
  home.reset();
  if (code != 0) return code;

  const column& m = columns["myapp"];
  const column& b = columns["bare"];
  struct row {
    const char* label;
    double sample::*field;
    int decimals;
  };
  const row rows[] = {{"exec -> main() ms", &sample::exec_to_main_ms, 1},
                      {"main() -> loadStarted ms", &sample::load_started_ms, 1},
                      {"main() -> loadFinished ms", &sample::load_ms, 1},
                      {"main() -> first paint ms", &sample::first_paint_ms, 1},
                      {"main() -> ready ms", &sample::ready_ms, 1},
                      {"process tree peak RSS MB", &sample::rss_mb, 1},
                      {"process tree PSS MB", &sample::pss_mb, 1},
                      {"process tree CPU ms (run)", &sample::cpu_ms, 0}};
  std::printf("myapp start-up benchmark (%d runs each, medians; ready: myapp's JS client has done "
              "its handshake, bare: loaded)\n",
              o.runs.rounds());
  std::printf("%-28s %10s %10s %8s %14s\n", "", "myapp", "bare", "ratio", "myapp spread");
  for (const auto& r : rows) {
    const double mv = m.med(r.field);
    const double bv = b.med(r.field);
    std::printf("%-28s %10s %10s %7.2fx %14s\n", r.label, fmt_num(mv, r.decimals).c_str(),
                fmt_num(bv, r.decimals).c_str(), mv / bv, fmt_num(m.spread(r.field), 1).c_str());
  }
  std::printf("ratio: myapp / bare (<= 1.10 is the goal for ready, RSS and PSS)\n");
  std::printf(
      "{\"startup_exec_to_main_ms\":%s,\"bare_exec_to_main_ms\":%s,\"startup_load_started_ms\":%s,"
      "\"bare_load_started_ms\":%s,\"startup_load_ms\":%s,"
      "\"bare_load_ms\":%s,\"startup_first_paint_ms\":%s,\"bare_first_paint_ms\":%s,"
      "\"startup_ready_ms\":%s,\"bare_ready_ms\":%s,\"ready_ratio\":%s,\"rss_mb\":%s,"
      "\"bare_rss_mb\":%s,\"rss_ratio\":%s,\"pss_mb\":%s,\"bare_pss_mb\":%s,\"pss_ratio\":%s,"
      "\"cpu_ms\":%s,\"bare_cpu_ms\":%s,\"runs\":%d,\"quick\":%s}\n",
      fmt_num(m.med(&sample::exec_to_main_ms)).c_str(), fmt_num(b.med(&sample::exec_to_main_ms)).c_str(),
      fmt_num(m.med(&sample::load_started_ms)).c_str(), fmt_num(b.med(&sample::load_started_ms)).c_str(),
      fmt_num(m.med(&sample::load_ms)).c_str(), fmt_num(b.med(&sample::load_ms)).c_str(),
      fmt_num(m.med(&sample::first_paint_ms)).c_str(), fmt_num(b.med(&sample::first_paint_ms)).c_str(),
      fmt_num(m.med(&sample::ready_ms)).c_str(), fmt_num(b.med(&sample::ready_ms)).c_str(),
      fmt_num(m.med(&sample::ready_ms) / b.med(&sample::ready_ms), 3).c_str(),
      fmt_num(m.med(&sample::rss_mb)).c_str(), fmt_num(b.med(&sample::rss_mb)).c_str(),
      fmt_num(m.med(&sample::rss_mb) / b.med(&sample::rss_mb), 3).c_str(),
      fmt_num(m.med(&sample::pss_mb)).c_str(), fmt_num(b.med(&sample::pss_mb)).c_str(),
      fmt_num(m.med(&sample::pss_mb) / b.med(&sample::pss_mb), 3).c_str(),
      fmt_num(m.med(&sample::cpu_ms), 0).c_str(), fmt_num(b.med(&sample::cpu_ms), 0).c_str(), o.runs.rounds(),
      o.runs.quick() ? "true" : "false");
  return 0;
}
