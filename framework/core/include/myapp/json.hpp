// myapp — the JSON codec: typed reading (simdjson on-demand underneath) and writing (fmt).
//
// Reading goes straight from the JSON text into C++ values, with no DOM in between; writing
// goes straight from C++ values into a std::string. Supported out of the box: bool, integers
// (range-checked), float and double, std::string, std::optional, std::vector, maps with string
// keys, `json::raw` (any JSON value kept as text), and structs described once:
//
//     struct note { std::string title; std::vector<std::string> tags; std::optional<int> pinned_at; };
//     MYAPP_STRUCT(note, title, tags, pinned_at)   // same namespace as `note`
//
//     auto n = myapp::json::parse<note>(R"({"title":"a","tags":[],"pinnedAt":3})");
//     std::string text = myapp::json::to_json(n.value()).value();
//
// Field and argument keys are camelCase on the JSON side (`pinned_at` ↔ "pinnedAt"), as a
// JavaScript caller expects; MYAPP_STRUCT_OPTIONS spells them otherwise (json_struct.hpp).
// Other types plug in by specializing `myapp::json::codec<T>`.
#pragma once

#include <array>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <forward_list>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "myapp/detail/pp.hpp"
#include "myapp/error.hpp"
#include "myapp/protocol.hpp"

namespace myapp {
class bytes;
}  // namespace myapp

namespace myapp::json {

/// The type of a JSON value.
enum class type { null, boolean, number, string, array, object };

/// "null", "boolean", "number", "string", "array" or "object".
[[nodiscard]] std::string_view type_name(type t) noexcept;

/// `snake_case` → `camelCase` ("pinned_at" → "pinnedAt"); other names are returned unchanged.
[[nodiscard]] std::string camel_case(std::string_view name);

/// True when `text` is valid UTF-8.
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;

/// Any JSON value, kept as its JSON text. Reading copies the text; writing emits it as is.
struct raw {
  std::string text;
  friend bool operator==(const raw&, const raw&) = default;
};

// ---------------------------------------------------------------------------------------------
// Writing

/// Appends JSON to a string. Commas and colons are placed automatically:
///
///     std::string out;
///     json::writer w(out);
///     w.begin_object(); w.key("a"); w.number(1); w.key("b"); w.string("x"); w.end_object();
///     // out == R"({"a":1,"b":"x"})"
///
/// Strings are checked: invalid UTF-8 or a non-finite number makes the writer fail (`ok()` is
/// false and `error()` says why); output written after a failure is meaningless.
class writer {
 public:
  explicit writer(std::string& out) noexcept : out_(&out) {}

  void null();
  void boolean(bool v);
  void number(std::int64_t v);
  void number(std::uint64_t v);
  void number(double v);
  template <std::integral I>
    requires(!std::same_as<I, bool>)
  void number(I v) {
    if constexpr (std::is_signed_v<I>) {
      number(static_cast<std::int64_t>(v));
    } else {
      number(static_cast<std::uint64_t>(v));
    }
  }
  void string(std::string_view v);
  /// Writes `json` unchanged; it must already be one valid JSON value.
  void raw(std::string_view json);
  void begin_object();
  void key(std::string_view k);
  void end_object();
  void begin_array();
  void end_array();

  [[nodiscard]] bool ok() const noexcept { return error_.empty(); }
  [[nodiscard]] const std::string& error() const noexcept { return error_; }
  void fail(std::string why);
  [[nodiscard]] std::string& out() noexcept { return *out_; }

  /// Where `myapp::bytes` values go: with a list, each is appended to it and written as
  /// `{"$bytes": index}`; without one (the default), as a base64 string. With a list, strings of
  /// `text_min` bytes or more go there too, as their UTF-8, written `{"$str": index}`.
  void set_attachments(std::vector<bytes>* list,
                       std::size_t text_min = protocol::TEXT_ATTACHMENT_MIN) noexcept {
    attachments_ = list;
    text_min_ = text_min;
  }
  [[nodiscard]] std::vector<bytes>* attachments() const noexcept { return attachments_; }

