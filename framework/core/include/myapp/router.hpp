// myapp — the router: the command registry, typed binding of C++ functions, and the dispatch
// of incoming batches (docs/protocol.md).
//
//     myapp::router r;
//     r.add("greet", [](std::string name) { return "Hello, " + name + "!"; }, {"name"});
//     r.add("save", [](const note& n) { ... });               // one described struct: the args
//     r.add("whoami", [](const myapp::request& req) { return req.caller().label; });
//
// Arguments are taken by name from the invoke's `args` object; a C++ name in snake_case is
// looked up in camelCase (`file_path` ← "filePath"). A command whose only argument is a
// described struct (MYAPP_STRUCT) and that is given no names reads the whole `args` object
// into it. `const myapp::request&` may appear anywhere in the parameters and is filled in by
// the router. Handlers run on the router's worker pool unless registered with
// `command_options{.main_thread = true}`.
//
// Parameters the router fills in (see inject.hpp): `const myapp::request&`,
// `myapp::cancel_token`, `myapp::webview`, and `myapp::state<T>` for state registered with
// `manage` before the command. A `myapp::channel<T>` argument comes from the page's args like
// any other (channel.hpp).
#pragma once

#include <array>
#include <chrono>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <typeindex>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "myapp/acl.hpp"
#include "myapp/bytes.hpp"
#include "myapp/channel.hpp"
#include "myapp/describe.hpp"
#include "myapp/detail/binding.hpp"
#include "myapp/error.hpp"
#include "myapp/executor.hpp"
#include "myapp/inject.hpp"
#include "myapp/json.hpp"
#include "myapp/protocol.hpp"
#include "myapp/session.hpp"
#include "myapp/trace.hpp"
#include "myapp/wire.hpp"

namespace myapp {

/// Mistakes in setting up commands. Thrown at registration, never while serving a page.
class setup_error : public std::logic_error {
 public:
  using std::logic_error::logic_error;
  static setup_error invalid_command_name(std::string_view name);
  static setup_error duplicate_command(std::string_view name);
  static setup_error argument_count(std::string_view name, std::size_t expected,
                                    std::size_t given);
  static setup_error invalid_argument_name(std::string_view command, std::string_view arg);
  static setup_error duplicate_argument(std::string_view command, std::string_view arg);
  static setup_error registration_closed(std::string_view name);
  static setup_error unmanaged_state(std::string_view command, std::string_view type);
  static setup_error duplicate_state(std::string_view type);
  static setup_error raw_body_signature(std::string_view name);
};

/// An event as C++ listeners see it.
struct event {
  std::string name;
  std::uint64_t id = 0;
  /// The payload as JSON text ("null" when there is none).
  std::string payload_json;
  /// The label of the page that emitted it; empty when C++ emitted it.
  std::string source;
  /// The label it was sent to; empty for a broadcast.
  std::string target;

