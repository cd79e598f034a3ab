// The IPC inspector: the hub that turns messages into rows, its window, its page's files and
// its commands (inspector.hpp, docs/inspector.md).
#include "inspector.hpp"

#include <QBuffer>
#include <QCloseEvent>
#include <QTimer>
#include <QUrl>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineUrlRequestJob>
#include <QWebEngineUrlSchemeHandler>
#include <QWebEngineView>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <variant>

#include "dev_reload.hpp"
#include "inspector_files.hpp"
#include "isolation.hpp"
#include "log.hpp"
#include "myapp/acl.hpp"
#include "myapp/app.hpp"
#include "myapp/plugin.hpp"
#include "myapp/recording.hpp"
#include "myapp/router.hpp"
#include "plugin_impl.hpp"
#include "scheme.hpp"
#include "windows.hpp"

namespace myapp::runtime {

namespace {

std::atomic<inspector_hub*> the_hub{nullptr};
inspector_window* the_window = nullptr;  // GUI thread

bool env_flag(const char* name, bool& out) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return false;
  const std::string_view s(v);
  if (s == "1" || s == "0") {
    out = s == "1";
    return true;
  }
  log()->warn("{}={} is neither 1 nor 0; ignoring it", name, s);
  return false;
}

// What a message to a page is about, read from its first keys as wire.cpp writes them.
struct out_fields {
  std::string_view kind;
  std::string_view event;
  std::string_view code;
};

// The string value after `key` (`"event":"`) in `text`, up to its closing quote (names and
// codes have no escapes); empty when absent.
std::string_view string_after(std::string_view text, std::string_view key, std::size_t from = 0) {
  const auto at = text.find(key, from);
  if (at == std::string_view::npos) return {};
  const auto begin = at + key.size();
  const auto end = text.find('"', begin);
  if (end == std::string_view::npos) return {};
  return text.substr(begin, end - begin);
}

out_fields read_out(std::string_view m) {
  out_fields f;
  constexpr std::string_view head = R"({"k":")";
  if (!m.starts_with(head)) return f;
  const auto end = m.find('"', head.size());
  if (end == std::string_view::npos) return f;
  f.kind = m.substr(head.size(), end - head.size());
  // Only the first bytes: a name or a code comes before any value.
  const std::string_view start = m.substr(0, 512);
  if (f.kind == "event") f.event = string_after(start, R"("event":")");
  if (f.kind == "error" || f.kind == "fault") {
    f.code = string_after(start, R"("code":")");
    if (f.code.empty() && f.kind == "error") f.code = "(value)";
  }
  return f;
}

// `text` cut to at most `n` bytes on a UTF-8 character boundary.
std::string_view cut_utf8(std::string_view text, std::size_t n) {
  if (text.size() <= n) return text;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return text.substr(0, n);
}

// The JSON text of a message from a page, as the page wrote it (keys in the protocol's order).
std::string message_json(const wire::incoming& m) {
  std::string out;
  json::writer w(out);
  w.begin_object();
  w.key("k");
  w.string(wire::kind_of(m));
  std::visit(
      [&](const auto& msg) {
        using T = std::decay_t<decltype(msg)>;
        if constexpr (std::is_same_v<T, wire::in::hello>) {
          if (msg.version) {
            w.key("v");
            w.number(*msg.version);
          }
        } else if constexpr (std::is_same_v<T, wire::in::invoke>) {
          w.key("id");
          w.number(msg.id);
          w.key("cmd");
          w.string(msg.cmd);
          if (msg.body) {
            w.key("body");
            w.number(*msg.body);
          } else {
            w.key("args");
            w.raw(msg.args);
          }
          if (msg.headers != "{}") {
            w.key("headers");
            w.raw(msg.headers);
          }
          if (!msg.bin.empty()) {
            w.key("bin");
            w.raw(msg.bin);
          }
        } else if constexpr (std::is_same_v<T, wire::in::cancel>) {
          w.key("id");
          w.number(msg.id);
        } else if constexpr (std::is_same_v<T, wire::in::listen> ||
                             std::is_same_v<T, wire::in::unlisten>) {
          w.key("event");
          w.string(msg.event);
        } else if constexpr (std::is_same_v<T, wire::in::emit_event>) {
          w.key("event");
          w.string(msg.event);
          w.key("payload");
          w.raw(msg.payload);
          if (msg.target) {
            w.key("target");
            w.string(*msg.target);
          }
        } else if constexpr (std::is_same_v<T, wire::in::credit>) {
          w.key("ch");
          w.number(msg.channel);
          w.key("n");
          w.number(msg.n);
        } else if constexpr (std::is_same_v<T, wire::in::lost>) {
          // A blob's token lets a page fetch it: never shown.
          w.key("blob");
          w.string("(token)");
        }
      },
      m);
  w.end_object();
  return out;
}

