// What the benchmarks' reports share (report.hpp).
#include "report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace myapp::bench {

void progress(const std::string& line) {
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

std::optional<double> median_of(const samples& all, const std::string& col,
                                const std::string& key) {
  auto s = all.find(col);
  if (s == all.end()) return std::nullopt;
  auto k = s->second.find(key);
  if (k == s->second.end() || k->second.empty()) return std::nullopt;
  auto v = k->second;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
}

std::string format(std::optional<double> v, int decimals) {
  if (!v || !std::isfinite(*v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, *v);
  return buf;
}

std::string json_number(std::optional<double> v, int decimals) {
  return !v || !std::isfinite(*v) ? "null" : format(v, decimals);
}

void print_json_line(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string line = "{";
  for (const auto& [key, value] : fields) {
    if (line.size() > 1) line += ',';
    line += '"' + key + "\":" + value;
  }
  line += '}';
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

}  // namespace myapp::bench
