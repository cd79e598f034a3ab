// The portable format of `myapp bundle`: a folder that runs where Qt is not installed, laid out
// as an AppDir, its .tar.gz, and an .AppImage when appimagetool is there.
//
//   <app>-<version>-<machine>/
//     AppRun                       runs usr/bin/<app>
//     <app>.desktop, <app>.png     for desktops and appimagetool
//     usr/bin/<app>, qt.conf       the app (RUNPATH $ORIGIN/../lib); qt.conf points Qt here
//     usr/lib/                     the Qt libraries and every library they load that a Linux
//                                  desktop does not provide itself (RUNPATH $ORIGIN)
//     usr/libexec/QtWebEngineProcess, qt.conf
//     usr/plugins/                 the platform plugins (xcb, offscreen, ...), image formats, ...
//     usr/resources/               Qt WebEngine's .pak files
//     usr/translations/qtwebengine_locales/en-US.pak
//     usr/share/icons/hicolor/     the app's icon
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <cstdio>
#include <map>
#include <set>

#include "bundle.hpp"
#include "exit.hpp"
#include "process.hpp"
#include "util.hpp"

namespace myapp::cli {

namespace {

// Libraries every Linux desktop provides and that must come from it (the C library and the
// loader, the graphics drivers' libraries, X11's core, fontconfig, ...): the list AppImages
// are built with (the AppImage project's excludelist).
constexpr std::string_view HOST_LIBRARIES[] = {
    "ld-linux.so.2",     "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "libanl.so.1",
    "libasound.so.2",    "libBrokenLocale.so.1", "libcidn.so.1",         "libcom_err.so.2",
    "libc.so.6",         "libdl.so.2",           "libdrm.so.2",          "libEGL.so.1",
    "libexpat.so.1",     "libfontconfig.so.1",   "libfreetype.so.6",     "libfribidi.so.0",
    "libgbm.so.1",       "libgcc_s.so.1",        "libgdk_pixbuf-2.0.so.0", "libgio-2.0.so.0",
    "libglapi.so.0",     "libGLdispatch.so.0",   "libglib-2.0.so.0",     "libGL.so.1",
    "libGLX.so.0",       "libgmp.so.10",         "libgobject-2.0.so.0",  "libgpg-error.so.0",
    "libharfbuzz.so.0",  "libICE.so.6",          "libjack.so.0",         "libm.so.6",
    "libmvec.so.1",      "libnss_compat.so.2",   "libnss_dns.so.2",      "libnss_files.so.2",
    "libOpenGL.so.0",    "libp11-kit.so.0",      "libpthread.so.0",      "libresolv.so.2",
    "librt.so.1",        "libSM.so.6",           "libstdc++.so.6",       "libthai.so.0",
    "libthread_db.so.1", "libusb-1.0.so.0",      "libutil.so.1",         "libuuid.so.1",
    "libX11.so.6",       "libxcb-dri2.so.0",     "libxcb-dri3.so.0",     "libxcb.so.1",
    "libz.so.1",         "libwayland-client.so.0", "libpango-1.0.so.0"};

// The plugins an app may load: folder and file names (a prefix ending in '*' matches more).
struct plugin_set {
  const char* folder;
  std::vector<std::string> files;
};
const std::vector<plugin_set>& plugins() {
  static const std::vector<plugin_set> sets = {
      {"platforms", {"libqxcb.so", "libqoffscreen.so", "libqminimal.so", "libqwayland*"}},
      {"xcbglintegrations", {"*"}},
      {"wayland-shell-integration", {"*"}},
      {"wayland-graphics-integration-client", {"*"}},
      {"wayland-decoration-client", {"*"}},
      {"platforminputcontexts", {"*"}},
      {"imageformats", {"*"}},
      {"iconengines", {"*"}},
  };
  return sets;
}

bool matches(const std::string& name, const std::string& pattern) {
  if (!pattern.empty() && pattern.back() == '*') return name.starts_with(pattern.substr(0, pattern.size() - 1));
  return name == pattern;
}

// Where the Qt the app was built with keeps its parts.
struct qt_layout {
  fs::path libexec, plugins, data, translations;
};

qt_layout find_qt() {
  qt_layout q;
  std::map<std::string, std::string> values;
  for (const char* tool : {"qmake6", "qtpaths6", "qmake"}) {
    std::vector<std::string> argv = {tool, std::string_view(tool).starts_with("qtpaths") ? "--query" : "-query"};
    if (auto out = capture(argv)) {
      for (const auto& line : split(*out, "\n")) {
        const auto colon = line.find(':');
        if (colon != std::string::npos) values[line.substr(0, colon)] = trim(line.substr(colon + 1));
      }
      if (values.contains("QT_VERSION") && values["QT_VERSION"].starts_with("6.")) break;
      values.clear();
    }
  }
  auto get = [&](const char* key, const char* fallback) {
    auto it = values.find(key);
    return fs::path(it != values.end() && !it->second.empty() ? it->second : fallback);
  };
  // Debian's layout when no tool answers.
  q.libexec = get("QT_INSTALL_LIBEXECS", "/usr/lib/qt6/libexec");
  const std::string multiarch = "/usr/lib/" + machine() + "-linux-gnu/qt6/plugins";
  q.plugins = get("QT_INSTALL_PLUGINS", multiarch.c_str());
  q.data = get("QT_INSTALL_DATA", "/usr/share/qt6");
  q.translations = get("QT_INSTALL_TRANSLATIONS", "/usr/share/qt6/translations");
  return q;
}

// Every library `files` load, by name, with the file the loader finds for it now. Throws when
// one is not found: the app could not run here either.
std::map<std::string, fs::path> libraries_of(const std::vector<fs::path>& files) {
  std::map<std::string, fs::path> out;
  for (const auto& f : files) {
    auto r = run_captured({"ldd", f.string()});
    if (r.code != 0) {
      throw cli_error(outcome::bundle_failed,
                      fmt::format("ldd {} failed: {}", f.string(), trim(r.output)));
    }
    for (const auto& raw : split(r.output, "\n")) {
      const std::string line = trim(raw);
      const auto arrow = line.find(" => ");
      if (arrow == std::string::npos) continue;
      const std::string name = line.substr(0, arrow);
      std::string path = trim(line.substr(arrow + 4));
      if (path.starts_with("not found")) {
        throw cli_error(outcome::bundle_failed,
                        fmt::format("{} needs {}, which is not installed here", f.string(), name));
      }
      path = path.substr(0, path.find(" ("));
      if (!path.empty() && path.front() == '/') out.emplace(name, path);
    }
  }
  return out;
}

bool from_host(const std::string& name) {
  return std::find(std::begin(HOST_LIBRARIES), std::end(HOST_LIBRARIES), name) !=
         std::end(HOST_LIBRARIES);
}

void set_runpath(const fs::path& file, const std::string& runpath) {
  auto r = run_captured({"patchelf", "--set-rpath", runpath, file.string()});
  if (r.code != 0) {
    throw cli_error(outcome::bundle_failed,
                    fmt::format("patchelf --set-rpath {} {} failed: {}", runpath, file.string(),
                                trim(r.output)));
  }
}

void copy_into(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);  // follows symlinks
}

// Drops the symbol table of a copied library that has one (Debian's come without; a library
// built by hand under /usr/local may not), as the app's own binary is stripped.
void strip_symbols(const fs::path& lib) {
  const auto sections = capture({"readelf", "-S", "-W", lib.string()});
  if (!sections || sections->find(" .symtab ") == std::string::npos || which("strip").empty()) return;
  if (run({"strip", "--strip-unneeded", lib.string()}, quietly()) != 0) {
    say(fmt::format("could not strip {}; bundling it as it is", lib.filename().string()));
  }
}

// Points Qt (in the app and in QtWebEngineProcess) at the folder's libraries, plugins,
// resources and locales instead of the system's.
constexpr std::string_view QT_CONF =
    "# Qt's paths, relative to this folder's parent (usr/): the bundled Qt, not the system's.\n"
    "[Paths]\n"
    "Prefix=..\n"
    "Libraries=lib\n"
    "LibraryExecutables=libexec\n"
    "Plugins=plugins\n"
    "Data=.\n"
    "Translations=translations\n";

}  // namespace

