// The wire: reading batches into typed messages and writing every outgoing message
// (myapp/wire.hpp, docs/protocol.md).
#include "myapp/wire.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "myapp/bytes.hpp"
#include "myapp/json.hpp"
#include "myapp/protocol.hpp"
#include "text.hpp"

namespace myapp {

bool is_valid_event_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 128) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '/' || c == ':' || c == '_';
  });
}

namespace wire {

std::string_view kind_of(const incoming& m) noexcept {
  namespace k = protocol::kind;
  struct visitor {
    std::string_view operator()(const in::hello&) const { return k::HELLO; }
    std::string_view operator()(const in::ready&) const { return k::READY; }
    std::string_view operator()(const in::invoke&) const { return k::INVOKE; }
    std::string_view operator()(const in::cancel&) const { return k::CANCEL; }
    std::string_view operator()(const in::listen&) const { return k::LISTEN; }
    std::string_view operator()(const in::unlisten&) const { return k::UNLISTEN; }
    std::string_view operator()(const in::emit_event&) const { return k::EMIT; }
    std::string_view operator()(const in::credit&) const { return k::CREDIT; }
    std::string_view operator()(const in::lost&) const { return k::LOST; }
  };
  return std::visit(visitor{}, m);
}

// ---------------------------------------------------------------------------------------------
// reading

namespace {

using detail::quoted_name;

// Every field any message may carry, collected in whatever order they come; `typed` then builds
// the message its kind asks for.
struct fields {
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
  std::string_view bin;
  std::string_view blob;
  bool has_blob = false;
  std::uint64_t body = 0;
  bool has_body = false;
  bool has_args = false;
};

// Reads one field into `f`. A field of the wrong type is recorded in `d` (the message is
// answered alone); false only when the JSON itself is malformed.
bool read_field(std::string_view key, json::value& v, fields& f, json::decoder& d) {
  auto read_object = [&](std::string_view& out, bool extent_only) {
    json::type t{};
    if (!v.get_type(t, d)) return;
    if (t != json::type::object) {
      d.fail_type("an object", v);
    } else if (extent_only) {
      v.read_object_extent(out, d);
    } else {
      v.read_raw(out, d);
    }
  };
  if (key == "k") {
    f.has_kind = v.read(f.kind, d);
  } else if (key == "id") {
    f.has_id = v.read(f.id, d);
    if (f.has_id && (f.id == 0 || f.id > protocol::MAX_INVOKE_ID)) {
      f.has_id = false;
      d.fail(fmt::format("an invoke id must be in [1, {}]", protocol::MAX_INVOKE_ID));
    }
  } else if (key == "cmd") {
    f.has_cmd = v.read(f.cmd, d);
  } else if (key == "args") {
    // Checked in full when the handler's arguments are read from it; here only its extent is
    // needed.
    read_object(f.args, true);
    f.has_args = true;
  } else if (key == "headers") {
    read_object(f.headers, false);
  } else if (key == "v") {
    f.has_version = v.read(f.version, d);
  } else if (key == "event") {
    f.has_event = v.read(f.event, d);
  } else if (key == "payload") {
    v.read_raw(f.payload, d);
  } else if (key == "target") {
    f.has_target = v.read(f.target, d);
  } else if (key == "ch") {
    f.has_channel = v.read(f.channel, d);
  } else if (key == "n") {
    f.has_credit = v.read(f.credit, d);
  } else if (key == "blob") {
    f.has_blob = v.read(f.blob, d);
  } else if (key == "body") {
    f.has_body = v.read(f.body, d);
  } else if (key == "bin") {
    json::type t{};
    if (v.get_type(t, d)) {
      if (t != json::type::array) {
        d.fail_type("an array", v);
      } else {
        v.read_raw(f.bin, d);
      }
    }
  } else {
    return v.skip(d);
  }
  return true;
}

// The message `f` describes, or why it is not one.
std::variant<incoming, bad_message> typed(const fields& f, std::size_t index) {
  namespace k = protocol::kind;
  auto bad = [&](errc code, std::string why) {
    return bad_message{index, code, fmt::format("message [{}]: {}", index, why), std::nullopt};
  };
  auto missing = [&](std::string_view key) {
    return bad(errc::protocol_invalid,
               fmt::format("a `{}` message needs `{}`", quoted_name(f.kind), key));
  };
  // listen, unlisten and emit name an event: present and valid.
  auto event_problem = [&]() -> std::optional<bad_message> {
    if (!f.has_event) return missing("event");
    if (!is_valid_event_name(f.event)) {
      return bad(errc::event_invalid_name,
                 fmt::format("`{}` is not a valid event name: use 1 to 128 characters from "
                             "[A-Za-z0-9-/:_]",
                             quoted_name(f.event)));
    }
    return std::nullopt;
  };

  if (!f.has_kind) return bad(errc::protocol_invalid, "missing key `k`");
  const auto kind = f.kind;
  if (kind == k::INVOKE) {
    if (!f.has_id) return missing("id");
    if (!f.has_cmd) {
      auto b = bad(errc::protocol_invalid, fmt::format("invoke {} has no `cmd`", f.id));
      b.invoke_id = f.id;
      return b;
    }
    if (f.has_body && f.has_args) {
      auto b = bad(errc::protocol_invalid,
                   fmt::format("invoke {} has both `args` and `body`", f.id));
      b.invoke_id = f.id;
      return b;
    }
    return in::invoke{f.id, f.cmd, f.args, f.headers, f.bin,
                      f.has_body ? std::optional<std::uint64_t>(f.body) : std::nullopt};
  }
  if (kind == k::CANCEL) {
    if (!f.has_id) return missing("id");
    return in::cancel{f.id};
  }
  if (kind == k::LISTEN || kind == k::UNLISTEN || kind == k::EMIT) {
    if (auto b = event_problem()) return *b;
    if (kind == k::LISTEN) return in::listen{f.event};
    if (kind == k::UNLISTEN) return in::unlisten{f.event};
    return in::emit_event{f.event, f.payload,
                    f.has_target ? std::optional<std::string_view>(f.target) : std::nullopt};
  }
  if (kind == k::CREDIT) {
    if (!f.has_channel) return missing("ch");
    if (!f.has_credit || f.credit == 0) {
      return bad(errc::protocol_invalid, "a credit message needs `n` >= 1");
    }
    return in::credit{f.channel, f.credit};
  }
  if (kind == k::HELLO) {
    return in::hello{f.has_version ? std::optional<std::int64_t>(f.version) : std::nullopt};
  }
  if (kind == k::READY) return in::ready{};
  if (kind == k::LOST) {
    if (!f.has_blob) return missing("blob");
    return in::lost{f.blob};
  }
  return bad(errc::protocol_invalid,
             fmt::format("unknown message kind `{}`", quoted_name(kind)));
}

}  // namespace

std::optional<std::string> decode_batch(std::string_view batch, std::size_t max_depth,
                                        batch_handler& h) {
  json::decoder d(max_depth);
  std::size_t index = 0;
  // No nesting check over the whole batch: a message too deep must be answered with its own
  // id. Messages are read flat; what is skipped is skipped without recursion; what is read in
  // depth (payloads here, arguments where the handler reads them) is checked against the limit.
  const bool ok = json::read_document_part(batch, d, [&](json::value& root, json::decoder& dd) {
    json::type t{};
    if (!root.get_type(t, dd)) return false;
    if (t != json::type::array) return dd.fail_type("an array of messages", root);
    return root.for_each_element(dd, [&](json::value& msg) {
      const std::size_t at = index++;
      dd.push_index(at);
      json::type mt{};
      if (!msg.get_type(mt, dd)) return false;
      if (mt != json::type::object) {
        dd.fail_type("a message object", msg);
        return false;
      }
      // A field of the wrong type is answered for this message alone; malformed JSON ends the
      // batch.
      fields f;
      json::decoder md(max_depth);
      const bool structural = msg.for_each_field(md, [&](std::string_view key, json::value& v) {
        if (md.failed()) return v.skip(md);  // already wrong: skip the rest
        md.push_key(key);
        if (!read_field(key, v, f, md)) return false;
        md.pop();
        return true;
      });
      if (!structural) {
        dd.fail(md.message());
        return false;
      }
      if (md.failed()) {
        bad_message b{at, errc::protocol_invalid, fmt::format("message [{}]: {}", at, md.message()),
                      std::nullopt};
        if (f.has_id && f.kind == protocol::kind::INVOKE) b.invoke_id = f.id;
        h.on_bad_message(b);
      } else {
        auto m = typed(f, at);
        if (auto* good = std::get_if<incoming>(&m)) {
          h.on_message(at, *good);
        } else {
          h.on_bad_message(std::get<bad_message>(m));
        }
      }
      dd.pop();
      return true;
    });
  });
  if (ok) return std::nullopt;
  return fmt::format("malformed batch: {}", d.message());
}

bool opens_with_hello(std::string_view batch) noexcept {
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < batch.size() &&
           (batch[i] == ' ' || batch[i] == '\t' || batch[i] == '\n' || batch[i] == '\r')) {
      ++i;
    }
  };
  auto expect = [&](std::string_view token) {
    skip_space();
    if (batch.substr(i, token.size()) != token) return false;
    i += token.size();
    return true;
  };
  return expect("[") && expect("{") && expect(R"("k")") && expect(":") && expect(R"("hello")");
}

