// myapp info: the versions of the toolchain, and the project around the current folder.
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <regex>

#include "bundle.hpp"
#include "commands.hpp"
#include "icons.hpp"
#include "myapp/config.hpp"
#include "process.hpp"
#include "project.hpp"
#include "source_watch.hpp"
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

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

// Where apps started here show their windows, and what to do when nowhere.
std::string display() {
  if (!env("QT_QPA_PLATFORM").empty()) return "QT_QPA_PLATFORM=" + env("QT_QPA_PLATFORM");
  if (!env("WAYLAND_DISPLAY").empty()) return "Wayland (WAYLAND_DISPLAY=" + env("WAYLAND_DISPLAY") + ")";
  if (!env("DISPLAY").empty()) return "X11 (DISPLAY=" + env("DISPLAY") + ")";
  return "none: DISPLAY and WAYLAND_DISPLAY are unset, so windows cannot open; run apps "
         "headless with QT_QPA_PLATFORM=offscreen (MYAPP_SMOKE_TEST=1 and `myapp test` do it "
         "themselves)";
}

std::string tool(const std::string& format, const std::string& name) {
  const std::string path = which(name);
  if (!path.empty()) return path;
  for (const auto& t : tools_of(format)) {
    if (t.name == name) return "not found: " + t.hint;
  }
  return "not found";
}

// The newest of the files a build compiles in: sources, CMake files, the configuration, the
// capabilities and the frontend.
std::optional<std::pair<fs::file_time_type, std::string>> newest_source(const project& p) {
  std::optional<std::pair<fs::file_time_type, std::string>> newest;
  auto see = [&](fs::file_time_type t, const std::string& name) {
    if (!newest || t > newest->first) newest = {t, name};
  };
  for (const auto& [file, time] : scan(p)) see(time, file);
  std::error_code ec;
  fs::recursive_directory_iterator it(p.frontend_dist(), fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) see(it->last_write_time(ec), fs::relative(it->path(), p.root, ec).string());
  }
  return newest;
}

void build_folders(const project& p) {
  const auto newest = newest_source(p);
  std::error_code ec;
  for (auto k : ALL_BUILD_KINDS) {
    const fs::path bin = p.binary(k);
    const std::string key = fmt::format("build/{}", folder_name(k));
    const char* builds = k == build_kind::release ? "myapp build"
                         : k == build_kind::debug ? "myapp build --debug"
                                                  : "myapp dev";
    if (!fs::exists(bin, ec)) {
      row(key.c_str(), fs::exists(p.build_dir(k), ec) ? fmt::format("not built (`{}` builds it)", builds)
                                                      : "none");
      continue;
    }
    const auto built = fs::last_write_time(bin, ec);
    if (newest && newest->first > built) {
      row(key.c_str(), fmt::format("stale: {} changed since it was built; `{}` rebuilds it "
                                   "(`myapp bundle` always does)",
                                   newest->second, builds));
    } else {
      row(key.c_str(), fmt::format("up to date ({}, {})", build_type(k),
                                   human_size(fs::file_size(bin, ec))));
    }
  }
  if (fs::exists(p.build_root() / "CMakeCache.txt", ec)) {
    row("build/", "also holds a build of an older myapp (build/CMakeCache.txt), no longer used: "
                  "`rm -rf build && myapp build` starts afresh without it");
  }
}

// The npm side: node_modules, and @myapp/api against this CLI's version.
void npm_packages(const project& p) {
  std::error_code ec;
  const auto package = read_file(p.root / "package.json");
  if (!package) return;
  row("node_modules", fs::is_directory(p.root / "node_modules", ec)
                          ? "present"
                          : "missing: run `npm install` in the project (the npm scripts and "
                            "`myapp test` need it)");
  static const std::regex dep(R"re("@myapp/api"\s*:\s*"([^"]*)")re");
  std::smatch m;
  if (!std::regex_search(*package, m, dep)) return;
  const std::string spec = m[1].str();
  const auto installed = find_data({}, "runtime-js");
  const std::string refresh =
      installed ? fmt::format("rm -rf {0} && cp -r {1} {0} && npm install", VENDORED_API,
                              installed->string())
                : std::string("copy share/myapp/runtime-js of the installed myapp there");
  if (spec != std::string("file:") + VENDORED_API) {
    row("@myapp/api", fmt::format("{}: not the project's own copy, so the project builds only "
                                  "where that path exists; `{}` and set \"@myapp/api\": "
                                  "\"file:{}\" in package.json",
                                  spec, refresh, VENDORED_API));
    return;
  }
  static const std::regex version(R"re("version"\s*:\s*"([^"]*)")re");
  const auto vendored = read_file(p.root / VENDORED_API / "package.json");
  if (!vendored || !std::regex_search(*vendored, m, version)) {
    row("@myapp/api", fmt::format("{} is missing: `{}`", VENDORED_API, refresh));
  } else if (m[1].str() != MYAPP_VERSION) {
    row("@myapp/api", fmt::format("{} in {}, but this CLI is {}: the page's client and the app "
                                  "must match; `{}`",
                                  m[1].str(), VENDORED_API, MYAPP_VERSION, refresh));
  } else {
    row("@myapp/api", fmt::format("{} in {} (the CLI's version)", m[1].str(), VENDORED_API));
  }
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

  std::printf("\n%s\n", paint("1", "Can it run and package apps here?").c_str());
  row("display", display());
  row("dpkg-deb", tool("deb", "dpkg-deb"));
  row("rpmbuild", tool("rpm", "rpmbuild"));
  row("patchelf", tool("portable", "patchelf"));
  row("appimagetool", tool("appimage", "appimagetool"));
  const auto image = image_tool();
  row("myapp-image", image ? image->string()
                           : "not found: icons cannot be checked or scaled; reinstall myapp "
                             "(bash scripts/setup.sh)");

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
    if (c.bundle.icon) {
      const auto why = icon_problem(*root / *c.bundle.icon);
      row("icon", why ? fmt::format("{} {} (myapp icon SOURCE writes one)", *c.bundle.icon, *why)
                      : *c.bundle.icon);
    } else {
      row("icon", "none: set bundle.icon (`myapp icon SOURCE` writes one)");
    }
    row("problems", "none (`myapp check` also checks the capabilities)");
    const std::string target = app_target(*root);
    if (!target.empty()) {
      const project p{*root, c, target};
      npm_packages(p);
      build_folders(p);
    }
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
