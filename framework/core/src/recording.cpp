// Recordings of the IPC: writing them (the runtime's MYAPP_RECORD), reading them, and replaying a
// recorded session against a router (docs/recording.md).
#include "myapp/recording.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "myapp/json.hpp"
#include "myapp/router.hpp"
#include "myapp/wire.hpp"

namespace myapp {

namespace {

// The message's JSON text with the keys `drop` left out of its top-level object.
std::string without_keys(std::string_view object, std::initializer_list<std::string_view> drop) {
  std::string out = "{";
  json::decoder d;
  const bool ok = json::read_document(object, d, [&](json::value& v, json::decoder& dd) {
    return v.for_each_field(dd, [&](std::string_view key, json::value& field) {
      std::string_view raw;
      if (!field.read_raw(raw, dd)) return false;
      if (std::find(drop.begin(), drop.end(), key) != drop.end()) return true;
      if (out.size() > 1) out += ',';
      json::write_string(out, key);
      out += ':';
      out += raw;
      return true;
    });
  });
  if (!ok) return std::string(object);
  out += '}';
  return out;
}

bool well_formed(std::string_view text) {
  json::decoder d;
  return json::read_document(text, d, [](json::value& v, json::decoder& dd) { return v.skip(dd); });
}

}  // namespace

recorder::recorder(sink out, std::string_view app, recording_options options)
    : out_(std::move(out)), options_(options), start_(std::chrono::steady_clock::now()) {
  std::string line = R"({"recording":"myapp","v":)" + std::to_string(RECORDING_VERSION) + ",\"app\":";
  json::write_string(line, json::is_valid_utf8(app) ? app : std::string_view("?"));
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  line += fmt::format(R"(,"started":"{:%Y-%m-%dT%H:%M:%SZ}")", utc);
  finish(line);
}

result<std::unique_ptr<recorder>> recorder::open(const std::string& path, std::string_view app,
                                                 recording_options options) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) {
    return error("recording.failed",
                 fmt::format("cannot write the recording `{}`: {}", path, std::strerror(errno)));
  }
  std::shared_ptr<std::FILE> file(f, [](std::FILE* p) { std::fclose(p); });
  // Each line is flushed: a recording of an app that crashes keeps everything up to the crash.
  auto write = [file](std::string_view line) {
    std::fwrite(line.data(), 1, line.size(), file.get());
    std::fflush(file.get());
  };
  return std::make_unique<recorder>(std::move(write), app, options);
}

std::uint64_t recorder::new_session() {
  std::lock_guard lock(mutex_);
  return ++sessions_;
}


void recorder::append_bin(std::string& out, std::string_view key, std::span<const bytes> list,
                          const std::function<bool(std::size_t)>& whole) const {
  if (list.empty()) return;
  out += ",\"";
  out += key;
  out += "\":[";
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ',';
    if (list[i].size() <= options_.max_inline_bytes || (whole && whole(i))) {
      out += R"({"b64":")";
      base64_encode_to(out, list[i].span());
      out += "\"}";
    } else {
      out += fmt::format(R"({{"n":{}}})", list[i].size());
    }
  }
  out += ']';
}

std::string recorder::head(std::uint64_t session, const caller_info& who, std::string_view dir) const {
  const double t_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
  std::string out = fmt::format(R"({{"t":{:.3f},"session":{},"window":)", t_ms, session);
  json::write_string(out, who.label);
  out += ",\"url\":";
  if (!json::write_string(out, who.url)) out += "\"\"";
  out += ",\"origin\":";
  if (!json::write_string(out, who.origin)) out += "\"\"";
  out += fmt::format(R"(,"local":{},"dir":"{}")", who.local ? "true" : "false", dir);
  return out;
}

void recorder::finish(std::string& line) {
  line += "}\n";
  std::lock_guard lock(mutex_);
  out_(line);
}

void recorder::incoming(std::uint64_t session, const caller_info& from, std::string_view batch,
                        std::span<const bytes> uploads) {
  std::string line = head(session, from, "in");
  if (well_formed(batch)) {
    line += ",\"batch\":";
    line += batch;
  } else if (json::is_valid_utf8(batch)) {
    // What a page sent that is not JSON is recorded as text: replaying it asks the same again.
    line += ",\"text\":";
    json::write_string(line, batch);
  } else {
    line += fmt::format(R"(,"invalid":"{} bytes, not UTF-8")", batch.size());
  }
  // A long string sent on the lane is one of its uploads: the batch refers to it through an
  // invoke's `bin`; an upload that is UTF-8 in a batch with string references is kept whole.
  const bool has_text = !uploads.empty() && batch.find(R"({"$str":)") != std::string_view::npos;
  append_bin(line, "uploads", uploads, [&](std::size_t i) {
    return has_text && json::is_valid_utf8(std::string_view(
                           reinterpret_cast<const char*>(uploads[i].data()), uploads[i].size()));
  });
  finish(line);
}

