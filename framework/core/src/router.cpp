#include "myapp/router.hpp"

#include "session.hpp"
#include "text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

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

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// messages

namespace {

void append_error_object(std::string& out, std::string_view code, std::string_view message,
                         std::string_view data_json) {
  json::writer w(out);
  w.begin_object();
  w.key("code");
  w.string(code);
  w.key("message");
  w.string(json::is_valid_utf8(message) ? message : std::string_view("(message is not UTF-8)"));
  if (!data_json.empty()) {
    w.key("data");
    w.raw(data_json);
  }
  w.end_object();
}

std::string error_message(std::uint64_t id, std::string_view code, std::string_view message,
                          std::string_view data_json = {}) {
  std::string out = fmt::format(R"({{"k":"error","id":{},"error":)", id);
  append_error_object(out, code, message, data_json);
  out.push_back('}');
  return out;
}

std::string fault_message(std::string_view code, std::string_view message) {
  std::string out = R"({"k":"fault","error":)";
  append_error_object(out, code, message, {});
  out.push_back('}');
  return out;
}

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

using detail::edit_distance;

// A printable, bounded rendering of a name that arrived from a page, for messages.
std::string quoted_name(std::string_view s) {
  constexpr std::size_t MAX = 80;
  std::string out;
  for (char c : s.substr(0, MAX)) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
  }
  if (s.size() > MAX) out += "...";
  return out;
}

// Where in a batch a message sits, formatted only when an error needs it.
struct at {
  std::size_t index;
};

}  // namespace
}  // namespace myapp

template <>
struct fmt::formatter<myapp::at> : fmt::formatter<std::string_view> {
  auto format(myapp::at a, format_context& ctx) const {
    return fmt::format_to(ctx.out(), "message [{}]", a.index);
  }
};

