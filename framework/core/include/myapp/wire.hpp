// myapp — the wire: every message of the protocol as a type, read from and written to JSON here
// and nowhere else (docs/protocol.md; the constants are in protocol.hpp).
//
// Page → C++: `decode_batch` reads a batch into typed messages (`wire::incoming`, one struct per
// kind) and hands each to a `batch_handler`, which the router implements with one overload per
// kind. A message that cannot be read is handed over as a `bad_message` saying why, with the
// invoke id to answer when it had one.
//
// C++ → page: one function per kind (`result_prefix`, `error`, `fault`, `welcome`, `event`,
// `channel_frame`, `channel_end`, `big`), `bin_list` for the binary attachments of a message,
// and `batch` for joining messages into what the page receives.
//
//     std::string m = myapp::wire::fault(myapp::code_string(myapp::errc::protocol_invalid),
//                                        "message [0]: missing key `k`");
//     page.send(std::move(m));
//
// Adding a message kind touches protocol.hpp (its name), this header and wire.cpp (its type and
// its reading or writing), one handler (router or runtime) and the JS client; docs/protocol.md
// and docs/architecture.md say more.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "myapp/error.hpp"

namespace myapp {

class bytes;

/// True when `name` can name an event: 1 to 128 characters from [A-Za-z0-9-/:_].
[[nodiscard]] bool is_valid_event_name(std::string_view name) noexcept;

namespace wire {

// ---------------------------------------------------------------------------------------------
// Page → C++. String views point into the batch (or the decoder's buffer) and live only while
// the handler that receives them runs.

namespace in {
struct hello {
  std::optional<std::int64_t> version;  ///< `v`; the router refuses any but protocol::VERSION
};
struct ready {};
struct invoke {
  std::uint64_t id = 0;
  std::string_view cmd;
  std::string_view args = "{}";     ///< the `args` object's JSON text, not yet checked inside
  std::string_view headers = "{}";  ///< the `headers` object's JSON text
  std::string_view bin;             ///< the `bin` list's JSON text; empty: no attachments
  /// A raw body instead of `args`: the index of the attachment that holds it.
  std::optional<std::uint64_t> body;
};
struct cancel {
  std::uint64_t id = 0;
};
struct listen {
  std::string_view event;  ///< a valid event name
};
struct unlisten {
  std::string_view event;  ///< a valid event name
};
struct emit_event {
  std::string_view event;                  ///< a valid event name
  std::string_view payload = "null";       ///< the payload's JSON text
  std::optional<std::string_view> target;  ///< a webview label (may be empty: refused later)
};
struct credit {
  std::uint64_t channel = 0;  ///< `ch`
  std::uint64_t n = 0;        ///< >= 1
};
/// The page could not fetch a blob (a Content-Security-Policy, the page going away, ...): the
/// host frees it.
struct lost {
  std::string_view blob;  ///< its token
};
}  // namespace in

/// One message from a page.
using incoming = std::variant<in::hello, in::ready, in::invoke, in::cancel, in::listen,
                              in::unlisten, in::emit_event, in::credit, in::lost>;

/// The kind of a message as the wire names it ("invoke", "emit", ...).
[[nodiscard]] std::string_view kind_of(const incoming& m) noexcept;

/// A message that could not be read. When `invoke_id` is set the page is answered with an
/// `error` for that invoke, otherwise with a `fault`; `why` begins with the message's place
/// ("message [2]: ...").
struct bad_message {
  std::size_t index = 0;
  errc code = errc::protocol_invalid;
  std::string why;
  std::optional<std::uint64_t> invoke_id;
};

/// Receives the messages of a batch, in order.
class batch_handler {
 public:
  virtual void on_message(std::size_t index, const incoming& message) = 0;
  virtual void on_bad_message(const bad_message& bad) = 0;

