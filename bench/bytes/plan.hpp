// The sizes and parameters of bench/bytes's page scenarios (page/bench.js), shared by the suite
// and by the WebKitGTK baseline (bench/webkitgtk), which runs the same ones on its page.
#pragma once

#include <cstddef>
#include <string>

namespace bench {

inline constexpr std::size_t MB10 = 10'000'000;
inline constexpr std::size_t MB100 = 100'000'000;

/// `{"size":N,"reps":R,"warmup":W` of `down` and `up`, left open for more fields.
inline std::string size_params(std::size_t size, int reps, int warmup) {
  return R"({"size":)" + std::to_string(size) + R"(,"reps":)" + std::to_string(reps) +
         R"(,"warmup":)" + std::to_string(warmup);
}

/// The `echo` of 1 and 5 MB of JSON text, left open for more fields.
inline std::string echo_params(int reps, int warmup) {
  return R"({"sizes":{"1mb":1000000,"5mb":5000000},"reps":)" + std::to_string(reps) +
         R"(,"warmup":)" + std::to_string(warmup);
}

/// The payload sweep (bench/scale; bench/bytes --sizes): round trips per size, fewer for the
/// large ones.
inline int sweep_reps(std::size_t size) { return size >= MB100 ? 1 : size >= MB10 ? 2 : 5; }

/// The largest JSON echo of the sweep: the wire refuses batches above 64 MiB
/// (protocol::DEFAULT_MAX_BATCH_BYTES), so 100 MB of text is not echoed by any road.
inline constexpr std::size_t ECHO_SWEEP_MAX = 50'000'000;

/// The `echo` of `chars` UTF-16 units of JSON text, left open for more fields.
inline std::string sweep_echo_params(std::size_t chars, int reps, int warmup) {
  return R"({"sizes":{"t":)" + std::to_string(chars) + R"(},"reps":)" + std::to_string(reps) +
         R"(,"warmup":)" + std::to_string(warmup);
}

}  // namespace bench