 private:
  void separate();
  std::string* out_;
  void text_attachment(std::string_view v);
  std::vector<bytes>* attachments_ = nullptr;
  std::size_t text_min_ = protocol::TEXT_ATTACHMENT_MIN;
  bool need_comma_ = false;
  bool after_key_ = false;
  std::string error_;
};

/// Appends `s` to `out` as a JSON string literal (quotes included), escaping `"`, `\` and
/// control characters. Returns false, appending nothing, when `s` is not valid UTF-8.
bool write_string(std::string& out, std::string_view s);

// ---------------------------------------------------------------------------------------------
// Reading

class value;

/// The context of one decode: where in the document we are, how deep, and what went wrong.
class decoder {
 public:
  explicit decoder(std::size_t max_depth = protocol::DEFAULT_MAX_DEPTH) noexcept
      : max_depth_(max_depth) {}

  /// Record a type mismatch at the current path: "expected X, got <what v holds>".
  bool fail_type(std::string_view expected, value& v);
  /// Record a failure at the current path with a free-form reason.
  bool fail(std::string reason);
  /// Record a value of the right type but not an acceptable one: "expected X, got Y".
  bool fail_value(std::string_view expected, std::string got);
  /// Record a key that is required and absent.
  bool fail_missing(std::string_view key, std::string_view expected);

  /// The key must stay valid until it is popped (keys point into the document being read).
  void push_key(std::string_view key) noexcept {
    if (size_ < MAX_PATH) path_[size_] = segment{key, 0, false};
    ++size_;
  }
  void push_index(std::size_t i) noexcept {
    if (size_ < MAX_PATH) path_[size_] = segment{{}, i, true};
    ++size_;
  }
  void pop() noexcept { --size_; }
  /// Enter a nested array or object; false (with the error recorded) past the depth limit.
  bool enter();
  void leave() noexcept { --depth_; }

  [[nodiscard]] bool failed() const noexcept { return !reason_.empty(); }
  [[nodiscard]] std::size_t max_depth() const noexcept { return max_depth_; }
  /// Levels of nesting still allowed below the current one.
  [[nodiscard]] std::size_t depth_left() const noexcept { return max_depth_ - depth_; }
  /// Where the failure happened, e.g. "user.tags[2]"; empty for the root.
  [[nodiscard]] const std::string& where() const noexcept { return where_; }
  /// What was expected (empty when the failure was not a type mismatch).
  [[nodiscard]] const std::string& expected() const noexcept { return expected_; }
  /// What arrived, e.g. "number 42" (empty when not a type mismatch).
  [[nodiscard]] const std::string& got() const noexcept { return got_; }
  /// The reason alone, e.g. "expected string, got number 42".
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }
  /// The reason with its place, e.g. "at `user.tags[2]`: expected string, got number 42".
  [[nodiscard]] std::string message() const;

  /// The binary attachments that `{"$bytes": index}` in the document refer to (none: null).
  /// A string may be one of them too, written `{"$str": index}`: its bytes are checked to be
  /// UTF-8 and read as the string.
  void set_attachments(const std::vector<bytes>* list) noexcept { attachments_ = list; }
  [[nodiscard]] const std::vector<bytes>* attachments() const noexcept { return attachments_; }
  /// The most bytes of text the document's string attachments may hold together (the JSON text
  /// they stand in for would have been bound by the same limit); past it a read fails and
  /// `over_limit()` is true.
  void set_text_limit(std::size_t bytes) noexcept { text_left_ = text_limit_ = bytes; }
  [[nodiscard]] bool over_limit() const noexcept { return over_limit_; }
  /// Internal: takes `n` bytes from the text limit; false (recorded) past it.
  bool take_text(std::size_t n, std::size_t index);
  /// Internal: keeps `text` for as long as the decoder lives (a string that had to be rewritten
  /// while read) and returns a view of it.
  std::string_view keep(std::string text) { return kept_.emplace_front(std::move(text)); }

 private:
  const std::vector<bytes>* attachments_ = nullptr;
  std::size_t text_left_ = static_cast<std::size_t>(-1);
  std::size_t text_limit_ = static_cast<std::size_t>(-1);
  bool over_limit_ = false;
  std::forward_list<std::string> kept_;
  std::string current_path() const;
  // The path is kept without allocating: reading a message must not touch the heap.
  struct segment {
    std::string_view key;
    std::size_t index;
    bool is_index;
  };
  static constexpr std::size_t MAX_PATH = 32;
  std::array<segment, MAX_PATH> path_;
  std::size_t size_ = 0;
  std::size_t depth_ = 0;
  std::size_t max_depth_;
  std::string where_, expected_, got_, reason_;
};