double micros(std::chrono::nanoseconds d) { return std::chrono::duration<double, std::micro>(d).count(); }

}  // namespace

bool inspector_enabled(const std::optional<bool>& option, const std::optional<bool>& config_key) {
  if (bool v = false; env_flag("MYAPP_INSPECTOR", v)) return v;
  if (option) return *option;
  if (config_key) return *config_key;
  return dev_url().isValid() || !dev_frontend().isEmpty();
}

bool inspector_requested() {
  const char* v = std::getenv("MYAPP_INSPECT");
  return v != nullptr && std::string_view(v) == "1";
}

inspector_hub* inspector() { return the_hub.load(std::memory_order_acquire); }

void set_inspector(inspector_hub* hub) { the_hub.store(hub, std::memory_order_release); }

// ---------------------------------------------------------------------------------------------
// The hub

inspector_hub::inspector_hub(std::string app_name) : app_name_(std::move(app_name)) {}

void inspector_hub::attach(router& r, bool always_traced) noexcept {
  router_ = &r;
  always_traced_ = always_traced;
  r.set_trace_active(always_traced_ || watching());
}

void inspector_hub::set_watching(bool on) noexcept {
  watching_.store(on, std::memory_order_relaxed);
  if (router_ != nullptr) router_->set_trace_active(on || always_traced_);
}

router_trace inspector_hub::trace(router_trace inner) {
  router_trace t;
  t.batch = std::move(inner.batch);
  t.message = [this, next = std::move(inner.message)](const message_trace& m) {
    if (next) next(m);
    if (watching()) message_in(m);
  };
  t.invoke = [this, next = std::move(inner.invoke)](const invoke_trace& i) {
    if (next) next(i);
    if (watching()) invoke_done(i);
  };
  t.denied = [this, next = std::move(inner.denied)](const denial_trace& d) {
    if (next) next(d);
    if (watching()) denied(d);
  };
  return t;
}

inspector_hub::command_stats& inspector_hub::stat(std::string_view command) {
  auto it = stats_.find(command);
  if (it == stats_.end()) it = stats_.emplace(std::string(command), command_stats{}).first;
  return it->second;
}

std::shared_ptr<const caller_info> inspector_hub::who(const caller_info& c) {
  auto& slot = callers_[c.page_load];
  if (!slot || slot->label != c.label || slot->url != c.url) slot = std::make_shared<caller_info>(c);
  return slot;
}

inspector_hub::row* inspector_hub::add_row(const caller_info& c, bool in, std::string_view kind,
                                           std::size_t json_size) {
  if (budget_rows_ == 0) {
    auto it = skipped_.find(kind);
    if (it == skipped_.end()) it = skipped_.emplace(std::string(kind), 0).first;
    ++it->second;
    ++skipped_total_;
    skipped_dirty_ = true;
    return nullptr;
  }
  --budget_rows_;
  auto& r = rows_.emplace_back();
  r.seq = next_seq_++;
  r.t_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
  r.session = c.page_load;
  r.who = who(c);
  r.in = in;
  r.kind = std::string(kind);
  r.size = json_size;
  while (rows_.size() > MAX_ROWS) rows_.pop_front();
  return &r;
}

