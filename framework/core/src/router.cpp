#include "myapp/router.hpp"

#include <fmt/format.h>

#include <algorithm>

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

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t prev = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cur = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
      prev = cur;
    }
  }
  return row[b.size()];
}

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

}  // namespace

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
  commands_.emplace(std::move(name), std::move(e));
}

bool router::has_command(std::string_view name) const {
  return commands_.contains(std::string(name));
}

std::vector<std::string> router::command_names() const {
  std::vector<std::string> names;
  names.reserve(commands_.size());
  for (const auto& [n, e] : commands_) names.push_back(n);
  std::sort(names.begin(), names.end());
  return names;
}

struct router::invoke_fields {
  std::uint64_t id = 0;
  std::string_view cmd;
  std::string_view args = "{}";
  std::string_view headers = "{}";
};

void router::receive(std::string_view batch, const std::shared_ptr<peer>& from) {
  closed_.store(true);
  if (batch.size() > options_.max_batch_bytes) {
    auto why = fmt::format("a batch of {} bytes exceeds the limit of {} bytes", batch.size(),
                           options_.max_batch_bytes);
    from->send(fault_message(code_string(errc::limit_exceeded), why));
    from->on_rejected(why);
    return;
  }

  json::decoder d(options_.max_depth);
  std::size_t index = 0;
  bool ok = json::read_document(batch, d, [&](json::value& root, json::decoder& dd) {
    json::type t{};
    if (!root.get_type(t, dd)) return false;
    if (t != json::type::array) return dd.fail_type("an array of messages", root);
    return root.for_each_element(dd, [&](json::value& msg) {
      dd.push_index(index++);
      // Fields are collected first, in whatever order they come; problems with a field's type
      // are answered per message, while malformed JSON ends the batch.
      std::string_view kind;
      bool has_kind = false;
      bool has_id = false;
      bool has_cmd = false;
      std::int64_t version = 0;
      bool has_version = false;
      invoke_fields f;
      json::decoder md(options_.max_depth);
      json::type mt{};
      if (!msg.get_type(mt, dd)) return false;
      if (mt != json::type::object) {
        dd.fail_type("a message object", msg);
        return false;
      }
      bool structural = msg.for_each_field(md, [&](std::string_view key, json::value& v) {
        if (md.failed()) return true;  // already wrong: skip the rest, keep reading the id
        md.push_key(key);
        if (key == "k") {
          has_kind = v.read(kind, md);
        } else if (key == "id") {
          has_id = v.read(f.id, md);
          if (has_id && (f.id == 0 || f.id > protocol::MAX_INVOKE_ID)) {
            has_id = false;
            md.fail(fmt::format("an invoke id must be in [1, {}]", protocol::MAX_INVOKE_ID));
          }
        } else if (key == "cmd") {
          has_cmd = v.read(f.cmd, md);
        } else if (key == "args") {
          json::type at{};
          if (v.get_type(at, md)) {
            if (at != json::type::object) {
              md.fail_type("an object", v);
            } else {
              v.read_raw(f.args, md);
            }
          }
        } else if (key == "headers") {
          json::type ht{};
          if (v.get_type(ht, md)) {
            if (ht != json::type::object) {
              md.fail_type("an object", v);
            } else {
              v.read_raw(f.headers, md);
            }
          }
        } else if (key == "v") {
          has_version = v.read(version, md);
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
      auto where = fmt::format("message [{}]", index - 1);
      auto answer = [&](std::string_view code, const std::string& why) {
        if (has_id && kind == protocol::kind::INVOKE) {
          from->send(error_message(f.id, code, why));
        } else {
          from->send(fault_message(code, why));
        }
        from->on_rejected(why);
      };
      if (md.failed()) {
        answer(code_string(errc::protocol_invalid), fmt::format("{}: {}", where, md.message()));
      } else if (!has_kind) {
        answer(code_string(errc::protocol_invalid), fmt::format("{}: missing key `k`", where));
      } else if (kind == protocol::kind::INVOKE) {
        if (!has_id) {
          answer(code_string(errc::protocol_invalid),
                 fmt::format("{}: an invoke needs an `id`", where));
        } else if (!has_cmd) {
          answer(code_string(errc::protocol_invalid),
                 fmt::format("{}: invoke {} has no `cmd`", where, f.id));
        } else {
          handle_invoke(f, from);
        }
      } else if (kind == protocol::kind::HELLO) {
        if (!has_version || version != protocol::VERSION) {
          answer(code_string(errc::protocol_version),
                 fmt::format("{}: the page speaks protocol version {}, this app speaks {}", where,
                             has_version ? std::to_string(version) : "(none)",
                             protocol::VERSION));
        } else {
          std::string welcome = fmt::format(R"({{"k":"welcome","v":{},"label":)", protocol::VERSION);
          if (!json::write_string(welcome, from->caller().label)) welcome += "\"\"";
          welcome.push_back('}');
          from->send(std::move(welcome));
        }
      } else if (kind == protocol::kind::READY) {
        from->on_ready();
      } else {
        answer(code_string(errc::protocol_invalid),
               fmt::format("{}: unknown message kind `{}`", where, quoted_name(kind)));
      }
      dd.pop();
      return true;
    });
  });
  if (!ok) {
    auto why = fmt::format("malformed batch: {}", d.message());
    from->send(fault_message(code_string(errc::protocol_invalid), why));
    from->on_rejected(why);
  }
}

void router::handle_invoke(const invoke_fields& m, const std::shared_ptr<peer>& from) {
  auto it = commands_.find(std::string(m.cmd));
  if (it == commands_.end()) {
    std::string hint;
    std::size_t best = 3;  // suggest only close names
    for (const auto& [name, e] : commands_) {
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
  const entry& e = *it->second;
  in_flight_.fetch_add(1);
  auto task = [this, &e, id = m.id, args = std::string(m.args), headers = std::string(m.headers),
               from]() mutable { run(e, id, std::move(args), std::move(headers), from); };
  if (e.main_thread) {
    main_->post(std::move(task));
  } else {
    workers_->post(std::move(task));
  }
}

void router::run(const entry& e, std::uint64_t id, std::string args, std::string headers,
                 const std::shared_ptr<peer>& from) {
  std::string out = fmt::format(R"({{"k":"result","id":{},"ok":)", id);
  const std::size_t prefix = out.size();
  detail::outcome result;
  json::decoder dec(options_.max_depth);
  bool parsed = json::read_document(args, dec, [&](json::value& v, json::decoder& dd) {
    request req(id, e.name, from->caller(), headers);
    detail::call c{v, dd, req, out};
    result = e.fn(c);
    return true;
  });
  if (!parsed) {
    result = detail::outcome{false, std::string(code_string(errc::args_invalid)), {}, {}};
  }
  if (result.ok) {
    out.push_back('}');
    from->send(std::move(out));
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
    from->send(error_message(id, result.code, result.message, result.data));
  }
  in_flight_.fetch_sub(1);
}

}  // namespace myapp
