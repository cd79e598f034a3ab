#include "myapp/logging.hpp"

#include <fmt/format.h>

#include "text.hpp"

namespace myapp::logging {

namespace {

constexpr std::array<std::string_view, AREA_COUNT> AREA_NAMES = {"app", "ipc", "page",
                                                                 "acl", "lane", "qt"};
constexpr std::array<std::string_view, 7> LEVEL_NAMES = {"trace", "debug",    "info", "warn",
                                                         "error", "critical", "off"};

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "; did you mean `x`?" when `word` is a likely typo of one of `names`.
template <std::size_t N>
std::string suggestion(std::string_view word, const std::array<std::string_view, N>& names) {
  // Fewer than 3 edits, and fewer than the name has characters: a short name is not suggested
  // for any short word.
  const auto near = detail::closest(word, names, [](std::string_view n, std::size_t d) {
    return d < 3 && d < n.size();
  });
  return near ? fmt::format(" (did you mean `{}`?)", *near) : std::string();
}

template <std::size_t N>
std::string list(const std::array<std::string_view, N>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

// A printable, bounded rendering of text from the environment.
std::string shown(std::string_view s) {
  constexpr std::size_t MAX = 60;
  std::string out;
  for (char c : s.substr(0, MAX)) out.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
  if (s.size() > MAX) out += "...";
  return out;
}

}  // namespace

std::string_view name(area a) noexcept { return AREA_NAMES[static_cast<std::size_t>(a)]; }

std::string_view name(level l) noexcept { return LEVEL_NAMES[static_cast<std::size_t>(l)]; }

const std::array<area, AREA_COUNT>& areas() noexcept {
  static constexpr std::array<area, AREA_COUNT> ALL = {area::app, area::ipc,  area::page,
                                                       area::acl, area::lane, area::qt};
  return ALL;
}

std::optional<area> parse_area(std::string_view text) noexcept {
  for (std::size_t i = 0; i < AREA_NAMES.size(); ++i) {
    if (iequals(text, AREA_NAMES[i])) return static_cast<area>(i);
  }
  return std::nullopt;
}

std::optional<level> parse_level(std::string_view text) noexcept {
  for (std::size_t i = 0; i < LEVEL_NAMES.size(); ++i) {
    if (iequals(text, LEVEL_NAMES[i])) return static_cast<level>(i);
  }
  if (iequals(text, "warning")) return level::warn;
  if (iequals(text, "err")) return level::error;
  return std::nullopt;
}

spec parse_spec(std::string_view text) {
  spec out;
  bool default_set = false;
  std::array<bool, AREA_COUNT> area_set{};
  std::size_t number = 0;
  while (true) {
    const auto comma = text.find(',');
    const std::string_view raw = text.substr(0, comma);
    const std::string_view entry = trim(raw);
    ++number;
    // Empty entries ("info," or "info,,ipc=trace") say nothing and are not a mistake.
    if (!entry.empty()) {
      auto problem = [&](const std::string& what) {
        out.problems.push_back(fmt::format("entry {} `{}`: {}", number, shown(entry), what));
      };
      const auto eq = entry.find('=');
      if (eq == std::string_view::npos) {
        if (auto l = parse_level(entry)) {
          if (default_set) {
            problem(fmt::format("the default level is set twice; `{}` wins", name(*l)));
          }
          default_set = true;
          out.levels.fallback = *l;
        } else if (parse_area(entry)) {
          problem(fmt::format("an area needs a level, as in `{}=debug`", entry));
        } else {
          problem(fmt::format("not a level{}; levels are {}", suggestion(entry, LEVEL_NAMES),
                              list(LEVEL_NAMES)));
        }
      } else {
        const std::string_view area_text = trim(entry.substr(0, eq));
        const std::string_view level_text = trim(entry.substr(eq + 1));
        const auto a = parse_area(area_text);
        const auto l = parse_level(level_text);
        if (area_text.empty()) {
          problem("no area before `=`");
        } else if (!a) {
          problem(fmt::format("unknown area `{}`{}; areas are {}", shown(area_text),
                              suggestion(area_text, AREA_NAMES), list(AREA_NAMES)));
        } else if (level_text.empty()) {
          problem(fmt::format("no level after `=`; levels are {}", list(LEVEL_NAMES)));
        } else if (!l) {
          problem(fmt::format("`{}` is not a level{}; levels are {}", shown(level_text),
                              suggestion(level_text, LEVEL_NAMES), list(LEVEL_NAMES)));
        } else {
          auto& set = area_set[static_cast<std::size_t>(*a)];
          if (set) {
            problem(fmt::format("area `{}` is set twice; `{}` wins", name(*a), name(*l)));
          }
          set = true;
          out.levels.per_area[static_cast<std::size_t>(*a)] = *l;
        }
      }
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace myapp::logging