void recorder::outgoing(std::uint64_t session, const caller_info& to, std::string_view message,
                        std::span<const bytes> attachments) {
  std::string line = head(session, to, "out");
  line += ",\"msg\":";
  // The welcome names the bulk lane with the page's secret in it, and where blobs are fetched:
  // neither is recorded.
  if (message.starts_with(R"({"k":"welcome")")) {
    line += without_keys(message, {"lane", "blobs"});
  } else {
    line += message;
  }
  std::vector<std::size_t> text;
  if (!attachments.empty()) text = wire::text_references(message);
  append_bin(line, "bin", attachments,
             [&](std::size_t i) { return std::binary_search(text.begin(), text.end(), i); });
  finish(line);
}

// ---------------------------------------------------------------------------------------------
// Reading

namespace {

bool read_attachments(json::value& v, json::decoder& d, std::vector<recorded::attachment>& out) {
  return v.for_each_element(d, [&](json::value& e) {
    recorded::attachment a;
    std::string b64;
    bool has_b64 = false;
    bool has_n = false;
    const bool ok = e.for_each_field(d, [&](std::string_view key, json::value& f) {
      if (key == "b64") return has_b64 = f.read(b64, d);
      if (key == "n") return has_n = f.read(a.size, d);
      return f.skip(d);
    });
    if (!ok) return false;
    if (has_b64) {
      std::vector<std::byte> data;
      if (!base64_decode(b64, data)) return d.fail("an attachment's `b64` is not base64");
      a.size = data.size();
      a.data = bytes(std::move(data));
    } else if (!has_n) {
      return d.fail("an attachment has neither `b64` nor `n`");
    }
    out.push_back(std::move(a));
    return true;
  });
}

}  // namespace

result<recording> read_recording(std::string_view text) {
  recording rec;
  std::size_t line_no = 0;
  bool header = false;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    json::decoder d;
    auto where = [&](std::string what) {
      return error("recording.invalid", fmt::format("line {}: {}", line_no, what));
    };
    if (!header) {
      std::string magic;
      std::int64_t version = 0;
      const bool ok = json::read_document(line, d, [&](json::value& v, json::decoder& dd) {
        return v.for_each_field(dd, [&](std::string_view key, json::value& f) {
          if (key == "recording") return f.read(magic, dd);
          if (key == "v") return f.read(version, dd);
          if (key == "app") return f.read(rec.app, dd);
          return f.skip(dd);
        });
      });
      if (!ok) return where(d.message());
      if (magic != "myapp") return where(R"(not a myapp recording: its first line has no "recording": "myapp")");
      if (version != RECORDING_VERSION) {
        return where(fmt::format("a recording of version {}; this myapp reads version {}", version,
                                 RECORDING_VERSION));
      }
      header = true;
      continue;
    }
    recorded r;
    std::string dir;
    bool has_t = false;
    bool has_session = false;
    const bool ok = json::read_document(line, d, [&](json::value& v, json::decoder& dd) {
      return v.for_each_field(dd, [&](std::string_view key, json::value& f) {
        dd.push_key(key);
        bool field_ok = true;
        if (key == "t") {
          field_ok = has_t = f.read(r.t_ms, dd);
        } else if (key == "session") {
          field_ok = has_session = f.read(r.session, dd);
        } else if (key == "window") {
          field_ok = f.read(r.window, dd);
        } else if (key == "url") {
          field_ok = f.read(r.url, dd);
        } else if (key == "origin") {
          field_ok = f.read(r.origin, dd);
        } else if (key == "local") {
          field_ok = f.read(r.local, dd);
        } else if (key == "dir") {
          field_ok = f.read(dir, dd);
        } else if (key == "batch" || key == "msg") {
          std::string_view raw;
          field_ok = f.read_raw(raw, dd);
          r.json.assign(raw);
        } else if (key == "uploads" || key == "bin") {
          field_ok = read_attachments(f, dd, r.attachments);
        } else {
          field_ok = f.skip(dd);
        }
        if (field_ok) dd.pop();
        return field_ok;
      });
    });
    if (!ok) return where(d.message());
    if (!has_t || !has_session) return where("a record needs `t` and `session`");
    if (dir != "in" && dir != "out") return where(R"(`dir` must be "in" or "out")");
    r.from_page = dir == "in";
    if (r.json.empty()) {
      // A batch that was not JSON (recorded as `text`) is not replayed; an answer needs `msg`.
      if (!r.from_page) return where("a message to the page needs `msg`");
      continue;
    }
    rec.records.push_back(std::move(r));
  }
  if (!header) return error("recording.invalid", "an empty recording: no header line");
  return rec;
}

