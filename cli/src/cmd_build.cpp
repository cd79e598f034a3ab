// myapp build: beforeBuildCommand, then CMake (configure when needed, build).
#include <fmt/format.h>

#include <cstdio>

#include "commands.hpp"
#include "process.hpp"
#include "project.hpp"
#include "util.hpp"

namespace myapp::cli {

void cmd_build(const build_options& o) {
  const project p = load_project();
  require_tool("cmake", "install it with `apt-get install cmake`");

  if (const auto& cmd = p.conf.build.before_build_command) {
    say(fmt::format("running beforeBuildCommand: {}", *cmd));
    if (const int code = run(shell(*cmd), in_dir(p.root)); code != 0) {
      throw cli_error(outcome::build_failed,
                      fmt::format("beforeBuildCommand `{}` failed (exit {})", *cmd, code));
    }
  }
  const fs::path dist = p.frontend_dist();
  std::error_code ec;
  if (!fs::is_directory(dist, ec) || fs::is_empty(dist, ec)) {
    throw cli_error(outcome::build_failed,
                    fmt::format("the frontend folder {} (build.frontendDist) is missing or empty{}",
                                dist.string(),
                                p.conf.build.before_build_command
                                    ? " after beforeBuildCommand"
                                    : "; set build.beforeBuildCommand to produce it"));
  }

  build_settings s{.debug = o.debug, .keep_type = false, .prefix_paths = o.prefix_paths};
  if (auto configure = configure_command(p, s)) {
    say(fmt::format("configuring ({}) in {}", o.debug ? "Debug" : "Release", p.build_dir().string()));
    if (const int code = run(*configure, in_dir(p.root)); code != 0) {
      throw cli_error(outcome::build_failed,
                      fmt::format("configuring failed (exit {}); is myapp installed? "
                                  "(--prefix-path or CMAKE_PREFIX_PATH point to it)",
                                  code));
    }
  }
  say("building");
  if (const int code = run(build_command(p), in_dir(p.root)); code != 0) {
    throw cli_error(outcome::build_failed, fmt::format("the build failed (exit {})", code));
  }
  const fs::path bin = p.binary();
  if (!fs::exists(bin, ec)) {
    throw cli_error(outcome::build_failed,
                    fmt::format("the build succeeded but {} is not there", bin.string()));
  }
  std::error_code rel_ec;
  auto shown = fs::relative(bin, fs::current_path(), rel_ec);
  std::printf("built %s (%s, %s)\n", (rel_ec || shown.empty()) ? bin.c_str() : shown.c_str(),
              human_size(fs::file_size(bin, ec)).c_str(), o.debug ? "Debug" : "Release");
  std::fflush(stdout);
}

}  // namespace myapp::cli
