// myapp info: the versions of the toolchain, and the project around the current folder.
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <regex>

#include "commands.hpp"
#include "myapp/config.hpp"
#include "process.hpp"
#include "project.hpp"
#include "util.hpp"

namespace myapp::cli {

namespace {

std::string version_of(const std::vector<std::string>& argv) {
  if (which(argv.at(0)).empty()) return "not found";
  auto out = capture(argv);
  return out ? first_line(*out) : "found, but did not say its version";
}

// Qt's version: qmake6, or the Qt6 CMake package's version file.
std::string qt_version(const std::vector<std::string>& prefixes) {
  if (auto v = capture({"qmake6", "-query", "QT_VERSION"})) return trim(*v) + " (qmake6)";
  std::vector<fs::path> dirs;
  for (const auto& prefix : prefix_paths(prefixes)) dirs.push_back(prefix / "lib");
  dirs.emplace_back("/usr/lib");
  dirs.emplace_back("/usr/local/lib");
  static const std::regex re(R"re(set\(PACKAGE_VERSION "([^"]+)"\))re");
  for (const auto& lib : dirs) {
    std::error_code ec;
    std::vector<fs::path> candidates = {lib / "cmake/Qt6/Qt6ConfigVersion.cmake"};
    for (const auto& e : fs::directory_iterator(lib, ec)) {
      if (e.is_directory(ec)) candidates.push_back(e.path() / "cmake/Qt6/Qt6ConfigVersion.cmake");
    }
    for (const auto& c : candidates) {
      auto text = read_file(c);
      std::smatch m;
      if (text && std::regex_search(*text, m, re)) return m[1].str() + " (" + c.string() + ")";
    }
  }
  return "not found (install qt6-webengine-dev)";
}

std::string installed_myapp(const std::vector<std::string>& prefixes) {
  static const std::regex re(R"re(set\(PACKAGE_VERSION "([^"]+)"\))re");
  for (const auto& prefix : prefix_paths(prefixes)) {
    const fs::path f = prefix / MYAPP_INSTALL_LIBDIR / "cmake/myapp/myappConfigVersion.cmake";
    auto text = read_file(f);
    std::smatch m;
    if (text && std::regex_search(*text, m, re)) return m[1].str() + " in " + prefix.string();
  }
  return "not found (bash scripts/setup.sh installs it; --prefix-path for another prefix)";
}

void row(const char* key, const std::string& value) {
  std::printf("  %-14s %s\n", key, value.c_str());
}

}  // namespace

void cmd_info(const info_options& o) {
  std::printf("%s\n", paint("1", "Environment").c_str());
  row("myapp CLI", MYAPP_VERSION);
  row("myapp package", installed_myapp(o.prefix_paths));
  row("Qt", qt_version(o.prefix_paths));
  const char* cxx = std::getenv("CXX");
  row("compiler", version_of({cxx && *cxx ? cxx : "c++", "--version"}));
  row("cmake", version_of({"cmake", "--version"}));
  row("ninja", version_of({"ninja", "--version"}));
  row("node", version_of({"node", "--version"}));
  row("npm", version_of({"npm", "--version"}));

  std::printf("\n%s\n", paint("1", "Project").c_str());
  auto root = find_root(fs::current_path());
  if (!root) {
    std::printf("  no %s here or above\n", CONFIG_FILE);
    return;
  }
  row("folder", root->string());
  auto loaded = config::load_file(*root / CONFIG_FILE);
  if (loaded.ok()) {
    const auto& c = *loaded.config;
    row("product", fmt::format("{} {}", c.product_name, c.version));
    row("identifier", c.identifier);
    row("app target", app_target(*root).empty() ? "none (CMakeLists.txt has no myapp_add_app)"
                                                 : app_target(*root));
    row("frontend", c.build.frontend_dist);
    if (c.build.dev_url) row("dev URL", *c.build.dev_url);
    if (c.build.before_dev_command) row("before dev", *c.build.before_dev_command);
    if (c.build.before_build_command) row("before build", *c.build.before_build_command);
    std::vector<std::string> windows;
    for (const auto& w : c.app.windows) windows.push_back(fmt::format("{} ({}, {}x{})", w.label, w.url, w.width, w.height));
    row("windows", windows.empty() ? "none (declared in code, or one default)" : fmt::format("{}", fmt::join(windows, ", ")));
    if (!c.app.security.capabilities.empty()) {
      row("capabilities", fmt::format("{}", fmt::join(c.app.security.capabilities, ", ")));
    }
    row("bundle", c.bundle.targets.empty() ? "deb, tar (default)" : fmt::format("{}", fmt::join(c.bundle.targets, ", ")));
    row("problems", "none");
  } else {
    row("problems", std::to_string(loaded.problems.size()));
    for (auto p : loaded.problems) {
      p.file = CONFIG_FILE;
      std::printf("    %s\n", config::format(p).c_str());
    }
  }
  std::fflush(stdout);
}

}  // namespace myapp::cli