 protected:
  ~batch_handler() = default;
};

/// Reads `batch` (a JSON array of messages) and hands each message to `h`, in order. Nesting
/// deeper than `max_depth` inside a message is that message's problem, answered on its own;
/// nothing inside `args` is read here (the handler's arguments are read where they are used).
/// Returns the reason when the batch itself is malformed (not JSON, not an array, bad UTF-8):
/// the messages before the fault have been handed over already.
[[nodiscard]] std::optional<std::string> decode_batch(std::string_view batch,
                                                      std::size_t max_depth, batch_handler& h);

/// True when `batch` opens with a `hello`: a new document is talking. The client writes `k`
/// first in every message, as the protocol says, so this reads only the batch's first bytes.
[[nodiscard]] bool opens_with_hello(std::string_view batch) noexcept;

// ---------------------------------------------------------------------------------------------
// C++ → page. Each function returns (or appends) one complete message, a JSON object.

/// Appends `{"k":"result","id":<id>,"ok":` to `out`: the result value is written after it,
/// then `close_message` ends it.
void result_prefix(std::string& out, std::uint64_t id);
/// Appends the `}` that ends a message begun with a prefix.
inline void close_message(std::string& out) { out.push_back('}'); }

/// `{"k":"error","id":…,"error":{"code","message","data"?}}`. A message that is not UTF-8 is
/// replaced by a note saying so; `data_json` (JSON text, or empty for none) is copied as is.
[[nodiscard]] std::string error(std::uint64_t id, std::string_view code, std::string_view message,
                                std::string_view data_json = {});
/// `{"k":"error","id":…,"value":…}`: the command failed with an error value (`reject`); the
/// page's promise rejects with that value itself. `value_json` is copied as is.
[[nodiscard]] std::string rejection(std::uint64_t id, std::string_view value_json);
/// `{"k":"fault","error":{"code","message"}}`.
[[nodiscard]] std::string fault(std::string_view code, std::string_view message);
/// `{"k":"event","event":…,"id":…,"payload":…}`; `payload_json` is copied as is.
[[nodiscard]] std::string event(std::string_view name, std::uint64_t id,
                                std::string_view payload_json);
/// `{"k":"chan","ch":…,"i":…,"data":…}`; `data_json` is copied as is.
[[nodiscard]] std::string channel_frame(std::uint64_t channel, std::uint64_t index,
                                        std::string_view data_json);
/// `{"k":"chan_end","ch":…,"i":<frames sent>}`.
[[nodiscard]] std::string channel_end(std::uint64_t channel, std::uint64_t frames);
/// What a message is about, read from its first keys as this module writes them: the invoke it
/// answers (`result`, `error`) or the channel it is a frame of (`chan`).
struct routing {
  std::optional<std::uint64_t> id;
  std::optional<std::uint64_t> channel;
};
[[nodiscard]] routing routing_of(std::string_view message) noexcept;

/// The attachment indices `message` refers to as strings, `{"$str": i}` (as the writers on
/// both sides write them, without spaces), in ascending order without repeats.
[[nodiscard]] std::vector<std::size_t> text_references(std::string_view message);
/// The bytes those attachments of `attachments` hold: what the strings add to the message, which
/// the limits on a message's text count as if they were in it.
[[nodiscard]] std::size_t text_bytes(std::string_view message, std::span<const bytes> attachments);

/// `{"k":"big","blob":…,"n":…}` and the wrapped message's `id` or `ch`: the message the page
/// must fetch from the app scheme, and what to fail if it cannot.
[[nodiscard]] std::string big(std::string_view token, std::size_t size, const routing& of = {});

/// The transport of the app's own pages besides the bridge, offered in their `welcome`.
struct transport_fields {
  std::string blobs;   ///< URL prefix blobs are fetched from
  bool fetch = false;  ///< the page may use fetch() on the app scheme (else XMLHttpRequest)
  /// The bulk lane, when there is one: its URL with this page load's secret, and when the page
  /// sends batches (`lane_json`) and buffers (`lane_bytes`) over it, up to `lane_max` bytes.
  std::string lane;
  std::size_t lane_json = 0;
  std::size_t lane_bytes = 0;
  std::size_t lane_max = 0;
};

/// What a `welcome` says.
struct welcome_fields {
  std::string_view label;
  std::size_t batch_limit = 0;
  /// How many event names the page may listen to at once (0: not said).
  std::size_t listen_limit = 0;
  /// The event operations ("listen", "emit", "emitTo") the page may not use, with the denial.
  std::vector<std::pair<std::string_view, std::string>> denied;
  std::optional<transport_fields> transport;  ///< none: everything goes through the bridge
};
[[nodiscard]] std::string welcome(const welcome_fields& w);

/// Adds `"bin":[...]` to a finished message (before its closing brace), one entry per
/// attachment, in order:
///
///     wire::bin_list bin(message);
///     bin.add_inline(small.span());         // {"b64": "..."}
///     bin.add_blob(token, large.size());    // {"blob": token, "n": size}
///     bin.finish();                         // or let it go out of scope
class bin_list {
 public:
  explicit bin_list(std::string& message);
  ~bin_list() { finish(); }
  bin_list(const bin_list&) = delete;
  bin_list& operator=(const bin_list&) = delete;
  void add_inline(std::span<const std::byte> data);
  void add_blob(std::string_view token, std::size_t size);
  void finish();

 private:
  void separate();
  std::string& out_;
  bool first_ = true;
  bool open_ = true;
};

/// Joins messages into one batch, `[m1,m2,...]`.
[[nodiscard]] std::string batch(const std::vector<std::string>& messages);

}  // namespace wire
}  // namespace myapp
