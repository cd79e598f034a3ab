// myapp — one page's end of the bridge, and what the router keeps about it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace myapp {

class router;
class bytes;

/// Who is calling: the webview's label, the page URL and its origin.
struct caller_info {
  std::string label;
  std::string url;
  std::string origin;
  /// True when the page is the app's own (the app origin, or the dev server in dev mode).
  bool local = false;
};

class peer;
namespace detail {
struct session;  // the router's per-page tables: pending invokes, channels, listened events
session& session_of(peer& p) noexcept;
}  // namespace detail

/// One page load's end of the bridge, implemented by the runtime (and by tests). Created when
/// a document says hello; closed when it goes away (navigation, reload, window closed).
class peer : public std::enable_shared_from_this<peer> {
 public:
  peer();
  virtual ~peer();
  peer(const peer&) = delete;
  peer& operator=(const peer&) = delete;

  [[nodiscard]] virtual const caller_info& caller() const noexcept = 0;
  /// Queues one complete message (a JSON object) for the page. Called from any thread; the
  /// peer batches what it is given. A closed peer drops it.
  virtual void send(std::string message) = 0;
  /// Queues a message whose value refers to binary attachments as `{"$bytes": index}`. The
  /// peer adds `"bin": [...]`, saying where the page finds each one (docs/protocol.md); this
  /// default puts them inline as base64 and calls `send`. The runtime sends large ones
  /// through the ipc scheme instead.
  virtual void send_binary(std::string message, std::vector<bytes> attachments);
  /// Extra fields for this page's `welcome` message, as JSON text starting with a comma
  /// (e.g. `,"lane":{...}`), or empty. Called once, when the page says hello.
  virtual std::string welcome_fields() { return {}; }
  /// The page completed the handshake (`hello` → `welcome` → `ready`).
  virtual void on_ready() {}
  /// A message was refused (already answered on the wire); `what` says why. For logging.
  virtual void on_rejected(std::string_view /*what*/) {}
  /// A call or event was refused by the capabilities (already answered with `acl.denied`):
  /// `command` is what the page asked for (`core:event|listen` for a listen), `why` the
  /// message it got. For logging; by default the same as `on_rejected(why)`.
  virtual void on_denied(std::string_view /*command*/, std::string_view why) { on_rejected(why); }

  /// The page went away: every pending invoke is cancelled (its token set, its answer
  /// dropped), every channel closed (blocked senders return false), every listener dropped.
  /// Idempotent; any thread.
  void close();
  [[nodiscard]] bool closed() const noexcept;

  /// Sizes of this page's tables, for tests and diagnostics.
  struct table_sizes {
    std::size_t pending = 0;
    std::size_t channels = 0;
    std::size_t listened_events = 0;
  };
  [[nodiscard]] table_sizes tables() const;

 private:
  friend detail::session& detail::session_of(peer& p) noexcept;
  std::unique_ptr<detail::session> session_;
};

}  // namespace myapp
