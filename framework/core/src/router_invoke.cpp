// Invokes: the capability check, the page's table of pending calls, dispatch to the worker
// pool or the main thread, and running a handler up to its answer.
#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "router_impl.hpp"
#include "text.hpp"

namespace myapp {

using detail::quoted_name;

namespace {
// The bytes of the bulk-lane buffers an invoke's `bin` list names ({"lane": k}), read from its
// text before it is parsed: a name that is not there counts nothing (the parse refuses it), and
// one named twice counts twice.
std::size_t lane_bytes(std::string_view bin, const std::vector<bytes>* uploads) {
  if (uploads == nullptr || uploads->empty()) return 0;
  constexpr std::string_view KEY = R"("lane")";
  std::size_t n = 0;
  for (auto at = bin.find(KEY); at != std::string_view::npos; at = bin.find(KEY, at + KEY.size())) {
    std::size_t p = at + KEY.size();
    while (p < bin.size() && (bin[p] == ' ' || bin[p] == ':' || bin[p] == '\t' || bin[p] == '\n' ||
                              bin[p] == '\r')) {
      ++p;
    }
    std::size_t k = 0;
    std::size_t digits = 0;
    while (p < bin.size() && digits < 18 && bin[p] >= '0' && bin[p] <= '9') {
      k = k * 10 + static_cast<std::size_t>(bin[p++] - '0');
      ++digits;
    }
    if (digits > 0 && k < uploads->size()) n += (*uploads)[k].size();
  }
  return n;
}
}  // namespace

void router::handle(const wire::in::invoke& m, batch& b) {
  const auto& from = b.from;
  auto& st = b.state();
  auto it = commands_.find(m.cmd);
  const entry* e = it == commands_.end() ? nullptr : it->second.get();
  std::shared_ptr<const acl::grants> grants;
  std::shared_ptr<job> j;
  std::string refusal;
  errc refusal_code = errc::acl_denied;
  {
    std::lock_guard lock(st.mutex);
    if (st.closed) return;  // the page is gone; nobody would hear the answer
    if (policy_) {
      grants = st.grants;
      // Checked before anything else, so that a page learns nothing about commands it may
      // not call, and a page with no capability nothing at all. The page's verdict on each
      // registered command was worked out when it said hello: this is one array read.
      const bool allowed = grants && !grants->capabilities().empty() &&
                           (e == nullptr || (e->index < st.allowed.size() &&
                                             st.allowed[e->index] != 0));
      if (!allowed) {
        refusal = grants ? grants->denial(m.cmd)
                         : fmt::format("`{}` is not allowed: the page has not said hello",
                                       quoted_name(m.cmd));
      }
    }
    if (refusal.empty() && e != nullptr) {
      const std::size_t held = m.args.size() + m.headers.size() + m.bin.size() +
                               lane_bytes(m.bin, b.uploads.get());
      if (st.pending.size() >= options_.max_pending_per_page) {
        refusal_code = errc::limit_exceeded;
        refusal = fmt::format(
            "invoke {} refused: the page already has {} calls pending (limit "
            "max_pending_per_page)",
            m.id, st.pending.size());
      } else if (const std::size_t max = options_.max_pending_bytes_per_page;
                 held > max - std::min(st.pending_bytes, max)) {
        refusal_code = errc::limit_exceeded;
        refusal = fmt::format(
            "invoke {} refused: the page's pending calls hold {} bytes and this one would add {}, "
            "past the limit of {} bytes (max_pending_bytes_per_page); wait for calls that carry "
            "large data to finish before starting more",
            m.id, st.pending_bytes, held, options_.max_pending_bytes_per_page);
      } else {
        auto [slot, inserted] = st.pending.try_emplace(m.id);
        if (!inserted) {
          b.fault(errc::protocol_invalid,
                  fmt::format("invoke id {} is already in use by a pending call", m.id));
          return;
        }
        // One allocation per call: the job carries the arguments and the cancellation flag,
        // which the page's table and the handler's token share.
        j = std::make_shared<job>();
        slot->second.cancelled = std::shared_ptr<detail::cancel_state>(j, &j->cancel);
        slot->second.bytes = held;
        st.pending_bytes += held;
        st.max_invoke_id = std::max(st.max_invoke_id, m.id);
      }
    }
  }
  if (!refusal.empty()) {
    from->send(wire::error(m.id, code_string(refusal_code), refusal));
    if (refusal_code == errc::acl_denied) {
      if (tracing() && trace_.denied) [[unlikely]] {
        trace_.denied(denial_trace{from->caller(), m.cmd, m.id, refusal, grants.get()});
      }
      from->on_denied(m.cmd, refusal);
    } else {
      from->on_rejected(refusal);
    }
    return;
  }
  if (e == nullptr) {
    std::string hint;
    // Suggest only close names this page may call.
    if (auto near = detail::closest(m.cmd, commands_, [&](std::string_view name, std::size_t d) {
          return d < 3 && (!grants || grants->allows(name));
        })) {
      hint = fmt::format("; did you mean `{}`?", *near);
    }
    auto why = fmt::format("no command named `{}` is registered{}", quoted_name(m.cmd), hint);
    from->send(wire::error(m.id, code_string(errc::command_not_found), why));
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
    j->uploads = b.uploads;
  }
  j->body = m.body;
  j->from = from;
  j->grants = std::move(grants);
  if (tracing() && trace_.invoke) [[unlikely]] j->arrived = std::chrono::steady_clock::now();
  in_flight_.fetch_add(1);
  b.jobs.push_back(std::move(j));
}

std::size_t router::dispatch(std::vector<std::shared_ptr<job>>& jobs) {
  if (jobs.empty()) return 0;
  std::vector<std::shared_ptr<job>> for_main;
  std::vector<std::shared_ptr<job>> for_workers;
  for_workers.reserve(jobs.size());
  for (auto& j : jobs) {
    (j->e->main_thread ? for_main : for_workers).push_back(std::move(j));
  }
  jobs.clear();
  const std::size_t to_workers = for_workers.size();
  if (!for_workers.empty()) {
    // The jobs wait in their session's queue; each worker task runs the next one in turn, so
    // that pages share the workers whatever the order their batches came in.
    std::vector<std::function<void()>> turns(for_workers.size(), [this] {
      if (auto j = waiting_->pop()) {
        const std::shared_ptr<session> from = j->from;  // the key stays this session's
        run(j);
        waiting_->finished(from.get());
      }
    });
    waiting_->push(for_workers);
    workers_->post_all(turns);
  }
  // Batches arrive on the main thread, so main-thread calls run here, in order, after the
  // worker calls were queued.
  for (auto& j : for_main) main_->post([j = std::move(j)] { j->owner->run(j); });
  return to_workers;
}

namespace {

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

namespace {

// Reads the invoke's `headers` (an object of strings) into `out`; a failure is recorded in `d`
// under `headers.<name>`.
bool read_headers(std::string_view text, header_map& out, json::decoder& d) {
  std::vector<std::pair<std::string, std::string>> entries;
  const bool ok = json::read_document(text, d, [&](json::value& v, json::decoder& dd) {
    dd.push_key("headers");
    const bool all = v.for_each_field(dd, [&](std::string_view name, json::value& value) {
      dd.push_key(name);
      std::string text_value;
      if (!value.read(text_value, dd)) return false;
      entries.emplace_back(std::string(name), std::move(text_value));
      dd.pop();
      return true;
    });
    dd.pop();
    return all;
  });
  if (ok) out = header_map(std::move(entries));
  return ok;
}

// True when `args` (an object's JSON text) has no key.
bool empty_object(std::string_view args) {
  for (char c : args) {
    if (c != '{' && c != '}' && c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

// The body rule of a command: a raw body where the command takes one, JSON arguments elsewhere.
bool check_body(detail::body_rule rule, bool has_body, std::string_view args, json::decoder& d) {
  if (has_body && rule == detail::body_rule::json) {
    return d.fail_value("JSON arguments (an object)", "a raw body");
  }
  if (!has_body && rule == detail::body_rule::raw && !empty_object(args)) {
    return d.fail_value("a raw body: invoke(cmd, bytes, { headers })", "JSON arguments");
  }
  return true;
}
}  // namespace

void router::run(const std::shared_ptr<job>& jp) {
  job& j = *jp;
  const entry& e = *j.e;
  const std::shared_ptr<session>& from = j.from;
  if (tracing() && trace_.invoke) [[unlikely]] j.started = std::chrono::steady_clock::now();
  if (j.cancel.cancelled()) {
    deliver(jp, {}, {}, {});  // the page gave up on it before it started: no answer
    return;
  }
  {
    std::lock_guard lock(running_mutex_);
    running_.insert(&j);
  }
  const cancel_token token(std::shared_ptr<detail::cancel_state>(jp, &j.cancel));
  std::string out;
  std::vector<bytes> out_bin;
  detail::outcome result;
  out.reserve(64);
  wire::result_prefix(out, j.id);
  const std::size_t prefix = out.size();
  json::decoder dec(options_.max_depth);
  bool parsed = true;
  if (!j.bin.empty()) {
    parsed = read_attachments(j.bin, j.uploads.get(), j.attachments, dec);
    dec.set_attachments(&j.attachments);
    // Long strings sent beside the JSON count against the limit the JSON text has.
    dec.set_text_limit(options_.max_batch_bytes > j.args.size() ? options_.max_batch_bytes - j.args.size() : 0);
  }
  const bytes* body = nullptr;
  if (parsed && j.body) {
    if (*j.body < j.attachments.size()) {
      body = &j.attachments[*j.body];
    } else {
      parsed = dec.fail(fmt::format("`body` names attachment {} but the invoke has {}", *j.body,
                                    j.attachments.size()));
    }
  }
  if (parsed && !j.headers.empty()) parsed = read_headers(j.headers, j.header_values, dec);
  parsed = parsed && check_body(e.body, body != nullptr, j.args, dec);
  std::optional<detail::task_context> context;
  if (parsed && e.coroutine) context = make_task_context(std::shared_ptr<detail::cancel_state>(jp, &j.cancel));
  if (parsed) {
    j.req.emplace(j.id, e.name, from->caller(),
                  j.headers.empty() ? std::string_view("{}") : std::string_view(j.headers),
                  &j.header_values, body);
    parsed = json::read_document(j.args, dec, [&](json::value& v, json::decoder& dd) {
      detail::call c{v, dd, *j.req, out, from, *this, token, j.grants.get(),
                     options_.max_channels_per_page, options_.max_message_to_page, &out_bin,
                     [this, jp](detail::outcome o, std::string value, std::vector<bytes> bin) {
                       std::string answer;
                       answer.reserve(32 + value.size());
                       wire::result_prefix(answer, jp->id);
                       answer += value;
                       deliver(jp, std::move(o), std::move(answer), std::move(bin));
                     },
                     context ? &*context : nullptr};
      result = e.fn(c);
      return true;
    });
  }
  if (!parsed) result = detail::outcome::failed(errc::args_invalid);
  if (!result.ok && !result.is_value && result.message.empty() && dec.over_limit()) {
    result = detail::outcome::failed(
        errc::limit_exceeded, fmt::format("command `{}`: {} ({} bytes, router_options::max_batch_bytes)",
                                          e.name, dec.message(), options_.max_batch_bytes));
  }
  if (result.pending) return;  // a coroutine: it answers when it completes
  if (!result.ok && !result.is_value && result.code == code_string(errc::args_invalid) &&
      result.message.empty()) {
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
    result.message = fmt::format("invalid arguments for command `{}`: {}", e.name, dec.message());
    result.data = w.ok() ? data : std::string();
  }
  if (!result.ok) out.resize(prefix);
  deliver(jp, std::move(result), std::move(out), std::move(out_bin));
}

void router::deliver(const std::shared_ptr<job>& jp, detail::outcome result, std::string out,
                     std::vector<bytes> out_bin) {
  job& j = *jp;
  const std::shared_ptr<session>& from = j.from;
  // The arguments' buffers are released before the answer leaves.
  j.req.reset();
  j.attachments = {};
  j.uploads.reset();
  const bool ran = !out.empty();
  if (ran) {
    if (result.ok) {
      wire::close_message(out);
    } else {
      out = result.is_value ? wire::rejection(j.id, result.value_json)
                            : wire::error(j.id, result.code, result.message, result.data);
      out_bin.clear();
    }
    const std::size_t text = wire::text_bytes(out, out_bin);
    if (out.size() + text > options_.max_message_to_page) {
      // The page would fail to read it (V8's string limit) and the call would never settle.
      const auto size = out.size() + text;
      result = detail::outcome::failed(
          errc::limit_exceeded,
          fmt::format("the answer of command `{}` is {} bytes of JSON, more than a page can read "
                      "({} bytes, router_options::max_message_to_page): return myapp::bytes, or "
                      "stream it through a channel",
                      j.e->name, size, options_.max_message_to_page));
      out = wire::error(j.id, result.code, result.message);
      out_bin.clear();
    }
    std::lock_guard lock(running_mutex_);
    running_.erase(&j);
  }
  const auto finished =
      tracing() && trace_.invoke ? std::chrono::steady_clock::now()
                                 : std::chrono::steady_clock::time_point{};
  const std::size_t answer_bytes = out.size();  // `out` is moved away below
  bool answer = false;
  {
    auto& s = detail::state_of(*from);
    std::lock_guard lock(s.mutex);
    if (auto it = s.pending.find(j.id); it != s.pending.end()) {
      s.pending_bytes -= std::min(s.pending_bytes, it->second.bytes);
      s.pending.erase(it);
    }
    // A cancelled call is not answered: the page already rejected its promise.
    answer = ran && !s.closed && !j.cancel.cancelled();
  }
  if (answer) {
    if (out_bin.empty()) {
      from->send(std::move(out));
    } else {
      from->send_binary(std::move(out), std::move(out_bin));
    }
  }
  if (tracing() && trace_.invoke && finished != std::chrono::steady_clock::time_point{}) [[unlikely]] {
    // Turned on while the call ran: no start or arrival seen counts as now.
    const auto started = ran && j.started != std::chrono::steady_clock::time_point{} ? j.started : finished;
    const auto arrived = j.arrived != std::chrono::steady_clock::time_point{} ? j.arrived : started;
    std::string_view code;
    if (!result.ok) code = result.is_value ? std::string_view("(value)") : std::string_view(result.code);
    trace_.invoke(invoke_trace{from->caller(), j.e->name, j.id, j.args.size(), answer_bytes,
                               started - arrived, finished - started, code, answer,
                               j.grants.get()});
  }
  in_flight_.fetch_sub(1);
}

std::vector<std::string> router::shutdown(std::chrono::milliseconds grace) {
  for (const auto& s : live_sessions()) s->close();
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (in_flight_.load() != 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::vector<std::string> still;
  std::lock_guard lock(running_mutex_);
  for (const job* j : running_) {
    still.push_back(fmt::format("`{}` (window `{}`)", j->e->name, j->from->caller().label));
  }
  std::sort(still.begin(), still.end());
  return still;
}

}  // namespace myapp