void inspector_hub::keep_attachment(row& r, row::attachment& a, std::span<const std::byte> data) {
  const std::size_t used = r.json.size() + std::accumulate(r.bin.begin(), r.bin.end(), std::size_t{0},
                                                           [](std::size_t n, const row::attachment& b) {
                                                             return n + (b.data ? b.data->size() : 0);
                                                           });
  if (r.truncated || used + data.size() > MAX_JSON || data.size() > budget_json_) return;
  std::string text(reinterpret_cast<const char*>(data.data()), data.size());
  // A string's text goes to the page as a JSON string: it must be UTF-8 (the wire checked it).
  if (a.text && !json::is_valid_utf8(text)) return;
  budget_json_ -= data.size();
  a.data = std::move(text);
}

void inspector_hub::keep_json(row& r, std::string json) {
  const std::size_t limit = budget_json_ >= MAX_JSON ? MAX_JSON : 1024;
  if (json.size() > limit) {
    json = std::string(cut_utf8(json, limit));
    r.truncated = true;
  }
  budget_json_ -= std::min(budget_json_, json.size());
  r.json = std::move(json);
}

inspector_hub::row* inspector_hub::find(std::uint64_t seq) {
  if (seq == 0 || rows_.empty() || seq < rows_.front().seq || seq > rows_.back().seq) return nullptr;
  return &rows_[seq - rows_.front().seq];
}

void inspector_hub::changed(const row& r) {
  if (r.seq <= sent_upto_) updated_.insert(r.seq);
}

void inspector_hub::message_in(const message_trace& m) {
  if (m.from.label == INSPECTOR_LABEL || m.message == nullptr) return;
  std::lock_guard lock(mutex_);
  // The JSON is rebuilt only for rows that are kept.
  const bool is_invoke = m.kind == "invoke";
  const std::size_t approx = m.bytes + m.name.size() + 40;
  row* r = add_row(m.from, true, m.kind, approx);
  if (r == nullptr) return;
  std::string json;
  if (is_invoke && m.bytes > MAX_JSON) {
    // Only the start of a large argument is kept: no need to copy all of it.
    const auto& inv = std::get<wire::in::invoke>(*m.message);
    wire::in::invoke head = inv;
    head.args = cut_utf8(inv.args, MAX_JSON);
    json = message_json(wire::incoming(head));
    r->truncated = true;
    r->size = json.size() - head.args.size() + inv.args.size();  // the whole message's
  } else {
    json = message_json(*m.message);
    r->size = json.size();
  }
  keep_json(*r, std::move(json));  // may cut it further; never clears `truncated`
  if (is_invoke && m.uploads != nullptr) {
    const auto& inv = std::get<wire::in::invoke>(*m.message);
    if (!inv.bin.empty()) keep_uploads(*r, inv, *m.uploads);
  }
  if (!m.name.empty()) r->name = std::string(m.name);
  if (m.id != 0) r->id = m.id;
  if (const auto* c = std::get_if<wire::in::credit>(m.message)) {
    r->ch = c->channel;
    r->name = fmt::format("channel {}", c->channel);
  }
  if (is_invoke) {
    r->status = "pending";
    auto& p = pending_[{m.from.page_load, m.id}];
    p = pending_call{r->seq, 0, std::string(m.name)};
    if (pending_.size() > 2 * MAX_ROWS) pending_.erase(pending_.begin());  // oldest page loads first
  }
  last_in_ = {m.from.page_load, r->seq};
}

