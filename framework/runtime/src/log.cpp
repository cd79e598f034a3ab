// The runtime's loggers, the app's log file, the ipc trace, and myapp/log.hpp's listeners.
#include "log.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/dist_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <QString>
#include <QtGlobal>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "myapp/log.hpp"
#include "myapp/recording.hpp"
#include "myapp/router.hpp"

namespace myapp::runtime {

namespace {

constexpr std::size_t FILE_BYTES = 5 * 1024 * 1024;
constexpr std::size_t FILE_COUNT = 3;  // older files kept: <name>.1.log ... <name>.3.log

spdlog::level::level_enum to_spdlog(logging::level l) {
  return static_cast<spdlog::level::level_enum>(l);
}

// Calls the listeners of myapp/log.hpp. Their list is guarded by the sink's own mutex, which
// spdlog holds while it calls sink_it_.
class listener_sink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  log::listener_id add(std::function<void(const log::record&)> fn) {
    std::lock_guard lock(mutex_);
    const auto id = next_++;
    listeners_.emplace_back(id, std::move(fn));
    return id;
  }
  bool remove(log::listener_id id) {
    std::lock_guard lock(mutex_);
    return std::erase_if(listeners_, [&](const auto& l) { return l.first == id; }) > 0;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (listeners_.empty()) return;
    // Logger names are "myapp.<area>".
    std::string_view name(msg.logger_name.data(), msg.logger_name.size());
    if (name.starts_with("myapp.")) name.remove_prefix(6);
    const log::record r{logging::parse_area(name).value_or(area::app),
                        static_cast<logging::level>(msg.level),
                        std::string_view(msg.payload.data(), msg.payload.size())};
    for (const auto& l : listeners_) l.second(r);
  }
  void flush_() override {}

 private:
  std::vector<std::pair<log::listener_id, std::function<void(const log::record&)>>> listeners_;
  log::listener_id next_ = 1;
};

struct logs {
  std::shared_ptr<spdlog::sinks::dist_sink_mt> fan = std::make_shared<spdlog::sinks::dist_sink_mt>();
  std::shared_ptr<listener_sink> listeners = std::make_shared<listener_sink>();
  std::array<std::shared_ptr<spdlog::logger>, logging::AREA_COUNT> loggers;
  std::mutex file_mutex;
  std::optional<std::filesystem::path> file;  // guarded by file_mutex

