// myapp — log areas and levels, and the `MYAPP_LOG` setting that chooses a level per area.
//
//     auto spec = myapp::logging::parse_spec("info,ipc=trace,acl=warn");
//     for (const auto& p : spec.problems) warn(p);   // "MYAPP_LOG entry 3 `lane=lots`: ..."
//     spec.levels.of(myapp::logging::area::ipc);     // level::trace
//     spec.levels.of(myapp::logging::area::page);    // level::info (the default)
//
// The syntax is a comma-separated list: a bare level sets the default for every area, and
// `area=level` sets one area. Later entries win. Names are case-insensitive; spaces around
// entries are ignored. Anything else is a problem, reported with the entry's position and what
// was wrong; the rest of the setting still applies. Qt-free and print-free: the runtime turns
// the levels into spdlog loggers and prints the problems (docs/logging.md).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace myapp::logging {

/// Where a line comes from. Each area is its own logger, named `myapp.<area>`.
enum class area : std::uint8_t {
  app,   ///< the app's lifecycle: start-up, configuration, windows, dev mode
  ipc,   ///< the router and the bridge: at trace, every message with its size and timing
  page,  ///< the pages' console and their uncaught errors
  acl,   ///< capability denials
  lane,  ///< the bulk lane for bytes
  qt,    ///< Qt's and Qt WebEngine's own messages: their information at `debug` (so hidden by
         ///< default; MYAPP_LOG=qt=debug shows it), their warnings and errors as such
};
inline constexpr std::size_t AREA_COUNT = 6;

/// Severity, in spdlog's order (the runtime converts with a cast).
enum class level : std::uint8_t { trace, debug, info, warn, error, critical, off };

/// "app", "ipc", "page", "acl", "lane", "qt".
[[nodiscard]] std::string_view name(area a) noexcept;
/// "trace", "debug", "info", "warn", "error", "critical", "off".
[[nodiscard]] std::string_view name(level l) noexcept;
/// The area named `text` (case-insensitive), if any.
[[nodiscard]] std::optional<area> parse_area(std::string_view text) noexcept;
/// The level named `text` (case-insensitive; "warning" and "err" are accepted too), if any.
[[nodiscard]] std::optional<level> parse_level(std::string_view text) noexcept;
/// Every area, in enum order.
[[nodiscard]] const std::array<area, AREA_COUNT>& areas() noexcept;

/// A level for every area.
struct levels {
  level fallback = level::info;  ///< for areas not named
  std::array<std::optional<level>, AREA_COUNT> per_area{};

  [[nodiscard]] level of(area a) const noexcept {
    const auto& l = per_area[static_cast<std::size_t>(a)];
    return l ? *l : fallback;
  }
};

/// What `parse_spec` made of a setting: the levels, and one message per entry it could not use.
struct spec {
  logging::levels levels;
  std::vector<std::string> problems;
};

/// Reads a `MYAPP_LOG` value (see the top of this file). Never throws; an empty setting gives
/// the defaults (every area at `info`).
[[nodiscard]] spec parse_spec(std::string_view text);

}  // namespace myapp::logging
