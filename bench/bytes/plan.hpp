// The sizes and parameters of bench/bytes's page scenarios (page/bench.js), shared by the suite
// and by the WebKitGTK baseline (bench/webkitgtk), which runs the same ones on its page.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "webkitgtk_baseline.hpp"

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

/// The WebKitGTK baseline's numbers in this suite (bench/webkitgtk): bench/bytes's keys,
/// prefixed; its echo through the bound function and through a scheme POST (`_scheme`).
inline const std::vector<myapp::bench::baseline_key> BYTES_WEBKITGTK_KEYS = {
    {"webkitgtk_bytes_down_mb_s", "down_10mb.mb_s", 1},
    {"webkitgtk_bytes_down_100mb_mb_s", "down_100mb.mb_s", 1},
    {"webkitgtk_bytes_up_mb_s", "up_10mb.mb_s", 1},
    {"webkitgtk_bytes_up_100mb_mb_s", "up_100mb.mb_s", 1},
    {"webkitgtk_echo_1mb_ms", "echo.1mb", 2},
    {"webkitgtk_echo_5mb_ms", "echo.5mb", 2},
    {"webkitgtk_echo_1mb_scheme_ms", "echo_scheme.1mb", 2},
    {"webkitgtk_echo_5mb_scheme_ms", "echo_scheme.5mb", 2},
    {"webkitgtk_peak_rss_delta_100mb_up_mb", "up_100mb.rss_delta_mb", 1}};

/// The roads of the payload sweep: for each, the JSON key prefix, the item prefix and the
/// scenario's metric (`<key>_<size>_ms` from `<item><size>.<metric>`), on WebKitGTK's page.
inline const std::vector<myapp::bench::baseline_key> SWEEP_WEBKITGTK_ROADS = {
    {"webkitgtk_sweep_down", "sweep_down_", 3},
    {"webkitgtk_sweep_up", "sweep_up_", 3},
    {"webkitgtk_sweep_echo", "sweep_echo_", 3},
    {"webkitgtk_sweep_echo_scheme", "sweep_echo_scheme_", 3}};

/// The payload sweep (bench/scale; bench/bytes --sizes): round trips per size, many for the
/// small ones, whose times are averaged (`"mean":true`): a page clock that moves in coarse steps
/// (100 µs in QtWebEngine, 1 ms in WebKitGTK) reads a short call as 0 or one step, and only the
/// mean of many such readings is its length.
inline int sweep_reps(std::size_t size) {
  return size <= 100'000 ? 40 : size <= 1'000'000 ? 10 : size <= MB10 ? 3 : 1;
}
inline int sweep_warmup(std::size_t size) { return size >= MB100 ? 0 : 1; }

/// `down` and `up` of the sweep at `size`, left open for more fields.
inline std::string sweep_params(std::size_t size) {
  return size_params(size, sweep_reps(size), sweep_warmup(size)) + R"(,"mean":true)";
}

/// The largest JSON echo of the sweep: the wire refuses batches above 64 MiB
/// (protocol::DEFAULT_MAX_BATCH_BYTES), so 100 MB of text is not echoed by any road.
inline constexpr std::size_t ECHO_SWEEP_MAX = 50'000'000;

/// The `echo` of the sweep at `chars` UTF-16 units of JSON text, left open for more fields.
inline std::string sweep_echo_params(std::size_t chars) {
  return R"({"sizes":{"t":)" + std::to_string(chars) + R"(},"reps":)" +
         std::to_string(sweep_reps(chars)) + R"(,"warmup":)" + std::to_string(sweep_warmup(chars)) +
         R"(,"mean":true)";
}

}  // namespace bench
