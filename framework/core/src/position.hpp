// Where in a JSON file's text a problem is: the first syntax error, and the place a key path
// names, as a line and a column. The configuration and capability readers report with these.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace myapp::detail {

/// A place in a text: 1-based line and column (columns count characters, not bytes).
struct position {
  std::size_t line = 0;
  std::size_t column = 0;
};

/// The line and column of byte `offset` of `text` (its end when `offset` is past it).
[[nodiscard]] position position_of(std::string_view text, std::size_t offset);

/// What is wrong with JSON text and where: the first fault only, since what follows a syntax
/// error cannot be read reliably.
struct syntax_error {
  std::size_t offset = 0;
  std::string message;  ///< e.g. "expected `,` or `}` after a member (is a comma missing?)"
};

/// The first syntax error of `text` (RFC 8259, one value with white space around it), or
/// nullopt when it is valid JSON.
///
///     find_syntax_error(R"({"a": 1 "b": 2})")->message;   // expected `,` or `}` ...
[[nodiscard]] std::optional<syntax_error> find_syntax_error(std::string_view text);

/// The offset in valid JSON `text` of what the key path `path` names: for `a.b` the key `"b"`
/// of the object at `a`, for `a[2]` the third element of the array at `a`. When the path goes
/// further than the text (a missing key), the deepest part of it that exists; 0 for "".
///
///     locate(R"({"app": {"windows": [{}, {"widht": 1}]}})", "app.windows[1].widht");
[[nodiscard]] std::size_t locate(std::string_view text, std::string_view path);

/// The offset in valid JSON `text` of the value the key path `path` names ("" is the whole
/// document), or nullopt when the text has no such value.
[[nodiscard]] std::optional<std::size_t> value_at(std::string_view text, std::string_view path);

/// The offset just after the value that starts at `offset` in valid JSON `text`.
[[nodiscard]] std::size_t value_end(std::string_view text, std::size_t offset);

/// The first offset from `offset` on that is not JSON white space.
[[nodiscard]] std::size_t skip_space(std::string_view text, std::size_t offset);

}  // namespace myapp::detail
