// What the benchmarks' reports share: progress lines on stderr, the medians of their samples,
// the number formats of their tables, and the JSON object that ends every report.
#pragma once

#include <map>
#include <optional>
#include <string>
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

/// Prints `{"key":value,...}` (values are JSON text already) as the last line of the report,
/// and flushes stdout.
void print_json_line(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace myapp::bench
