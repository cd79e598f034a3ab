// Refusals logged at a bounded rate: a page, or another local process probing the bulk lane,
// that floods the app with what it refuses cannot flood the log too. One budget for every kind
// of refusal (ipc, acl, lane): at most 20 lines a second, then one line counting what was left
// out.
#pragma once

#include <string_view>

#include "myapp/logging.hpp"

namespace myapp::runtime {

/// Logs `what` as a warning in `where`, unless this second's budget is spent. Any thread.
void log_refusal(logging::area where, std::string_view what);

}  // namespace myapp::runtime
