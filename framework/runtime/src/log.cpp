#include "log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <cstdlib>

namespace myapp::runtime {

std::shared_ptr<spdlog::logger> log() {
  static const std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stderr_color_mt("myapp");
    l->set_pattern("%^[%H:%M:%S.%e] [%n] [%l]%$ %v");
    auto level = spdlog::level::info;
    if (const char* env = std::getenv("MYAPP_LOG"); env != nullptr && *env != '\0') {
      level = spdlog::level::from_str(env);
      // from_str answers "off" for names it does not know; say so rather than go silent.
      if (level == spdlog::level::off && std::string_view(env) != "off") {
        level = spdlog::level::info;
        l->warn("MYAPP_LOG={} is not a level (trace, debug, info, warn, error, critical, off); "
                "using info",
                env);
      }
    }
    l->set_level(level);
    return l;
  }();
  return logger;
}

}  // namespace myapp::runtime
