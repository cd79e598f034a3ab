// The page client (runtime-js/src/myapp.js), compiled in at build time.
#pragma once

#include <string_view>

namespace myapp::runtime {
extern const std::string_view RUNTIME_JS;
}
