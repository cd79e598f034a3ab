// The bytes every transfer of the byte benchmarks carries (bench/bytes, bench/webkitgtk,
// bench/scale): byte i is the top byte of i * 2654435761 (mod 2^32), so a buffer that is short,
// shifted or mixed up with another one does not pass. bench/bytes/page/bench.js computes the
// same pattern. No Qt and no myapp type: the WebKitGTK baseline uses it too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace bench {

[[nodiscard]] inline std::uint8_t pattern_at(std::size_t i) noexcept {
  return static_cast<std::uint8_t>((static_cast<std::uint32_t>(i) * 2654435761U) >> 24);
}

/// `n` bytes of the pattern.
[[nodiscard]] inline std::vector<std::uint8_t> pattern_bytes(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = pattern_at(i);
  return v;
}

/// Checks the first and last 4 KiB and 4,096 bytes spread over the rest: enough to catch a
/// wrong, truncated or shifted buffer, cheap enough (microseconds) to run inside the timed
/// region of every receiver alike. Empty when it passes, else what was wrong.
[[nodiscard]] inline std::string check_pattern(std::span<const std::byte> data,
                                               std::size_t expected_size) {
  if (data.size() != expected_size) {
    return "got " + std::to_string(data.size()) + " bytes, expected " +
           std::to_string(expected_size);
  }
  const std::size_t n = data.size();
  auto bad = [&](std::size_t i) { return std::to_integer<std::uint8_t>(data[i]) != pattern_at(i); };
  for (std::size_t i = 0; i < n && i < 4096; ++i) {
    if (bad(i)) return "byte " + std::to_string(i) + " is wrong";
  }
  for (std::size_t i = n > 4096 ? n - 4096 : 0; i < n; ++i) {
    if (bad(i)) return "byte " + std::to_string(i) + " is wrong";
  }
  const std::size_t stride = n / 4096 + 1;
  for (std::size_t i = 0; i < n; i += stride) {
    if (bad(i)) return "byte " + std::to_string(i) + " is wrong";
  }
  return {};
}

}  // namespace bench
