// Small text helpers shared by the core's readers. Private to the core.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace myapp::detail {

/// Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`, ignoring ASCII
/// case: the measure behind every "did you mean ...?".
std::size_t edit_distance(std::string_view a, std::string_view b);

/// A printable, bounded rendering of a name that arrived from a page, for messages: control
/// characters become `?`, and more than 80 bytes are cut with `...`.
std::string quoted_name(std::string_view s);

}  // namespace myapp::detail
