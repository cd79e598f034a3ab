// Small text helpers shared by the core's readers. Private to the core.
#pragma once

#include <cstddef>
#include <string_view>

namespace myapp::detail {

/// Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`, ignoring ASCII
/// case: the measure behind every "did you mean ...?".
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace myapp::detail
