// The JSON codec's non-template half: the writer, and the reader on simdjson's on-demand API.
// This is the only translation unit that includes simdjson, which is why it is kept whole.

#include "myapp/json.hpp"
#include "myapp/bytes.hpp"

#include <fmt/format.h>
// Errors are values here: no simdjson call may throw.
#define SIMDJSON_EXCEPTIONS 0
#include <simdjson.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

namespace ondemand = simdjson::ondemand;

namespace myapp::json {

std::string_view type_name(type t) noexcept {
  switch (t) {
    case type::null: return "null";
    case type::boolean: return "boolean";
    case type::number: return "number";
    case type::string: return "string";
    case type::array: return "array";
    case type::object: return "object";
  }
  return "value";
}

std::string camel_case(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool upper_next = false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '_' && !out.empty()) {
      upper_next = true;
      continue;
    }
    if (upper_next && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    upper_next = false;
    out.push_back(c);
  }
  return out;
}

namespace {
// The words of a member name: split at `_` (and `-`) and where a lower-case letter or digit is
// followed by an upper-case one ("maxTags", "max_tags" → max, tags).
std::vector<std::string> words_of(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '_' || c == '-') {
      flush();
      continue;
    }
    const bool upper = c >= 'A' && c <= 'Z';
    if (upper && i > 0) {
      const char p = name[i - 1];
      if ((p >= 'a' && p <= 'z') || (p >= '0' && p <= '9')) flush();
    }
    word.push_back(c);
  }
  flush();
  return words;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

std::string join_words(const std::vector<std::string>& words, std::string_view separator,
                       char (*first_letter)(char), char (*other_letters)(char),
                       bool first_word_lower) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i != 0) out += separator;
    for (std::size_t j = 0; j < words[i].size(); ++j) {
      char c = words[i][j];
      if (j == 0) {
        c = (i == 0 && first_word_lower) ? lower(c) : first_letter(c);
      } else {
        c = other_letters(c);
      }
      out.push_back(c);
    }
  }
  return out;
}
}  // namespace

std::string apply_naming(std::string_view name, naming n) {
  switch (n) {
    case naming::camel_case: return camel_case(name);  // the spelling keys always had
    case naming::as_written: return std::string(name);
    case naming::snake_case: return join_words(words_of(name), "_", lower, lower, false);
    case naming::kebab_case: return join_words(words_of(name), "-", lower, lower, false);
    case naming::pascal_case: return join_words(words_of(name), "", upper, lower, false);
    case naming::screaming_snake_case: return join_words(words_of(name), "_", upper, upper, false);
  }
  return std::string(name);
}

namespace detail {

bool same_key_but_spelling(std::string_view got, std::string_view want) noexcept {
  std::size_t i = 0;
  std::size_t j = 0;
  bool differs = false;
  for (;;) {
    while (i < got.size() && (got[i] == '_' || got[i] == '-')) ++i;
    while (j < want.size() && (want[j] == '_' || want[j] == '-')) ++j;
    if (i == got.size() || j == want.size()) break;
    if (lower(got[i]) != lower(want[j])) return false;
    ++i;
    ++j;
  }
  if (i != got.size() || j != want.size()) return false;
  differs = got != want;
  return differs;
}

bool fail_unknown_key(decoder& d, std::string_view key, std::string_view near_field) {
  d.push_key(key);
  if (near_field.empty()) {
    d.fail_value("one of the object's keys", fmt::format("the key `{}`", key));
  } else {
    d.fail_value(fmt::format("the key `{}`", near_field), fmt::format("the key `{}`", key));
  }
  d.pop();
  return false;
}

}  // namespace detail

bool is_valid_utf8(std::string_view text) noexcept {
  return simdjson::validate_utf8(text.data(), text.size());
}

namespace detail {
std::string integer_expected(bool is_signed, std::int64_t lo, std::uint64_t hi) {
  if (is_signed) return fmt::format("integer in [{}, {}]", lo, hi);
  return fmt::format("integer in [0, {}]", hi);
}
}  // namespace detail

// ---------------------------------------------------------------------------------------------
// writer

