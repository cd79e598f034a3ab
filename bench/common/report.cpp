// What the benchmarks' reports share (report.hpp).
#include "report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <simdjson.h>

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

std::string json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  std::size_t run = 0;  // start of the characters not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text, run, i - run);
    run = i + 1;
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    }
  }
  out.append(text, run, text.size() - run);
  out += '"';
  return out;
}

std::optional<json_line> read_json_line(const std::string& line) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(line).get(object) != simdjson::SUCCESS) return std::nullopt;
  json_line out;
  for (auto [key, value] : object) {
    double number = 0;
    std::string_view text;
    if (value.is_number() && value.get(number) == simdjson::SUCCESS) {
      out.numbers[std::string(key)] = number;
    } else if (value.get(text) == simdjson::SUCCESS) {
      out.strings[std::string(key)] = std::string(text);
    }
  }
  return out;
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
