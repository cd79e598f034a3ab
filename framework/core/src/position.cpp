// Where in a JSON file's text a problem is. The codec (simdjson's on-demand API) says what is
// wrong but not where, so a syntax error is found again here, with its offset, and a key path
// is walked in the text to the key or element it names.
#include "position.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace myapp::detail {

position position_of(std::string_view text, std::size_t offset) {
  if (offset > text.size()) offset = text.size();
  position p{1, 1};
  for (std::size_t i = 0; i < offset; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((c & 0xC0) != 0x80) {  // not a UTF-8 continuation byte: a new character
      ++p.column;
    }
  }
  return p;
}

namespace {

constexpr int MAX_DEPTH = 512;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// `c` as a message shows it.
std::string shown(std::string_view text, std::size_t at) {
  if (at >= text.size()) return "the end of the file";
  const char c = text[at];
  if (c == '\n') return "a line break";
  if (static_cast<unsigned char>(c) < 0x20) return fmt::format("character {:#04x}", static_cast<int>(c));
  return fmt::format("`{}`", c);
}

class validator {
 public:
  explicit validator(std::string_view text) : t_(text) {}

  std::optional<syntax_error> run() {
    skip_space();
    if (failed()) return error_;
    if (i_ >= t_.size()) return fail(0, "the file is empty (a JSON value was expected)");
    if (!value(0)) return error_;
    const std::size_t end = i_;
    skip_space();
    if (failed()) return error_;
    if (i_ < t_.size()) {
      return fail(i_, fmt::format("unexpected {} after the end of the JSON value (the value "
                                  "that starts the file ends at line {})",
                                  shown(t_, i_), position_of(t_, end).line));
    }
    return std::nullopt;
  }

 private:
  bool failed() const { return error_.has_value(); }
  std::optional<syntax_error> fail(std::size_t at, std::string message) {
    if (!error_) error_ = syntax_error{at, std::move(message)};
    return error_;
  }

  void skip_space() {
    while (i_ < t_.size()) {
      if (is_space(t_[i_])) {
        ++i_;
      } else if (t_[i_] == '/' && i_ + 1 < t_.size() && (t_[i_ + 1] == '/' || t_[i_ + 1] == '*')) {
        fail(i_, "comments are not allowed in JSON");
        return;
      } else {
        return;
      }
    }
  }

  bool value(int depth) {
    if (i_ >= t_.size()) {
      fail(i_, "the file ends where a value was expected");
      return false;
    }
    switch (t_[i_]) {
      case '{': return object(depth + 1);
      case '[': return array(depth + 1);
      case '"': return string();
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default:
        if (t_[i_] == '-' || is_digit(t_[i_])) return number();
        fail(i_, fmt::format("expected a value (an object, array, string, number, true, false or "
                             "null), got {}{}",
                             shown(t_, i_),
                             t_[i_] == '\'' ? " (JSON strings use double quotes)" : ""));
        return false;
    }
  }

  bool literal(std::string_view word) {
    if (t_.substr(i_, word.size()) != word) {
      fail(i_, fmt::format("expected `{}` (true, false and null are lower-case words)", word));
      return false;
    }
    i_ += word.size();
    return true;
  }

  bool number() {
    const std::size_t start = i_;
    if (t_[i_] == '-') ++i_;
    if (i_ >= t_.size() || !is_digit(t_[i_])) {
      fail(start, "invalid number: a digit must follow `-`");
      return false;
    }
    if (t_[i_] == '0' && i_ + 1 < t_.size() && is_digit(t_[i_ + 1])) {
      fail(start, "invalid number: no leading zeros (write 7, not 07)");
      return false;
    }
    while (i_ < t_.size() && is_digit(t_[i_])) ++i_;
    if (i_ < t_.size() && t_[i_] == '.') {
      ++i_;
      if (i_ >= t_.size() || !is_digit(t_[i_])) {
        fail(start, "invalid number: a digit must follow the decimal point");
        return false;
      }
      while (i_ < t_.size() && is_digit(t_[i_])) ++i_;
    }
    if (i_ < t_.size() && (t_[i_] == 'e' || t_[i_] == 'E')) {
      ++i_;
      if (i_ < t_.size() && (t_[i_] == '+' || t_[i_] == '-')) ++i_;
      if (i_ >= t_.size() || !is_digit(t_[i_])) {
        fail(start, "invalid number: the exponent has no digits");
        return false;
      }
      while (i_ < t_.size() && is_digit(t_[i_])) ++i_;
    }
    return true;
  }