namespace {
constexpr char HEX[] = "0123456789abcdef";

// Word-at-a-time byte tests (8 bytes of text as one little-endian integer): the high bit of
// each byte that passes is set. Whether any byte passes is exact, and so is the lowest marked
// byte; bytes above a marked one may be marked wrongly.
constexpr std::uint64_t ONES = 0x0101010101010101ULL;
constexpr std::uint64_t HIGHS = 0x8080808080808080ULL;
constexpr bool WORDS = std::endian::native == std::endian::little;
std::uint64_t load_word(const char* p) {
  std::uint64_t w = 0;
  std::memcpy(&w, p, sizeof w);
  return w;
}
constexpr std::uint64_t bytes_equal(std::uint64_t w, char c) {
  const std::uint64_t x = w ^ (ONES * static_cast<unsigned char>(c));
  return (x - ONES) & ~x & HIGHS;
}
constexpr std::uint64_t bytes_below(std::uint64_t w, unsigned char n) {
  return (w - ONES * n) & ~w & HIGHS;
}
constexpr std::uint64_t quotes_or_backslashes(std::uint64_t w) {
  return bytes_equal(w, '"') | bytes_equal(w, '\\');
}
// None of the 8 bytes needs escaping in a JSON string.
constexpr bool clean_word(std::uint64_t w) {
  return (bytes_below(w, 0x20) | quotes_or_backslashes(w)) == 0;
}

// The index of the first '"' or '\\' in `t` at `i` or after, or t.size(): how a reader
// crosses a string's contents.
std::size_t next_quote_or_backslash(std::string_view t, std::size_t i) {
  if constexpr (WORDS) {
    for (; i + 8 <= t.size(); i += 8) {
      if (const auto hit = quotes_or_backslashes(load_word(t.data() + i)); hit != 0) {
        return i + static_cast<std::size_t>(std::countr_zero(hit) / 8);
      }
    }
  }
  for (; i < t.size(); ++i) {
    if (t[i] == '"' || t[i] == '\\') return i;
  }
  return t.size();
}

// The same in a validated document in the parser's padded buffer, where one comes before the
// document ends and a word read past it stays in the padding.
const char* find_quote_or_backslash(const char* p) {
  if constexpr (WORDS) {
    for (;; p += 8) {
      if (const auto hit = quotes_or_backslashes(load_word(p)); hit != 0) {
        return p + std::countr_zero(hit) / 8;
      }
    }
  }
  while (*p != '"' && *p != '\\') ++p;
  return p;
}

// 1 for bytes that need escaping inside a JSON string.
constexpr std::array<bool, 256> make_escape_table() {
  std::array<bool, 256> t{};
  for (int i = 0; i < 0x20; ++i) t[static_cast<std::size_t>(i)] = true;
  t['"'] = true;
  t['\\'] = true;
  return t;
}
constexpr auto NEEDS_ESCAPE = make_escape_table();
}  // namespace

