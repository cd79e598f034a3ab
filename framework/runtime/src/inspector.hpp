// The IPC inspector (docs/inspector.md): a window of its own that shows every message between
// the app's pages and C++ as it happens, with its timings and the capability that decided it.
//
//   MYAPP_INSPECTOR=1|0   turns it on or off, whatever the app and its config say; otherwise
//                         app_options::inspector, then myapp.conf.json's app.inspector, then on
//                         under `myapp dev` only
//   MYAPP_INSPECT=1       opens its window at start (`myapp dev --inspect` sets it)
//
// The hub collects rows from four places: the router's trace (messages from pages, finished
// invokes, refusals) and each page session's outbox (messages to pages). While no inspector
// window is open every hook returns after one relaxed atomic load. While one is open, rows go
// into a bounded ring, at most ROWS_PER_TICK per tick; past that, messages are counted by kind
// ("sampled") rather than kept, so that a page calling as fast as it can is not slowed by what
// watches it, and the window gets a frame about every 100 ms on a channel of its own.
//
// The window's page is served at myapp://localhost/__myapp/inspector/ by a profile of its own,
// so no app page can load it; its commands (`plugin:inspector|...`) are granted by a built-in
// capability to the window labelled `__myapp_inspector` alone (acl.hpp), and the window's own
// traffic is never shown.
#pragma once

#include <QObject>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "myapp/bytes.hpp"
#include "myapp/channel.hpp"
#include "myapp/json.hpp"
#include "myapp/session.hpp"
#include "myapp/trace.hpp"

class QTimer;
class QWebEngineProfile;

namespace myapp {
class app;
class plugin;
}  // namespace myapp

namespace myapp::runtime {

class app_window;

inline constexpr std::string_view INSPECTOR_LABEL = "__myapp_inspector";
inline constexpr std::string_view INSPECTOR_PATH = "/__myapp/inspector/";

/// Whether the inspector may be opened: MYAPP_INSPECTOR=1 or 0 decides when set; otherwise
/// `option` when the app set it; otherwise `config_key` (app.inspector) when the config has
/// it; otherwise true under `myapp dev` and false everywhere else. A value of MYAPP_INSPECTOR
/// that is neither 1 nor 0 is ignored with a warning.
bool inspector_enabled(const std::optional<bool>& option, const std::optional<bool>& config_key);

/// True when MYAPP_INSPECT=1 asks for the window at start.
bool inspector_requested();

/// Collects and forwards the rows. Thread-safe: the hooks run on the GUI thread and on workers.
class inspector_hub {
 public:
  /// Rows kept for a window opened later, and for export: the newest this many.
  static constexpr std::size_t MAX_ROWS = 10000;
  /// A message's JSON kept per row, in bytes; longer ones are cut (and marked `truncated`). The
  /// contents of its attachments (long strings, bytes) are kept within the same bound, after
  /// the JSON; beyond it, their sizes.
  static constexpr std::size_t MAX_JSON = 32 * 1024;
  /// Rows taken per tick (100 ms); beyond, messages are counted by kind only.
  static constexpr std::size_t ROWS_PER_TICK = 1000;
  /// JSON kept per tick; beyond, rows keep only the first 1 KiB of their message.
  static constexpr std::size_t JSON_PER_TICK = 4 * 1024 * 1024;

  explicit inspector_hub(std::string app_name);

  /// True while an inspector window is open: the hooks do nothing otherwise.
  [[nodiscard]] bool watching() const noexcept { return watching_.load(std::memory_order_relaxed); }
  /// Starts or stops collecting; the router's trace runs only while the hub collects (or while
  /// the log traces the IPC as well).
  void set_watching(bool on) noexcept;
  /// The router whose trace feeds the hub; `always_traced`: the log wants the trace anyway.
  void attach(router& r, bool always_traced) noexcept;

  /// The router's trace callbacks that feed the hub, calling `inner`'s as well.
  router_trace trace(router_trace inner);
  /// A message to a page (the runtime's page sessions call this).
  void message_out(const caller_info& to, std::string_view message,
                   std::span<const bytes> attachments);

  /// The inspector page subscribes: the rows held are sent again, then new ones as they come.
  /// Returns what the page shows in its header.
  json::raw watch(channel<json::raw> updates);
  /// Forgets the rows and statistics held.
  void clear();
  /// Sends what arrived since the last tick to the page (GUI thread, every 100 ms).
  void tick();
  /// The app's window labels, for the window filter.
  std::function<std::vector<std::string>()> windows;

  /// Counts, for tests.
  struct counts {
    std::size_t held = 0;
    std::uint64_t skipped = 0;
  };
  [[nodiscard]] counts stats() const;

