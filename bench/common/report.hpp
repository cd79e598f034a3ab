// What the benchmarks' reports share: progress lines on stderr, the medians of their samples,
// the number formats of their tables, and the JSON object that ends every report.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace myapp::bench {

/// One line of progress on stderr (stdout holds the report).
void progress(const std::string& line);

/// Every sample by column (or side) and key.
using samples = std::map<std::string, std::map<std::string, std::vector<double>>>;

/// The median of the samples of `col` and `key`; nullopt when there are none.
std::optional<double> median_of(const samples& all, const std::string& col, const std::string& key);

/// `v` with `decimals` decimals, or "-" when there is no finite value.
std::string format(std::optional<double> v, int decimals);
/// The same as a JSON number, or null.
std::string json_number(std::optional<double> v, int decimals);

/// `text` as a JSON string literal (quotes, backslashes and control characters escaped).
std::string json_string(std::string_view text);

/// A flat JSON object such as print_json_line writes, read back: its numbers and its strings
/// (nulls, booleans and nested values left out).
struct json_line {
  std::map<std::string, double> numbers;
  std::map<std::string, std::string> strings;
};
/// nullopt when `line` is not a JSON object.
std::optional<json_line> read_json_line(const std::string& line);

/// Prints `{"key":value,...}` (values are JSON text already) as the last line of the report,
/// and flushes stdout.
void print_json_line(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace myapp::bench
