// myapp — the wire protocol between a page and the C++ side.
//
// The full description, with every message kind and error code, is docs/protocol.md; this
// header holds the constants both sides share; the messages themselves are read and written in
// wire.hpp. runtime-js/src/client/wire.js holds the same values and writes the page's side; the
// two change together, with `VERSION`.
//
// In short: one QWebChannel object per page, named "myapp", with one slot `post(string)` (page
// → C++) and one signal `deliver(string)` (C++ → page). Each call carries one *batch*: a JSON
// array of messages, each an object whose first key is "k", the kind.
//
//   page → C++   {"k":"hello","v":1}
//                {"k":"ready"}
//                {"k":"invoke","id":7,"cmd":"greet","args":{"name":"Ada"},"headers":{...}}
//   C++ → page   {"k":"welcome","v":1,"label":"main"}
//                {"k":"result","id":7,"ok":"Hello, Ada!"}
//                {"k":"error","id":7,"error":{"code":"args.invalid","message":"...","data":...}}
//                {"k":"fault","error":{"code":"protocol.invalid","message":"..."}}
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace myapp::protocol {

/// The protocol version carried by `hello` and `welcome`.
inline constexpr int VERSION = 1;

/// The name of the bridge object in the page's QWebChannel.
inline constexpr std::string_view BRIDGE_OBJECT = "myapp";

/// Invoke ids are positive integers no larger than JavaScript's Number.MAX_SAFE_INTEGER.
inline constexpr std::uint64_t MAX_INVOKE_ID = (std::uint64_t{1} << 53) - 1;

/// Message kinds.
namespace kind {
inline constexpr std::string_view HELLO = "hello";
inline constexpr std::string_view READY = "ready";
inline constexpr std::string_view INVOKE = "invoke";
inline constexpr std::string_view WELCOME = "welcome";
inline constexpr std::string_view RESULT = "result";
inline constexpr std::string_view ERROR = "error";
inline constexpr std::string_view FAULT = "fault";
inline constexpr std::string_view CANCEL = "cancel";
inline constexpr std::string_view LISTEN = "listen";
inline constexpr std::string_view UNLISTEN = "unlisten";
inline constexpr std::string_view EMIT = "emit";
inline constexpr std::string_view CREDIT = "credit";
inline constexpr std::string_view LOST = "lost";
inline constexpr std::string_view EVENT = "event";
inline constexpr std::string_view CHANNEL_FRAME = "chan";
inline constexpr std::string_view CHANNEL_END = "chan_end";
inline constexpr std::string_view BIG = "big";
}  // namespace kind

/// Frames of a channel C++ may have sent and the page not yet consumed.
inline constexpr std::uint64_t CHANNEL_INITIAL_CREDIT = 512;

/// Strings at least this long (bytes of UTF-8) travel as raw UTF-8 attachments where a message
/// can carry attachments (an invoke's `args`, a `result`, a `chan` frame): written
/// `{"$str": i}` for the message's `i`-th attachment, neither escaped nor parsed as JSON text.
inline constexpr std::size_t TEXT_ATTACHMENT_MIN = std::size_t{4} << 10;  // 4 KiB

/// Default limits, each changeable through `router_options`.
inline constexpr std::size_t DEFAULT_MAX_BATCH_BYTES = std::size_t{64} << 20;  // 64 MiB
inline constexpr std::size_t DEFAULT_MAX_DEPTH = 128;
inline constexpr std::size_t DEFAULT_MAX_PENDING = 10000;
/// Bytes the pending invokes of one page may hold (arguments and the buffers they carry).
inline constexpr std::size_t DEFAULT_MAX_PENDING_BYTES = std::size_t{2} << 30;
inline constexpr std::size_t DEFAULT_MAX_CHANNELS = 1000;
inline constexpr std::size_t DEFAULT_MAX_LISTENS = 1000;
/// The largest message sent to a page: a page reads each message as one JavaScript string,
/// and V8 refuses strings past 2^29 - 24 characters (Chromium 102). Larger results and channel
/// frames are refused in C++ with `limit.exceeded`; bytes travel outside JSON and are not bound
/// by it.
inline constexpr std::size_t DEFAULT_MAX_MESSAGE_TO_PAGE = std::size_t{500} << 20;  // 500 MiB

}  // namespace myapp::protocol