bool write_string(std::string& out, std::string_view s) {
  if (!is_valid_utf8(s)) return false;
  out.reserve(out.size() + s.size() + 2);
  out.push_back('"');
  std::size_t run = 0;  // start of the current run of bytes copied as they are
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Long clean stretches (most text) are skipped 16 bytes at a time.
    while (WORDS && i + 16 <= s.size() && clean_word(load_word(s.data() + i)) &&
           clean_word(load_word(s.data() + i + 8))) {
      i += 16;
    }
    if (i == s.size()) break;
    auto c = static_cast<unsigned char>(s[i]);
    if (!NEEDS_ESCAPE[c]) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      default: {
        const char esc[] = {'\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 0xF]};
        out.append(esc, sizeof esc);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
  return true;
}

void writer::separate() {
  if (after_key_) {
    after_key_ = false;
  } else if (need_comma_) {
    out_->push_back(',');
  }
}

void writer::null() {
  separate();
  out_->append("null");
  need_comma_ = true;
}

void writer::boolean(bool v) {
  separate();
  out_->append(v ? "true" : "false");
  need_comma_ = true;
}

void writer::number(std::int64_t v) {
  separate();
  fmt::format_to(std::back_inserter(*out_), "{}", v);
  need_comma_ = true;
}

void writer::number(std::uint64_t v) {
  separate();
  fmt::format_to(std::back_inserter(*out_), "{}", v);
  need_comma_ = true;
}

void writer::number(double v) {
  separate();
  if (!std::isfinite(v)) {
    fail(fmt::format("cannot write the non-finite number {} as JSON", v));
    out_->append("null");
  } else {
    // fmt prints the shortest text that reads back as the same double.
    fmt::format_to(std::back_inserter(*out_), "{}", v);
  }
  need_comma_ = true;
}

void writer::string(std::string_view v) {
  if (attachments_ != nullptr && v.size() >= text_min_) [[unlikely]] {
    text_attachment(v);
    return;
  }
  separate();
  if (!write_string(*out_, v)) {
    fail("cannot write a string that is not valid UTF-8 as JSON");
    out_->append("null");
  }
  need_comma_ = true;
}

// A long string as a raw UTF-8 attachment: no escaping here, no JSON.parse of it on the page.
void writer::text_attachment(std::string_view v) {
  separate();
  need_comma_ = true;
  if (!is_valid_utf8(v)) {
    fail("cannot write a string that is not valid UTF-8 as JSON");
    out_->append("null");
    return;
  }
  out_->append(R"({"$str":)");
  out_->append(std::to_string(attachments_->size()));
  out_->push_back('}');
  attachments_->push_back(bytes(std::string(v)));
}

void writer::raw(std::string_view json) {
  separate();
  out_->append(json);
  need_comma_ = true;
}

void writer::begin_object() {
  separate();
  out_->push_back('{');
  need_comma_ = false;
}

void writer::key(std::string_view k) {
  if (need_comma_) out_->push_back(',');
  if (!write_string(*out_, k)) {
    fail("cannot write a key that is not valid UTF-8 as JSON");
    out_->append("\"\"");
  }
  out_->push_back(':');
  after_key_ = true;
  need_comma_ = false;
}

void writer::end_object() {
  out_->push_back('}');
  need_comma_ = true;
}

void writer::begin_array() {
  separate();
  out_->push_back('[');
  need_comma_ = false;
}

void writer::end_array() {
  out_->push_back(']');
  need_comma_ = true;
}

void writer::fail(std::string why) {
  if (error_.empty()) error_ = std::move(why);
}

// ---------------------------------------------------------------------------------------------
// decoder

bool decoder::take_text(std::size_t n, std::size_t index) {
  if (n <= text_left_) {
    text_left_ -= n;
    return true;
  }
  over_limit_ = true;
  return fail(fmt::format("the strings of this message (attachment {} brings them past {} bytes) are "
                          "larger than the app accepts in one message",
                          index, text_limit_));
}

bool decoder::fail(std::string reason) {
  if (failed()) return false;  // keep the first, innermost reason
  where_ = current_path();
  reason_ = std::move(reason);
  return false;
}

bool decoder::fail_type(std::string_view expected, value& v) {
  if (failed()) return false;
  expected_ = expected;
  got_ = v.describe();
  return fail(fmt::format("expected {}, got {}", expected_, got_));
}

bool decoder::fail_value(std::string_view expected, std::string got) {
  if (failed()) return false;
  expected_ = expected;
  got_ = std::move(got);
  return fail(fmt::format("expected {}, got {}", expected_, got_));
}

bool decoder::fail_missing(std::string_view key, std::string_view expected) {
  if (failed()) return false;
  push_key(key);
  expected_ = expected;
  got_ = "nothing";
  fail(fmt::format("missing key `{}` (expected {})", key, expected));
  pop();
  return false;
}

bool decoder::enter() {
  if (++depth_ > max_depth_) {
    --depth_;
    return fail(fmt::format("nesting deeper than the limit of {}", max_depth_));
  }
  return true;
}

std::string decoder::current_path() const {
  std::string p;
  const std::size_t n = std::min(size_, MAX_PATH);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& seg = path_[i];
    if (seg.is_index) {
      fmt::format_to(std::back_inserter(p), "[{}]", seg.index);
    } else {
      if (!p.empty()) p.push_back('.');
      p += seg.key;
    }
  }
  if (size_ > MAX_PATH) p += "...";
  return p;
}

std::string decoder::message() const {
  if (where_.empty()) return reason_;
  return fmt::format("at `{}`: {}", where_, reason_);
}

// ---------------------------------------------------------------------------------------------
// value

struct value_access {
  static ondemand::value& get(value& v) {
    return *std::launder(reinterpret_cast<ondemand::value*>(v.storage_));
  }
  static void emplace(value& v, ondemand::value&& inner) {
    static_assert(sizeof(ondemand::value) <= sizeof(v.storage_));
    static_assert(alignof(ondemand::value) <= 8);
    new (v.storage_) ondemand::value(std::move(inner));
    v.live_ = true;
  }
};

value::~value() {
  if (live_) value_access::get(*this).~value();
}

namespace {
// A short, printable excerpt of a scalar's JSON text for error messages.
std::string excerpt(std::string_view token) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' ||
                            token.back() == '\t' || token.back() == ',' || token.back() == ']' ||
                            token.back() == '}')) {
    token.remove_suffix(1);
  }
  constexpr std::size_t MAX = 40;
  std::string out(token.substr(0, MAX));
  if (token.size() > MAX) out += "...";
  for (auto& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return out;
}

