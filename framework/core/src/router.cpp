// The router: registering commands (and the setup errors that refuse them), and reading a batch
// through the wire into the per-kind handlers of router_session.cpp, router_invoke.cpp and
// router_events.cpp.
#include "myapp/router.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "router_impl.hpp"
#include "text.hpp"

namespace myapp {

// ---------------------------------------------------------------------------------------------
// setup errors

setup_error setup_error::invalid_command_name(std::string_view name) {
  return setup_error(fmt::format(
      "myapp: invalid command name `{}`: use 1 to 128 characters from [A-Za-z0-9_.:|-], "
      "starting with a letter or `_`",
      name));
}
setup_error setup_error::duplicate_command(std::string_view name) {
  return setup_error(fmt::format("myapp: command `{}` is registered twice", name));
}
setup_error setup_error::argument_count(std::string_view name, std::size_t expected,
                                        std::size_t given) {
  return setup_error(fmt::format(
      "myapp: command `{}` takes {} argument(s) from JSON but {} name(s) were given; list one "
      "name per parameter, in order (injected parameters such as `const myapp::request&` take "
      "no name)",
      name, expected, given));
}
setup_error setup_error::invalid_argument_name(std::string_view command, std::string_view arg) {
  return setup_error(fmt::format(
      "myapp: command `{}`: invalid argument name `{}`: use letters, digits and `_`", command,
      arg));
}
setup_error setup_error::duplicate_argument(std::string_view command, std::string_view arg) {
  return setup_error(
      fmt::format("myapp: command `{}`: argument name `{}` is used twice", command, arg));
}
setup_error setup_error::unmanaged_state(std::string_view command, std::string_view type) {
  return setup_error(fmt::format(
      "myapp: command `{}` asks for myapp::state<{}>, which was never registered; call "
      "manage(std::make_shared<...>(...)) before registering the command",
      command, type));
}
setup_error setup_error::duplicate_state(std::string_view type) {
  return setup_error(fmt::format("myapp: state of type {} is registered twice", type));
}
setup_error setup_error::raw_body_signature(std::string_view name) {
  return setup_error(fmt::format(
      "myapp: command `{}` takes a raw body (command_options::raw_body): its handler reads it with "
      "a `const myapp::request&` parameter and takes no JSON arguments",
      name));
}
setup_error setup_error::registration_closed(std::string_view name) {
  return setup_error(fmt::format(
      "myapp: command `{}` was registered after the first message arrived; register every "
      "command before the app runs",
      name));
}

namespace detail {

std::string describe_exception(std::string_view command, const std::exception& e) {
  return fmt::format("command `{}` failed: {}", command, e.what());
}

outcome error_outcome(const error& e) {
  outcome o;
  o.ok = false;
  if (is_valid_code(e.code())) {
    o.code = e.code();
    o.message = e.message();
  } else {
    o.code = code_string(errc::handler_failed);
    o.message = fmt::format("{} (the handler's error code `{}` is not of the form a.b_c)",
                            e.message(), e.code());
  }
  if (e.data_json()) o.data = *e.data_json();
  return o;
}

outcome value_outcome(std::string_view command, const reject& r) {
  outcome o;
  o.ok = false;
  if (r.value_json().empty()) {
    o.code = code_string(errc::result_invalid);
    o.message = fmt::format("command `{}`: {}", command, r.what());
    return o;
  }
  o.is_value = true;
  o.value_json = r.value_json();
  return o;
}

outcome exception_outcome(std::string_view command, std::exception_ptr ep) {
  try {
    std::rethrow_exception(ep);
  } catch (const error& e) {
    return error_outcome(e);
  } catch (const reject& r) {
    return value_outcome(command, r);
  } catch (const std::exception& e) {
    return outcome::failed(errc::handler_failed, describe_exception(command, e));
  } catch (...) {
    return outcome::failed(errc::handler_failed,
                           fmt::format("command `{}` failed with an unknown exception", command));
  }
}

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// the registry

namespace {
bool valid_command_name(std::string_view n) {
  if (n.empty() || n.size() > 128) return false;
  auto first = n.front();
  if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '_')) {
    return false;
  }
  return std::all_of(n.begin(), n.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == ':' || c == '|' || c == '-';
  });
}
}  // namespace

router::router(router_options options)
    : options_(options),
      listeners_(std::make_unique<listener_table>()),
      waiting_(std::make_unique<waiting_jobs>()) {
  if (options_.run_inline) {
    workers_ = std::make_unique<inline_executor>();
  } else {
    auto pool = std::make_unique<thread_pool>(options_.workers);
    pool->watch_stalls([w = waiting_.get()] { return w->starving(); }, options_.stall_after);
    workers_ = std::move(pool);
  }
  main_ = std::make_shared<inline_executor>();
}

router::~router() {
  // Pending calls are cancelled, so that coroutines waiting on a timer or the blocking pool
  // wake, finish and free their frames before the pools go; then the workers stop, before the
  // command entries they may be running are destroyed.
  for (const auto& s : live_sessions()) s->close();
  timers_.reset();
  blocking_.reset();
  workers_.reset();
}

detail::task_context router::make_task_context(const std::shared_ptr<detail::cancel_state>& cancel) {
  std::lock_guard lock(async_mutex_);
  if (!blocking_) blocking_ = std::make_unique<thread_pool>(std::max<std::size_t>(1, options_.blocking_threads));
  if (!timers_) timers_ = std::make_unique<detail::timer_service>();
  return detail::task_context{workers_.get(), main_.get(), blocking_.get(), timers_.get(), cancel};
}

