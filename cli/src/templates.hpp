// The project templates of `myapp new`, compiled in from templates/ (see embed_templates.cmake).
#pragma once

#include <cstddef>
#include <string_view>

namespace myapp::cli {

struct template_file {
  std::string_view template_name;  ///< "vanilla", "vite-ts", or "common" (in every template)
  std::string_view path;           ///< relative to the project, '/'-separated
  std::string_view content;
};

extern const template_file TEMPLATE_FILES[];
extern const std::size_t TEMPLATE_FILE_COUNT;

}  // namespace myapp::cli
