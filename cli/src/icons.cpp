// An app's icon, checked and written in the hicolor theme's sizes by myapp-image.
#include "icons.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <variant>

#include "exit.hpp"
#include "process.hpp"
#include "util.hpp"

namespace myapp::cli {

namespace {

const char* const HELPER = "myapp-image";

// The files of a folder `myapp icon` wrote: <S>x<S>.png, and icon.svg.
struct icon_folder {
  std::vector<std::pair<int, fs::path>> pngs;
  std::optional<fs::path> svg;
};

icon_folder read_folder(const fs::path& dir) {
  icon_folder out;
  static const std::regex png(R"(([0-9]+)x\1\.png)");
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    std::smatch m;
    if (std::regex_match(name, m, png)) out.pngs.emplace_back(std::stoi(m[1].str()), e.path());
    if (name == "icon.svg") out.svg = e.path();
  }
  std::sort(out.pngs.begin(), out.pngs.end());
  return out;
}

// "<format> <width> <height>" of each file, or the helper's complaint.
struct image_info {
  std::string format;
  int width = 0;
  int height = 0;
};
std::variant<std::vector<image_info>, std::string> info(const fs::path& tool,
                                                        const std::vector<fs::path>& files) {
  std::vector<std::string> argv = {tool.string(), "info"};
  for (const auto& f : files) argv.push_back(f.string());
  auto r = run_captured(argv);
  if (r.code != 0) return trim(r.output);
  std::vector<image_info> out;
  for (const auto& line : split(r.output, "\n")) {
    const auto parts = split(line, " ");
    if (parts.size() == 3) out.push_back({parts[0], std::atoi(parts[1].c_str()), std::atoi(parts[2].c_str())});
  }
  if (out.size() != files.size()) return std::string("the image helper gave no answer");
  return out;
}

}  // namespace

std::string icon_sizes_list() { return fmt::format("{}", fmt::join(ICON_SIZES, ",")); }

std::optional<fs::path> image_tool() {
  std::vector<fs::path> candidates;
  if (auto exe = self_exe(); !exe.empty()) {
    candidates.push_back(exe.parent_path() / HELPER);
    candidates.push_back(exe.parent_path().parent_path() / MYAPP_INSTALL_LIBEXECDIR / "myapp" / HELPER);
  }
  for (const auto& prefix : prefix_paths({})) {
    candidates.push_back(prefix / MYAPP_INSTALL_LIBEXECDIR / "myapp" / HELPER);
  }
  for (const auto& c : candidates) {
    if (::access(c.c_str(), X_OK) == 0) return c;
  }
  return std::nullopt;
}

std::optional<std::string> icon_problem(const fs::path& icon) {
  std::error_code ec;
  if (!fs::exists(icon, ec)) return "does not exist";
  const auto tool = image_tool();
  if (fs::is_directory(icon, ec)) {
    const auto folder = read_folder(icon);
    if (folder.pngs.empty() && !folder.svg) {
      return "is a folder without icons: `myapp icon SOURCE` writes 16x16.png ... 512x512.png "
             "there";
    }
    if (!tool) return std::nullopt;
    std::vector<fs::path> files;
    for (const auto& [size, path] : folder.pngs) files.push_back(path);
    if (folder.svg) files.push_back(*folder.svg);
    auto r = info(*tool, files);
    if (auto* why = std::get_if<std::string>(&r)) return "holds an icon that cannot be read: " + *why;
    const auto& infos = std::get<std::vector<image_info>>(r);
    for (std::size_t i = 0; i < folder.pngs.size(); ++i) {
      const int want = folder.pngs[i].first;
      if (infos[i].width != want || infos[i].height != want) {
        return fmt::format("holds {} of {}x{} pixels: each <S>x<S>.png must be S pixels square",
                           folder.pngs[i].second.filename().string(), infos[i].width,
                           infos[i].height);
      }
    }
    return std::nullopt;
  }
  if (!fs::is_regular_file(icon, ec) || ::access(icon.c_str(), R_OK) != 0) return "cannot be read";
  if (!tool) return std::nullopt;
  auto r = info(*tool, {icon});
  if (auto* why = std::get_if<std::string>(&r)) {
    return fmt::format("cannot be read as an image ({}); use a PNG or an SVG", *why);
  }
  const auto& i = std::get<std::vector<image_info>>(r).front();
  if (i.width != i.height) {
    return fmt::format("is {}x{}: an icon must be square (pad it to {}x{} with a transparent "
                       "border)",
                       i.width, i.height, std::max(i.width, i.height), std::max(i.width, i.height));
  }
  if (i.format != "svg" && i.width < ICON_SIZES[0]) {
    return fmt::format("is {0}x{0}: too small for an icon (at least {1}x{1}; 256x256 or larger, "
                       "or an SVG, looks sharp everywhere)",
                       i.width, ICON_SIZES[0]);
  }
  return std::nullopt;
}

std::vector<installed_icon> install_icon_theme(const fs::path& icon, const fs::path& theme,
                                               const std::string& name) {
  if (auto why = icon_problem(icon)) {
    throw cli_error(outcome::bundle_failed, fmt::format("bundle.icon: {} {}", icon.string(), *why));
  }
  std::vector<installed_icon> out;
  std::error_code ec;
  auto copy = [&](const fs::path& from, const fs::path& rel, int size) {
    fs::create_directories((theme / rel).parent_path());
    fs::copy_file(from, theme / rel, fs::copy_options::overwrite_existing);
    out.push_back({rel, size});
  };
  if (fs::is_directory(icon, ec)) {
    const auto folder = read_folder(icon);
    for (const auto& [size, path] : folder.pngs) {
      copy(path, fs::path(fmt::format("{0}x{0}/apps", size)) / (name + ".png"), size);
    }
    if (folder.svg) copy(*folder.svg, fs::path("scalable/apps") / (name + ".svg"), 0);
    return out;
  }
  const auto tool = image_tool();
  if (!tool) {
    throw cli_error(outcome::tool_missing,
                    "myapp-image (myapp's image helper, built with the framework on Qt GUI) is "
                    "not installed beside myapp: reinstall myapp (bash scripts/setup.sh)");
  }
  auto r = run_captured({tool->string(), "icons", icon.string(), theme.string(), name,
                         icon_sizes_list()});
  if (r.code != 0) {
    throw cli_error(outcome::bundle_failed, fmt::format("bundle.icon: {}", trim(r.output)));
  }
  for (int size : ICON_SIZES) {
    const fs::path rel = fs::path(fmt::format("{0}x{0}/apps", size)) / (name + ".png");
    if (fs::exists(theme / rel, ec)) out.push_back({rel, size});
  }
  std::string ext = icon.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".svg") copy(icon, fs::path("scalable/apps") / (name + ".svg"), 0);
  return out;
}

}  // namespace myapp::cli