// ---------------------------------------------------------------------------------------------
// Replay

namespace testing {

namespace {

// `text` (a JSON value) written with object keys sorted and no spaces, so that two answers
// compare equal when they hold the same values.
bool canonical(json::value& v, json::decoder& d, std::string& out) {
  json::type t{};
  if (!v.get_type(t, d)) return false;
  switch (t) {
    case json::type::object: {
      std::map<std::string, std::string> fields;
      const bool ok = v.for_each_field(d, [&](std::string_view key, json::value& f) {
        std::string inner;
        if (!canonical(f, d, inner)) return false;
        fields[std::string(key)] = std::move(inner);
        return true;
      });
      if (!ok) return false;
      out += '{';
      bool first = true;
      for (const auto& [k, val] : fields) {
        if (!first) out += ',';
        first = false;
        json::write_string(out, k);
        out += ':';
        out += val;
      }
      out += '}';
      return true;
    }
    case json::type::array: {
      out += '[';
      bool first = true;
      const bool ok = v.for_each_element(d, [&](json::value& e) {
        if (!first) out += ',';
        first = false;
        return canonical(e, d, out);
      });
      out += ']';
      return ok;
    }
    case json::type::string: {
      std::string_view s;
      if (!v.read(s, d)) return false;
      json::write_string(out, s);
      return true;
    }
    default: {
      std::string_view raw;
      if (!v.read_raw(raw, d)) return false;
      out += raw;
      return true;
    }
  }
}

std::string canonical(std::string_view text) {
  std::string out;
  json::decoder d;
  if (!json::read_document(text, d, [&](json::value& v, json::decoder& dd) { return canonical(v, dd, out); })) {
    return std::string(text);
  }
  return out;
}

// What replay needs of a message: its kind, its invoke id, and for invokes the command.
struct message_key {
  std::string kind;
  std::uint64_t id = 0;
  std::string cmd;
};
message_key key_of(json::value& v, json::decoder& d) {
  message_key k;
  (void)v.for_each_field(d, [&](std::string_view key, json::value& f) {
    if (key == "k") return f.read(k.kind, d);
    if (key == "id") return f.read(k.id, d);
    if (key == "cmd") return f.read(k.cmd, d);
    return f.skip(d);
  });
  return k;
}
message_key key_of(std::string_view message) {
  message_key k;
  json::decoder d;
  (void)json::read_document(message, d, [&](json::value& v, json::decoder& dd) {
    k = key_of(v, dd);
    return true;
  });
  return k;
}
std::vector<message_key> keys_of_batch(std::string_view batch) {
  std::vector<message_key> keys;
  json::decoder d;
  (void)json::read_document(batch, d, [&](json::value& v, json::decoder& dd) {
    return v.for_each_element(dd, [&](json::value& m) {
      keys.push_back(key_of(m, dd));
      return true;
    });
  });
  return keys;
}

// A page as the recording saw it: collects the answers the router sends.
class replay_session final : public session {
 public:
  explicit replay_session(caller_info info) : info_(std::move(info)) {}
  const caller_info& caller() const noexcept override { return info_; }
  void send(std::string message) override {
    const auto k = key_of(message);
    if (k.kind != "result" && k.kind != "error") return;
    std::lock_guard lock(mutex_);
    answers_[k.id] = std::move(message);
    arrived_.notify_all();
  }
  void send_binary(std::string message, std::vector<bytes> attachments) override {
    // The answer's bytes are compared as the recording holds them: base64 in `bin`.
    if (!attachments.empty()) {
      wire::bin_list list(message);
      for (const auto& a : attachments) list.add_inline(a.span());
    }
    send(std::move(message));
  }
  // Waits until every id in `ids` has its answer, or `until`.
  void wait_for(const std::set<std::uint64_t>& ids, std::chrono::steady_clock::time_point until) {
    std::unique_lock lock(mutex_);
    arrived_.wait_until(lock, until, [&] {
      return std::all_of(ids.begin(), ids.end(), [&](auto id) { return answers_.contains(id); });
    });
  }
  std::optional<std::string> answer(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    auto it = answers_.find(id);
    if (it == answers_.end()) return std::nullopt;
    return it->second;
  }