/// One JSON value inside a document being read. Valid only inside the callback that received
/// it; each value can be read once. Every reading function returns false after recording the
/// reason in the decoder.
class value {
 public:
  value(const value&) = delete;
  value& operator=(const value&) = delete;

  /// The type of the value, without consuming it; false when the document is malformed here.
  bool get_type(type& out, decoder& d);
  /// "number 42", "string \"abc\"", "object", ... for error messages.
  std::string describe();

  bool read(bool& out, decoder& d);
  bool read(std::int64_t& out, decoder& d);
  bool read(std::uint64_t& out, decoder& d);
  bool read(double& out, decoder& d);
  bool read(std::string& out, decoder& d);
  /// The unescaped string; the view lives as long as the document.
  bool read(std::string_view& out, decoder& d);
  /// The value's JSON text, whatever its type; the view lives as long as the document.
  bool read_raw(std::string_view& out, decoder& d);
  /// The JSON text of an object or array without checking what is inside it (the reader that
  /// reads the text later checks it). The view lives as long as the document.
  bool read_object_extent(std::string_view& out, decoder& d);
  /// Consumes the value, checking that it is well-formed; for values a reader does not need.
  bool skip(decoder& d);
  /// True (consuming it) when the value is null.
  bool is_null();

  /// Calls `f(value&) -> bool` for each element; stops at the first false.
  template <class F>
  bool for_each_element(decoder& d, F&& f) {
    return iterate_array(d, [](void* ctx, value& v) { return (*static_cast<F*>(ctx))(v); }, &f);
  }
  /// Calls `f(std::string_view key, value&) -> bool` for each field; stops at the first false.
  template <class F>
  bool for_each_field(decoder& d, F&& f) {
    return iterate_object(
        d, [](void* ctx, std::string_view k, value& v) { return (*static_cast<F*>(ctx))(k, v); },
        &f);
  }

  /// Internal: storage for the parser's value, constructed by the implementation.
  value() noexcept = default;
  ~value();

 private:
  bool read_text_reference(std::string_view& out, decoder& d);
  using element_fn = bool (*)(void*, value&);
  using field_fn = bool (*)(void*, std::string_view, value&);
  bool iterate_array(decoder& d, element_fn fn, void* ctx);
  bool iterate_object(decoder& d, field_fn fn, void* ctx);
  friend struct value_access;
  alignas(8) unsigned char storage_[32];
  bool live_ = false;
};

namespace detail {
using root_fn = bool (*)(void*, value&, decoder&);
/// Parses `text` as one JSON document and calls `fn` with its root value. Checks UTF-8, syntax,
/// trailing content and the nesting limit. Uses this thread's parser, reused across calls.
bool parse_document(std::string_view text, decoder& d, root_fn fn, void* ctx,
                    bool check_depth = true);
/// `text` (valid JSON) with every `{"$str": i}` in it replaced by the string that is the decoder's
/// attachment `i`, written as JSON; false (recorded in `d`) for a missing attachment or one that
/// is not UTF-8.
bool expand_text_references(std::string_view text, decoder& d, std::string& out);
}  // namespace detail

/// Parses `text` and calls `f(value&, decoder&) -> bool` with the root value.
template <class F>
bool read_document(std::string_view text, decoder& d, F&& f) {
  return detail::parse_document(
      text, d, [](void* ctx, value& v, decoder& dd) { return (*static_cast<F*>(ctx))(v, dd); }, &f);
}
/// read_document without the up-front nesting scan, for readers that only read flat or check
/// depth as they go (`decoder::enter`, `read_raw` and `skip` do): text cut from a document
/// already checked, or a batch whose deep parts must be answered one by one.
template <class F>
bool read_document_part(std::string_view text, decoder& d, F&& f) {
  return detail::parse_document(
      text, d, [](void* ctx, value& v, decoder& dd) { return (*static_cast<F*>(ctx))(v, dd); }, &f,
      false);
}

// ---------------------------------------------------------------------------------------------
// Codecs

/// Specialize to teach the codec a type: `static bool read(value&, T&, decoder&)`,
/// `static void write(writer&, const T&)` and `static std::string expected()` (what the JSON
/// should look like, for error messages). Either half may be left out.
template <class T, class Enable = void>
struct codec;

template <class T>
concept readable = requires(value& v, T& t, decoder& d) {
  { codec<T>::read(v, t, d) } -> std::same_as<bool>;
};
template <class T>
concept writable = requires(writer& w, const T& t) { codec<T>::write(w, t); };