void inspector_hub::message_out(const caller_info& to, std::string_view message,
                                std::span<const bytes> attachments) {
  if (to.label == INSPECTOR_LABEL) return;
  const out_fields f = read_out(message);
  const auto routing = wire::routing_of(message);
  // A call to a command that does not exist never reaches a handler: no invoke_done follows its
  // error, so its entry in the pending table goes with the error.
  const bool no_handler =
      routing.id && f.kind == "error" && f.code == code_string(errc::command_not_found);
  std::lock_guard lock(mutex_);
  row* r = add_row(to, false, f.kind.empty() ? std::string_view("message") : f.kind, message.size());
  if (r == nullptr) {
    if (no_handler) pending_.erase({to.page_load, *routing.id});
    return;
  }
  if (routing.id && (f.kind == "result" || f.kind == "error")) {
    r->id = routing.id;
    r->status = f.kind == "result" ? "ok" : "error";
    if (auto it = pending_.find({to.page_load, *routing.id}); it != pending_.end()) {
      it->second.out_seq = r->seq;
      r->name = it->second.command;
      if (row* call = find(it->second.in_seq)) {
        call->status = r->status;
        changed(*call);
      }
      if (no_handler) pending_.erase(it);
    }
  }
  std::optional<std::uint64_t> ch = routing.channel;
  if (!ch && f.kind == "chan_end") {
    // `{"k":"chan_end","ch":N,...}`
    const auto at = message.find(R"("ch":)");
    if (at != std::string_view::npos) ch = std::strtoull(message.data() + at + 5, nullptr, 10);
  }
  if (ch) {
    r->ch = ch;
    r->name = fmt::format("channel {}", *ch);
  }
  if (!f.event.empty()) r->name = std::string(f.event);
  if (!f.code.empty()) r->code = std::string(f.code);
  if (f.kind == "fault") r->status = "error";
  keep_json(*r, std::string(message.substr(0, MAX_JSON + 1)));
  if (!attachments.empty()) {
    const auto texts = wire::text_references(message);
    for (std::size_t i = 0; i < attachments.size(); ++i) {
      auto& a = r->bin.emplace_back();
      a.n = attachments[i].size();
      a.text = std::binary_search(texts.begin(), texts.end(), i);
      keep_attachment(*r, a, attachments[i].span());
    }
  }
}

void inspector_hub::keep_uploads(row& r, const wire::in::invoke& inv,
                                 const std::vector<bytes>& uploads) {
  // The invoke's `bin` list, in order: {"lane": k} names the batch's upload k; inline entries
  // ({"b64": ...}) are in the row's JSON already.
  std::vector<std::optional<std::uint64_t>> entries;
  json::decoder d(4);
  const bool ok = json::read_document(inv.bin, d, [&](json::value& list, json::decoder& dd) {
    return list.for_each_element(dd, [&](json::value& entry) {
      std::optional<std::uint64_t>& lane = entries.emplace_back();
      return entry.for_each_field(dd, [&](std::string_view key, json::value& v) {
        if (key != "lane") return v.skip(dd);
        std::uint64_t k = 0;
        if (!v.read(k, dd)) return false;
        lane = k;
        return true;
      });
    });
  });
  if (!ok) return;  // the router refused this invoke already, and said why
  const auto texts = wire::text_references(inv.args);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!entries[i] || *entries[i] >= uploads.size()) continue;
    const bytes& b = uploads[*entries[i]];
    auto& a = r.bin.emplace_back();
    a.n = b.size();
    a.lane = *entries[i];
    a.text = std::binary_search(texts.begin(), texts.end(), i);
    keep_attachment(r, a, b.span());
  }
}

void inspector_hub::invoke_done(const invoke_trace& i) {
  if (i.from.label == INSPECTOR_LABEL) return;
  std::lock_guard lock(mutex_);
  auto& s = stat(i.command);
  ++s.calls;
  if (!i.error_code.empty()) ++s.errors;
  const double h = micros(i.handler);
  const double q = micros(i.queued);
  s.handler_us_total += h;
  s.queued_us_total += q;
  s.handler_us_max = std::max(s.handler_us_max, h);
  stats_dirty_ = true;
  auto it = pending_.find({i.from.page_load, i.id});
  if (it == pending_.end()) return;  // its row was sampled away
  std::optional<acl_info> acl;
  if (i.grants != nullptr) {
    const auto d = i.grants->decide(i.command);
    acl = acl_info{d.allowed, std::string(d.capability), std::string(d.file), d.permission, {}};
  }
  for (const std::uint64_t seq : {it->second.in_seq, it->second.out_seq}) {
    row* r = find(seq);
    if (r == nullptr) continue;
    r->queued_us = q;
    r->handler_us = h;
    if (!i.answered) {
      r->status = "cancelled";
    } else if (!i.error_code.empty()) {
      r->status = "error";
      if (r->code.empty()) r->code = std::string(i.error_code);
    } else {
      r->status = "ok";
    }
    r->acl = acl;
    changed(*r);
  }
  pending_.erase(it);
}

