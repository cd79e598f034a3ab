// The IPC inspector's page (framework/runtime/inspector/), compiled in at build time.
#pragma once

#include <string_view>

namespace myapp::runtime {
extern const std::string_view INSPECTOR_HTML;
extern const std::string_view INSPECTOR_CSS;
extern const std::string_view INSPECTOR_MAIN_JS;
extern const std::string_view INSPECTOR_MODEL_JS;
extern const std::string_view INSPECTOR_VIEW_JS;
}  // namespace myapp::runtime
