// myapp bundle: the app built in Release from the sources on disk (build/release), checked as
// `myapp check` checks it, then packaged in each format asked for.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "bundle.hpp"
#include "commands.hpp"
#include "myapp/config.hpp"
#include "project.hpp"
#include "util.hpp"

namespace myapp::cli {

void cmd_bundle(const bundle_options& o) {
  const project p = load_project();
  std::vector<std::string> formats = o.formats;
  const char* from = "--format";
  if (formats.empty()) {
    formats = p.conf.bundle.targets;
    from = "bundle.targets";
  }
  if (formats.empty()) formats = {"deb", "tar"};
  // Every format and every tool first: nothing is built for a bundle that cannot be made.
  const auto& known = config::bundle_formats();
  for (const auto& f : formats) {
    if (std::find(known.begin(), known.end(), f) == known.end()) {
      auto near = config::closest(f, known);
      throw cli_error(outcome::usage,
                      fmt::format("unknown bundle format \"{}\" in {} (available: {}){}", f, from,
                                  fmt::join(known, ", "),
                                  near ? fmt::format("; did you mean \"{}\"?", *near) : ""));
    }
  }
  for (const auto& f : formats) {
    for (const auto& tool : tools_of(f)) {
      if (which(tool.name).empty()) {
        throw cli_error(outcome::tool_missing,
                        fmt::format("the {} format needs `{}`, which is not installed: {}", f,
                                    tool.name, tool.hint));
      }
    }
  }
  // What is packaged is what is on disk now, built in Release in a folder of its own.
  const fs::path binary = build_checked(p, {.kind = build_kind::release, .prefix_paths = o.prefix_paths});
  std::error_code ec;
  say(fmt::format("built {} {} from the current sources (Release, {})", p.conf.product_name,
                  p.conf.version, shown_path(binary)));
  for (const auto& f : formats) {
    bundled out;
    if (f == "deb") out = bundle_deb(p, binary);
    if (f == "tar") out = bundle_tar(p, binary);
    if (f == "rpm") out = bundle_rpm(p, binary);
    if (f == "portable" || f == "appimage") {
      // One folder serves both; an .AppImage is made once.
      if (f == "portable" && std::find(formats.begin(), formats.end(), "appimage") != formats.end()) continue;
      out = bundle_portable(p, binary, f == "appimage");
    }
    std::printf("%s: %s (%s)\n", f.c_str(), shown_path(out.file).c_str(),
                human_size(fs::file_size(out.file, ec)).c_str());
    std::fflush(stdout);
    for (const auto& note : out.notes) say(note);
  }
}

}  // namespace myapp::cli