namespace myapp {

// ---------------------------------------------------------------------------------------------
// router

router::router(router_options options) : options_(options) {
  if (options_.run_inline) {
    workers_ = std::make_unique<inline_executor>();
  } else {
    workers_ = std::make_unique<thread_pool>(options_.workers);
  }
  main_ = std::make_shared<inline_executor>();
}

router::~router() {
  // Stop the workers before the command entries they may be running are destroyed.
  workers_.reset();
}

void router::set_trace(router_trace t) { trace_ = std::move(t); }

void router::set_main_executor(std::shared_ptr<executor> ex) {
  main_ = ex ? std::move(ex) : std::make_shared<inline_executor>();
}

bool router::valid_argument_name(std::string_view n) noexcept {
  if (n.empty() || n.size() > 128) return false;
  return std::all_of(n.begin(), n.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

void router::add_entry(std::string name, bool main_thread, detail::handler_fn fn) {
  if (closed_.load()) throw setup_error::registration_closed(name);
  if (!valid_command_name(name)) throw setup_error::invalid_command_name(name);
  if (commands_.contains(name)) throw setup_error::duplicate_command(name);
  auto e = std::make_unique<entry>();
  e->name = name;
  e->main_thread = main_thread;
  e->fn = std::move(fn);
  e->index = commands_.size();
  commands_.emplace(std::move(name), std::move(e));
}

bool router::has_command(std::string_view name) const {
  return commands_.contains(name);
}

std::vector<std::string> router::command_names() const {
  std::vector<std::string> names;
  names.reserve(commands_.size());
  for (const auto& [n, e] : commands_) names.push_back(n);
  std::sort(names.begin(), names.end());
  return names;
}

struct router::message_fields {
  std::string_view kind;
  bool has_kind = false;
  std::uint64_t id = 0;
  bool has_id = false;
  std::string_view cmd;
  bool has_cmd = false;
  std::string_view args = "{}";
  std::string_view headers = "{}";
  std::int64_t version = 0;
  bool has_version = false;
  std::string_view event;
  bool has_event = false;
  std::string_view payload = "null";
  std::string_view target;
  bool has_target = false;
  std::uint64_t channel = 0;
  bool has_channel = false;
  std::uint64_t credit = 0;
  bool has_credit = false;
  std::string_view bin;  // the binary attachments' list, as JSON text; empty: none
  const std::shared_ptr<const std::vector<bytes>>* uploads = nullptr;
};

void router::receive(std::string_view batch, const std::shared_ptr<peer>& from,
                     std::shared_ptr<const std::vector<bytes>> uploads) {
  closed_.store(true);
  if (trace_.batch) [[unlikely]] trace_.batch(batch_trace{from->caller(), batch.size()});
  if (batch.size() > options_.max_batch_bytes) {
    auto why = fmt::format("a batch of {} bytes exceeds the limit of {} bytes", batch.size(),
                           options_.max_batch_bytes);
    from->send(fault_message(code_string(errc::limit_exceeded), why));
    from->on_rejected(why);
    return;
  }

  json::decoder d(options_.max_depth);
  std::size_t index = 0;
  job_list jobs;
  // No nesting check over the whole batch: a message too deep must be answered with its own
  // id. Messages are read flat; what is skipped is skipped without recursion; what is read in
  // depth (payloads here, arguments in run) is checked against the limit.
  bool ok = json::read_document_part(batch, d, [&](json::value& root, json::decoder& dd) {
    json::type t{};
    if (!root.get_type(t, dd)) return false;
    if (t != json::type::array) return dd.fail_type("an array of messages", root);
    return root.for_each_element(dd, [&](json::value& msg) {
      dd.push_index(index++);
      json::type mt{};
      if (!msg.get_type(mt, dd)) return false;
      if (mt != json::type::object) {
        dd.fail_type("a message object", msg);
        return false;
      }
      // Fields are collected first, in whatever order they come. A field of the wrong type is
      // answered for this message alone; malformed JSON ends the batch.
      message_fields f;
      f.uploads = &uploads;
      json::decoder md(options_.max_depth);
      auto read_object = [&](json::value& v, std::string_view& out) {
        json::type vt{};
        if (!v.get_type(vt, md)) return;
        if (vt != json::type::object) {
          md.fail_type("an object", v);
        } else {
          v.read_raw(out, md);
        }
      };
      bool structural = msg.for_each_field(md, [&](std::string_view key, json::value& v) {
        if (md.failed()) return v.skip(md);  // already wrong: skip the rest
        md.push_key(key);
        if (key == "k") {
          f.has_kind = v.read(f.kind, md);
        } else if (key == "id") {
          f.has_id = v.read(f.id, md);
          if (f.has_id && (f.id == 0 || f.id > protocol::MAX_INVOKE_ID)) {
            f.has_id = false;
            md.fail(fmt::format("an invoke id must be in [1, {}]", protocol::MAX_INVOKE_ID));
          }
        } else if (key == "cmd") {
          f.has_cmd = v.read(f.cmd, md);
        } else if (key == "args") {
          // Checked in full when the handler's arguments are read from it; here only its
          // extent is needed.
          json::type at_type{};
          if (v.get_type(at_type, md)) {
            if (at_type != json::type::object) {
              md.fail_type("an object", v);
            } else {
              v.read_object_extent(f.args, md);
            }
          }
        } else if (key == "headers") {
          read_object(v, f.headers);
        } else if (key == "v") {
          f.has_version = v.read(f.version, md);
        } else if (key == "event") {
          f.has_event = v.read(f.event, md);
        } else if (key == "payload") {
          v.read_raw(f.payload, md);
        } else if (key == "target") {
          f.has_target = v.read(f.target, md);
        } else if (key == "ch") {
          f.has_channel = v.read(f.channel, md);
        } else if (key == "n") {
          f.has_credit = v.read(f.credit, md);
        } else if (key == "bin") {
          json::type bt{};
          if (v.get_type(bt, md)) {
            if (bt != json::type::array) {
              md.fail_type("an array", v);
            } else {
              v.read_raw(f.bin, md);
            }
          }
        } else if (!v.skip(md)) {
          return false;  // malformed JSON
        }
        md.pop();
        return true;
      });
      if (!structural) {
        dd.fail(md.message());
        return false;
      }
      const at where{index - 1};
      if (md.failed()) {
        auto why = fmt::format("{}: {}", where, md.message());
        if (f.has_id && f.kind == protocol::kind::INVOKE) {
          from->send(error_message(f.id, code_string(errc::protocol_invalid), why));
        } else {
          from->send(fault_message(code_string(errc::protocol_invalid), why));
        }
        from->on_rejected(why);
      } else {
        handle_message(f, index - 1, from, jobs);
      }
      dd.pop();
      return true;
    });
  });
  dispatch(jobs);  // what parsed before a malformed part still runs
  if (!ok) {
    auto why = fmt::format("malformed batch: {}", d.message());
    from->send(fault_message(code_string(errc::protocol_invalid), why));
    from->on_rejected(why);
  }
}

void router::handle_message(const message_fields& f, std::size_t index,
                            const std::shared_ptr<peer>& from, job_list& jobs) {
  const at where{index};
  if (trace_.message) [[unlikely]] {
    const bool invoke = f.kind == protocol::kind::INVOKE;
    trace_.message(message_trace{from->caller(), index, f.kind, invoke ? f.cmd : f.event,
                                 f.has_id ? f.id : 0,
                                 invoke ? f.args.size() : (f.has_event ? f.payload.size() : 0)});
  }
  auto fault = [&](errc code, const std::string& why) {
    from->send(fault_message(code_string(code), why));
    from->on_rejected(why);
  };
  auto missing = [&](std::string_view key) {
    fault(errc::protocol_invalid,
          fmt::format("{}: a `{}` message needs `{}`", where, quoted_name(f.kind), key));
  };
  auto check_event = [&]() {
    if (!f.has_event) {
      missing("event");
      return false;
    }
    if (!is_valid_event_name(f.event)) {
      fault(errc::event_invalid_name,
            fmt::format("{}: `{}` is not a valid event name: use 1 to 128 characters from "
                        "[A-Za-z0-9-/:_]",
                        where, quoted_name(f.event)));
      return false;
    }
    return true;
  };
  auto& s = detail::session_of(*from);
  const auto kind = f.kind;
  // The capabilities' verdict on a built-in operation; a refusal is answered with a fault.
  auto permitted = [&](std::string_view op) {
    if (!policy_) return true;
    std::shared_ptr<const acl::grants> g;
    {
      std::lock_guard lock(s.mutex);
      g = s.grants;
    }
    if (g && g->allows(op)) return true;
    auto why = g ? g->denial(op)
                 : fmt::format("`{}` is not allowed: the page has not said hello", op);
    why = fmt::format("{}: {}", where, why);
    from->send(fault_message(code_string(errc::acl_denied), why));
    from->on_denied(op, why);
    return false;
  };

  if (!f.has_kind) {
    fault(errc::protocol_invalid, fmt::format("{}: missing key `k`", where));
  } else if (kind == protocol::kind::INVOKE) {
    if (!f.has_id) {
      missing("id");
    } else if (!f.has_cmd) {
      from->send(error_message(f.id, code_string(errc::protocol_invalid),
                               fmt::format("{}: invoke {} has no `cmd`", where, f.id)));
    } else {
      handle_invoke(f, from, jobs);
    }
  } else if (kind == protocol::kind::CANCEL) {
    if (!f.has_id) return missing("id");
    std::shared_ptr<std::atomic<bool>> flag;
    std::vector<std::shared_ptr<detail::channel_state>> opened;
    bool known = false;
    {
      std::lock_guard lock(s.mutex);
      if (auto it = s.pending.find(f.id); it != s.pending.end()) {
        flag = it->second.cancelled;
        for (auto ch : it->second.channels) {
          if (auto c = s.channels.find(ch); c != s.channels.end()) opened.push_back(c->second);
        }
      }
      known = f.id <= s.max_invoke_id;
    }
    if (flag) {
      flag->store(true);
      // A producer blocked on the call's channels is released at once.
      for (auto& ch : opened) detail::close_channel(*ch, true);
    } else if (!known) {
      fault(errc::invoke_not_found,
            fmt::format("{}: cancel names invoke {}, which this page never sent", where, f.id));
    }
    // A cancel for an invoke that already finished is an ordinary race: nothing to do.
  } else if (kind == protocol::kind::LISTEN || kind == protocol::kind::UNLISTEN) {
    if (!check_event()) return;
    if (kind == protocol::kind::LISTEN && !permitted(acl::EVENT_LISTEN)) return;
    std::lock_guard lock(s.mutex);
    if (s.closed) return;
    if (kind == protocol::kind::LISTEN) {
      if (s.listening.size() >= options_.max_listens_per_page &&
          s.listening.find(f.event) == s.listening.end()) {
        auto why = fmt::format("{}: the page already listens to {} event names (limit "
                               "max_listens_per_page)",
                               where, s.listening.size());
        from->send(fault_message(code_string(errc::limit_exceeded), why));
        from->on_rejected(why);
        return;
      }
      s.listening.emplace(f.event);
    } else if (auto it = s.listening.find(f.event); it != s.listening.end()) {
      s.listening.erase(it);
    }
  } else if (kind == protocol::kind::EMIT) {
    if (!check_event()) return;
    if (!permitted(f.has_target ? acl::EVENT_EMIT_TO : acl::EVENT_EMIT)) return;
    if (f.has_target && f.target.empty()) {
      return fault(errc::protocol_invalid, fmt::format("{}: `target` must not be empty", where));
    }
    emit_json(f.has_target ? f.target : std::string_view(), f.event, f.payload,
              from->caller().label);
  } else if (kind == protocol::kind::CREDIT) {
    if (!f.has_channel) return missing("ch");
    if (!f.has_credit || f.credit == 0) {
      return fault(errc::protocol_invalid,
                   fmt::format("{}: a credit message needs `n` >= 1", where));
    }
    std::shared_ptr<detail::channel_state> ch;
    bool used = false;
    {
      std::lock_guard lock(s.mutex);
      if (auto it = s.channels.find(f.channel); it != s.channels.end()) ch = it->second;
      used = s.used_channels.contains(f.channel);
    }
    if (ch) {
      std::lock_guard lock(ch->mutex);
      // Never more than the initial window: a page granting more than it consumed cannot
      // make C++ buffer without bound.
      ch->credit = std::min<std::uint64_t>(ch->credit + f.credit, protocol::CHANNEL_INITIAL_CREDIT);
      ch->credit_arrived.notify_all();
    } else if (!used && !s.closed) {
      fault(errc::channel_invalid,
            fmt::format("{}: credit for channel {}, which no call of this page opened", where,
                        f.channel));
    }
    // Credit for a channel that already closed is an ordinary race.
  } else if (kind == protocol::kind::HELLO) {
    if (!f.has_version || f.version != protocol::VERSION) {
      fault(errc::protocol_version,
            fmt::format("{}: the page speaks protocol version {}, this app speaks {}", where,
                        f.has_version ? std::to_string(f.version) : "(none)", protocol::VERSION));
      return;
    }
    // The event operations this page may not use, each with its denial: the page's client
    // rejects them at once instead of sending what would be refused.
    std::string denied;
    if (policy_) {
      auto g = policy_->resolve(
          acl::context{from->caller().label, from->caller().url, from->caller().local});
      std::vector<std::uint8_t> allowed(commands_.size(), 0);
      for (const auto& [name, e] : commands_) allowed[e->index] = g->allows(name) ? 1 : 0;
      for (auto [key, op] : {std::pair{"listen", acl::EVENT_LISTEN}, std::pair{"emit", acl::EVENT_EMIT},
                             std::pair{"emitTo", acl::EVENT_EMIT_TO}}) {
        if (g->allows(op)) continue;
        denied += denied.empty() ? "{" : ",";
        fmt::format_to(std::back_inserter(denied), R"("{}":)", key);
        if (!json::write_string(denied, g->denial(op))) denied += "\"\"";
      }
      std::lock_guard lock(s.mutex);
      s.grants = std::move(g);
      s.allowed = std::move(allowed);
    }
    register_page(from);
    std::string welcome = fmt::format(R"({{"k":"welcome","v":{},"label":)", protocol::VERSION);
    if (!json::write_string(welcome, from->caller().label)) welcome += "\"\"";
    fmt::format_to(std::back_inserter(welcome), R"(,"limits":{{"batch":{}}})",
                   options_.max_batch_bytes);
    if (!denied.empty()) welcome += R"(,"denied":)" + denied + "}";
    welcome += from->welcome_fields();
    welcome.push_back('}');
    from->send(std::move(welcome));
  } else if (kind == protocol::kind::READY) {
    from->on_ready();
  } else {
    fault(errc::protocol_invalid,
          fmt::format("{}: unknown message kind `{}`", where, quoted_name(kind)));
  }
}

struct router::job {
  router* owner = nullptr;
  const entry* e = nullptr;
  std::uint64_t id = 0;
  std::string args;
  std::string headers;  // empty: none
  std::string bin;      // the `bin` list as JSON text; empty: none
  std::shared_ptr<const std::vector<bytes>> uploads;  // what came over the bulk lane
  std::shared_ptr<peer> from;
  std::shared_ptr<const acl::grants> grants;  // keeps the scope alive while the call runs
  std::atomic<bool> cancelled{false};
  std::chrono::steady_clock::time_point arrived{};  // set only while tracing
};

void router::handle_invoke(const message_fields& m, const std::shared_ptr<peer>& from,
                           job_list& jobs) {
  auto& session = detail::session_of(*from);
  auto it = commands_.find(m.cmd);
  const entry* e = it == commands_.end() ? nullptr : it->second.get();
  std::shared_ptr<const acl::grants> grants;
  std::shared_ptr<job> j;
  std::string refusal;
  errc refusal_code = errc::acl_denied;
  {
    std::lock_guard lock(session.mutex);
    if (session.closed) return;  // the page is gone; nobody would hear the answer
    if (policy_) {
      grants = session.grants;
      // Checked before anything else, so that a page learns nothing about commands it may
      // not call, and a page with no capability nothing at all. The page's verdict on each
      // registered command was worked out when it said hello: this is one array read.
      const bool allowed = grants && !grants->capabilities().empty() &&
                           (e == nullptr || (e->index < session.allowed.size() &&
                                             session.allowed[e->index] != 0));
      if (!allowed) {
        refusal = grants ? grants->denial(m.cmd)
                         : fmt::format("`{}` is not allowed: the page has not said hello",
                                       quoted_name(m.cmd));
      }
    }
    if (refusal.empty() && e != nullptr) {
      if (session.pending.size() >= options_.max_pending_per_page) {
        refusal_code = errc::limit_exceeded;
        refusal = fmt::format(
            "invoke {} refused: the page already has {} calls pending (limit "
            "max_pending_per_page)",
            m.id, session.pending.size());
      } else {
        auto [slot, inserted] = session.pending.try_emplace(m.id);
        if (!inserted) {
          auto why = fmt::format("invoke id {} is already in use by a pending call", m.id);
          from->send(fault_message(code_string(errc::protocol_invalid), why));
          from->on_rejected(why);
          return;
        }
        // One allocation per call: the job carries the arguments and the cancellation flag,
        // which the page's table and the handler's token share.
        j = std::make_shared<job>();
        slot->second.cancelled = std::shared_ptr<std::atomic<bool>>(j, &j->cancelled);
        session.max_invoke_id = std::max(session.max_invoke_id, m.id);
      }
    }
  }
  if (!refusal.empty()) {
    from->send(error_message(m.id, code_string(refusal_code), refusal));
    if (refusal_code == errc::acl_denied) {
      from->on_denied(m.cmd, refusal);
    } else {
      from->on_rejected(refusal);
    }
    return;
  }
  if (e == nullptr) {
    std::string hint;
    std::size_t best = 3;  // suggest only close names this page may call
    for (const auto& [name, other] : commands_) {
      if (grants && !grants->allows(name)) continue;
      auto dist = edit_distance(name, m.cmd);
      if (dist < best) {
        best = dist;
        hint = fmt::format("; did you mean `{}`?", name);
      }
    }
    auto why = fmt::format("no command named `{}` is registered{}", quoted_name(m.cmd), hint);
    from->send(error_message(m.id, code_string(errc::command_not_found), why));
    from->on_rejected(why);
    return;
  }
  j->owner = this;
  j->e = e;
  j->id = m.id;
  j->args.assign(m.args);
  if (m.headers != "{}") j->headers.assign(m.headers);
  if (!m.bin.empty()) {
    j->bin.assign(m.bin);
    j->uploads = *m.uploads;
  }
  j->from = from;
  j->grants = std::move(grants);
  if (trace_.invoke) [[unlikely]] j->arrived = std::chrono::steady_clock::now();
  in_flight_.fetch_add(1);
  jobs.push_back(std::move(j));
}

void router::dispatch(job_list& jobs) {
  if (jobs.empty()) return;
  std::vector<std::function<void()>> for_workers;
  for_workers.reserve(jobs.size());
  std::vector<std::shared_ptr<job>> for_main;
  for (auto& j : jobs) {
    if (j->e->main_thread) {
      for_main.push_back(std::move(j));
    } else {
      // Only the shared_ptr is captured: small enough for std::function to keep without
      // allocating.
      for_workers.push_back([j = std::move(j)] { j->owner->run(j); });
    }
  }
  jobs.clear();
  workers_->post_all(for_workers);
  // Batches arrive on the main thread, so main-thread calls run here, in order, after the
  // worker calls were queued.
  for (auto& j : for_main) main_->post([j = std::move(j)] { j->owner->run(j); });
}

namespace {
void append_uint(std::string& out, std::uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// Reads an invoke's `bin` list: `{"b64": text}` inline, or `{"lane": index}` for the index-th
// buffer that came with the batch over the bulk lane. Failures are recorded in `d` under `bin`.
bool read_attachments(std::string_view bin, const std::vector<bytes>* uploads,
                      std::vector<bytes>& out, json::decoder& d) {
  json::decoder bd(4);
  std::size_t index = 0;
  bool ok = json::read_document(bin, bd, [&](json::value& list, json::decoder& dd) {
    return list.for_each_element(dd, [&](json::value& item) {
      dd.push_key("bin");
      dd.push_index(index++);
      json::type t{};
      if (!item.get_type(t, dd)) return false;
      if (t != json::type::object) return dd.fail_type("an object ({\"b64\": text} or {\"lane\": index})", item);
      bool found = false;
      bool good = item.for_each_field(dd, [&](std::string_view key, json::value& v) {
        if (found) return dd.fail("an attachment names more than one source");
        if (key == "b64") {
          found = true;
          std::string_view text;
          if (!v.read(text, dd)) return false;
          std::vector<std::byte> data;
          if (!base64_decode(text, data)) return dd.fail("`b64` is not base64 text");
          out.emplace_back(std::move(data));
          return true;
        }
        if (key == "lane") {
          found = true;
          std::uint64_t k = 0;
          if (!v.read(k, dd)) return false;
          const std::size_t have = uploads != nullptr ? uploads->size() : 0;
          if (k >= have) {
            return dd.fail(fmt::format("names bulk-lane buffer {} but the batch came with {}", k,
                                       have));
          }
          out.push_back((*uploads)[k]);
          return true;
        }
        return v.skip(dd);
      });
      if (!good) return false;
      if (!found) return dd.fail("an attachment needs `b64` or `lane`");
      dd.pop();
      dd.pop();
      return true;
    });
  });
  if (!ok) d.fail(bd.message());
  return ok;
}
}  // namespace

void router::run(const std::shared_ptr<job>& jp) {
  job& j = *jp;
  const entry& e = *j.e;
  const std::shared_ptr<peer>& from = j.from;
  const cancel_token token(std::shared_ptr<std::atomic<bool>>(jp, &j.cancelled));
  std::string out;
  std::vector<bytes> out_bin;
  detail::outcome result;
  const auto started =
      trace_.invoke ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  if (!j.cancelled.load(std::memory_order_relaxed)) {
    out.reserve(64);
    out.append(R"({"k":"result","id":)");
    append_uint(out, j.id);
    out.append(R"(,"ok":)");
    const std::size_t prefix = out.size();
    json::decoder dec(options_.max_depth);
    const std::string_view headers = j.headers.empty() ? std::string_view("{}") : j.headers;
    std::vector<bytes> attachments;
    bool parsed = true;
    if (!j.bin.empty()) {
      parsed = read_attachments(j.bin, j.uploads.get(), attachments, dec);
      dec.set_attachments(&attachments);
    }
    parsed = parsed && json::read_document(j.args, dec, [&](json::value& v, json::decoder& dd) {
      request req(j.id, e.name, from->caller(), headers);
      detail::call c{v, dd, req, out, from, *this, token,
                     j.grants.get(),
                     options_.max_channels_per_page, &out_bin};
      result = e.fn(c);
      return true;
    });
    // The arguments' buffers are released before the answer leaves.
    attachments = {};
    j.uploads.reset();
    if (!parsed) {
      result = detail::outcome{false, std::string(code_string(errc::args_invalid)), {}, {}};
    }
    if (result.ok) {
      out.push_back('}');
    } else {
      out.resize(prefix);
      if (result.code == code_string(errc::args_invalid) && result.message.empty()) {
        std::string data;
        json::writer w(data);
        w.begin_object();
        w.key("key");
        w.string(dec.where());
        if (!dec.expected().empty()) {
          w.key("expected");
          w.string(dec.expected());
          w.key("got");
          w.string(dec.got());
        }
        w.end_object();
        result.message =
            fmt::format("invalid arguments for command `{}`: {}", e.name, dec.message());
        result.data = w.ok() ? data : std::string();
      }
      out = error_message(j.id, result.code, result.message, result.data);
      out_bin.clear();
    }
  }
  const auto finished =
      trace_.invoke ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  const std::size_t answer_bytes = out.size();  // `out` is moved away below
  bool answer = false;
  {
    auto& s = detail::session_of(*from);
    std::lock_guard lock(s.mutex);
    s.pending.erase(j.id);
    // A cancelled call is not answered: the page already rejected its promise.
    answer = !s.closed && !j.cancelled.load(std::memory_order_relaxed);
  }
  if (answer) {
    if (out_bin.empty()) {
      from->send(std::move(out));
    } else {
      from->send_binary(std::move(out), std::move(out_bin));
    }
  }
  if (trace_.invoke) [[unlikely]] {
    trace_.invoke(invoke_trace{from->caller(), e.name, j.id, j.args.size(), answer_bytes,
                               started - j.arrived, finished - started,
                               result.ok ? std::string_view() : std::string_view(result.code),
                               answer});
  }
  in_flight_.fetch_sub(1);
}

// ---------------------------------------------------------------------------------------------
// pages and events

bool is_valid_event_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 128) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '/' || c == ':' || c == '_';
  });
}