  bool string() {
    const std::size_t start = i_++;
    while (i_ < t_.size()) {
      const char c = t_[i_];
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c == '\n') break;
      if (static_cast<unsigned char>(c) < 0x20) {
        fail(i_, "a control character in a string (write it as an escape, such as \\t)");
        return false;
      }
      if (c == '\\') {
        if (i_ + 1 >= t_.size()) break;
        const char e = t_[i_ + 1];
        if (e == 'u') {
          for (std::size_t k = 2; k < 6; ++k) {
            const char h = i_ + k < t_.size() ? t_[i_ + k] : '\0';
            if (!is_digit(h) && !((h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) {
              fail(i_, "invalid escape: \\u needs four hexadecimal digits");
              return false;
            }
          }
          i_ += 6;
          continue;
        }
        if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          fail(i_, fmt::format("invalid escape `\\{}` (a backslash is written \\\\)", e));
          return false;
        }
        i_ += 2;
        continue;
      }
      ++i_;
    }
    fail(start, "this string is not closed: its closing `\"` is missing on its line");
    return false;
  }

  // After a member or an element: `,` or the closing bracket. A value starting right there
  // means a comma is missing after the previous one.
  bool separator(char close, std::size_t value_end, const char* what) {
    skip_space();
    if (failed()) return false;
    if (i_ < t_.size() && (t_[i_] == ',' || t_[i_] == close)) return true;
    const bool value_starts =
        i_ < t_.size() && std::string_view("\"{[-0123456789tfn").find(t_[i_]) != std::string_view::npos;
    if (value_starts) {
      fail(value_end, fmt::format("a comma is missing after this {} (expected `,` or `{}` before "
                                  "line {}, column {})",
                                  what, close, position_of(t_, i_).line,
                                  position_of(t_, i_).column));
    } else if (i_ >= t_.size()) {
      fail(i_, fmt::format("the file ends inside an {}: `{}` is missing",
                           close == '}' ? "object" : "array", close));
    } else {
      fail(i_, fmt::format("expected `,` or `{}` after this {}, got {}", close, what, shown(t_, i_)));
    }
    return false;
  }

  // `{...}` or `[...]` at i_, its entries (members or elements) read by `entry` and separated
  // by commas; a trailing comma and a missing bracket are said as such.
  template <class F>
  bool container(int depth, char close, const char* what, F&& entry) {
    if (depth > MAX_DEPTH) {
      fail(i_, fmt::format("nested deeper than {} levels", MAX_DEPTH));
      return false;
    }
    ++i_;  // { or [
    skip_space();
    if (failed()) return false;
    if (i_ < t_.size() && t_[i_] == close) {
      ++i_;
      return true;
    }
    std::size_t comma = std::string_view::npos;
    while (true) {
      if (i_ >= t_.size()) {
        fail(i_, fmt::format("the file ends inside an {}: `{}` is missing",
                             close == '}' ? "object" : "array", close));
        return false;
      }
      if (t_[i_] == close && comma != std::string_view::npos) {
        fail(comma, fmt::format("a comma before `{}`: JSON allows no trailing comma", close));
        return false;
      }
      if (!entry() || !separator(close, i_, what)) return false;
      if (t_[i_] == close) {
        ++i_;
        return true;
      }
      comma = i_++;
      skip_space();
      if (failed()) return false;
    }
  }

  bool object(int depth) {
    return container(depth, '}', "member", [&] {
      if (t_[i_] != '"') {
        fail(i_, fmt::format("expected a key in double quotes, got {}", shown(t_, i_)));
        return false;
      }
      if (!string()) return false;
      skip_space();
      if (failed()) return false;
      if (i_ >= t_.size() || t_[i_] != ':') {
        fail(i_, fmt::format("expected `:` after the key, got {}", shown(t_, i_)));
        return false;
      }
      ++i_;
      skip_space();
      return !failed() && value(depth);
    });
  }

  bool array(int depth) {
    return container(depth, ']', "element", [&] { return value(depth); });
  }

  std::string_view t_;
  std::size_t i_ = 0;
  std::optional<syntax_error> error_;
};

// A walker over text known to be valid JSON (on other text it stays within bounds and finds
// what it can).
class walker {
 public:
  explicit walker(std::string_view text) : t_(text) {}

  std::size_t skip_space(std::size_t i) const {
    while (i < t_.size() && is_space(t_[i])) ++i;
    return i;
  }