bool simd_fail(decoder& d, simdjson::error_code e) {
  return d.fail(fmt::format("malformed JSON ({})", simdjson::error_message(e)));
}
}  // namespace

bool value::get_type(type& out, decoder& d) {
  ondemand::json_type t{};
  if (auto e = value_access::get(*this).type().get(t)) return simd_fail(d, e);
  switch (t) {
    case ondemand::json_type::array: out = type::array; break;
    case ondemand::json_type::object: out = type::object; break;
    case ondemand::json_type::number: out = type::number; break;
    case ondemand::json_type::string: out = type::string; break;
    case ondemand::json_type::boolean: out = type::boolean; break;
    case ondemand::json_type::null: out = type::null; break;
  }
  return true;
}

std::string value::describe() {
  auto& v = value_access::get(*this);
  ondemand::json_type t{};
  if (v.type().get(t)) return "malformed JSON";
  switch (t) {
    case ondemand::json_type::array: return "array";
    case ondemand::json_type::object: return "object";
    case ondemand::json_type::null: return "null";
    case ondemand::json_type::number: return "number " + excerpt(v.raw_json_token());
    case ondemand::json_type::boolean: return "boolean " + excerpt(v.raw_json_token());
    case ondemand::json_type::string: return "string " + excerpt(v.raw_json_token());
  }
  return "value";
}

bool value::read(bool& out, decoder& d) {
  auto& v = value_access::get(*this);
  if (v.get_bool().get(out) != simdjson::SUCCESS) return d.fail_type("boolean", *this);
  return true;
}

namespace {
// True for a number token without fraction or exponent: an integer, whatever its size.
bool integer_token(std::string_view token) {
  return token.find_first_of(".eE") == std::string_view::npos;
}
}  // namespace

bool value::read(std::int64_t& out, decoder& d) {
  auto& v = value_access::get(*this);
  auto e = v.get_int64().get(out);
  if (e == simdjson::SUCCESS) return true;
  ondemand::json_type t{};
  if (e == simdjson::NUMBER_OUT_OF_RANGE ||
      (v.type().get(t) == simdjson::SUCCESS && t == ondemand::json_type::number &&
       integer_token(excerpt(v.raw_json_token())))) {
    return d.fail(fmt::format("expected integer in [{}, {}], got {}",
                              std::numeric_limits<std::int64_t>::min(),
                              std::numeric_limits<std::int64_t>::max(),
                              excerpt(v.raw_json_token())));
  }
  return d.fail_type("integer", *this);
}

