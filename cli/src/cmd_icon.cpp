// myapp icon: a square PNG or SVG written as 16x16.png ... 512x512.png (and icon.svg), the
// folder bundle.icon names and `myapp bundle` installs in the hicolor theme.
#include <fmt/format.h>

#include <cstdio>

#include "commands.hpp"
#include "icons.hpp"
#include "project.hpp"
#include "util.hpp"

namespace myapp::cli {

void cmd_icon(const icon_options& o) {
  const fs::path source = fs::absolute(o.source);
  if (auto why = icon_problem(source)) {
    throw cli_error(outcome::usage, fmt::format("{} {}", o.source, *why));
  }
  std::error_code ec;
  if (fs::is_directory(source, ec)) {
    throw cli_error(outcome::usage, fmt::format("{} is a folder: give a PNG or an SVG", o.source));
  }
  const auto root = find_root(fs::current_path());
  const fs::path out = !o.out.empty() ? fs::absolute(o.out) : (root ? *root : fs::current_path()) / "icons";
  // The theme's layout in a scratch folder first, then flat: <S>x<S>.png.
  const fs::path scratch = out / ".myapp-icon";
  fs::remove_all(scratch, ec);
  const auto written = install_icon_theme(source, scratch, "icon");
  std::vector<std::string> names;
  for (const auto& i : written) {
    const std::string name = i.size == 0 ? "icon.svg" : fmt::format("{0}x{0}.png", i.size);
    if (fs::equivalent(scratch / i.path, source, ec)) continue;
    fs::rename(scratch / i.path, out / name, ec);
    if (ec) {
      throw cli_error(outcome::internal,
                      fmt::format("cannot write {}: {}", (out / name).string(), ec.message()));
    }
    names.push_back(name);
  }
  fs::remove_all(scratch, ec);
  say(fmt::format("wrote {} in {}", fmt::join(names, ", "), shown_path(out)));
  if (root) {
    const std::string rel = fs::relative(out, *root, ec).string();
    auto loaded = config::load_file(*root / CONFIG_FILE);
    const bool set = loaded.config && loaded.config->bundle.icon &&
                     fs::equivalent(*root / *loaded.config->bundle.icon, out, ec);
    if (!set) {
      say(fmt::format("to package them, set \"bundle\": {{\"icon\": \"{}\"}} in {}", rel, CONFIG_FILE));
    }
  }
}

}  // namespace myapp::cli
