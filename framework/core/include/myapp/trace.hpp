// myapp — the router's trace hook: what the runtime logs under `MYAPP_LOG=ipc=trace`.
//
//     myapp::router_trace t;
//     t.message = [](const myapp::message_trace& m) { log(m.kind, m.name, m.bytes); };
//     t.invoke = [](const myapp::invoke_trace& i) { log(i.command, i.handler, i.result_bytes); };
//     router.set_trace(std::move(t));   // before the first batch
//
// The core never prints: whoever wants the records installs callbacks. With no callback set,
// the router's cost is one branch per batch, message and invoke. Callbacks run on the thread
// that did the work (the receiving thread for batches and messages, the worker for invokes),
// so they must be thread-safe and quick.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "myapp/session.hpp"
#include "myapp/wire.hpp"

namespace myapp {

namespace acl {
class grants;
}

/// A batch arrived from a page.
struct batch_trace {
  const caller_info& from;
  std::size_t bytes = 0;  ///< the batch's size, UTF-8
};

/// One message of a batch, before it is handled.
struct message_trace {
  const caller_info& from;
  std::size_t index = 0;    ///< its position in the batch
  std::string_view kind;    ///< "invoke", "emit", "listen", "cancel", ... as the page wrote it
  std::string_view name;    ///< the command of an invoke, the event of an event message
  std::uint64_t id = 0;     ///< the invoke id (invoke and cancel), else 0
  std::size_t bytes = 0;    ///< the size of its arguments (invoke) or payload (emit)
  const wire::incoming* message = nullptr;  ///< the message itself, as the wire read it
  /// The buffers that came before its batch on the bulk lane (its `bin` entries {"lane": k}
  /// name them), or null.
  const std::vector<myapp::bytes>* uploads = nullptr;
};

/// One invoke, when its handler has finished (or when it was cancelled before it started).
struct invoke_trace {
  const caller_info& from;
  std::string_view command;
  std::uint64_t id = 0;
  std::size_t args_bytes = 0;    ///< the `args` object's size
  std::size_t result_bytes = 0;  ///< the answer's size (result or error message)
  std::chrono::nanoseconds queued{0};   ///< from its batch's arrival to the handler's start
  std::chrono::nanoseconds handler{0};  ///< reading the arguments, the handler, the result
  std::string_view error_code;   ///< empty when it succeeded
  bool answered = false;         ///< false when the page cancelled it or went away
  /// What the page may call (null without capabilities): `grants->decide(command)` says which
  /// capability and permission allowed this call.
  const acl::grants* grants = nullptr;
};

/// A call or an event operation the capabilities refused (answered with `acl.denied` already).
struct denial_trace {
  const caller_info& from;
  std::string_view command;     ///< the command, or `core:event|listen` and its kin
  std::uint64_t id = 0;         ///< the invoke id; 0 for an event operation
  std::string_view why;         ///< the message the page got
  const acl::grants* grants = nullptr;  ///< null when the page had not said hello
};

/// Callbacks for `router::set_trace`; any may be empty.
struct router_trace {
  std::function<void(const batch_trace&)> batch;
  std::function<void(const message_trace&)> message;
  std::function<void(const invoke_trace&)> invoke;
  std::function<void(const denial_trace&)> denied;
};

}  // namespace myapp