bool value::read(std::uint64_t& out, decoder& d) {
  auto& v = value_access::get(*this);
  auto e = v.get_uint64().get(out);
  if (e == simdjson::SUCCESS) return true;
  ondemand::json_type t{};
  auto token = excerpt(v.raw_json_token());
  if (e == simdjson::NUMBER_OUT_OF_RANGE ||
      (v.type().get(t) == simdjson::SUCCESS && t == ondemand::json_type::number &&
       integer_token(token) && !token.starts_with('-'))) {
    return d.fail(fmt::format("expected integer in [0, {}], got {}",
                              std::numeric_limits<std::uint64_t>::max(), token));
  }
  return d.fail_type("non-negative integer", *this);
}

bool value::read(double& out, decoder& d) {
  auto& v = value_access::get(*this);
  if (v.get_double().get(out) != simdjson::SUCCESS) return d.fail_type("number", *this);
  return true;
}

namespace {
void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The four hex digits at `at` in `s`.
bool hex4(std::string_view s, std::size_t at, std::uint32_t& out) {
  if (at + 4 > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + 4; ++i) {
    const char c = s[i];
    std::uint32_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<std::uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<std::uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<std::uint32_t>(c - 'A' + 10);
    } else {
      return false;
    }
    out = out * 16 + digit;
  }
  return true;
}

// The text of a JSON string token (from its opening quote; anything after the closing quote is
// ignored) with each escaped lone UTF-16 surrogate read as U+FFFD, as the page's own
// UTF-8 encoders (TextEncoder, fetch, WebSocket) and myapp's long strings read one. False when
// the token is malformed otherwise (a bad escape, a control character, no closing quote, text
// that is not UTF-8).
bool unescape_replacing_surrogates(std::string_view token, std::string& out) {
  out.clear();
  if (token.empty() || token[0] != '"') return false;
  for (std::size_t i = 1; i < token.size(); ++i) {
    const char c = token[i];
    if (c == '"') return is_valid_utf8(out);
    if (static_cast<unsigned char>(c) < 0x20) return false;
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i == token.size()) return false;
    switch (token[i]) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case '/': out.push_back('/'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        std::uint32_t unit = 0;
        if (!hex4(token, i + 1, unit)) return false;
        i += 4;
        std::uint32_t low = 0;
        if (unit >= 0xD800 && unit <= 0xDBFF && i + 6 < token.size() && token[i + 1] == '\\' &&
            token[i + 2] == 'u' && hex4(token, i + 3, low) && low >= 0xDC00 && low <= 0xDFFF) {
          unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
          i += 6;
        } else if (unit >= 0xD800 && unit <= 0xDFFF) {
          unit = 0xFFFD;  // a surrogate without its other half
        }
        append_utf8(out, unit);
        break;
      }
      default: return false;
    }
  }
  return false;
}

// An object's key that simdjson refused, from its raw text (taken before unescaped_key(), which
// consumes it): read as unescape_replacing_surrogates reads a string. simdjson's first stage
// found the key's closing quote, so the scan for it stops there.
bool key_replacing_surrogates(ondemand::raw_json_string raw, std::string& out) {
  const char* start = raw.raw();  // just after the opening quote
  const char* p = start;
  while (*p != '"') p += *p == '\\' ? 2 : 1;
  return unescape_replacing_surrogates(
      std::string_view(start - 1, static_cast<std::size_t>(p - start) + 2), out);
}
}  // namespace

bool value::read(std::string_view& out, decoder& d) {
  auto& v = value_access::get(*this);
  const auto e = v.get_string().get(out);
  if (e == simdjson::SUCCESS) return true;
  if (e == simdjson::INCORRECT_TYPE && d.attachments() != nullptr) {
    return read_text_reference(out, d);
  }
  if (e == simdjson::STRING_ERROR) {
    // simdjson refuses a lone surrogate's escape, which JSON.stringify writes for a string cut
    // in the middle of a pair: it becomes U+FFFD, as it does in a long string sent beside the
    // JSON. Other malformed strings are refused.
    std::string text;
    const std::string_view token = v.raw_json_token();
    if (!unescape_replacing_surrogates(token, text)) {
      return d.fail_value("string", "malformed string " + excerpt(token));
    }
    out = d.keep(std::move(text));
    return true;
  }
  return d.fail_type("string", *this);
}