void inspector_hub::denied(const denial_trace& d) {
  if (d.from.label == INSPECTOR_LABEL) return;
  std::lock_guard lock(mutex_);
  acl_info acl;
  acl.allowed = false;
  acl.why = std::string(d.why);
  if (d.grants != nullptr) {
    const auto dec = d.grants->decide(d.command);
    acl.capability = std::string(dec.capability);
    acl.file = std::string(dec.file);
    acl.permission = dec.permission;
  }
  ++stat(d.command).denied;
  stats_dirty_ = true;
  std::vector<std::uint64_t> seqs;
  if (d.id != 0) {
    if (auto it = pending_.find({d.from.page_load, d.id}); it != pending_.end()) {
      seqs = {it->second.in_seq, it->second.out_seq};
      pending_.erase(it);
    }
  } else if (last_in_.first == d.from.page_load) {
    seqs = {last_in_.second};  // the listen or emit just read
  }
  for (const auto seq : seqs) {
    if (row* r = find(seq)) {
      r->status = "denied";
      r->code = "acl.denied";
      r->acl = acl;
      changed(*r);
    }
  }
}

void inspector_hub::write_row(json::writer& w, const row& r, bool full) {
  w.begin_object();
  w.key("seq");
  w.number(r.seq);
  if (full) {
    w.key("t");
    w.number(std::round(r.t_ms * 1000) / 1000);
    w.key("window");
    w.string(r.who->label);
    w.key("url");
    w.string(r.who->url);
    w.key("origin");
    w.string(r.who->origin);
    w.key("local");
    w.boolean(r.who->local);
    w.key("session");
    w.number(r.session);
    w.key("dir");
    w.string(r.in ? "in" : "out");
    w.key("kind");
    w.string(r.kind);
    if (!r.name.empty()) {
      w.key("name");
      w.string(r.name);
    }
    if (r.id) {
      w.key("id");
      w.number(*r.id);
    }
    if (r.ch) {
      w.key("ch");
      w.number(*r.ch);
    }
    w.key("size");
    w.number(r.size);
    w.key("json");
    w.string(r.json);
    if (r.truncated) {
      w.key("truncated");
      w.boolean(true);
    }
    if (!r.bin.empty()) {
      w.key("bin");
      w.begin_array();
      for (const auto& a : r.bin) w.number(a.n);
      w.end_array();
      // What each attachment was and, when kept, held: the export writes them into the
      // recording, the detail pane shows them.
      w.key("att");
      w.begin_array();
      for (const auto& a : r.bin) {
        w.begin_object();
        w.key("n");
        w.number(a.n);
        if (a.lane) {
          w.key("lane");
          w.number(*a.lane);
        }
        if (a.text) {
          w.key("str");
          w.boolean(true);
        }
        if (a.data) {
          if (a.text) {
            w.key("text");
            w.string(*a.data);
          } else {
            w.key("b64");
            w.string(base64_encode(std::as_bytes(std::span(*a.data))));
          }
        }
        w.end_object();
      }
      w.end_array();
    }
  }
  if (!r.status.empty()) {
    w.key("status");
    w.string(r.status);
  }
  if (!r.code.empty()) {
    w.key("code");
    w.string(r.code);
  }
  if (r.queued_us) {
    w.key("queued_us");
    w.number(std::round(*r.queued_us * 10) / 10);
  }
  if (r.handler_us) {
    w.key("handler_us");
    w.number(std::round(*r.handler_us * 10) / 10);
  }
  if (r.acl) {
    w.key("acl");
    w.begin_object();
    w.key("allowed");
    w.boolean(r.acl->allowed);
    w.key("capability");
    w.string(r.acl->capability);
    w.key("file");
    w.string(r.acl->file);
    w.key("permission");
    w.string(r.acl->permission);
    if (!r.acl->why.empty()) {
      w.key("why");
      w.string(r.acl->why);
    }
    w.end_object();
  }
  w.end_object();
}