  /// The payload read as a T.
  template <json::readable T>
  result<T> payload() const {
    return json::parse<T>(payload_json);
  }
};

struct listen_options {
  /// Without a target a listener hears broadcasts only. With a label it hears the events sent
  /// to that label (emit_to / emitTo) and no broadcasts; "*" hears everything.
  std::optional<std::string> target;
};

using listener_id = std::uint64_t;

/// Sizes of the router's tables, for tests, diagnostics and the soak benchmark.
struct router_stats {
  std::size_t pages = 0;       ///< live pages (sessions that said hello and are not closed)
  std::size_t in_flight = 0;   ///< invokes dispatched and not yet answered
  std::size_t pending = 0;     ///< invokes tracked in the pages' tables
  std::size_t channels = 0;    ///< open channels across pages
  std::size_t page_listens = 0;  ///< event names listened to, summed across pages
  std::size_t listeners = 0;   ///< C++ listeners
  std::size_t coroutines = 0;  ///< live coroutine frames of handlers, process-wide
};

/// App code that threw where no page could be answered for it (a C++ event listener): the
/// router catches it and reports it to `router::set_fault_handler`.
struct app_fault {
  std::string_view what;     ///< "listener"
  std::string_view name;     ///< the event
  std::string_view source;   ///< the label of the page that emitted it; empty when C++ did
  std::string_view message;  ///< what the exception said
};

struct command_options {
  /// Run the handler on the GUI thread (for handlers that touch Qt widgets). Default: a worker.
  bool main_thread = false;
  /// The command takes a raw request body — `invoke(cmd, bytes, { headers })` — which the
  /// handler reads with `request::body()`; JSON arguments are refused with `args.invalid`. (A
  /// command with no JSON arguments that takes `const myapp::request&` accepts either.)
  bool raw_body = false;
  /// The error codes the handler may reject with, for `describe()` and the TypeScript
  /// bindings; the router does not check them.
  std::vector<std::string> errors = {};
};

struct router_options {
  /// Worker threads for handlers; 0 = one per hardware thread (at least 2).
  std::size_t workers = 0;
  /// Run every handler inline on the receiving thread (tools and tests).
  bool run_inline = false;
  /// Largest batch accepted, in bytes; larger batches are answered with `limit.exceeded`.
  std::size_t max_batch_bytes = protocol::DEFAULT_MAX_BATCH_BYTES;
  /// Deepest nesting of arrays and objects accepted in a batch or in arguments.
  std::size_t max_depth = protocol::DEFAULT_MAX_DEPTH;
  /// Invokes one page may have pending; more are answered with `limit.exceeded`.
  std::size_t max_pending_per_page = protocol::DEFAULT_MAX_PENDING;
  /// Bytes the pending invokes of one page may hold: their arguments' JSON and the buffers they
  /// carry, inline or on the bulk lane. A call that would pass it is answered with
  /// `limit.exceeded`, and the room comes back as calls finish: a page cannot fill the app's
  /// memory with calls its handlers have not got to. Above the bulk lane's largest message, so
  /// that one call of any accepted size goes through.
  std::size_t max_pending_bytes_per_page = protocol::DEFAULT_MAX_PENDING_BYTES;
  /// Channels one page may have open; a call that would open more fails with `args.invalid`.
  std::size_t max_channels_per_page = protocol::DEFAULT_MAX_CHANNELS;
  /// Event names one page may listen to.
  std::size_t max_listens_per_page = protocol::DEFAULT_MAX_LISTENS;
  /// Largest result, error or channel frame (its JSON text) sent to a page; larger ones are
  /// refused with `limit.exceeded` (the page could not read them). Return bytes or stream.
  std::size_t max_message_to_page = protocol::DEFAULT_MAX_MESSAGE_TO_PAGE;
  /// Threads of the pool that coroutine handlers hand blocking work to (`co_await
  /// myapp::blocking(...)`), apart from the workers so that it cannot starve short commands.
  /// Started on first use.
  std::size_t blocking_threads = 8;
  /// When every worker has been running one handler this long while a page with none of its
  /// calls running has one waiting, the pool starts another worker for it (up to 64 past
  /// `workers`; each stops after 30 s without work). So a page's slow calls delay another
  /// page's first call by about this much, not by a handler's whole run. 0: never.
  std::chrono::milliseconds stall_after{50};
};

/// The command registry and dispatcher. Register every command first, then feed it batches.
/// `receive` is called on one thread (the GUI thread in an app); handlers run on the worker
/// pool or the main executor; results go back through `session::send`. The messages themselves
/// are read and written by the wire (wire.hpp).
class router {
 public:
  explicit router(router_options options = {});
  ~router();
  router(const router&) = delete;
  router& operator=(const router&) = delete;

  /// Registers `fn` under `name`. `arg_names` name the parameters that come from `args`, in
  /// order, skipping injected ones; leave it empty for a command with no arguments or with a
  /// single described-struct argument. Throws `setup_error` on a bad or duplicate name, a
  /// wrong number of argument names, or after the first batch arrived.
  template <class F>
  router& add(std::string name, F fn, std::initializer_list<std::string_view> arg_names = {},
              command_options options = {}) {
    using traits = detail::fn_traits<std::decay_t<F>>;
    return add_impl<F>(std::move(name), std::move(fn), arg_names, options,
                       static_cast<typename traits::args*>(nullptr));
  }

