// myapp build: the checks of `myapp check`, beforeBuildCommand, CMake, and the capabilities
// against the built binary; build/<app> then points at what was built.
#include <fmt/format.h>

#include <cstdio>

#include "commands.hpp"
#include "project.hpp"
#include "util.hpp"

namespace myapp::cli {

void cmd_build(const build_options& o) {
  const project p = load_project();
  const build_kind kind = o.debug ? build_kind::debug : build_kind::release;
  const fs::path bin = build_checked(p, {.kind = kind, .prefix_paths = o.prefix_paths});
  // build/<app>: the last build, where the README and `myapp new`'s next steps run it. A file
  // there is a build of an older myapp, which built in build/ itself.
  const fs::path link = p.last_build_link();
  std::error_code ec;
  if (fs::is_directory(link, ec) && !fs::is_symlink(link, ec)) {
    warn(fmt::format("{} is a folder, so it cannot point at the binary; run {} instead",
                     shown_path(link), shown_path(bin)));
  } else {
    fs::remove(link, ec);
    fs::create_symlink(fs::path(folder_name(kind)) / p.target, link, ec);
    if (ec) warn(fmt::format("cannot link {}: {}", shown_path(link), ec.message()));
  }
  const fs::path shown_link = link.lexically_relative(fs::current_path());
  std::printf("built %s (%s, %s; %s points to it)\n", shown_path(bin).c_str(),
              human_size(fs::file_size(bin, ec)).c_str(), build_type(kind),
              (shown_link.empty() ? link : shown_link).c_str());
  std::fflush(stdout);
}

}  // namespace myapp::cli
