// myapp — editing JSON files the way a person would: the rest of the text stays as it was.
//
// The CLI's `add`, `permission` and `capability` commands change one array of a capability file
// or of myapp.conf.json. Re-serializing the whole file would lose its indentation, line breaks
// and key order; these functions find the value by its key path (as problems name it:
// `permissions`, `app.security.capabilities`) and change only the text of that value.
//
//     auto text = myapp::json_edit::append(R"({"permissions": ["core:default"]})", "permissions",
//                                          myapp::json_edit::quote("allow-greet"));
//     // {"permissions": ["core:default", "allow-greet"]}
//
// Every function takes the whole text of a file and returns nullopt when the text is not valid
// JSON or the path names no value of the expected type. Qt-free.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace myapp::json_edit {

/// Where a value is in a text: byte offsets, `end` just after it.
struct span {
  std::size_t begin = 0;
  std::size_t end = 0;
  friend bool operator==(const span&, const span&) = default;
};

/// The first syntax error of `text` as "line:column: message", or nullopt when it is valid JSON.
[[nodiscard]] std::optional<std::string> syntax_problem(std::string_view text);

/// The value at key path `path` (`""` is the whole document; `a.b[2]`), or nullopt.
[[nodiscard]] std::optional<span> find(std::string_view text, std::string_view path);

/// The elements of the array at `path`, in order; nullopt when that is not an array.
[[nodiscard]] std::optional<std::vector<span>> elements(std::string_view text,
                                                        std::string_view path);

/// The string at `path`, unescaped; nullopt when that is not a string.
[[nodiscard]] std::optional<std::string> string_at(std::string_view text, std::string_view path);

/// `text` with `value` (JSON text) as the new last element of the array at `path`, laid out as
/// the array's elements are: on a line of its own with their indentation when they are one per
/// line, after `, ` when they share a line; `[value]` when the array is empty.
[[nodiscard]] std::optional<std::string> append(std::string_view text, std::string_view path,
                                                std::string_view value);

/// `text` without element `index` of the array at `path`, with the comma and white space that
/// set it apart: the inverse of append (an array left empty is written `[]`).
[[nodiscard]] std::optional<std::string> erase(std::string_view text, std::string_view path,
                                               std::size_t index);

/// `s` as a JSON string literal, quotes included.
[[nodiscard]] std::string quote(std::string_view s);

}  // namespace myapp::json_edit