// `{"$str": index}`: the string is the attachment's bytes, which must be UTF-8.
bool value::read_text_reference(std::string_view& out, decoder& d) {
  ondemand::json_type t{};
  if (value_access::get(*this).type().get(t) != simdjson::SUCCESS || t != ondemand::json_type::object) {
    return d.fail_type("string", *this);
  }
  std::optional<std::uint64_t> index;
  bool other = false;
  if (!for_each_field(d, [&](std::string_view key, value& field) {
        if (key != "$str" || index) {
          other = true;
          return field.skip(d);
        }
        std::uint64_t i = 0;
        if (!field.read(i, d)) return false;
        index = i;
        return true;
      })) {
    return false;
  }
  if (!index || other) return d.fail_value("string", "object");
  const auto& list = *d.attachments();
  if (*index >= list.size()) {
    return d.fail(fmt::format("the message carries no attachment {} for this string", *index));
  }
  const bytes& b = list[*index];
  if (!d.take_text(b.size(), *index)) return false;
  out = std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
  if (!is_valid_utf8(out)) {
    return d.fail(fmt::format("attachment {} holds this string's text but is not valid UTF-8", *index));
  }
  return true;
}

bool value::read(std::string& out, decoder& d) {
  std::string_view s;
  if (!read(s, d)) return false;
  out.assign(s);
  return true;
}

bool value::is_null() {
  bool null = false;
  // A malformed atom is "not null"; the reader that comes next reports it.
  return value_access::get(*this).is_null().get(null) == simdjson::SUCCESS && null;
}

