// The runtime's logger.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>

namespace myapp::runtime {

/// The "myapp" logger, writing to stderr. Its level comes from `MYAPP_LOG` (trace, debug,
/// info, warn, error, critical, off; default info).
std::shared_ptr<spdlog::logger> log();

}  // namespace myapp::runtime
