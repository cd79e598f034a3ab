// An app's icon: checked, and written in the sizes of the desktop's hicolor icon theme, with
// myapp-image (a helper on Qt GUI; the CLI stays Qt-free).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace myapp::cli {

namespace fs = std::filesystem;

/// The sizes an app's icon is written in: each has a folder in the hicolor theme's index.
inline constexpr int ICON_SIZES[] = {16, 24, 32, 48, 64, 128, 256, 512};

/// The image helper: beside this program (a build tree), or <prefix>/libexec/myapp/myapp-image.
std::optional<fs::path> image_tool();

/// Why `icon` (bundle.icon: an image file, or a folder `myapp icon` wrote) cannot be the app's
/// icon: missing, unreadable, not an image, not square, too small; nullopt when it can. Without
/// the helper, only that it exists and can be read is checked.
std::optional<std::string> icon_problem(const fs::path& icon);

/// One icon file written into a theme folder.
struct installed_icon {
  fs::path path;  ///< relative to the theme folder: 256x256/apps/<name>.png, scalable/apps/<name>.svg
  int size = 0;   ///< 0 for scalable
};
/// Writes `icon` into the hicolor theme folder `theme` (.../share/icons/hicolor) under `name`:
/// every size of ICON_SIZES up to the source's (an SVG: every size, and itself as scalable).
/// Throws cli_error: tool_missing without the helper, bundle_failed when it fails.
std::vector<installed_icon> install_icon_theme(const fs::path& icon, const fs::path& theme,
                                               const std::string& name);

/// "16,24,...,512"
std::string icon_sizes_list();

}  // namespace myapp::cli