  /// Registers shared state handed to handlers that take `myapp::state<T>`. Register state
  /// before the commands that use it; registering a T twice throws `setup_error`.
  template <class T>
  router& manage(std::shared_ptr<T> value) {
    if (closed_.load()) throw setup_error::registration_closed(api::detail::cpp_name(typeid(T)));
    if (!states_.emplace(std::type_index(typeid(T)), std::move(value)).second) {
      throw setup_error::duplicate_state(api::detail::cpp_name(typeid(T)));
    }
    return *this;
  }

  /// Sends `event` with `payload` to every listener: C++ listeners without a target and every
  /// page listening to it. (Not named `emit`: Qt defines `emit` as a macro.) Any thread. Throws
  /// std::invalid_argument for an invalid name or a payload that cannot be written as JSON, and
  /// std::length_error for one larger than a page can read (router_options::max_message_to_page).
  template <json::writable T>
  void emit_event(std::string_view event, const T& payload) {
    emit_json({}, event, to_payload(payload));
  }
  /// Sends `event` only to the pages labelled `target` (and C++ listeners of that target).
  template <json::writable T>
  void emit_event_to(std::string_view target, std::string_view event, const T& payload) {
    emit_json(target, event, to_payload(payload));
  }
  /// `emit_event` with a payload already written as JSON text; an empty `target` broadcasts.
  void emit_json(std::string_view target, std::string_view event, std::string_view payload_json,
                 std::string_view source = {});

  /// Calls `fn(const myapp::event&)` for every matching event, on the thread that emits it
  /// (the GUI thread for events from pages): keep it short. Any thread.
  listener_id listen(std::string_view event, std::function<void(const myapp::event&)> fn,
                     listen_options options = {});
  /// Like listen, but removes itself after the first event.
  listener_id once(std::string_view event, std::function<void(const myapp::event&)> fn,
                   listen_options options = {});
  /// Removes a listener; false when it was not registered (any more).
  bool unlisten(listener_id id);

  /// Sends `event` to one page only, if it listens to it. Used by `webview::emit_event`.
  bool emit_to_session(const std::shared_ptr<session>& to, std::string_view event,
                    std::string_view payload_json);

  [[nodiscard]] router_stats stats() const;

  /// Installs the capabilities: from now on every call and event of a page is checked against
  /// what its capabilities grant (resolved when the page says hello), and a page matching no
  /// capability has no IPC. Without a policy the router checks nothing (tools and tests); an
  /// app always installs one.
  void set_policy(std::shared_ptr<const acl::policy> p);
  /// The executor for `main_thread` commands (the runtime sets the GUI thread's). Default:
  /// inline on the thread that calls `receive`.
  void set_main_executor(std::shared_ptr<executor> ex);
  /// Receives what app code threw where no page could be answered for it (an event listener
  /// throwing on a payload it did not expect). The runtime logs it; without a handler it is
  /// dropped. Called on the thread that ran the code; keep it quick.
  void set_fault_handler(std::function<void(const app_fault&)> fn);
  /// Installs trace callbacks (trace.hpp): every batch, message and finished invoke is reported
  /// to them. Call before the first batch; without them tracing costs one branch per step.
  void set_trace(router_trace t);
  /// Turns the installed callbacks off and on again, at any time from any thread (they start
  /// on): off, tracing costs one relaxed load per step, as without callbacks. An invoke that
  /// started while off reports no queue time.
  void set_trace_active(bool on) noexcept { trace_active_.store(on, std::memory_order_relaxed); }

  /// Processes one batch from `from`. Never throws; every problem is answered on the wire.
  /// `uploads` are the buffers that came with the batch over the bulk lane, in order; its
  /// messages refer to them as `{"lane": index}` in their `bin` lists (docs/protocol.md).
  /// Returns how many of its invokes were handed to the worker pool.
  std::size_t receive(std::string_view batch, const std::shared_ptr<session>& from,
                      std::shared_ptr<const std::vector<bytes>> uploads = nullptr);

  /// Declares that the event `name` carries a T, for `describe()` and the TypeScript bindings
  /// (the router does not check payloads). Throws `setup_error` on an invalid name, a second
  /// declaration, or after the first batch arrived.
  template <class T>
  router& declare_event(std::string name) {
    declare_event_type(std::move(name), api::type_of<T>());
    return *this;
  }

