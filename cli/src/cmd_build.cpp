// myapp build: beforeBuildCommand, then CMake (configure when needed, build).
#include <fmt/format.h>

#include <cstdio>

#include "commands.hpp"
#include "project.hpp"
#include "util.hpp"

namespace myapp::cli {

void cmd_build(const build_options& o) {
  const project p = load_project();
  require_tool("cmake", "install it with `apt-get install cmake`");

  if (const auto& cmd = p.conf.build.before_build_command) {
    say(fmt::format("running beforeBuildCommand: {}", *cmd));
    run_before_build_command(p);
  }
  if (p.frontend_is_empty()) {
    throw cli_error(outcome::build_failed,
                    fmt::format("the frontend folder {} (build.frontendDist) is missing or empty{}",
                                p.frontend_dist().string(),
                                p.conf.build.before_build_command
                                    ? " after beforeBuildCommand"
                                    : "; set build.beforeBuildCommand to produce it"));
  }
  configure_and_build(p, {.debug = o.debug, .keep_type = false, .prefix_paths = o.prefix_paths});
  std::error_code ec;
  const fs::path bin = p.binary();
  if (!fs::exists(bin, ec)) {
    throw cli_error(outcome::build_failed,
                    fmt::format("the build succeeded but {} is not there", bin.string()));
  }
  std::printf("built %s (%s, %s)\n", shown_path(bin).c_str(),
              human_size(fs::file_size(bin, ec)).c_str(), o.debug ? "Debug" : "Release");
  std::fflush(stdout);
}

}  // namespace myapp::cli