/// Reads `v` into `out` through `codec<T>`.
template <readable T>
bool read_value(value& v, T& out, decoder& d) {
  return codec<T>::read(v, out, d);
}
/// Writes `v` through `codec<T>`.
template <writable T>
void write_value(writer& w, const T& v) {
  codec<T>::write(w, v);
}
template <class T>
std::string expected_of() {
  if constexpr (requires { codec<T>::expected(); }) {
    return std::string(codec<T>::expected());
  } else {
    return "a value";
  }
}

template <>
struct codec<bool> {
  static bool read(value& v, bool& out, decoder& d) { return v.read(out, d); }
  static void write(writer& w, bool v) { w.boolean(v); }
  static std::string expected() { return "boolean"; }
};

template <class I>
  requires(std::integral<I> && !std::same_as<I, bool> && !std::same_as<I, char> &&
           !std::same_as<I, char8_t> && !std::same_as<I, char16_t> && !std::same_as<I, char32_t> &&
           !std::same_as<I, wchar_t>)
struct codec<I> {
  static std::string expected();
  static bool read(value& v, I& out, decoder& d) {
    if constexpr (std::is_signed_v<I>) {
      std::int64_t x = 0;
      if (!v.read(x, d)) return false;
      if (x < std::numeric_limits<I>::min() || x > std::numeric_limits<I>::max()) {
        return d.fail_value(expected(), "number " + std::to_string(x));
      }
      out = static_cast<I>(x);
    } else {
      std::uint64_t x = 0;
      if (!v.read(x, d)) return false;
      if (x > std::numeric_limits<I>::max()) {
        return d.fail_value(expected(), "number " + std::to_string(x));
      }
      out = static_cast<I>(x);
    }
    return true;
  }
  static void write(writer& w, I v) { w.number(v); }
};
namespace detail {
std::string integer_expected(bool is_signed, std::int64_t lo, std::uint64_t hi);
}
template <class I>
  requires(std::integral<I> && !std::same_as<I, bool> && !std::same_as<I, char> &&
           !std::same_as<I, char8_t> && !std::same_as<I, char16_t> && !std::same_as<I, char32_t> &&
           !std::same_as<I, wchar_t>)
std::string codec<I>::expected() {
  if constexpr (std::is_signed_v<I>) {
    return detail::integer_expected(true, std::numeric_limits<I>::min(),
                                    static_cast<std::uint64_t>(std::numeric_limits<I>::max()));
  } else {
    return detail::integer_expected(false, 0, std::numeric_limits<I>::max());
  }
}

template <std::floating_point F>
struct codec<F> {
  static bool read(value& v, F& out, decoder& d) {
    double x = 0;
    if (!v.read(x, d)) return false;
    // A double beyond F's range would not convert (undefined behaviour, or infinity).
    if (std::abs(x) > static_cast<double>(std::numeric_limits<F>::max())) {
      return d.fail_value(
          "a number in the range of a " + std::string(sizeof(F) == 4 ? "float" : "double"),
          "number " + std::to_string(x));
    }
    out = static_cast<F>(x);
    return true;
  }
  static void write(writer& w, F v) { w.number(static_cast<double>(v)); }
  static std::string expected() { return "number"; }
};

template <>
struct codec<std::string> {
  static bool read(value& v, std::string& out, decoder& d) { return v.read(out, d); }
  static void write(writer& w, const std::string& v) { w.string(v); }
  static std::string expected() { return "string"; }
};
template <>
struct codec<std::string_view> {
  static void write(writer& w, std::string_view v) { w.string(v); }
  static std::string expected() { return "string"; }
};
template <>
struct codec<const char*> {
  static void write(writer& w, const char* v) {
    if (v == nullptr) {
      w.null();
    } else {
      w.string(v);
    }
  }
  static std::string expected() { return "string"; }
};
template <>
struct codec<std::nullptr_t> {
  static bool read(value& v, std::nullptr_t& /*out*/, decoder& d) {
    return v.is_null() || d.fail_type("null", v);
  }
  static void write(writer& w, std::nullptr_t /*v*/) { w.null(); }
  static std::string expected() { return "null"; }
};
template <>
struct codec<raw> {
  static bool read(value& v, raw& out, decoder& d) {
    std::string_view text;
    if (!v.read_raw(text, d)) return false;
    // Long strings that came as attachments are written back into the text.
    return detail::expand_text_references(text, d, out.text);
  }
  static void write(writer& w, const raw& v) { w.raw(v.text.empty() ? "null" : v.text); }
  static std::string expected() { return "any JSON value"; }
};

