// The bulk lane: a loopback WebSocket that carries large batches and binary arguments from
// pages to C++ (Qt 6.4's scheme handlers see no request bodies, and QWebChannel moves strings
// at tens of MB/s). See docs/bytes.md and docs/security.md.
//
// One server per app, on 127.0.0.1 and an ephemeral port, in its own thread so that receiving
// a large message never stalls the GUI. Each page load gets a fresh 128-bit secret, handed to
// the page's client in its `welcome` (never on `window`); a connection must name a live
// secret in its path and come from that page's origin, or it is closed at once. On a
// connection, the page sends pairs of messages: a text message saying what follows ("u": a
// buffer for the next batch, "j": the batch itself, UTF-8 JSON), then that binary message.
#pragma once

#include <QObject>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "myapp/bytes.hpp"

class QThread;

namespace myapp::runtime {

struct lane_limits {
  /// Largest message (one buffer or one batch), in bytes.
  std::size_t max_message = std::size_t{1} << 30;
  /// Largest WebSocket frame, in bytes.
  std::size_t max_frame = std::size_t{1} << 30;
  /// Most bytes of buffers a connection may hold waiting for their batch.
  std::size_t max_pending = std::size_t{1} << 30;
};

/// Where a page's batches go: called on the GUI thread with the batch (UTF-8 JSON) and the
/// buffers that came before it.
using lane_receiver = std::function<void(bytes batch, std::shared_ptr<std::vector<bytes>>)>;

class lane_server;

class bulk_lane {
 public:
  /// Starts listening on 127.0.0.1 at `port` (0: any free port). Returns nullptr and sets `why`
  /// when it cannot. GUI thread.
  static std::unique_ptr<bulk_lane> start(lane_limits limits, std::uint16_t port, std::string& why);
  ~bulk_lane();
  bulk_lane(const bulk_lane&) = delete;
  bulk_lane& operator=(const bulk_lane&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] std::size_t max_message() const noexcept { return limits_.max_message; }

  /// Opens a lane for one page load; returns its secret. `origin` is the page's origin, which
  /// the connection's Origin header must match. Any thread.
  std::string open(std::string label, std::string origin, lane_receiver receiver);
  /// Closes the lane named by `secret` and every connection on it. Any thread.
  void close(const std::string& secret);

  /// Connections accepted and refused so far, and lanes open (for tests and diagnostics).
  struct counters {
    std::size_t accepted = 0;
    std::size_t refused = 0;
    std::size_t open_lanes = 0;
    std::size_t connections = 0;
  };
  [[nodiscard]] counters stats() const;
  /// The secrets of the lanes open for pages labelled `label` (diagnostics and tests).
  [[nodiscard]] std::vector<std::string> secrets_of(std::string_view label) const;
  /// The app's lane while it runs, or null (one app per process).
  static bulk_lane* active() noexcept;

 private:
  bulk_lane() = default;
  friend class lane_server;

  struct lane {
    std::string label;
    std::string origin;
    lane_receiver receiver;
  };
  // The lane's registration, read by the server thread when a connection arrives and when a
  // batch is complete.
  bool find(const std::string& secret, lane& out) const;

  mutable std::mutex mutex_;
  std::unordered_map<std::string, lane> lanes_;
  counters counters_;
  std::uint16_t port_ = 0;
  lane_limits limits_;
  QThread* thread_ = nullptr;
  lane_server* server_ = nullptr;  // lives in thread_
};

}  // namespace myapp::runtime