  logs() {
    auto err = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    err->set_pattern("%^[%H:%M:%S.%e] [%n] [%l]%$ %v");
    fan->add_sink(err);
    fan->add_sink(listeners);
    const char* env = std::getenv("MYAPP_LOG");
    const std::string_view text = env != nullptr ? env : "";
    const auto spec = logging::parse_spec(text);
    for (auto a : logging::areas()) {
      auto l = std::make_shared<spdlog::logger>("myapp." + std::string(logging::name(a)), fan);
      l->set_level(to_spdlog(spec.levels.of(a)));
      l->flush_on(spdlog::level::warn);
      loggers[static_cast<std::size_t>(a)] = l;
      // Registered so that spdlog's periodic flush reaches the log file; a name taken by the
      // app's own logger is no reason to fail.
      try {
        spdlog::register_logger(l);
      } catch (const spdlog::spdlog_ex&) {
      }
    }
    for (const auto& p : spec.problems) {
      loggers[0]->warn("MYAPP_LOG={}: {}; that entry is ignored", text, p);
    }
  }
};

std::atomic<bool> g_logs_alive{false};

logs& the_logs() {
  static struct holder {
    logs l;
    holder() { g_logs_alive = true; }
    ~holder() { g_logs_alive = false; }
  } h;
  return h.l;
}

// Warnings Qt prints on every headless or containerised start that say nothing is wrong: no GL
// under the offscreen platform (Chromium renders in software), no XDG_RUNTIME_DIR in a
// container. They go to debug with the information.
bool harmless(QtMsgType type, std::string_view message) {
  if (type != QtWarningMsg) return false;
  static constexpr std::string_view KNOWN[] = {
      "QStandardPaths: XDG_RUNTIME_DIR not set",
      "WebEngineContext used before QtWebEngineCore::initialize() or OpenGL context creation failed",
      "No suitable graphics backend found",
      // Said as a warning although all is well; myapp logs it itself once the port is bound.
      "Remote debugging server started successfully",
  };
  for (auto k : KNOWN) {
    if (message.starts_with(k)) return true;
  }
  return false;
}

// Qt's and Qt WebEngine's messages, in the `qt` area: what they say for information (the
// "qt.webenginecontext" dump of GL settings every start prints, ...) at debug, so that it shows
// only when asked for (MYAPP_LOG=qt=debug); warnings and errors as they are, with the
// category they came from.
void qt_message(QtMsgType type, const QMessageLogContext& context, const QString& text) {
  std::string message = text.toStdString();
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  const std::string_view category = context.category != nullptr ? context.category : "";
  const bool known_harmless = harmless(type, message);
  if (!category.empty() && category != "default") {
    message = fmt::format("{}: {}", category, message);
  }
  spdlog::level::level_enum level = spdlog::level::debug;
  switch (type) {
    case QtDebugMsg: level = spdlog::level::trace; break;
    case QtInfoMsg: level = spdlog::level::debug; break;
    case QtWarningMsg: level = spdlog::level::warn; break;
    case QtCriticalMsg: level = spdlog::level::err; break;
    case QtFatalMsg: level = spdlog::level::critical; break;
  }
  if (known_harmless) level = spdlog::level::debug;
  if (g_logs_alive) {
    const auto& qt = the_logs().loggers[static_cast<std::size_t>(area::qt)];
    qt->log(level, "{}", message);
    if (type == QtFatalMsg) qt->flush();
  } else if (type != QtDebugMsg && type != QtInfoMsg && !known_harmless) {
    std::fprintf(stderr, "%s\n", message.c_str());  // after the logs are gone, at exit
  }
  if (type == QtFatalMsg) std::abort();
}

// Installed before main() runs, so that Qt's first message already goes through it.
[[maybe_unused]] const bool g_qt_messages_routed = [] {
  qInstallMessageHandler(qt_message);
  return true;
}();

}  // namespace

const std::shared_ptr<spdlog::logger>& log(area a) {
  return the_logs().loggers[static_cast<std::size_t>(a)];
}

void flush_logs() {
  for (const auto& l : the_logs().loggers) l->flush();
}

bool open_log_file(const std::filesystem::path& dir, const std::string& file_name) {
  auto& l = the_logs();
  std::lock_guard lock(l.file_mutex);
  if (l.file) return true;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    log()->warn("cannot create the log folder {}: {}; logging to stderr only", dir.string(),
                ec.message());
    return false;
  }
  const auto path = dir / file_name;
  try {
    auto sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(path.string(), FILE_BYTES,
                                                                       FILE_COUNT);
    sink->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%n] [%l] %v");
    l.fan->add_sink(sink);
  } catch (const spdlog::spdlog_ex& e) {
    log()->warn("cannot open the log file {}: {}; logging to stderr only", path.string(),
                e.what());
    return false;
  }
  l.file = path;
  spdlog::flush_every(std::chrono::seconds(2));
  log()->debug("logging to {}", path.string());
  return true;
}