template <class T>
struct codec<std::optional<T>> {
  static bool read(value& v, std::optional<T>& out, decoder& d)
    requires readable<T>
  {
    if (v.is_null()) {
      out.reset();
      return true;
    }
    T inner{};
    if (!read_value(v, inner, d)) return false;
    out = std::move(inner);
    return true;
  }
  static void write(writer& w, const std::optional<T>& v)
    requires writable<T>
  {
    if (v) {
      write_value(w, *v);
    } else {
      w.null();
    }
  }
  static std::string expected() { return expected_of<T>() + " or null"; }
};

template <class T, class A>
struct codec<std::vector<T, A>> {
  static bool read(value& v, std::vector<T, A>& out, decoder& d)
    requires readable<T>
  {
    out.clear();
    type t{};
    if (!v.get_type(t, d)) return false;
    if (t != type::array) return d.fail_type(expected(), v);
    if (!d.enter()) return false;
    std::size_t i = 0;
    bool ok = v.for_each_element(d, [&](value& e) {
      d.push_index(i++);
      T item{};
      bool good = read_value(e, item, d);
      d.pop();
      if (good) out.push_back(std::move(item));
      return good;
    });
    d.leave();
    return ok;
  }
  static void write(writer& w, const std::vector<T, A>& v)
    requires writable<T>
  {
    w.begin_array();
    for (const auto& item : v) write_value(w, item);
    w.end_array();
  }
  static std::string expected() { return "array of " + expected_of<T>(); }
};

namespace detail {
template <class M>
struct string_map_codec {
  using T = typename M::mapped_type;
  static bool read(value& v, M& out, decoder& d)
    requires readable<T>
  {
    out.clear();
    type t{};
    if (!v.get_type(t, d)) return false;
    if (t != type::object) return d.fail_type(expected(), v);
    if (!d.enter()) return false;
    bool ok = v.for_each_field(d, [&](std::string_view key, value& e) {
      d.push_key(key);
      T item{};
      bool good = read_value(e, item, d);
      d.pop();
      if (good) out.insert_or_assign(std::string(key), std::move(item));
      return good;
    });
    d.leave();
    return ok;
  }
  static void write(writer& w, const M& m)
    requires writable<T>
  {
    w.begin_object();
    for (const auto& [k, item] : m) {
      w.key(k);
      write_value(w, item);
    }
    w.end_object();
  }
  static std::string expected() { return "object of " + expected_of<T>(); }
};
}  // namespace detail

template <class T, class C, class A>
struct codec<std::map<std::string, T, C, A>>
    : detail::string_map_codec<std::map<std::string, T, C, A>> {};
template <class T, class H, class E, class A>
struct codec<std::unordered_map<std::string, T, H, E, A>>
    : detail::string_map_codec<std::unordered_map<std::string, T, H, E, A>> {};

// ---------------------------------------------------------------------------------------------
// Whole documents

/// Parses `text` into a T. Fails with code "json.invalid" and a message naming the place and
/// the reason (syntax, UTF-8, nesting depth, type).
template <readable T>
result<T> parse(std::string_view text, std::size_t max_depth = protocol::DEFAULT_MAX_DEPTH) {
  decoder d(max_depth);
  T out{};
  bool ok = read_document(text, d, [&](value& v, decoder& dd) { return read_value(v, out, dd); });
  if (!ok) return error("json.invalid", d.message());
  return out;
}

/// Writes `v` as JSON text. Fails with code "json.invalid" on invalid UTF-8 or a non-finite
/// number.
template <writable T>
result<std::string> to_json(const T& v) {
  std::string out;
  writer w(out);
  write_value(w, v);
  if (!w.ok()) return error("json.invalid", w.error());
  return out;
}

}  // namespace myapp::json

namespace myapp {
template <class V>
reject::reject(const V& value) {
  std::string text;
  json::writer w(text);
  if constexpr (std::is_array_v<V>) {
    json::write_value(w, std::string_view(value));  // a string literal
  } else {
    json::write_value(w, value);
  }
  if (w.ok()) {
    set(std::move(text), {});
  } else {
    set({}, w.error());
  }
}
}  // namespace myapp

// Described structs (MYAPP_STRUCT) and their options.
#include "myapp/json_struct.hpp"  // IWYU pragma: export