bundled bundle_portable(const project& p, const fs::path& binary, bool appimage) {
  const std::string name = fmt::format("{}-{}-{}", p.target, p.conf.version, machine());
  const fs::path out_dir = p.bundle_dir() / "portable";
  const fs::path dir = out_dir / name;
  const fs::path usr = dir / "usr";
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(usr / "bin");
  bundled result;

  const qt_layout qt = find_qt();
  const fs::path process = qt.libexec / "QtWebEngineProcess";
  if (!fs::is_regular_file(process, ec)) {
    throw cli_error(outcome::bundle_failed,
                    fmt::format("Qt WebEngine's process is not at {} (install "
                                "libqt6webenginecore6-bin)",
                                process.string()));
  }
  // The programs and plugins, as found on this machine; patched once their libraries are known.
  std::vector<std::pair<fs::path, std::string>> patched;  // file, its RUNPATH
  std::vector<fs::path> roots = {binary, process};
  package_binary(binary, usr / "bin" / p.target);
  patched.emplace_back(usr / "bin" / p.target, "$ORIGIN/../lib");
  copy_into(process, usr / "libexec/QtWebEngineProcess");
  patched.emplace_back(usr / "libexec/QtWebEngineProcess", "$ORIGIN/../lib");
  for (const auto& set : plugins()) {
    const fs::path from = qt.plugins / set.folder;
    for (const auto& e : fs::directory_iterator(from, ec)) {
      const std::string file = e.path().filename().string();
      if (!e.is_regular_file() || e.path().extension() != ".so") continue;
      if (std::none_of(set.files.begin(), set.files.end(), [&](const auto& m) { return matches(file, m); })) continue;
      copy_into(e.path(), usr / "plugins" / set.folder / file);
      roots.push_back(e.path());
      patched.emplace_back(usr / "plugins" / set.folder / file, "$ORIGIN/../../lib");
    }
  }
  if (!fs::exists(usr / "plugins/platforms/libqxcb.so")) {
    result.notes.push_back("no xcb platform plugin was found: the folder runs headless only");
  }

  // The libraries: all that the programs and plugins load, but the desktop's own.
  auto libs = libraries_of(roots);
  if (auto nss = libs.find("libnss3.so"); nss != libs.end()) {
    // NSS opens its crypto modules itself, from its own folder.
    std::vector<fs::path> modules;
    for (const char* m : {"libsoftokn3.so", "libfreeblpriv3.so", "libfreebl3.so", "libnssckbi.so"}) {
      const fs::path f = nss->second.parent_path() / m;
      if (fs::exists(f, ec)) {
        libs.emplace(m, f);
        modules.push_back(f);
      }
    }
    for (auto& [n, f] : libraries_of(modules)) libs.emplace(n, f);
  }
  std::size_t host = 0;
  for (const auto& [lib, path] : libs) {
    if (from_host(lib)) {
      ++host;
      continue;
    }
    copy_into(path, usr / "lib" / lib);
    strip_symbols(usr / "lib" / lib);
    patched.emplace_back(usr / "lib" / lib, "$ORIGIN");
  }
  for (const auto& [file, runpath] : patched) set_runpath(file, runpath);

  // Qt WebEngine's resources and the one locale it falls back to.
  for (const auto& e : fs::directory_iterator(qt.data / "resources", ec)) {
    if (e.is_regular_file()) copy_into(e.path(), usr / "resources" / e.path().filename());
  }
  if (!fs::exists(usr / "resources/qtwebengine_resources.pak")) {
    throw cli_error(outcome::bundle_failed,
                    fmt::format("Qt WebEngine's resources are not in {} (install "
                                "libqt6webenginecore6-data)",
                                (qt.data / "resources").string()));
  }
  const fs::path locale = qt.translations / "qtwebengine_locales/en-US.pak";
  if (fs::exists(locale, ec)) copy_into(locale, usr / "translations/qtwebengine_locales/en-US.pak");
  write_file(usr / "bin/qt.conf", QT_CONF);
  write_file(usr / "libexec/qt.conf", QT_CONF);

  // What desktops and appimagetool look for at the top.
  write_file(dir / "AppRun",
             fmt::format("#!/bin/sh\n"
                         "# Runs {0} from this folder, with the Qt inside it.\n"
                         "here=\"$(dirname \"$(readlink -f \"$0\")\")\"\n"
                         "exec \"$here/usr/bin/{0}\" \"$@\"\n",
                         p.target));
  fs::permissions(dir / "AppRun", fs::perms(0755));
  write_file(dir / (p.target + ".desktop"), desktop_entry(p, p.target));
  const auto icons = stage_icons(p, usr / "share/icons/hicolor");
  const installed_icon* largest = nullptr;
  for (const auto& i : icons) {
    if (i.size > 0 && (largest == nullptr || i.size > largest->size)) largest = &i;
  }
  if (largest != nullptr) {
    copy_into(usr / "share/icons/hicolor" / largest->path, dir / (p.target + ".png"));
    fs::create_symlink(p.target + ".png", dir / ".DirIcon", ec);
  }
  write_file(dir / "README.txt",
             fmt::format("{} {}: {}\n\nRun ./AppRun (or usr/bin/{}). Everything it needs but the "
                         "desktop's own libraries (the C library, graphics drivers, X11, "
                         "fontconfig) is in this folder: no Qt needs to be installed.\n",
                         p.conf.product_name, p.conf.version, description(p), p.target));

  const std::uintmax_t folder_bytes = tree_size(dir);
  const fs::path tarball = out_dir / (name + ".tar.gz");
  make_tarball(out_dir, name, tarball);
  result.file = tarball;
  result.notes.push_back(fmt::format("portable: {}/ ({}: {} libraries bundled, {} left to the "
                                     "desktop)",
                                     shown_path(dir), human_size(folder_bytes),
                                     libs.size() - host, host));

  if (appimage || !which("appimagetool").empty()) {
    if (largest == nullptr) {
      throw cli_error(outcome::bundle_failed,
                      "an AppImage needs an icon: set bundle.icon in myapp.conf.json (`myapp icon "
                      "SOURCE` writes one)");
    }
    const fs::path image = out_dir / (name + ".AppImage");
    run_options o = quietly();
    o.env["ARCH"] = machine();
    if (const int code = run({"appimagetool", "--no-appstream", dir.string(), image.string()}, o); code != 0) {
      throw cli_error(outcome::bundle_failed, fmt::format("appimagetool failed (exit {})", code));
    }
    if (appimage) {
      result.notes.push_back(fmt::format("portable: {}", shown_path(tarball)));
      result.file = image;
    } else {
      result.notes.push_back(fmt::format("appimage: {}", shown_path(image)));
    }
  } else {
    result.notes.push_back("no .AppImage: appimagetool is not on the PATH (Debian does not "
                           "package it); the folder and the .tar.gz run without it");
  }
  return result;
}

}  // namespace myapp::cli
