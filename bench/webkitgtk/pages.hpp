// The WebKitGTK baseline's page files, compiled in (pages.cmake writes their definition).
#pragma once

#include <string_view>
#include <vector>

namespace bench {

struct embedded_file {
  std::string_view path;  ///< as requested: /ipc/index.html, /bytes/bench.js, ...
  std::string_view text;
  const char* mime;
};

/// Every file the custom scheme serves besides the benchmark's own URLs.
const std::vector<embedded_file>& embedded_files();

}  // namespace bench