void router::register_page(const std::shared_ptr<peer>& page) {
  std::lock_guard lock(pages_mutex_);
  std::erase_if(pages_, [&](const std::weak_ptr<peer>& w) {
    auto p = w.lock();
    return !p || p == page || p->closed();
  });
  pages_.push_back(page);
}

std::vector<std::shared_ptr<peer>> router::live_pages() {
  std::vector<std::shared_ptr<peer>> out;
  std::lock_guard lock(pages_mutex_);
  out.reserve(pages_.size());
  std::erase_if(pages_, [&](const std::weak_ptr<peer>& w) {
    auto p = w.lock();
    if (!p || p->closed()) return true;
    out.push_back(std::move(p));
    return false;
  });
  return out;
}

void router::close_page(const std::shared_ptr<peer>& page) {
  page->close();
  std::lock_guard lock(pages_mutex_);
  std::erase_if(pages_, [&](const std::weak_ptr<peer>& w) {
    auto p = w.lock();
    return !p || p == page;
  });
}

namespace {
std::string event_message(std::string_view event, std::uint64_t id, std::string_view payload) {
  std::string out = R"({"k":"event","event":)";
  json::write_string(out, event);  // validated names are ASCII
  fmt::format_to(std::back_inserter(out), R"(,"id":{},"payload":)", id);
  out += payload;
  out.push_back('}');
  return out;
}

bool page_listens(peer& p, std::string_view event) {
  auto& s = detail::session_of(p);
  std::lock_guard lock(s.mutex);
  return !s.closed && s.listening.find(event) != s.listening.end();
}
}  // namespace