  // The offset just after the value at `i`.
  std::size_t skip_value(std::size_t i) const {
    if (i >= t_.size()) return i;
    const char c = t_[i];
    if (c == '"') return skip_string(i);
    if (c == '{' || c == '[') {
      int depth = 0;
      while (i < t_.size()) {
        const char d = t_[i];
        if (d == '"') {
          i = skip_string(i);
          continue;
        }
        if (d == '{' || d == '[') ++depth;
        if (d == '}' || d == ']') {
          if (--depth == 0) return i + 1;
        }
        ++i;
      }
      return i;
    }
    while (i < t_.size() && !is_space(t_[i]) && t_[i] != ',' && t_[i] != '}' && t_[i] != ']') ++i;
    return i;
  }

  std::size_t skip_string(std::size_t i) const {
    ++i;
    while (i < t_.size() && t_[i] != '"') i += t_[i] == '\\' ? 2 : 1;
    return std::min(i + 1, t_.size());  // bounded even in text that is not valid JSON
  }

  // The key's text, unescaped for the common escapes (enough to compare with a path).
  std::string key_at(std::size_t i) const {
    std::string out;
    for (++i; i < t_.size() && t_[i] != '"'; ++i) {
      if (t_[i] == '\\' && i + 1 < t_.size()) ++i;
      out.push_back(t_[i]);
    }
    return out;
  }

  // The member `key` of the object at `i`: {offset of its key, offset of its value}.
  std::optional<std::pair<std::size_t, std::size_t>> member(std::size_t i, std::string_view key) const {
    if (i >= t_.size() || t_[i] != '{') return std::nullopt;
    i = skip_space(i + 1);
    while (i < t_.size() && t_[i] == '"') {
      const std::size_t key_at_i = i;
      const bool match = key_at(i) == key;
      i = skip_space(skip_string(i));
      i = skip_space(i + 1);  // :
      if (match) return std::pair{key_at_i, i};
      i = skip_space(skip_value(i));
      if (i < t_.size() && t_[i] == ',') i = skip_space(i + 1);
    }
    return std::nullopt;
  }

  // The offset of element `n` of the array at `i`.
  std::optional<std::size_t> element(std::size_t i, std::size_t n) const {
    if (i >= t_.size() || t_[i] != '[') return std::nullopt;
    i = skip_space(i + 1);
    for (std::size_t k = 0; i < t_.size() && t_[i] != ']'; ++k) {
      if (k == n) return i;
      i = skip_space(skip_value(i));
      if (i < t_.size() && t_[i] == ',') i = skip_space(i + 1);
    }
    return std::nullopt;
  }

 private:
  std::string_view t_;
};

}  // namespace

std::optional<syntax_error> find_syntax_error(std::string_view text) {
  // A byte order mark is no JSON, but editors write one: skip it as the codec does.
  std::size_t bom = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  auto e = validator(text.substr(bom)).run();
  if (e) e->offset += bom;
  return e;
}

namespace {

// Walks the key path `path` in `text`: where it ends (`found`: the key of the last member, or
// the last element; `value`: that member's or element's value), and whether all of it exists.
struct walked {
  std::size_t found = 0;
  std::size_t value = 0;
  bool complete = false;
};

walked walk(std::string_view text, std::string_view path) {
  const walker w(text);
  walked out;
  out.found = out.value = w.skip_space(text.starts_with("\xEF\xBB\xBF") ? 3 : 0);
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string_view::npos) return out;
      std::size_t n = 0;
      for (std::size_t k = i + 1; k < close; ++k) {
        if (!is_digit(path[k])) return out;
        n = n * 10 + static_cast<std::size_t>(path[k] - '0');
      }
      auto e = w.element(out.value, n);
      if (!e) return out;
      out.value = out.found = *e;
      i = close + 1;
      if (i < path.size() && path[i] == '.') ++i;
      continue;
    }
    std::size_t end = path.find_first_of(".[", i);
    if (end == std::string_view::npos) end = path.size();
    auto m = w.member(out.value, path.substr(i, end - i));
    if (!m) return out;
    out.found = m->first;
    out.value = m->second;
    i = end;
    if (i < path.size() && path[i] == '.') ++i;
  }
  out.complete = true;
  return out;
}

}  // namespace

std::size_t locate(std::string_view text, std::string_view path) { return walk(text, path).found; }

std::optional<std::size_t> value_at(std::string_view text, std::string_view path) {
  const auto w = walk(text, path);
  if (!w.complete || w.value >= text.size()) return std::nullopt;
  return w.value;
}

std::size_t value_end(std::string_view text, std::size_t offset) {
  return walker(text).skip_value(offset);
}

std::size_t skip_space(std::string_view text, std::size_t offset) {
  return walker(text).skip_space(offset);
}

}  // namespace myapp::detail