  /// Every registered command (arguments, result, declared errors), declared event and the
  /// structs they use, as JSON text: an `api::document` (describe.hpp), each list sorted by
  /// name. `myapp bindings` turns it into TypeScript.
  [[nodiscard]] std::string describe() const;

  [[nodiscard]] bool has_command(std::string_view name) const;
  [[nodiscard]] std::vector<std::string> command_names() const;
  /// Invokes dispatched and not yet answered, across all sessions.
  [[nodiscard]] std::size_t in_flight() const noexcept { return in_flight_.load(); }
  /// Closes `s` (see session::close) and forgets it.
  void close_session(const std::shared_ptr<session>& s);
  /// For quitting: closes every session (cancelling its calls, closing its channels, waking
  /// its coroutines) and waits up to `grace` for the handlers still running. Returns one line
  /// per call still running then ("`command` (window `label`)"), empty when all finished.
  std::vector<std::string> shutdown(std::chrono::milliseconds grace);
  [[nodiscard]] const router_options& options() const noexcept { return options_; }

 private:
  struct entry {
    std::string name;
    std::size_t index = 0;  // registration order: the page's verdicts are kept by it
    bool main_thread = false;
    detail::body_rule body = detail::body_rule::json;
    bool coroutine = false;  // returns a task<T>
    detail::handler_fn fn;
  };

  template <class F, class... A>
  router& add_impl(std::string name, F fn, std::initializer_list<std::string_view> arg_names,
                   command_options options, std::tuple<A...>* /*tag*/) {
    static_assert((detail::argument<A> && ...),
                  "myapp: every handler parameter must be readable from JSON (a json::codec "
                  "exists and it is default-constructible) or be `const myapp::request&`");
    using R = std::invoke_result_t<F&, A...>;
    static_assert(detail::returnable<R>,
                  "myapp: a handler must return void, a value with a json::codec, "
                  "myapp::result<T, E>, or a myapp::task<T> of one of those");
    constexpr std::size_t decodable = ((detail::is_injected<A> ? 0 : 1) + ... + 0);
    bool whole_struct = false;
    std::vector<std::string> keys;
    if constexpr (decodable == 1) {
      constexpr bool single_struct =
          ((!detail::is_injected<A> && json::detail::described<std::remove_cvref_t<A>>) || ...);
      whole_struct = single_struct && arg_names.size() == 0;
    }
    if (!whole_struct) {
      if (arg_names.size() != decodable) {
        throw setup_error::argument_count(name, decodable, arg_names.size());
      }
      for (auto n : arg_names) {
        if (!valid_argument_name(n)) throw setup_error::invalid_argument_name(name, n);
        auto key = json::camel_case(n);
        for (const auto& k : keys) {
          if (k == key) throw setup_error::duplicate_argument(name, n);
        }
        keys.push_back(std::move(key));
      }
    }
    typename detail::binding<F, A...>::states_t states{};
    [[maybe_unused]] std::size_t i = 0;
    (
        [&] {
          using V = std::remove_cvref_t<A>;
          if constexpr (detail::is_state<V>::value) {
            using T = typename detail::state_type<V>::type;
            auto it = states_.find(std::type_index(typeid(T)));
            if (it == states_.end()) {
              throw setup_error::unmanaged_state(name, api::detail::cpp_name(typeid(T)));
            }
            states[i] = it->second;
          }
          ++i;
        }(),
        ...);
    described d{keys, whole_struct, options.raw_body, std::move(options.errors),
                &detail::describe_command<R, A...>};
    std::string described_name = name;
    constexpr bool takes_request =
        (std::is_same_v<std::remove_cvref_t<A>, request> || ... || false);
    auto body = detail::body_rule::json;
    if (options.raw_body) {
      if (decodable != 0 || !takes_request) throw setup_error::raw_body_signature(name);
      body = detail::body_rule::raw;
    } else if (decodable == 0 && takes_request) {
      body = detail::body_rule::either;
    }
    add_entry(std::move(name), options.main_thread, body, detail::is_task<R>::value,
              detail::binding<F, A...>(std::move(fn), std::move(keys), whole_struct,
                                       std::move(states)));
    described_.insert_or_assign(std::move(described_name), std::move(d));
    return *this;
  }