namespace {
// Reads every part of `v`, so that malformed content inside it is reported: on-demand parsing
// skips values it is not asked for without checking them. Recursion is bounded by the nesting
// check every document passes before it is parsed.
simdjson::error_code validate(ondemand::value& v, std::size_t depth_left) {
  ondemand::json_type t{};
  if (auto e = v.type().get(t)) return e;
  if ((t == ondemand::json_type::array || t == ondemand::json_type::object) && depth_left == 0) {
    return simdjson::DEPTH_ERROR;
  }
  switch (t) {
    case ondemand::json_type::array: {
      ondemand::array a;
      if (auto e = v.get_array().get(a)) return e;
      for (auto element : a) {
        ondemand::value inner;
        if (auto e = element.get(inner)) return e;
        if (auto e = validate(inner, depth_left - 1)) return e;
      }
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::object: {
      ondemand::object o;
      if (auto e = v.get_object().get(o)) return e;
      for (auto field : o) {
        std::string_view key;
        std::string repaired;
        ondemand::raw_json_string raw;
        if (auto e = field.key().get(raw)) return e;
        if (auto e = field.unescaped_key().get(key)) {
          if (e != simdjson::STRING_ERROR || !key_replacing_surrogates(raw, repaired)) return e;
          key = repaired;
        }
        ondemand::value inner;
        if (auto e = field.value().get(inner)) return e;
        if (auto e = validate(inner, depth_left - 1)) return e;
      }
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::number: {
      ondemand::number n;
      return v.get_number().get(n);
    }
    case ondemand::json_type::string: {
      std::string_view s;
      const auto e = v.get_string().get(s);
      if (e != simdjson::STRING_ERROR) return e;
      std::string text;  // a lone surrogate's escape reads as U+FFFD (value::read)
      return unescape_replacing_surrogates(v.raw_json_token(), text) ? simdjson::SUCCESS : e;
    }
    case ondemand::json_type::boolean: {
      bool b = false;
      return v.get_bool().get(b);
    }
    case ondemand::json_type::null:
    {
      bool null = false;
      if (auto e = v.is_null().get(null)) return e;
      return null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::TAPE_ERROR;
}

// The end (one past the closing bracket) of the array or object that starts at `begin`. The
// text has been validated, so the matching bracket exists.
const char* matching_end(const char* begin) {
  std::size_t depth = 0;
  bool in_string = false;
  for (const char* p = begin;; ++p) {
    if (in_string) {
      p = find_quote_or_backslash(p);
      if (*p == '\\') {
        ++p;
      } else {
        in_string = false;
      }
      continue;
    }
    char c = *p;
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if ((c == ']' || c == '}') && --depth == 0) {
      return p + 1;
    }
  }
}

std::string_view trim_end(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}
}  // namespace

bool value::read_object_extent(std::string_view& out, decoder& d) {
  auto& v = value_access::get(*this);
  ondemand::object o;
  if (v.get_object().get(o) != simdjson::SUCCESS) return d.fail_type("object", *this);
  if (auto e = o.raw_json().get(out)) return simd_fail(d, e);
  return true;
}

namespace {
bool validate_fail(decoder& d, simdjson::error_code e) {
  if (e == simdjson::DEPTH_ERROR) {
    return d.fail(fmt::format("nesting deeper than the limit of {}", d.max_depth()));
  }
  return simd_fail(d, e);
}
}  // namespace

bool value::skip(decoder& d) {
  if (auto e = validate(value_access::get(*this), d.depth_left())) return validate_fail(d, e);
  return true;
}

bool value::read_raw(std::string_view& out, decoder& d) {
  auto& v = value_access::get(*this);
  ondemand::json_type t{};
  if (auto e = v.type().get(t)) return simd_fail(d, e);
  std::string_view token = v.raw_json_token();
  if (auto e = validate(v, d.depth_left())) return validate_fail(d, e);
  if (t == ondemand::json_type::array || t == ondemand::json_type::object) {
    out = std::string_view(token.data(), static_cast<std::size_t>(matching_end(token.data()) -
                                                                  token.data()));
  } else {
    out = trim_end(token);
  }
  return true;
}

namespace detail {
bool expand_text_references(std::string_view text, decoder& d, std::string& out) {
  out.clear();
  const auto* list = d.attachments();
  if (list == nullptr || text.find(R"("$str")") == std::string_view::npos) {
    out.assign(text);
    return true;
  }
  // `text` is valid JSON (read_raw checked it): scan it, outside strings, for objects that are
  // exactly {"$str": <index>}.
  const auto skip_space = [&](std::size_t i) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
    return i;
  };
  std::size_t copied = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c != '{') continue;
    std::size_t j = skip_space(i + 1);
    if (text.substr(j, 6) != R"("$str")") continue;
    j = skip_space(j + 6);
    if (j >= text.size() || text[j] != ':') continue;
    j = skip_space(j + 1);
    std::uint64_t index = 0;
    const std::size_t digits = j;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9' && j - digits < 10) {
      index = index * 10 + static_cast<std::uint64_t>(text[j] - '0');
      ++j;
    }
    if (j == digits) continue;
    j = skip_space(j);
    if (j >= text.size() || text[j] != '}') continue;
    if (index >= list->size()) {
      return d.fail(fmt::format("the message carries no attachment {} for a string", index));
    }
    const bytes& b = (*list)[index];
    if (!d.take_text(b.size(), index)) return false;
    out.append(text.substr(copied, i - copied));
    if (!write_string(out, std::string_view(reinterpret_cast<const char*>(b.data()), b.size()))) {
      return d.fail(fmt::format("attachment {} holds a string's text but is not valid UTF-8", index));
    }
    i = j;
    copied = j + 1;
  }
  out.append(text.substr(copied));
  return true;
}
}  // namespace detail

bool value::iterate_array(decoder& d, element_fn fn, void* ctx) {
  auto& v = value_access::get(*this);
  ondemand::array arr;
  if (v.get_array().get(arr) != simdjson::SUCCESS) return d.fail_type("array", *this);
  for (auto element : arr) {
    ondemand::value inner;
    if (auto e = element.get(inner)) return simd_fail(d, e);
    value wrapped;
    value_access::emplace(wrapped, std::move(inner));
    if (!fn(ctx, wrapped)) return false;
  }
  return true;
}

