// myapp — a session: one page load's end of the wire, and what the router keeps about it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "myapp/wire.hpp"

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
  /// The page load's number in this process, from 1 (a reload or a navigation takes the next
  /// one); 0 when the session was not made by the runtime.
  std::uint64_t page_load = 0;
};

class session;
namespace detail {
struct session_state;  // the router's per-page tables: pending invokes, channels, listened events
session_state& state_of(session& s) noexcept;
}  // namespace detail

/// A session: one page load's end of the wire, implemented by the runtime (`page_session`) and
/// by tests. Created when a document says hello; closed when it goes away (navigation, reload,
/// window closed). Handlers see the session that called them as a `myapp::webview`.
class session : public std::enable_shared_from_this<session> {
 public:
  session();
  virtual ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  [[nodiscard]] virtual const caller_info& caller() const noexcept = 0;
  /// Queues one complete message (a JSON object) for the page. Called from any thread; the
  /// session batches what it is given. A closed session drops it.
  virtual void send(std::string message) = 0;
  /// Queues a message whose value refers to binary attachments as `{"$bytes": index}`. The
  /// session adds `"bin": [...]`, saying where the page finds each one (docs/protocol.md); this
  /// default puts them inline as base64 and calls `send`. The runtime sends large ones
  /// through the ipc scheme instead.
  virtual void send_binary(std::string message, std::vector<bytes> attachments);
  /// The transport this page may use besides the bridge (blob fetches, the bulk lane), for its
  /// `welcome`; none by default. Called once, when the page says hello.
  virtual std::optional<wire::transport_fields> transport() { return std::nullopt; }
  /// The page completed the handshake (`hello` → `welcome` → `ready`).
  virtual void on_ready() {}
  /// The page could not fetch the blob `token` (its call or channel failed there): free it.
  virtual void on_blob_lost(std::string_view /*token*/) {}
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
  friend detail::session_state& detail::state_of(session& s) noexcept;
  std::unique_ptr<detail::session_state> state_;
};

}  // namespace myapp
