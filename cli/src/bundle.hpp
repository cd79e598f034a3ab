// The package formats of `myapp bundle`: what each needs and makes, and the pieces they share.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "icons.hpp"
#include "project.hpp"

namespace myapp::cli {

namespace fs = std::filesystem;

/// A tool a format needs, and how to get it.
struct needed_tool {
  std::string name;
  std::string hint;
};
/// The tools `format` needs (deb: dpkg-deb; rpm: rpmbuild; ...).
std::vector<needed_tool> tools_of(const std::string& format);

/// What one format wrote: the package, and notes such as a part it skipped.
struct bundled {
  fs::path file;
  std::vector<std::string> notes;
};

// Each format packages `binary` (the Release build) of `p`; throws cli_error(bundle_failed).
bundled bundle_deb(const project& p, const fs::path& binary);
bundled bundle_tar(const project& p, const fs::path& binary);
bundled bundle_rpm(const project& p, const fs::path& binary);
/// A folder that runs where Qt is not installed (the app, the Qt libraries it loads, Qt
/// WebEngine's process, resources and locales, a qt.conf), its .tar.gz, and an .AppImage when
/// `appimage` (which needs appimagetool) or when appimagetool is on the PATH.
bundled bundle_portable(const project& p, const fs::path& binary, bool appimage);

// Shared by the formats.

/// "x86_64", "aarch64": the kernel's name of the machine.
std::string machine();
/// bundle.description, or productName.
std::string description(const project& p);
/// The .desktop file. `exec` is what it runs: the binary's name, or a path.
std::string desktop_entry(const project& p, const std::string& exec);
/// Copies `binary` to `to` without its symbols (strip --strip-unneeded, as Debian's dh_strip
/// does); as built when strip is missing or fails.
void package_binary(const fs::path& binary, const fs::path& to);
/// bundle.icon written into the hicolor theme folder `theme`; nothing without bundle.icon.
std::vector<installed_icon> stage_icons(const project& p, const fs::path& theme);
/// The size of the regular files under `root`.
std::uintmax_t tree_size(const fs::path& root);
/// Runs tar -czf `tarball` of `dir` (a folder of `parent`), owned by root.
void make_tarball(const fs::path& parent, const std::string& dir, const fs::path& tarball);

}  // namespace myapp::cli
