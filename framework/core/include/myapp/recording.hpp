// myapp — recordings of the IPC: every message between the pages and C++, as JSON lines
// (docs/recording.md), written while an app runs with MYAPP_RECORD=FILE and read back to replay
// a session against a router in a test.
//
//     // In a GoogleTest: the answers a recorded session got, asked again of today's handlers.
//     myapp::router r;
//     register_commands(r);
//     auto rec = myapp::read_recording(text).value();
//     auto report = myapp::testing::replay(r, rec);
//     EXPECT_TRUE(report.ok()) << report.summary();
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "myapp/bytes.hpp"
#include "myapp/error.hpp"
#include "myapp/session.hpp"

namespace myapp {

class router;

/// The format's version, in the first line of every recording.
inline constexpr int RECORDING_VERSION = 1;

struct recording_options {
  /// Binary attachments up to this size are written as base64; larger ones by their size only.
  /// A long string's attachment (`{"$str": i}`) is written whole whatever its size: it is what
  /// the string would have been inside the message.
  std::size_t max_inline_bytes = 64 * 1024;
};

/// Writes a recording. Thread-safe: pages send from the GUI thread, answers leave from workers.
/// Each record is one line handed to the sink whole. What is never written: the page's secret
/// (not part of any message), the bulk lane's URL and the blob prefix of a `welcome`, and blob
/// tokens (answers are recorded before they are turned into blobs).
class recorder {
 public:
  using sink = std::function<void(std::string_view line)>;
  recorder(sink out, std::string_view app, recording_options options = {});
  /// Appends to the file at `path` (created, truncated). Fails with a message naming the path.
  static result<std::unique_ptr<recorder>> open(const std::string& path, std::string_view app,
                                                recording_options options = {});

  /// A number for a new page load: what ties its messages together.
  std::uint64_t new_session();
  /// A batch from a page, with the buffers that came before it on the bulk lane (if any).
  void incoming(std::uint64_t session, const caller_info& from, std::string_view batch,
                std::span<const bytes> uploads = {});
  /// One message to a page, with its binary attachments (what `{"$bytes": i}` refers to).
  void outgoing(std::uint64_t session, const caller_info& to, std::string_view message,
                std::span<const bytes> attachments = {});

 private:
  // The start of a record: its time, page load, page and direction.
  std::string head(std::uint64_t session, const caller_info& who, std::string_view dir) const;
  // `,"key":[...]` for attachments (base64 or size), nothing when there are none; those that
  // `whole` says are text are written whole.
  void append_bin(std::string& out, std::string_view key, std::span<const bytes> list,
                  const std::function<bool(std::size_t)>& whole = {}) const;
  // Closes the record and hands it to the sink as one line.
  void finish(std::string& line);
  sink out_;
  recording_options options_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::uint64_t sessions_ = 0;
};

/// One record of a recording.
struct recorded {
  double t_ms = 0;            ///< milliseconds since the recording started
  std::uint64_t session = 0;  ///< the page load
  std::string window;         ///< the webview's label
  std::string url;
  std::string origin;
  bool local = false;         ///< the app's own page (caller_info::local)
  bool from_page = false;     ///< true: a batch from the page (`dir: in`); false: a message to it
  /// `in`: the batch's JSON text (an array of messages); `out`: the message's JSON text.
  std::string json;
  /// The binary attachments: `uploads` of a batch (its {"lane": k} buffers), `bin` of a
  /// message. Empty optional: too large to have been written (only its size is known).
  struct attachment {
    std::size_t size = 0;
    std::optional<bytes> data;
  };
  std::vector<attachment> attachments;
};

struct recording {
  std::string app;
  std::vector<recorded> records;
};

/// Reads a recording's text. An error names the line and what was wrong with it.
[[nodiscard]] result<recording> read_recording(std::string_view text);

namespace testing {

/// What a replay found: the calls it made again and those whose answer differed.
struct replay_report {
  struct difference {
    std::string window;
    std::uint64_t id = 0;
    std::string command;
    std::string recorded;  ///< the answer then (its JSON message)
    std::string now;       ///< the answer now, or why there was none
  };
  std::size_t calls = 0;
  std::size_t skipped = 0;  ///< calls whose bytes were too large to have been recorded
  std::vector<difference> differences;
  [[nodiscard]] bool ok() const { return differences.empty(); }
  /// One line per difference, for a test's failure message.
  [[nodiscard]] std::string summary() const;
};

struct replay_options {
  /// How long to wait for one page load's answers.
  std::chrono::milliseconds timeout{10000};
};

/// Sends every page load's batches of `rec` to `r` again, as a page of the same window, URL and
/// origin would, and compares each invoke's answer (`result` or `error`) with the recorded one
/// (as JSON values: the keys' order and spacing do not matter). The router's commands and
/// capabilities are the test's to set up.
[[nodiscard]] replay_report replay(router& r, const recording& rec, replay_options options = {});

}  // namespace testing
}  // namespace myapp