 private:
  caller_info info_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::map<std::uint64_t, std::string> answers_;
};

// A recorded answer in the form replay_session keeps it: the message with its `bin`.
std::string recorded_answer(const recorded& r) {
  std::string message = r.json;
  if (!r.attachments.empty()) {
    wire::bin_list list(message);
    for (const auto& a : r.attachments) {
      if (a.data) list.add_inline(a.data->span());
    }
  }
  return message;
}

}  // namespace

std::string replay_report::summary() const {
  std::string out = fmt::format("{} calls replayed, {} skipped (bytes not recorded), {} answered differently",
                                calls, skipped, differences.size());
  for (const auto& d : differences) {
    out += fmt::format("\n  [{}] call {} `{}`:\n    recorded: {}\n    now:      {}", d.window, d.id,
                       d.command, d.recorded, d.now);
  }
  return out;
}

replay_report replay(router& r, const recording& rec, replay_options options) {
  replay_report report;
  // The page loads in the order they first appear.
  std::vector<std::uint64_t> order;
  for (const auto& x : rec.records) {
    if (std::find(order.begin(), order.end(), x.session) == order.end()) order.push_back(x.session);
  }
  for (const auto sid : order) {
    std::vector<const recorded*> records;
    for (const auto& x : rec.records) {
      if (x.session == sid) records.push_back(&x);
    }
    caller_info info;
    info.label = records.front()->window;
    info.url = records.front()->url;
    info.origin = records.front()->origin;
    info.local = records.front()->local;
    auto page = std::make_shared<replay_session>(info);
    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    std::map<std::uint64_t, std::string> commands;  // invoke id -> command
    std::set<std::uint64_t> skipped;                 // invokes whose bytes were not recorded
    std::set<std::uint64_t> answered;                // answers recorded so far
    for (const auto* x : records) {
      if (!x->from_page) {
        const auto k = key_of(x->json);
        if (k.kind == "result" || k.kind == "error") answered.insert(k.id);
        continue;
      }
      // What the page had heard back before it sent this batch, it hears back now first: the
      // handlers run in the same causal order as when the session was recorded.
      std::set<std::uint64_t> before;
      for (auto id : answered) {
        if (commands.contains(id) && !skipped.contains(id)) before.insert(id);
      }
      page->wait_for(before, deadline);
      const auto keys = keys_of_batch(x->json);
      const bool complete = std::all_of(x->attachments.begin(), x->attachments.end(),
                                        [](const auto& a) { return a.data.has_value(); });
      for (const auto& k : keys) {
        if (k.kind != "invoke") continue;
        commands[k.id] = k.cmd;
        if (!complete) skipped.insert(k.id);
      }
      if (!complete) continue;  // a batch whose lane buffers were too large to record
      auto uploads = std::make_shared<std::vector<bytes>>();
      for (const auto& a : x->attachments) uploads->push_back(*a.data);
      if (uploads->empty()) {
        r.receive(x->json, page);
      } else {
        r.receive(x->json, page, std::move(uploads));
      }
    }
    std::set<std::uint64_t> expected;
    for (const auto* x : records) {
      if (x->from_page) continue;
      const auto k = key_of(x->json);
      if ((k.kind == "result" || k.kind == "error") && commands.contains(k.id) &&
          !skipped.contains(k.id)) {
        expected.insert(k.id);
      }
    }
    page->wait_for(expected, deadline);
    for (const auto* x : records) {
      if (x->from_page) continue;
      const auto k = key_of(x->json);
      if (!expected.contains(k.id) || (k.kind != "result" && k.kind != "error")) continue;
      ++report.calls;
      const std::string then = recorded_answer(*x);
      const auto now = page->answer(k.id);
      if (now && canonical(*now) == canonical(then)) continue;
      report.differences.push_back({info.label, k.id, commands[k.id], then,
                                    now ? *now : std::string("(no answer within the timeout)")});
    }
    report.skipped += skipped.size();
    r.close_session(page);
  }
  return report;
}

}  // namespace testing
}  // namespace myapp
