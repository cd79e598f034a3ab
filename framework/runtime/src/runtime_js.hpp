// The page client (the parts runtime-js/src/client.list names, joined), compiled in at build time.
#pragma once

#include <string_view>

namespace myapp::runtime {
extern const std::string_view RUNTIME_JS;
}
