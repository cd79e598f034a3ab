// The window plugin's page script (runtime-js/src/window.js), compiled in at build time.
#pragma once

#include <string_view>

namespace myapp::runtime {
extern const std::string_view WINDOW_JS;
}