json::raw inspector_hub::watch(channel<json::raw> updates) {
  std::lock_guard lock(mutex_);
  page_ = std::move(updates);
  // Everything held goes to the new page, from the oldest row on.
  sent_upto_ = rows_.empty() ? next_seq_ - 1 : rows_.front().seq - 1;
  updated_.clear();
  windows_sent_.clear();
  stats_dirty_ = !stats_.empty();
  skipped_dirty_ = skipped_total_ != 0;
  std::string out;
  json::writer w(out);
  w.begin_object();
  w.key("app");
  w.string(app_name_);
  w.key("windows");
  w.begin_array();
  if (windows) {
    for (const auto& l : windows()) w.string(l);
  }
  w.end_array();
  w.key("held");
  w.number(rows_.size());
  w.key("maxRows");
  w.number(MAX_ROWS);
  w.end_object();
  return json::raw{std::move(out)};
}

void inspector_hub::clear() {
  std::lock_guard lock(mutex_);
  rows_.clear();
  updated_.clear();
  pending_.clear();
  stats_.clear();
  skipped_.clear();
  skipped_total_ = 0;
  sent_upto_ = next_seq_ - 1;
}

inspector_hub::counts inspector_hub::stats() const {
  std::lock_guard lock(mutex_);
  return {rows_.size(), skipped_total_};
}

void inspector_hub::tick() {
  std::vector<std::string> frames;
  {
    std::lock_guard lock(mutex_);
    budget_rows_ = ROWS_PER_TICK;
    budget_json_ = JSON_PER_TICK;
    for (auto it = callers_.begin(); it != callers_.end();) {
      it = it->second.use_count() == 1 ? callers_.erase(it) : std::next(it);
    }
    if (!page_) return;
    if (page_->is_closed()) {
      page_.reset();
      return;
    }
    // Frames under 100 KiB each: smaller than what a page would fetch as a blob.
    constexpr std::size_t FRAME = 100 * 1024;
    std::string frame;
    json::writer w(frame);
    bool open_list = false;
    auto start = [&](std::string_view list) {
      if (frame.empty()) w.begin_object();
      w.key(list);
      w.begin_array();
      open_list = true;
    };
    auto finish = [&] {
      if (open_list) w.end_array();
      open_list = false;
      w.end_object();
      // Rows hold text the wire has checked already; should one not be UTF-8, its frame is
      // dropped rather than sent broken.
      if (w.ok()) frames.push_back(std::move(frame));
      frame.clear();
      w = json::writer(frame);
    };
    std::vector<std::string> labels = windows ? windows() : std::vector<std::string>{};
    if (labels != windows_sent_) {
      w.begin_object();
      w.key("windows");
      w.begin_array();
      for (const auto& l : labels) w.string(l);
      w.end_array();
      windows_sent_ = labels;
    }
    if (skipped_dirty_) {
      if (frame.empty()) w.begin_object();
      w.key("skipped");
      w.begin_object();
      for (const auto& [k, n] : skipped_) {
        w.key(k);
        w.number(n);
      }
      w.end_object();
      skipped_dirty_ = false;
    }
    if (stats_dirty_) {
      if (frame.empty()) w.begin_object();
      w.key("stats");
      w.begin_array();
      for (const auto& [name, s] : stats_) {
        w.begin_object();
        w.key("name");
        w.string(name);
        w.key("calls");
        w.number(s.calls);
        w.key("errors");
        w.number(s.errors);
        w.key("denied");
        w.number(s.denied);
        w.key("handler_us_total");
        w.number(std::round(s.handler_us_total));
        w.key("queued_us_total");
        w.number(std::round(s.queued_us_total));
        w.key("handler_us_max");
        w.number(std::round(s.handler_us_max * 10) / 10);
        w.end_object();
      }
      w.end_array();
      stats_dirty_ = false;
    }
    if (!rows_.empty() && sent_upto_ < rows_.front().seq - 1) sent_upto_ = rows_.front().seq - 1;
    bool in_rows = false;
    for (auto i = rows_.empty() ? 0 : sent_upto_ + 1 - rows_.front().seq; i < rows_.size(); ++i) {
      if (!in_rows) {
        start("rows");
        in_rows = true;
      }
      write_row(w, rows_[i], true);
      sent_upto_ = rows_[i].seq;
      if (frame.size() > FRAME) {
        finish();
        in_rows = false;
      }
    }
    if (in_rows) {
      w.end_array();
      open_list = false;
    }
    bool in_updates = false;
    for (const auto seq : updated_) {
      const row* r = find(seq);
      if (r == nullptr) continue;
      if (!in_updates) {
        start("updates");
        in_updates = true;
      }
      write_row(w, *r, false);
      if (frame.size() > FRAME) {
        finish();
        in_updates = false;
      }
    }
    updated_.clear();
    if (in_updates) {
      w.end_array();
      open_list = false;
    }
    if (!frame.empty()) finish();
  }
  for (auto& f : frames) {
    // The page grants credit as it reads: a page that stopped reading loses frames, not the app.
    if (page_->try_send(json::raw{std::move(f)}) != send_result::sent) break;
  }
}

