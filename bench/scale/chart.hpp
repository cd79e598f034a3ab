// The payload sweep of bench/scale as an SVG chart: throughput against payload size, both on
// log scales, one panel per direction (C++ -> JS bytes, JS -> C++ bytes, JSON echo), one line
// per road.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace bench {

struct chart_series {
  std::string label;
  std::string color;
  bool dashed = false;
  std::map<std::size_t, double> mb_s;  // payload bytes -> MB/s
};

struct chart_panel {
  std::string title;
  std::vector<chart_series> series;
};

/// The SVG text of the panels side by side, titled `title` with `subtitle` (the run) under it.
std::string sweep_chart_svg(const std::string& title, const std::string& subtitle,
                            const std::vector<chart_panel>& panels);

}  // namespace bench
