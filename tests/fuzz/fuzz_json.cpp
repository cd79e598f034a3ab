// libFuzzer target: the JSON codec (myapp/json.hpp).
//
// The input is parsed as several types. Parsing must never crash, leak or hang, whatever the
// bytes; what parses must survive a round trip: to_json succeeds (everything read from JSON
// can be written back), parsing that text gives an equal value, and writing it again gives
// the same text (where the type's order of writing is deterministic). A violation traps (__builtin_trap), which libFuzzer reports as a crash.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "myapp/json.hpp"

namespace fuzz {

struct inner {
  std::string name;
  std::optional<std::int64_t> n;
  std::vector<double> xs;
  std::optional<std::uint64_t> big;
  friend bool operator==(const inner&, const inner&) = default;
};
MYAPP_STRUCT(inner, name, n, xs, big)

struct outer {
  std::string title;
  std::vector<inner> items;
  std::optional<inner> main_item;
  std::map<std::string, std::vector<std::string>> tag_sets;
  std::unordered_map<std::string, std::optional<int>> counters;
  std::optional<bool> flag;
  std::optional<std::vector<std::optional<std::int16_t>>> small;
  std::optional<myapp::json::raw> extra;
  std::optional<float> ratio;
  friend bool operator==(const outer&, const outer&) = default;
};
MYAPP_STRUCT(outer, title, items, main_item, tag_sets, counters, flag, small, extra, ratio)

}  // namespace fuzz

namespace {

namespace json = myapp::json;

#define FUZZ_CHECK(cond)        \
  do {                          \
    if (!(cond)) __builtin_trap(); \
  } while (0)

// Parses `text` as a T; when that succeeds, checks the round trip. `stable_text`: writing the
// value again gives the same text (not for types holding an unordered_map, whose order of
// iteration depends on the order of insertion).
template <class T>
void round_trip(std::string_view text, bool stable_text = true,
                std::size_t max_depth = myapp::protocol::DEFAULT_MAX_DEPTH) {
  auto parsed = json::parse<T>(text, max_depth);
  if (!parsed) return;
  auto written = json::to_json(parsed.value());
  FUZZ_CHECK(written.has_value());  // a value read from JSON can always be written back
  auto again = json::parse<T>(written.value(), max_depth);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again.value() == parsed.value());
  auto rewritten = json::to_json(again.value());
  FUZZ_CHECK(rewritten.has_value());
  FUZZ_CHECK(!stable_text || rewritten.value() == written.value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // Any JSON value, kept as text: accepted text is valid UTF-8, and it is itself one JSON value.
  if (auto r = json::parse<json::raw>(text)) {
    FUZZ_CHECK(json::is_valid_utf8(text));
    FUZZ_CHECK(json::is_valid_utf8(r.value().text));
  }
  round_trip<json::raw>(text);
  round_trip<json::raw>(text, true, 4);  // a shallow limit: the depth check on every path
  round_trip<fuzz::outer>(text, false);
  round_trip<std::vector<fuzz::inner>>(text);
  round_trip<std::vector<std::int64_t>>(text);
  round_trip<std::map<std::string, double>>(text);
  round_trip<std::optional<std::string>>(text);
  round_trip<std::vector<std::uint8_t>>(text);
  return 0;
}
