// The buffers bench/bytes serves: the pattern of bench/common/pattern.hpp as myapp::bytes.
#pragma once

#include <cstddef>
#include <map>

#include "myapp/bytes.hpp"
#include "pattern.hpp"

namespace bench {

[[nodiscard]] inline myapp::bytes make_pattern(std::size_t n) {
  return myapp::bytes(pattern_bytes(n));
}

/// The buffers the senders serve, made once before anything is timed (and touched, so that
/// they are resident): size -> bytes. Read-only once the benchmark runs.
using payload_store = std::map<std::size_t, myapp::bytes>;

}  // namespace bench