// ---------------------------------------------------------------------------------------------
// The window

namespace {

// Serves the inspector's page, and nothing else, to the inspector's own profile.
class inspector_scheme final : public QWebEngineUrlSchemeHandler {
 public:
  using QWebEngineUrlSchemeHandler::QWebEngineUrlSchemeHandler;
  void requestStarted(QWebEngineUrlRequestJob* job) override {
    const QUrl url = job->requestUrl();
    const QString prefix = QString::fromUtf8(INSPECTOR_PATH.data(), static_cast<qsizetype>(INSPECTOR_PATH.size()));
    QString path = url.path();
    if (url.host() != QLatin1String("localhost") || job->requestMethod() != "GET" ||
        !path.startsWith(prefix)) {
      job->fail(QWebEngineUrlRequestJob::UrlNotFound);
      return;
    }
    path = path.mid(prefix.size());
    std::string_view body;
    QByteArray mime;
    if (path.isEmpty() || path == QLatin1String("index.html")) {
      body = INSPECTOR_HTML;
      mime = "text/html";
    } else if (path == QLatin1String("inspector.css")) {
      body = INSPECTOR_CSS;
      mime = "text/css";
    } else if (path == QLatin1String("main.js")) {
      body = INSPECTOR_MAIN_JS;
      mime = "text/javascript";
    } else if (path == QLatin1String("model.js")) {
      body = INSPECTOR_MODEL_JS;
      mime = "text/javascript";
    } else if (path == QLatin1String("view.js")) {
      body = INSPECTOR_VIEW_JS;
      mime = "text/javascript";
    } else {
      job->fail(QWebEngineUrlRequestJob::UrlNotFound);
      return;
    }
    QByteArray data(body.data(), static_cast<qsizetype>(body.size()));
    if (mime == "text/html") {
      data = app_scheme_handler::with_csp(
          data, QStringLiteral("default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; connect-src 'self'"));
    }
    auto* buffer = new QBuffer(job);
    buffer->setData(data);
    job->reply(mime, buffer);
  }
};

}  // namespace

inspector_window::inspector_window(router& r, inspector_hub& hub, QObject* parent)
    : QObject(parent), router_(r), hub_(hub) {
  timer_ = new QTimer(this);
  timer_->setInterval(100);
  connect(timer_, &QTimer::timeout, this, [this] { hub_.tick(); });
  the_window = this;
}

inspector_window* current_inspector_window() { return the_window; }

inspector_window::~inspector_window() {
  if (the_window == this) the_window = nullptr;
  window_.reset();
  closing_.clear();
  delete profile_;
}

