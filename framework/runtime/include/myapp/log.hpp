// myapp — the app's log: areas, levels, and listening to what is logged.
//
//     myapp::log::write(myapp::log::area::app, myapp::log::level::info, "synced 12 notes");
//     auto id = myapp::log::listen([](const myapp::log::record& r) {
//       if (r.where == myapp::log::area::page) show_in_console_panel(r.text);
//     });
//     myapp::log::unlisten(id);
//
// Every line goes to stderr and, once the app has started, to a rotating file in the app's
// log folder (`app::paths().log`, e.g. ~/.local/state/com.example.notes/logs/<identifier>.log)
// unless `app_options::log_file` is false or MYAPP_LOG_FILE=0. `MYAPP_LOG` chooses a level per
// area: `MYAPP_LOG=info,ipc=trace`. docs/logging.md has the details.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>

#include "myapp/logging.hpp"

namespace myapp::log {

using logging::area;
using logging::level;

/// One logged line, as listeners see it. The views live only during the call.
struct record {
  area where;
  level severity;
  std::string_view text;  ///< the message, without time, area or level
};

using listener_id = std::uint64_t;

/// Calls `fn` for every line logged from now on (at the levels MYAPP_LOG lets through), on
/// the thread that logs it, with the log's lock held: keep it short, and do not log from it.
listener_id listen(std::function<void(const record&)> fn);
/// Removes a listener; false when it was not there.
bool unlisten(listener_id id);

/// Logs `text` in `where` at `severity`.
void write(area where, level severity, std::string_view text);
/// True when a line of `where` at `severity` would be logged.
[[nodiscard]] bool enabled(area where, level severity);

/// The log file, once it is open.
[[nodiscard]] std::optional<std::filesystem::path> file();
/// Writes out whatever the log file has buffered (it is flushed at `warn` and every 2 s).
void flush();

}  // namespace myapp::log