void router::emit_json(std::string_view target, std::string_view event,
                       std::string_view payload_json, std::string_view source) {
  if (!is_valid_event_name(event)) {
    throw std::invalid_argument(fmt::format(
        "myapp: `{}` is not a valid event name: use 1 to 128 characters from [A-Za-z0-9-/:_]",
        quoted_name(event)));
  }
  if (!target.empty() && !json::is_valid_utf8(target)) {
    throw std::invalid_argument("myapp: an event target must be valid UTF-8");
  }
  const std::uint64_t id = next_event_.fetch_add(1);
  const std::string message = event_message(event, id, payload_json);
  for (const auto& p : live_pages()) {
    if (!target.empty() && p->caller().label != target) continue;
    if (page_listens(*p, event)) p->send(message);
  }

  // C++ listeners, called outside the lock so that they may listen and unlisten themselves.
  std::vector<std::shared_ptr<std::function<void(const myapp::event&)>>> calls;
  {
    std::lock_guard lock(listeners_mutex_);
    std::erase_if(listeners_, [&](const listener& l) {
      if (l.event != event) return false;
      bool match = false;
      if (!l.target) {
        match = target.empty();
      } else {
        match = *l.target == "*" || (!target.empty() && *l.target == target);
      }
      if (!match) return false;
      calls.push_back(l.fn);
      return l.once;
    });
  }
  if (calls.empty()) return;
  myapp::event ev{std::string(event), id, std::string(payload_json), std::string(source),
                  std::string(target)};
  for (const auto& fn : calls) (*fn)(ev);
}