// ---------------------------------------------------------------------------------------------
// writing

namespace {

void append_uint(std::string& out, std::uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// Appends `,"key":n`.
void append_field(std::string& out, std::string_view key, std::uint64_t n) {
  out += ",\"";
  out += key;
  out += "\":";
  append_uint(out, n);
}

// Appends `,"key":<value_json>}`: the value, as is, ends the message.
void append_value(std::string& out, std::string_view key, std::string_view value_json) {
  out += ",\"";
  out += key;
  out += "\":";
  out += value_json;
  out.push_back('}');
}

// Appends `s` as a JSON string, or `""` when it is not UTF-8 (names checked before never are).
void append_string(std::string& out, std::string_view s) {
  if (!json::write_string(out, s)) out += "\"\"";
}

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

}  // namespace

void result_prefix(std::string& out, std::uint64_t id) {
  out.append(R"({"k":"result","id":)");
  append_uint(out, id);
  out.append(R"(,"ok":)");
}

std::string error(std::uint64_t id, std::string_view code, std::string_view message,
                  std::string_view data_json) {
  std::string out = R"({"k":"error","id":)";
  append_uint(out, id);
  out += R"(,"error":)";
  append_error_object(out, code, message, data_json);
  close_message(out);
  return out;
}

std::string rejection(std::uint64_t id, std::string_view value_json) {
  std::string out = R"({"k":"error","id":)";
  append_uint(out, id);
  append_value(out, "value", value_json);
  return out;
}

std::string fault(std::string_view code, std::string_view message) {
  std::string out = R"({"k":"fault","error":)";
  append_error_object(out, code, message, {});
  close_message(out);
  return out;
}

std::string event(std::string_view name, std::uint64_t id, std::string_view payload_json) {
  std::string out = R"({"k":"event","event":)";
  append_string(out, name);  // validated names are ASCII
  append_field(out, "id", id);
  append_value(out, "payload", payload_json);
  return out;
}

std::string channel_frame(std::uint64_t channel, std::uint64_t index, std::string_view data_json) {
  std::string out;
  out.reserve(32 + data_json.size());
  out += R"({"k":"chan")";
  append_field(out, "ch", channel);
  append_field(out, "i", index);
  append_value(out, "data", data_json);
  return out;
}

std::string channel_end(std::uint64_t channel, std::uint64_t frames) {
  return fmt::format(R"({{"k":"chan_end","ch":{},"i":{}}})", channel, frames);
}

routing routing_of(std::string_view m) noexcept {
  auto number_after = [&](std::string_view prefix) -> std::optional<std::uint64_t> {
    if (!m.starts_with(prefix)) return std::nullopt;
    std::uint64_t v = 0;
    const char* first = m.data() + prefix.size();
    const auto r = std::from_chars(first, m.data() + m.size(), v);
    if (r.ec != std::errc() || r.ptr == first) return std::nullopt;
    return v;
  };
  routing r;
  if (auto id = number_after(R"({"k":"result","id":)")) r.id = id;
  else if (auto eid = number_after(R"({"k":"error","id":)")) r.id = eid;
  else if (auto ch = number_after(R"({"k":"chan","ch":)")) r.channel = ch;
  return r;
}

std::string big(std::string_view token, std::size_t size, const routing& of) {
  std::string out = fmt::format(R"({{"k":"big","blob":"{}","n":{})", token, size);
  if (of.id) append_field(out, "id", *of.id);
  if (of.channel) append_field(out, "ch", *of.channel);
  close_message(out);
  return out;
}

std::string welcome(const welcome_fields& w) {
  std::string out = fmt::format(R"({{"k":"welcome","v":{},"label":)", protocol::VERSION);
  append_string(out, w.label);
  if (w.listen_limit != 0) {
    fmt::format_to(std::back_inserter(out), R"(,"limits":{{"batch":{},"listens":{}}})",
                   w.batch_limit, w.listen_limit);
  } else {
    fmt::format_to(std::back_inserter(out), R"(,"limits":{{"batch":{}}})", w.batch_limit);
  }
  if (!w.denied.empty()) {
    out += R"(,"denied":{)";
    for (std::size_t i = 0; i < w.denied.size(); ++i) {
      if (i != 0) out.push_back(',');
      append_string(out, w.denied[i].first);
      out.push_back(':');
      append_string(out, w.denied[i].second);
    }
    out.push_back('}');
  }
  if (const auto& t = w.transport) {
    out += R"(,"blobs":)";
    append_string(out, t->blobs);
    out += t->fetch ? R"(,"fetch":true)" : R"(,"fetch":false)";
    if (!t->lane.empty()) {
      fmt::format_to(std::back_inserter(out),
                     R"(,"thresholds":{{"laneJson":{},"laneBytes":{},"laneMax":{}}})",
                     t->lane_json, t->lane_bytes, t->lane_max);
      out += R"(,"lane":)";
      append_string(out, t->lane);
    }
  }
  close_message(out);
  return out;
}

bin_list::bin_list(std::string& message) : out_(message) {
  // Attachments go inside the message: its closing brace is taken off and put back by finish.
  if (out_.empty() || out_.back() != '}') {
    open_ = false;
    return;
  }
  out_.pop_back();
  out_ += R"(,"bin":[)";
}

void bin_list::separate() {
  if (!first_) out_.push_back(',');
  first_ = false;
}

void bin_list::add_inline(std::span<const std::byte> data) {
  if (!open_) return;
  separate();
  out_ += R"({"b64":")";
  base64_encode_to(out_, data);
  out_ += "\"}";
}

