// What `myapp dev` watches to rebuild the app: the C++ side of a project (sources, CMake
// files, the configuration, capabilities), as snapshots of modification times.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "project.hpp"

namespace myapp::cli {

/// Each watched file (relative to the project folder) and when it was last written.
using snapshot = std::map<std::string, fs::file_time_type>;

/// The watched files of `p` now; build/, node_modules/, dist/, .git/ and the frontend folder
/// are left out.
snapshot scan(const project& p);

/// The files added, changed or removed from `a` to `b`.
std::vector<std::string> differences(const snapshot& a, const snapshot& b);

}  // namespace myapp::cli