router_trace ipc_log_trace() {
  const auto& ipc = log(area::ipc);
  if (!ipc->should_log(spdlog::level::trace)) return {};
  auto ms = [](std::chrono::nanoseconds d) { return std::chrono::duration<double, std::milli>(d).count(); };
  router_trace t;
  t.batch = [ipc](const batch_trace& b) { ipc->trace("[{}] batch in: {} B", b.from.label, b.bytes); };
  t.message = [ipc](const message_trace& m) {
    if (m.kind == "invoke") {
      ipc->trace("[{}]   [{}] invoke {} `{}`: {} B of args", m.from.label, m.index, m.id, m.name,
                 m.bytes);
    } else if (!m.name.empty()) {
      ipc->trace("[{}]   [{}] {} `{}`: {} B", m.from.label, m.index, m.kind, m.name, m.bytes);
    } else if (m.id != 0) {
      ipc->trace("[{}]   [{}] {} {}", m.from.label, m.index, m.kind, m.id);
    } else {
      ipc->trace("[{}]   [{}] {}", m.from.label, m.index, m.kind);
    }
  };
  t.invoke = [ipc, ms](const invoke_trace& i) {
    ipc->trace("[{}] invoke {} `{}` {}: {} B of args, {} B answer; handler {:.3f} ms, queued "
               "{:.3f} ms",
               i.from.label, i.id, i.command,
               !i.answered ? std::string("not answered (cancelled or page gone)")
               : i.error_code.empty() ? std::string("ok")
                                      : "failed with " + std::string(i.error_code),
               i.args_bytes, i.result_bytes, ms(i.handler), ms(i.queued));
  };
  return t;
}

namespace {
std::atomic<recorder*> the_recording{nullptr};

// MYAPP_RECORD=FILE: every message between the pages and C++, as JSON lines.
void start_recording(const std::string& identifier) {
  const char* path = std::getenv("MYAPP_RECORD");
  if (path == nullptr || *path == '\0' || the_recording.load() != nullptr) return;
  auto opened = recorder::open(path, identifier);
  if (!opened) {
    log(area::ipc)->error("MYAPP_RECORD: {}; the IPC is not recorded", opened.error_value().message());
    return;
  }
  // Never freed: pages may still send while the process ends.
  the_recording = opened.value().release();
  log(area::ipc)->info("recording the IPC to {} (MYAPP_RECORD)", path);
}
}  // namespace

recorder* ipc_recording() { return the_recording.load(); }

void start_logging(router& r, const result<paths::app_dirs>& dirs, const std::string& identifier,
                   bool log_file, const std::function<router_trace(router_trace)>& wrap) {
  const char* env = std::getenv("MYAPP_LOG_FILE");
  const bool env_off = env != nullptr && std::string_view(env) == "0";
  if (log_file && !env_off) {
    if (dirs) {
      open_log_file(dirs.value().log, identifier + ".log");
    } else {
      log()->warn("no log file: {}", dirs.error_value().message());
    }
  }
  auto t = ipc_log_trace();
  if (wrap) t = wrap(std::move(t));
  if (t.batch || t.message || t.invoke || t.denied) r.set_trace(std::move(t));
  start_recording(identifier);
  // What app code threw where no page could be answered for it.
  r.set_fault_handler([](const app_fault& f) {
    log()->error("{}the {} of `{}` threw: {} (the app goes on; the {} was skipped)",
                 f.source.empty() ? std::string() : fmt::format("[{}] ", f.source), f.what, f.name,
                 f.message, f.what);
  });
}

}  // namespace myapp::runtime

namespace myapp::log {

listener_id listen(std::function<void(const record&)> fn) {
  return runtime::the_logs().listeners->add(std::move(fn));
}

bool unlisten(listener_id id) { return runtime::the_logs().listeners->remove(id); }

void write(area where, level severity, std::string_view text) {
  if (severity == level::off) return;
  runtime::log(where)->log(runtime::to_spdlog(severity), "{}", text);
}

bool enabled(area where, level severity) {
  return runtime::log(where)->should_log(runtime::to_spdlog(severity));
}

std::optional<std::filesystem::path> file() {
  auto& l = runtime::the_logs();
  std::lock_guard lock(l.file_mutex);
  return l.file;
}

void flush() {
  for (const auto& l : runtime::the_logs().loggers) l->flush();
}

}  // namespace myapp::log
