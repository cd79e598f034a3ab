// libFuzzer target: the router's handling of untrusted wire batches (docs/protocol.md).
//
// For each input, a fresh router (handlers inline) with commands covering the argument types
// (string, integers, optional, vector, map, a described struct, json::raw, a channel, a
// cancellation token, the request) and a fresh page that has said hello; the input is given to
// it as one batch. Nothing may crash, leak or hang, and every message sent back must be valid
// JSON (an object): anything else traps (__builtin_trap), which libFuzzer reports as a crash.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "myapp/json.hpp"
#include "myapp/router.hpp"

namespace fuzz {

struct point {
  double x = 0;
  double y = 0;
};
MYAPP_STRUCT(point, x, y)

struct note {
  std::string title;
  std::vector<std::string> tags;
  std::optional<std::int32_t> pinned_at;
  std::map<std::string, double> scores;
  std::optional<point> where;
  std::optional<myapp::json::raw> extra;
};
MYAPP_STRUCT(note, title, tags, pinned_at, scores, where, extra)

struct paging {
  std::int32_t page = 1;
  std::optional<std::int32_t> per_page;
};
MYAPP_STRUCT(paging, page, per_page)

struct ported {  // serde-like options: keys as written, a default, a skip, a flatten
  std::string item_name;
  std::int32_t max_count = 1;
  std::string cache;
  paging paged;
};
MYAPP_STRUCT(ported, item_name, max_count, cache, paged)
MYAPP_STRUCT_OPTIONS(ported, myapp::json::rename_all(myapp::json::naming::as_written),
                     myapp::json::field(&ported::max_count).or_default(),
                     myapp::json::field(&ported::cache).skip(),
                     myapp::json::field(&ported::paged).flatten(),
                     myapp::json::deny_unknown_fields())

}  // namespace fuzz

namespace {

namespace json = myapp::json;

// Answers may nest deeper than a batch may (an answer wraps what it echoes); validity is what
// is checked here, not the limit.
constexpr std::size_t ANSWER_MAX_DEPTH = 1024;

class fuzz_session final : public myapp::session {
 public:
  fuzz_session() {
    info_.label = "main";
    info_.url = "myapp://localhost/index.html";
    info_.origin = "myapp://localhost";
  }
  const myapp::caller_info& caller() const noexcept override { return info_; }
  void send(std::string message) override {
    auto parsed = json::parse<json::raw>(message, ANSWER_MAX_DEPTH);
    if (!parsed || message.empty() || message.front() != '{') __builtin_trap();
    ++sent;
  }
  std::size_t sent = 0;

 private:
  myapp::caller_info info_;
};

void add_commands(myapp::router& r) {
  r.add("greet", [](std::string name) { return "Hello, " + name + "!"; }, {"name"});
  r.add("pair", [](std::int32_t a, std::int64_t b) { return std::vector<std::int64_t>{a, b}; },
        {"a", "b"});
  r.add("unsigned_id", [](std::uint64_t id, std::uint8_t small) { return id / (small + 1U); },
        {"id", "small"});
  r.add("maybe", [](std::optional<std::string> who, std::optional<double> x) {
    return who.value_or("nobody") + (x ? "+x" : "");
  }, {"who", "x"});
  r.add("sum", [](const std::vector<std::int32_t>& xs) {
    std::int64_t s = 0;
    for (auto x : xs) s += x;
    return s;
  }, {"xs"});
  r.add("count_keys", [](const std::map<std::string, std::vector<std::string>>& m) {
    std::map<std::string, std::size_t> out;
    for (const auto& [k, v] : m) out[k] = v.size();
    return out;
  }, {"by_key"});
  r.add("save", [](const fuzz::note& n) { return n; });  // the whole args object is the struct
  r.add("echo", [](json::raw value) { return value; }, {"value"});
  r.add("headers", [](const myapp::request& req) { return json::raw{std::string(req.headers_json())}; });
  r.add("count", [](std::int32_t up_to, myapp::channel<std::int32_t> ch) {
    // try_send: the handler runs inline on the receiving thread, where blocking would hang.
    for (std::int32_t i = 0; i < up_to && i < 8; ++i) {
      if (ch.try_send(i) != myapp::send_result::sent) break;
    }
    ch.close();
  }, {"up_to", "channel"});
  r.add("stream_notes", [](myapp::channel<fuzz::note> ch, const fuzz::note& n) {
    (void)ch.try_send(n);
    (void)ch.try_send(n);
  }, {"ch", "n"});
  r.add("slow", [](myapp::cancel_token token, std::optional<std::int32_t> n) {
    return token.cancelled() ? -1 : n.value_or(0);
  }, {"n"});
  r.add("fail", [](std::string code, std::string message) -> int {
    throw myapp::error(std::move(code), std::move(message));
  }, {"code", "message"});
  r.add("fail_data", [](std::string message, json::raw data) -> int {
    throw myapp::error("fuzz.data", std::move(message), data.text);
  }, {"message", "data"});
  r.add("throw_std", [](std::string what) -> int { throw std::runtime_error(what); }, {"what"});
  r.add("checked", [](std::int32_t x) -> myapp::result<std::int32_t> {
    if (x < 0) return myapp::error("math.negative", "x must not be negative");
    return x / 2;
  }, {"x"});
  r.add("nothing", [] {});
  r.add("upload", [](const myapp::request& req) -> myapp::result<std::size_t, std::string> {
    if (!req.header("authorization")) return std::string("missing Authorization header");
    return req.body().size();
  }, {}, {.raw_body = true});
  r.add("login", [](std::string user) -> myapp::result<bool, fuzz::note> {
    if (user.empty()) return fuzz::note{};
    if (user != "ada") return myapp::err(fuzz::note{user, {}, {}, {}, {}, {}});
    return true;
  }, {"user"});
  r.add("reject_value", [](json::raw value) -> int { throw myapp::reject(value); }, {"value"});
  r.add("ported", [](const fuzz::ported& p) { return p; });
  r.add("bytes_echo", [](myapp::bytes b, std::optional<std::vector<myapp::bytes>> more) {
    return std::vector<myapp::bytes>{b, more && !more->empty() ? more->front() : b};
  }, {"data", "more"});
  r.add("span_size", [](std::span<const std::byte> s) { return s.size(); }, {"data"});
  r.add("main_only", [](std::string s) { return s.size(); }, {"s"},
        myapp::command_options{.main_thread = true});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view batch(reinterpret_cast<const char*>(data), size);
  myapp::router r(myapp::router_options{.run_inline = true});
  add_commands(r);
  r.listen("fuzz", [](const myapp::event& e) {
    if (!json::parse<json::raw>(e.payload_json, ANSWER_MAX_DEPTH)) __builtin_trap();
  }, {.target = "*"});

  auto page = std::make_shared<fuzz_session>();
  r.receive(R"J([{"k":"hello","v":1}])J", page);
  if (page->sent != 1) __builtin_trap();  // the welcome
  // Two buffers as if they came over the bulk lane before the batch (`{"lane": 0}`, `{"lane": 1}`).
  static const auto uploads = std::make_shared<const std::vector<myapp::bytes>>(
      std::vector<myapp::bytes>{myapp::bytes(std::string("lane zero")), myapp::bytes()});
  r.receive(batch, page, uploads);
  r.close_session(page);
  return 0;
}