bool router::emit_to_page(const std::shared_ptr<peer>& page, std::string_view event,
                          std::string_view payload_json) {
  if (!is_valid_event_name(event)) {
    throw std::invalid_argument(fmt::format("myapp: `{}` is not a valid event name",
                                            quoted_name(event)));
  }
  if (!page || !page_listens(*page, event)) return false;
  page->send(event_message(event, next_event_.fetch_add(1), payload_json));
  return true;
}

listener_id router::listen(std::string_view event, std::function<void(const myapp::event&)> fn,
                           listen_options options) {
  if (!is_valid_event_name(event)) {
    throw std::invalid_argument(fmt::format("myapp: `{}` is not a valid event name",
                                            quoted_name(event)));
  }
  auto id = next_listener_.fetch_add(1);
  std::lock_guard lock(listeners_mutex_);
  listeners_.push_back(listener{id, std::string(event), std::move(options.target), false,
                                std::make_shared<std::function<void(const myapp::event&)>>(
                                    std::move(fn))});
  return id;
}

listener_id router::once(std::string_view event, std::function<void(const myapp::event&)> fn,
                         listen_options options) {
  auto id = listen(event, std::move(fn), std::move(options));
  std::lock_guard lock(listeners_mutex_);
  for (auto& l : listeners_) {
    if (l.id == id) l.once = true;
  }
  return id;
}

bool router::unlisten(listener_id id) {
  std::lock_guard lock(listeners_mutex_);
  return std::erase_if(listeners_, [&](const listener& l) { return l.id == id; }) > 0;
}

void router::set_policy(std::shared_ptr<const acl::policy> p) { policy_ = std::move(p); }

router_stats router::stats() const {
  router_stats st;
  st.in_flight = in_flight_.load();
  {
    std::lock_guard lock(pages_mutex_);
    for (const auto& w : pages_) {
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
  st.listeners = listeners_.size();
  return st;
}

// ---------------------------------------------------------------------------------------------
// webview

std::string webview::label() const {
  auto p = page_.lock();
  return p ? p->caller().label : std::string();
}

std::string webview::url() const {
  auto p = page_.lock();
  return p ? p->caller().url : std::string();
}

bool webview::emit_json(std::string_view event, std::string_view payload_json) const {
  return router_->emit_to_page(page_.lock(), event, payload_json);
}

}  // namespace myapp
