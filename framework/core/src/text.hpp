// The core's private text helpers: the edit distance and the one "did you mean ...?".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace myapp::detail {

/// Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`, ignoring ASCII
/// case: the measure behind every "did you mean ...?".
std::size_t edit_distance(std::string_view a, std::string_view b);

/// A printable, bounded rendering of a name that arrived from a page, for messages: control
/// characters become `?`, and more than 80 bytes are cut with `...`.
std::string quoted_name(std::string_view s);

/// The name a candidate of closest stands for: the string itself, or a map entry's key.
template <class T>
std::string_view candidate_name(const T& candidate) noexcept {
  if constexpr (requires { candidate.first; }) {
    return candidate.first;
  } else {
    return candidate;
  }
}

/// The one "did you mean ...?": the candidate nearest to `word` by edit_distance among those
/// that `near_enough(name, distance)` accepts, the first of equally near ones in the order of
/// `candidates` (strings, or a map: its keys); nullopt when none is accepted. The result points
/// into `candidates`. Each caller says what is near enough (config::closest, for instance,
/// allows about a third of the word) and may filter candidates there:
///
///     closest("widht", names, closer_than(3));                          // "width"
///     closest(m.cmd, commands_, [&](std::string_view name, std::size_t d) {
///       return d < 3 && (!grants || grants->allows(name));  // < 3 edits, a command the page may call
///     });
template <class Range, class Near>
[[nodiscard]] std::optional<std::string_view> closest(std::string_view word,
                                                      const Range& candidates, Near near_enough) {
  std::optional<std::string_view> best;
  std::size_t best_distance = 0;
  for (const auto& candidate : candidates) {
    const std::string_view name = candidate_name(candidate);
    const std::size_t d = edit_distance(word, name);
    if ((!best || d < best_distance) && near_enough(name, d)) {
      best = name;
      best_distance = d;
    }
  }
  return best;
}
/// Not for temporaries: the result would point into them.
template <class Range, class Near>
void closest(std::string_view, const Range&&, Near) = delete;

/// closest's `near_enough` for a plain limit: fewer than `n` edits.
constexpr auto closer_than(std::size_t n) noexcept {
  return [n](std::string_view, std::size_t distance) { return distance < n; };
}

}  // namespace myapp::detail