void bin_list::add_blob(std::string_view token, std::size_t size) {
  if (!open_) return;
  separate();
  fmt::format_to(std::back_inserter(out_), R"({{"blob":"{}","n":{}}})", token, size);
}

void bin_list::finish() {
  if (!open_) return;
  open_ = false;
  out_ += "]}";
}

std::string batch(const std::vector<std::string>& messages) {
  std::size_t size = 2 + messages.size();
  for (const auto& m : messages) size += m.size();
  std::string out;
  out.reserve(size);
  out.push_back('[');
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (i != 0) out.push_back(',');
    out += messages[i];
  }
  out.push_back(']');
  return out;
}

std::vector<std::size_t> text_references(std::string_view message) {
  std::vector<std::size_t> out;
  constexpr std::string_view MARK = R"({"$str":)";
  for (auto at = message.find(MARK); at != std::string_view::npos; at = message.find(MARK, at + 1)) {
    std::size_t i = 0;
    std::size_t p = at + MARK.size();
    const std::size_t first = p;
    while (p < message.size() && p - first < 10 && message[p] >= '0' && message[p] <= '9') {
      i = i * 10 + static_cast<std::size_t>(message[p++] - '0');
    }
    if (p > first && p < message.size() && message[p] == '}') out.push_back(i);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::size_t text_bytes(std::string_view message, std::span<const bytes> attachments) {
  if (attachments.empty()) return 0;
  std::size_t n = 0;
  for (std::size_t i : text_references(message)) {
    if (i < attachments.size()) n += attachments[i].size();
  }
  return n;
}

}  // namespace wire
}  // namespace myapp