  // What describe() needs of a command, turned into an api::command only when asked.
  struct described {
    std::vector<std::string> keys;
    bool whole_struct = false;
    bool raw_body = false;
    std::vector<std::string> errors;
    void (*fill)(api::command&, const std::vector<std::string>&, bool) = nullptr;
  };
  void declare_event_type(std::string name, api::type_ref payload);

  static bool valid_argument_name(std::string_view n) noexcept;
  void add_entry(std::string name, bool main_thread, detail::body_rule body, bool coroutine,
                 detail::handler_fn fn);
  template <class T>
  static std::string to_payload(const T& payload) {
    std::string text;
    json::writer w(text);
    json::write_value(w, payload);
    if (!w.ok()) throw std::invalid_argument("myapp: event payload cannot be written: " + w.error());
    return text;
  }

  // Reading a batch (router.cpp) hands each message to one of these: the session's messages
  // in router_session.cpp, invokes in router_invoke.cpp, events in router_events.cpp.
  struct job;
  struct batch;         // the batch being read (router_impl.hpp)
  struct waiting_jobs;  // invokes waiting for a worker, served in turn by session
  void handle(const wire::in::hello& m, batch& b);
  void handle(const wire::in::ready& m, batch& b);
  void handle(const wire::in::invoke& m, batch& b);
  void handle(const wire::in::cancel& m, batch& b);
  void handle(const wire::in::listen& m, batch& b);
  void handle(const wire::in::unlisten& m, batch& b);
  void handle(const wire::in::emit_event& m, batch& b);
  void handle(const wire::in::credit& m, batch& b);
  void handle(const wire::in::lost& m, batch& b);
  /// The capabilities' verdict on a built-in operation for the batch's page; a refusal is
  /// answered with a fault.
  bool permitted(std::string_view op, batch& b);
  std::size_t dispatch(std::vector<std::shared_ptr<job>>& jobs);  // returns the jobs for workers
  void run(const std::shared_ptr<job>& j);
  /// Answers an invoke (unless its page cancelled it or went away) and forgets it. `out` is the
  /// result message without its closing brace, or empty when the handler never ran.
  void deliver(const std::shared_ptr<job>& j, detail::outcome result, std::string out,
               std::vector<bytes> out_bin);
  void register_session(const std::shared_ptr<session>& s);
  std::vector<std::shared_ptr<session>> live_sessions();

  router_options options_;
  std::shared_ptr<const acl::policy> policy_;
  struct name_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::unordered_map<std::string, std::unique_ptr<entry>, name_hash, std::equal_to<>> commands_;
  std::unordered_map<std::type_index, std::shared_ptr<void>> states_;
  std::map<std::string, described, std::less<>> described_;
  std::map<std::string, api::type_ref, std::less<>> events_;
  mutable std::mutex sessions_mutex_;
  std::vector<std::weak_ptr<session>> sessions_;
  struct listener_table;  // C++ listeners, by event name
  mutable std::mutex listeners_mutex_;
  std::unique_ptr<listener_table> listeners_;
  std::atomic<listener_id> next_listener_{1};
  std::atomic<std::uint64_t> next_event_{1};
  std::atomic<bool> closed_{false};
  std::atomic<std::size_t> in_flight_{0};
  std::shared_ptr<executor> main_;
  router_trace trace_;
  std::atomic<bool> trace_active_{true};
  [[nodiscard]] bool tracing() const noexcept { return trace_active_.load(std::memory_order_relaxed); }
  std::function<void(const app_fault&)> fault_handler_;
  void report_fault(const app_fault& f) const;
  // What coroutine handlers wait with, started on first use.
  detail::task_context make_task_context(const std::shared_ptr<detail::cancel_state>& cancel);
  std::mutex async_mutex_;
  std::unique_ptr<thread_pool> blocking_;
  std::unique_ptr<detail::timer_service> timers_;
  std::unique_ptr<waiting_jobs> waiting_;
  std::mutex running_mutex_;
  std::unordered_set<const job*> running_;  // handlers started and not answered
  std::unique_ptr<executor> workers_;  // last: destroyed first, before the entries it runs
};

}  // namespace myapp
