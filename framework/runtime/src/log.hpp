// The runtime's loggers: one per area (myapp/logging.hpp), all writing through one fan-out
// sink to stderr, the app's rotating log file once it is open, and the listeners of
// myapp/log.hpp. Levels come from MYAPP_LOG (docs/logging.md).
//
//     runtime::log()->info("...");                  // the `app` area
//     runtime::log(logging::area::lane)->debug(...); // another area
//     if (runtime::log(area::ipc)->should_log(spdlog::level::trace)) ...
#pragma once

#include <spdlog/spdlog.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "myapp/error.hpp"
#include "myapp/logging.hpp"
#include "myapp/paths.hpp"
#include "myapp/trace.hpp"

namespace myapp {
class router;
class recorder;
}

namespace myapp::runtime {

using logging::area;

/// The logger of `a`, named `myapp.<area>`; the first call reads MYAPP_LOG and warns about
/// every entry of it that cannot be used. Any thread.
const std::shared_ptr<spdlog::logger>& log(area a = area::app);

/// Opens `dir/file_name` as a rotating log file (5 MiB, 3 older files kept), creating `dir`
/// when needed, and sends every logged line there too. A failure is logged as a warning and
/// returns false: the app runs on with stderr alone. Only the first success counts.
bool open_log_file(const std::filesystem::path& dir, const std::string& file_name);

/// When the `ipc` area logs at trace, callbacks that log every batch, message and invoke
/// (command, sizes, handler and queue time); otherwise none, which costs the router nothing.
router_trace ipc_log_trace();

/// The recording of the IPC that MYAPP_RECORD=FILE asked for (docs/recording.md), opened by
/// `start_logging`; null when there is none. Lives as long as the process.
recorder* ipc_recording();

/// Writes out what every logger holds (before the process ends without unwinding).
void flush_logs();

/// What an app does for logging at start: opens the log file `<identifier>.log` in `dirs.log`
/// unless `log_file` is false or MYAPP_LOG_FILE=0 (a failure is a warning), and installs the
/// ipc trace on `r` when MYAPP_LOG asks for it (through `wrap` when given: the inspector's
/// hooks), and starts recording the IPC to the file MYAPP_RECORD names (a failure to open it
/// is an error in the log; the app runs on).
void start_logging(router& r, const result<paths::app_dirs>& dirs, const std::string& identifier,
                   bool log_file, const std::function<router_trace(router_trace)>& wrap = {});

/// Runs app code (a hook, a listener) that must not take the app down: what it throws is logged
/// as an error naming `what`, and false returned.
template <class F>
bool run_guarded(std::string_view what, F&& fn) {
  try {
    std::forward<F>(fn)();
    return true;
  } catch (const std::exception& e) {
    log()->error("{} threw: {}", what, e.what());
  } catch (...) {
    log()->error("{} threw an exception that is not a std::exception", what);
  }
  return false;
}

}  // namespace myapp::runtime