 private:
  struct acl_info {
    bool allowed = false;
    std::string capability, file, permission, why;
  };
  struct row {
    std::uint64_t seq = 0;
    double t_ms = 0;
    std::uint64_t session = 0;
    std::shared_ptr<const caller_info> who;
    bool in = false;
    std::string kind;
    std::string name;
    std::optional<std::uint64_t> id, ch;
    std::size_t size = 0;
    std::string json;
    bool truncated = false;
    // The message's attachments: an answer's or frame's `bin`, an invoke's buffers on the lane.
    struct attachment {
      std::size_t n = 0;
      std::optional<std::size_t> lane;  // an invoke's: the upload of its batch it is
      bool text = false;                // a long string's UTF-8 ({"$str": i})
      std::optional<std::string> data;  // its contents, when kept
    };
    std::vector<attachment> bin;
    std::string status;
    std::string code;
    std::optional<double> queued_us, handler_us;
    std::optional<acl_info> acl;
  };
  struct pending_call {
    std::uint64_t in_seq = 0;
    std::uint64_t out_seq = 0;
    std::string command;
  };
  struct command_stats {
    std::uint64_t calls = 0, errors = 0, denied = 0;
    double handler_us_total = 0, queued_us_total = 0, handler_us_max = 0;
  };

  void message_in(const message_trace& m);
  void invoke_done(const invoke_trace& i);
  void denied(const denial_trace& d);
  // With mutex_ held: a new row when the tick's budget allows (else counts it and returns null).
  row* add_row(const caller_info& who, bool in, std::string_view kind, std::size_t json_size);
  // With mutex_ held: the row `seq` if it is still held.
  row* find(std::uint64_t seq);
  // With mutex_ held: `r` changed after it was sent: the page gets its new fields.
  void changed(const row& r);
  std::shared_ptr<const caller_info> who(const caller_info& c);
  command_stats& stat(std::string_view command);
  static void write_row(json::writer& w, const row& r, bool full);
  void keep_json(row& r, std::string json);
  // With mutex_ held: keeps `data` as the contents of `a` when the row's bound and the tick's
  // budget leave room for it (and, for text, when it is UTF-8).
  void keep_attachment(row& r, row::attachment& a, std::span<const std::byte> data);
  // With mutex_ held: the invoke's buffers that came on the lane, as the row's attachments.
  void keep_uploads(row& r, const wire::in::invoke& inv, const std::vector<bytes>& uploads);

  std::string app_name_;
  router* router_ = nullptr;
  bool always_traced_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::atomic<bool> watching_{false};
  mutable std::mutex mutex_;
  std::deque<row> rows_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t sent_upto_ = 0;  // the last seq the page has
  std::set<std::uint64_t> updated_;  // rows the page has that changed since
  std::size_t budget_rows_ = ROWS_PER_TICK;
  std::size_t budget_json_ = JSON_PER_TICK;
  std::map<std::string, std::uint64_t, std::less<>> skipped_;
  std::uint64_t skipped_total_ = 0;
  bool skipped_dirty_ = false;
  std::map<std::string, command_stats, std::less<>> stats_;
  bool stats_dirty_ = false;
  std::map<std::pair<std::uint64_t, std::uint64_t>, pending_call> pending_;  // (page load, id)
  std::pair<std::uint64_t, std::uint64_t> last_in_{0, 0};  // (page load, seq) of the last in row
  std::unordered_map<std::uint64_t, std::shared_ptr<const caller_info>> callers_;  // by page load
  std::optional<channel<json::raw>> page_;
  std::vector<std::string> windows_sent_;
};

/// The hub of this process, or null when the inspector is off.
inspector_hub* inspector();

/// The inspector's window: its own web profile, serving the inspector page only, and a myapp
/// window on the app's router. Opened on demand, closed by the user or with the app.
class inspector_window final : public QObject {
  Q_OBJECT

 public:
  inspector_window(router& r, inspector_hub& hub, QObject* parent = nullptr);
  ~inspector_window() override;
  /// Shows the window (creating it when needed) and brings it forward.
  void open();
  /// Closes it; the hub stops collecting.
  void close();
  [[nodiscard]] bool is_open() const noexcept { return window_ != nullptr; }
  /// The window, while open (tests drive its page through it).
  [[nodiscard]] app_window* window() const noexcept { return window_.get(); }
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  router& router_;
  inspector_hub& hub_;
  QWebEngineProfile* profile_ = nullptr;
  std::unique_ptr<app_window> window_;
  std::vector<std::unique_ptr<app_window>> closing_;  // closed, destroyed on the next turn
  QTimer* timer_ = nullptr;
};

/// The process's inspector window object (open or not), or null when the inspector is off.
inspector_window* current_inspector_window();

/// The core `inspector` plugin: watch, clear and save, for the inspector's window only.
/// `save_dir` gives the folder exports are written to.
myapp::plugin inspector_plugin(inspector_hub& hub, std::function<std::string()> save_dir);

/// Makes `hub` the process's hub (inspector()); null turns it off.
void set_inspector(inspector_hub* hub);

}  // namespace myapp::runtime