void router::set_trace(router_trace t) { trace_ = std::move(t); }

void router::set_fault_handler(std::function<void(const app_fault&)> fn) {
  fault_handler_ = std::move(fn);
}

void router::report_fault(const app_fault& f) const {
  if (!fault_handler_) return;
  try {
    fault_handler_(f);
  } catch (...) {
    // A handler that throws has nowhere to report to.
  }
}

void router::set_main_executor(std::shared_ptr<executor> ex) {
  main_ = ex ? std::move(ex) : std::make_shared<inline_executor>();
}

void router::set_policy(std::shared_ptr<const acl::policy> p) { policy_ = std::move(p); }

bool router::valid_argument_name(std::string_view n) noexcept {
  if (n.empty() || n.size() > 128) return false;
  return std::all_of(n.begin(), n.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

void router::add_entry(std::string name, bool main_thread, detail::body_rule body,
                       bool coroutine, detail::handler_fn fn) {
  if (closed_.load()) throw setup_error::registration_closed(name);
  if (!valid_command_name(name)) throw setup_error::invalid_command_name(name);
  if (commands_.contains(name)) throw setup_error::duplicate_command(name);
  auto e = std::make_unique<entry>();
  e->name = name;
  e->main_thread = main_thread;
  e->body = body;
  e->coroutine = coroutine;
  e->fn = std::move(fn);
  e->index = commands_.size();
  commands_.emplace(std::move(name), std::move(e));
}

bool router::has_command(std::string_view name) const { return commands_.contains(name); }

std::vector<std::string> router::command_names() const {
  std::vector<std::string> names;
  names.reserve(commands_.size());
  for (const auto& [n, e] : commands_) names.push_back(n);
  std::sort(names.begin(), names.end());
  return names;
}

router_stats router::stats() const {
  router_stats st;
  st.in_flight = in_flight_.load();
  {
    std::lock_guard lock(sessions_mutex_);
    for (const auto& w : sessions_) {
      auto p = w.lock();
      if (!p || p->closed()) continue;
      ++st.pages;
      auto t = p->tables();
      st.pending += t.pending;
      st.channels += t.channels;
      st.page_listens += t.listened_events;
    }
  }
  std::lock_guard lock(listeners_mutex_);
  st.listeners = listeners_->size();
  st.coroutines = live_task_frames();
  return st;
}

// ---------------------------------------------------------------------------------------------
// reading a batch

namespace {

// The name and size a trace reports for a message: the command and arguments of an invoke,
// the event and payload of an emit, the event of a listen.
struct traced {
  std::string_view name;
  std::uint64_t id = 0;
  std::size_t bytes = 0;
};
traced trace_fields(const wire::incoming& m) {
  if (const auto* i = std::get_if<wire::in::invoke>(&m)) return {i->cmd, i->id, i->args.size()};
  if (const auto* e = std::get_if<wire::in::emit_event>(&m)) return {e->event, 0, e->payload.size()};
  if (const auto* l = std::get_if<wire::in::listen>(&m)) return {l->event, 0, 0};
  if (const auto* u = std::get_if<wire::in::unlisten>(&m)) return {u->event, 0, 0};
  if (const auto* c = std::get_if<wire::in::cancel>(&m)) return {{}, c->id, 0};
  return {};
}

}  // namespace

std::size_t router::receive(std::string_view text, const std::shared_ptr<session>& from,
                            std::shared_ptr<const std::vector<bytes>> uploads) {
  closed_.store(true);
  if (tracing() && trace_.batch) [[unlikely]] trace_.batch(batch_trace{from->caller(), text.size()});
  batch b{from, uploads, {}};
  if (text.size() > options_.max_batch_bytes) {
    b.fault(errc::limit_exceeded,
            fmt::format("a batch of {} bytes exceeds the limit of {} bytes", text.size(),
                        options_.max_batch_bytes));
    return 0;
  }

  // The wire reads the messages; each goes to the handler of its kind.
  struct reader final : wire::batch_handler {
    router& r;
    batch& b;
    reader(router& rr, batch& bb) : r(rr), b(bb) {}
    void on_message(std::size_t index, const wire::incoming& m) override {
      b.index = index;
      if (r.tracing() && r.trace_.message) [[unlikely]] {
        const auto t = trace_fields(m);
        r.trace_.message(
            message_trace{b.from->caller(), index, wire::kind_of(m), t.name, t.id, t.bytes, &m,
                          b.uploads.get()});
      }
      std::visit([this](const auto& msg) { r.handle(msg, b); }, m);
    }
    void on_bad_message(const wire::bad_message& bad) override {
      if (bad.invoke_id) {
        b.from->send(wire::error(*bad.invoke_id, code_string(bad.code), bad.why));
        b.from->on_rejected(bad.why);
      } else {
        b.fault(bad.code, bad.why);
      }
    }
  } rd(*this, b);
  const auto malformed = wire::decode_batch(text, options_.max_depth, rd);
  // What was read before a malformed part still runs.
  const std::size_t to_workers = dispatch(b.jobs);
  if (malformed) b.fault(errc::protocol_invalid, *malformed);
  return to_workers;
}

}  // namespace myapp
