// The payload sweep as an SVG chart (chart.hpp).
#include "chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bench {

namespace {

constexpr double PANEL_W = 330;
constexpr double PANEL_H = 260;
constexpr double LEFT = 58;     // room for the y labels
constexpr double TOP = 64;      // room for the titles
constexpr double BOTTOM = 44;   // room for the x labels
constexpr double LEGEND = 84;   // room for the legends under the panels
constexpr double GAP = 24;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

std::string size_label(double bytes) {
  char buf[32];
  if (bytes >= 1e6) std::snprintf(buf, sizeof buf, "%g MB", bytes / 1e6);
  else if (bytes >= 1e3) std::snprintf(buf, sizeof buf, "%g KB", bytes / 1e3);
  else std::snprintf(buf, sizeof buf, "%g B", bytes);
  return buf;
}

std::string rate_label(double mb_s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", mb_s);
  return buf;
}

}  // namespace

std::string sweep_chart_svg(const std::string& title, const std::string& subtitle,
                            const std::vector<chart_panel>& panels) {
  // One scale for every panel, so that the panels compare with each other.
  double x_lo = INFINITY, x_hi = 0, y_lo = INFINITY, y_hi = 0;
  for (const auto& p : panels) {
    for (const auto& s : p.series) {
      for (const auto& [bytes, rate] : s.mb_s) {
        if (!(rate > 0) || !std::isfinite(rate)) continue;
        x_lo = std::min(x_lo, static_cast<double>(bytes));
        x_hi = std::max(x_hi, static_cast<double>(bytes));
        y_lo = std::min(y_lo, rate);
        y_hi = std::max(y_hi, rate);
      }
    }
  }
  if (!(x_hi > 0)) x_lo = 1e3, x_hi = 1e8, y_lo = 0.1, y_hi = 1000;
  const double lx0 = std::floor(std::log10(x_lo)), lx1 = std::max(lx0 + 1, std::ceil(std::log10(x_hi)));
  const double ly0 = std::floor(std::log10(y_lo)), ly1 = std::max(ly0 + 1, std::ceil(std::log10(y_hi)));
  const double width = static_cast<double>(panels.size()) * (LEFT + PANEL_W + GAP) + GAP;
  const double height = TOP + PANEL_H + BOTTOM + LEGEND;

  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" +
                    num(height) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
                    "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg += "<text x=\"" + num(GAP) + "\" y=\"20\" font-size=\"15\" font-weight=\"bold\">" + escape(title) + "</text>\n";
  svg += "<text x=\"" + num(GAP) + "\" y=\"37\" fill=\"#555\">" + escape(subtitle) + "</text>\n";
  for (std::size_t i = 0; i < panels.size(); ++i) {
    const auto& p = panels[i];
    const double ox = GAP + static_cast<double>(i) * (LEFT + PANEL_W + GAP) + LEFT;
    const double oy = TOP;
    auto px = [&](double bytes) { return ox + (std::log10(bytes) - lx0) / (lx1 - lx0) * PANEL_W; };
    auto py = [&](double rate) { return oy + PANEL_H - (std::log10(rate) - ly0) / (ly1 - ly0) * PANEL_H; };
    svg += "<text x=\"" + num(ox) + "\" y=\"" + num(oy - 8) + "\" font-size=\"12\" font-weight=\"bold\">" +
           escape(p.title) + "</text>\n";
    svg += "<rect x=\"" + num(ox) + "\" y=\"" + num(oy) + "\" width=\"" + num(PANEL_W) + "\" height=\"" +
           num(PANEL_H) + "\" fill=\"none\" stroke=\"#999\"/>\n";
    for (double e = lx0; e <= lx1; ++e) {
      const double x = px(std::pow(10, e));
      svg += "<line x1=\"" + num(x) + "\" y1=\"" + num(oy) + "\" x2=\"" + num(x) + "\" y2=\"" +
             num(oy + PANEL_H) + "\" stroke=\"#e5e5e5\"/>\n";
      svg += "<text x=\"" + num(x) + "\" y=\"" + num(oy + PANEL_H + 15) + "\" text-anchor=\"middle\">" +
             size_label(std::pow(10, e)) + "</text>\n";
    }
    for (double e = ly0; e <= ly1; ++e) {
      const double y = py(std::pow(10, e));
      svg += "<line x1=\"" + num(ox) + "\" y1=\"" + num(y) + "\" x2=\"" + num(ox + PANEL_W) + "\" y2=\"" +
             num(y) + "\" stroke=\"#e5e5e5\"/>\n";
      svg += "<text x=\"" + num(ox - 5) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"end\">" +
             rate_label(std::pow(10, e)) + "</text>\n";
    }
    svg += "<text x=\"" + num(ox + PANEL_W / 2) + "\" y=\"" + num(oy + PANEL_H + 32) +
           "\" text-anchor=\"middle\" fill=\"#555\">payload size</text>\n";
    if (i == 0) {
      svg += "<text transform=\"translate(" + num(ox - 42) + " " + num(oy + PANEL_H / 2) +
             ") rotate(-90)\" text-anchor=\"middle\" fill=\"#555\">MB/s (10^6 bytes per second)</text>\n";
    }
    for (std::size_t k = 0; k < p.series.size(); ++k) {
      const auto& s = p.series[k];
      std::string points;
      for (const auto& [bytes, rate] : s.mb_s) {
        if (!(rate > 0) || !std::isfinite(rate)) continue;
        points += num(px(static_cast<double>(bytes))) + "," + num(py(rate)) + " ";
        svg += "<circle cx=\"" + num(px(static_cast<double>(bytes))) + "\" cy=\"" + num(py(rate)) +
               "\" r=\"2.5\" fill=\"" + s.color + "\"/>\n";
      }
      if (!points.empty()) {
        svg += "<polyline points=\"" + points + "\" fill=\"none\" stroke=\"" + s.color +
               "\" stroke-width=\"2\"" + (s.dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>\n";
      }
      const double ly = oy + PANEL_H + BOTTOM + 8 + static_cast<double>(k) * 16;
      svg += "<line x1=\"" + num(ox) + "\" y1=\"" + num(ly) + "\" x2=\"" + num(ox + 24) + "\" y2=\"" + num(ly) +
             "\" stroke=\"" + s.color + "\" stroke-width=\"2\"" + (s.dashed ? " stroke-dasharray=\"6 4\"" : "") +
             "/>\n";
      svg += "<text x=\"" + num(ox + 30) + "\" y=\"" + num(ly + 4) + "\">" + escape(s.label) + "</text>\n";
    }
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace bench