bool value::iterate_object(decoder& d, field_fn fn, void* ctx) {
  auto& v = value_access::get(*this);
  ondemand::object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return d.fail_type("object", *this);
  for (auto field : obj) {
    std::string_view key;
    ondemand::raw_json_string raw;
    if (auto e = field.key().get(raw)) return simd_fail(d, e);
    if (auto e = field.unescaped_key().get(key)) {
      // A lone surrogate's escape reads as U+FFFD, as in a string (value::read).
      std::string repaired;
      if (e != simdjson::STRING_ERROR || !key_replacing_surrogates(raw, repaired)) {
        return simd_fail(d, e);
      }
      key = d.keep(std::move(repaired));
    }
    ondemand::value inner;
    if (auto e = field.value().get(inner)) return simd_fail(d, e);
    value wrapped;
    value_access::emplace(wrapped, std::move(inner));
    if (!fn(ctx, key, wrapped)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// documents

namespace {
// Returns the deepest nesting of arrays and objects in `text`, stopping early once `limit` is
// passed. Runs before simdjson touches the text, so nothing later can recurse without bound.
std::size_t nesting_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      i = next_quote_or_backslash(text, i);
      if (i == text.size()) break;
      if (text[i] == '\\') {
        ++i;
      } else {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '[':
      case '{':
        if (++depth > deepest) {
          deepest = depth;
          if (deepest > limit) return deepest;
        }
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default: break;
    }
  }
  return deepest;
}

struct thread_state {
  ondemand::parser parser;
  std::string buffer;  // the padded copy of the text, reused across documents
};

// One parser per thread, reused. A document being read may call back into code that reads
// another document on the same thread (a handler parsing JSON of its own while its arguments
// are live): the inner read gets a fresh state instead of clobbering the outer one.
struct state_lease {
  state_lease() {
    thread_local thread_state cached;
    thread_local bool busy = false;
    if (!busy) {
      busy = true;
      state = &cached;
      busy_flag = &busy;
    } else {
      owned = std::make_unique<thread_state>();
      state = owned.get();
    }
  }
  ~state_lease() {
    if (busy_flag != nullptr) *busy_flag = false;
  }
  state_lease(const state_lease&) = delete;
  state_lease& operator=(const state_lease&) = delete;
  thread_state* state = nullptr;
  bool* busy_flag = nullptr;
  std::unique_ptr<thread_state> owned;
};
}  // namespace

namespace detail {

bool parse_document(std::string_view text, decoder& d, root_fn fn, void* ctx, bool check_depth) {
  if (check_depth && nesting_depth(text, d.max_depth()) > d.max_depth()) {
    return d.fail(fmt::format("nesting deeper than the limit of {}", d.max_depth()));
  }
  state_lease lease;
  auto& st = *lease.state;
  // Wrapped in [ ] so that a scalar root is read like any other value.
  const std::size_t len = text.size() + 2;
  st.buffer.resize(len + simdjson::SIMDJSON_PADDING);
  st.buffer[0] = '[';
  std::memcpy(st.buffer.data() + 1, text.data(), text.size());
  st.buffer[len - 1] = ']';
  std::memset(st.buffer.data() + len, ' ', simdjson::SIMDJSON_PADDING);

  ondemand::document doc;
  if (auto e = st.parser.iterate(st.buffer.data(), len, st.buffer.size()).get(doc)) {
    if (e == simdjson::UTF8_ERROR) return d.fail("the text is not valid UTF-8");
    if (e == simdjson::EMPTY) return d.fail("empty input");
    return simd_fail(d, e);
  }
  ondemand::array root;
  if (auto e = doc.get_array().get(root)) return simd_fail(d, e);
  std::size_t count = 0;
  for (auto element : root) {
    ondemand::value inner;
    if (auto e = element.get(inner)) return simd_fail(d, e);
    if (++count > 1) return d.fail("unexpected content after the JSON value");
    value wrapped;
    value_access::emplace(wrapped, std::move(inner));
    if (!fn(ctx, wrapped, d)) return false;
  }
  if (count == 0) return d.fail("empty input");
  // current_location() fails with OUT_OF_BOUNDS exactly when nothing is left to read.
  if (doc.current_location().error() == simdjson::SUCCESS) {
    return d.fail("unexpected content after the JSON value");
  }
  return true;
}

}  // namespace detail

}  // namespace myapp::json