void inspector_window::open() {
  if (!window_) {
    if (profile_ == nullptr) {
      // Off the record, and its own: no app page shares its scheme handler or its storage.
      profile_ = new QWebEngineProfile(this);
      profile_->installUrlSchemeHandler(
          QByteArray(APP_SCHEME.data(), static_cast<qsizetype>(APP_SCHEME.size())),
          new inspector_scheme(profile_));
    }
    window_options o;
    o.label = std::string(INSPECTOR_LABEL);
    o.title = "IPC inspector";
    o.width = 1100;
    o.height = 700;
    window_ = std::make_unique<app_window>(std::move(o), profile_, router_, nullptr, page_client{},
                                           [](app_window&) {});
    window_->view()->installEventFilter(this);
    // A dead renderer would leave a window that shows nothing and a hub that keeps collecting.
    connect(window_->page(), &QWebEnginePage::renderProcessTerminated, this,
            [this](QWebEnginePage::RenderProcessTerminationStatus, int code) {
              log(area::ipc)->warn("the IPC inspector's page died (exit code {}); its window is "
                                   "closed, open it again to go on",
                                   code);
              close();
            });
    window_->load(QUrl(QString::fromUtf8(APP_ORIGIN.data(), static_cast<qsizetype>(APP_ORIGIN.size())) +
                       QString::fromUtf8(INSPECTOR_PATH.data(), static_cast<qsizetype>(INSPECTOR_PATH.size()))));
    hub_.set_watching(true);
    timer_->start();
    log(area::ipc)->info("IPC inspector open");
  }
  window_->view()->show();
  window_->view()->raise();
  window_->view()->activateWindow();
}

void inspector_window::close() {
  if (!window_) return;
  hub_.set_watching(false);
  timer_->stop();
  // Destroyed after this event (or with this object): its session ends, and with it the
  // channel to the page.
  window_->view()->removeEventFilter(this);
  disconnect(window_->page(), nullptr, this, nullptr);
  window_->view()->hide();
  closing_.push_back(std::move(window_));
  QTimer::singleShot(0, this, [this] { closing_.clear(); });
}

bool inspector_window::eventFilter(QObject* watched, QEvent* event) {
  if (window_ && watched == window_->view() && event->type() == QEvent::Close) {
    close();
    return true;
  }
  return QObject::eventFilter(watched, event);
}

// ---------------------------------------------------------------------------------------------
// The plugin

myapp::plugin inspector_plugin(inspector_hub& hub, std::function<std::string()> save_dir) {
  auto p = myapp::detail::core_plugin("inspector");
  p.parts().internal = true;
  auto own = [](const request& req) {
    if (req.caller().label != INSPECTOR_LABEL ||
        !req.caller().url.starts_with(std::string(APP_ORIGIN) + std::string(INSPECTOR_PATH))) {
      throw error("acl.denied", "only the IPC inspector's window may use its commands");
    }
  };
  p.command("watch", [&hub, own](const request& req, channel<json::raw> on_update) {
    own(req);
    return hub.watch(std::move(on_update));
  }, {"on_update"}, command_options{.main_thread = true});
  p.command("clear", [&hub, own](const request& req) {
    own(req);
    hub.clear();
  }, {}, command_options{.main_thread = true});
  p.command("save", [own, save_dir = std::move(save_dir)](const request& req, std::string text) {
    own(req);
    if (auto rec = read_recording(text); !rec) {
      throw error("args.invalid", "the export is not a recording: " + rec.error_value().message());
    }
    namespace fs = std::filesystem;
    const fs::path dir = fs::path(save_dir()) / "inspector";
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw error("io.failed", fmt::format("could not create {}: {}", dir.string(), ec.message()));
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    ::localtime_r(&now, &tm);
    fs::path file = dir / fmt::format("ipc-{:%Y%m%d-%H%M%S}.jsonl", tm);
    for (int n = 2; fs::exists(file); ++n) file = dir / fmt::format("ipc-{:%Y%m%d-%H%M%S}-{}.jsonl", tm, n);
    std::ofstream out(file, std::ios::binary);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) throw error("io.failed", fmt::format("could not write {}", file.string()));
    log(area::ipc)->info("IPC inspector: saved {} bytes to {}", text.size(), file.string());
    return file.string();
  }, {"text"}, command_options{.main_thread = true});
  return p;
}

}  // namespace myapp::runtime
