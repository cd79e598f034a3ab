// The .deb (dpkg-deb), .tar.gz (tar) and .rpm (rpmbuild) of `myapp bundle`, and the pieces
// every format shares.
#include <sys/utsname.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "bundle.hpp"
#include "exit.hpp"
#include "process.hpp"
#include "util.hpp"

namespace myapp::cli {

namespace {

// The Qt runtime every app needs, whatever its own libraries.
const std::vector<std::string> QT_RUNTIME = {"libqt6webenginewidgets6", "libqt6webchannel6"};

std::string deb_arch() {
  if (auto a = capture({"dpkg", "--print-architecture"})) return trim(*a);
  const std::string m = machine();
  if (m == "x86_64") return "amd64";
  if (m == "aarch64") return "arm64";
  return m;
}

// Debian package names: lowercase letters, digits, + - . ; at least two characters.
std::string deb_package_name(const std::string& target) {
  std::string out;
  for (char c : target) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
      out.push_back(c);
    } else {
      out.push_back('-');
    }
  }
  return out;
}

// A semver prerelease ("1.0.0-beta.1") sorts before its release in dpkg and rpm with '~'.
std::string package_version(const std::string& v) {
  std::string out = v;
  std::replace(out.begin(), out.end(), '-', '~');
  return out;
}

// The Debian packages of the shared libraries the binary links to directly (its NEEDED
// entries), as dpkg knows them: a best effort (readelf, ldd and dpkg must be there).
std::vector<std::string> shared_library_packages(const fs::path& binary) {
  std::vector<std::string> out;
  auto dyn = capture({"readelf", "-d", binary.string()});
  auto ldd = capture({"ldd", binary.string()});
  if (!dyn || !ldd) return out;
  std::set<std::string> needed;
  for (const auto& line : split(*dyn, "\n")) {
    const auto a = line.find("(NEEDED)");
    const auto b = line.find('[');
    const auto e = line.find(']');
    if (a != std::string::npos && b != std::string::npos && e != std::string::npos && e > b) {
      needed.insert(line.substr(b + 1, e - b - 1));
    }
  }
  std::vector<std::string> paths;
  for (const auto& line : split(*ldd, "\n")) {
    const auto arrow = line.find(" => ");
    if (arrow == std::string::npos) continue;
    const std::string lib = trim(line.substr(0, arrow));
    if (!needed.contains(lib)) continue;
    std::string path = trim(line.substr(arrow + 4));
    path = path.substr(0, path.find(" ("));
    if (!path.empty() && path.front() == '/') paths.push_back(path);
  }
  for (const auto& path : paths) {
    // dpkg knows a library by the path its package installed (/lib or /usr/lib on a merged /usr).
    std::vector<std::string> candidates = {path};
    if (path.rfind("/lib/", 0) == 0) candidates.push_back("/usr" + path);
    if (path.rfind("/usr/lib/", 0) == 0) candidates.push_back(path.substr(4));
    std::error_code ec;
    const auto real = fs::canonical(path, ec);
    if (!ec) candidates.push_back(real.string());
    for (const auto& c : candidates) {
      auto owner = capture({"dpkg", "-S", c});
      if (!owner) continue;
      const std::string pkg = first_line(*owner).substr(0, first_line(*owner).find(':'));
      if (!pkg.empty() && std::find(out.begin(), out.end(), pkg) == out.end()) out.push_back(pkg);
      break;
    }
  }
  return out;
}

// Copies the binary, the desktop file and the icons into `staging` under usr/.
void stage_usr(const project& p, const fs::path& binary, const fs::path& staging) {
  fs::create_directories(staging / "usr/bin");
  package_binary(binary, staging / "usr/bin" / p.target);
  write_file(staging / "usr/share/applications" / (p.target + ".desktop"), desktop_entry(p, p.target));
  stage_icons(p, staging / "usr/share/icons/hicolor");
}

}  // namespace

std::vector<needed_tool> tools_of(const std::string& format) {
  if (format == "deb") return {{"dpkg-deb", "it comes with dpkg (Debian, Ubuntu): apt-get install dpkg"}};
  if (format == "rpm") {
    return {{"rpmbuild", "on Debian and Ubuntu: apt-get install rpm"}};
  }
  if (format == "tar") return {{"tar", "apt-get install tar"}};
  std::vector<needed_tool> portable = {
      {"patchelf", "apt-get install patchelf (it points the bundled programs at their own "
                   "libraries)"},
      {"ldd", "it comes with the C library: apt-get install libc-bin"},
      {"tar", "apt-get install tar"}};
  if (format == "appimage") {
    portable.push_back({"appimagetool",
                        "Debian does not package it: put an appimagetool from the AppImage "
                        "project on the PATH. `--format portable` makes the same self-contained "
                        "folder and a .tar.gz without it"});
  }
  return portable;
}

std::string machine() {
  utsname u{};
  ::uname(&u);
  return u.machine;
}

std::string description(const project& p) {
  return p.conf.bundle.description.value_or(p.conf.product_name);
}

std::string desktop_entry(const project& p, const std::string& exec) {
  return fmt::format(
      "[Desktop Entry]\n"
      "Type=Application\n"
      "Name={}\n"
      "Comment={}\n"
      "Exec={}\n"
      "Icon={}\n"
      "Terminal=false\n"
      "Categories=Utility;\n",
      p.conf.product_name, description(p), exec, p.target);
}

std::vector<installed_icon> stage_icons(const project& p, const fs::path& theme) {
  if (!p.conf.bundle.icon) return {};
  return install_icon_theme(p.root / *p.conf.bundle.icon, theme, p.target);
}

std::uintmax_t tree_size(const fs::path& root) {
  std::uintmax_t total = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && !e.is_symlink()) total += e.file_size();
  }
  return total;
}

void package_binary(const fs::path& binary, const fs::path& to) {
  fs::copy_file(binary, to, fs::copy_options::overwrite_existing);
  fs::permissions(to, fs::perms(0755));
  if (which("strip").empty()) return;
  if (run({"strip", "--strip-unneeded", to.string()}, quietly()) != 0) {
    say(fmt::format("could not strip {}; packaging it as built", to.string()));
    fs::copy_file(binary, to, fs::copy_options::overwrite_existing);
    fs::permissions(to, fs::perms(0755));
  }
}

void make_tarball(const fs::path& parent, const std::string& dir, const fs::path& tarball) {
  const int code = run({"tar", "-C", parent.string(), "--owner=0", "--group=0", "-czf",
                        tarball.string(), dir});
  if (code != 0) throw cli_error(outcome::bundle_failed, fmt::format("tar failed (exit {})", code));
}

bundled bundle_deb(const project& p, const fs::path& binary) {
  const std::string pkg = deb_package_name(p.target);
  const std::string version = package_version(p.conf.version);
  const std::string arch = deb_arch();
  const fs::path out_dir = p.bundle_dir() / "deb";
  const fs::path staging = out_dir / fmt::format("{}_{}_{}", pkg, version, arch);
  std::error_code ec;
  fs::remove_all(staging, ec);
  stage_usr(p, binary, staging);

  std::vector<std::string> depends = QT_RUNTIME;
  for (const auto& d : shared_library_packages(binary)) {
    if (std::find(depends.begin(), depends.end(), d) == depends.end()) depends.push_back(d);
  }
  for (const auto& d : p.conf.bundle.deb.depends) {
    if (std::find(depends.begin(), depends.end(), d) == depends.end()) depends.push_back(d);
  }
  // Maintainer: DEBFULLNAME/DEBEMAIL as Debian's tools use them, or one made from the identifier.
  std::string maintainer;
  const char* full = std::getenv("DEBFULLNAME");
  const char* mail = std::getenv("DEBEMAIL");
  if (full && *full && mail && *mail) {
    maintainer = fmt::format("{} <{}>", full, mail);
  } else {
    auto parts = split(p.conf.identifier, ".");
    std::string domain;
    for (std::size_t i = parts.size() - 1; i > 0; --i) domain += (domain.empty() ? "" : ".") + parts[i - 1];
    maintainer = fmt::format("{} <{}@{}>", p.conf.product_name, parts.back(), domain);
  }
  const std::string control = fmt::format(
      "Package: {}\n"
      "Version: {}\n"
      "Architecture: {}\n"
      "Maintainer: {}\n"
      "Installed-Size: {}\n"
      "Depends: {}\n"
      "Section: utils\n"
      "Priority: optional\n"
      "Description: {}\n"
      " {} ({}), a desktop app built with myapp.\n",
      pkg, version, arch, maintainer, (tree_size(staging) + 1023) / 1024, fmt::join(depends, ", "),
      description(p), p.conf.product_name, p.conf.identifier);
  write_file(staging / "DEBIAN" / "control", control);
  fs::permissions(staging / "DEBIAN", fs::perms(0755));

  const fs::path deb = out_dir / fmt::format("{}_{}_{}.deb", pkg, version, arch);
  const auto r = run_captured({"dpkg-deb", "--root-owner-group", "--build", staging.string(), deb.string()});
  if (r.code != 0) {
    throw cli_error(outcome::bundle_failed, fmt::format("dpkg-deb failed (exit {}) on {}:\n{}", r.code,
                                                         staging.string(), trim(r.output)));
  }
  return {deb, {}};
}

bundled bundle_tar(const project& p, const fs::path& binary) {
  const std::string base = fmt::format("{}-{}", p.target, p.conf.version);
  const fs::path out_dir = p.bundle_dir() / "tar";
  const fs::path staging = out_dir / base;
  std::error_code ec;
  fs::remove_all(staging, ec);
  fs::create_directories(staging);
  package_binary(binary, staging / p.target);
  write_file(staging / (p.target + ".desktop"), desktop_entry(p, p.target));
  // The theme's layout, as it is installed under ~/.local/share/icons or /usr/share/icons.
  stage_icons(p, staging / "icons/hicolor");
  if (fs::exists(p.root / "README.md")) {
    fs::copy_file(p.root / "README.md", staging / "README.md", fs::copy_options::overwrite_existing);
  } else {
    write_file(staging / "README.md",
               fmt::format("# {}\n\n{}\n\nRun `./{}`. Needs Qt 6 WebEngine (Debian: {}).\n",
                           p.conf.product_name, description(p), p.target, fmt::join(QT_RUNTIME, ", ")));
  }
  const fs::path tarball = out_dir / fmt::format("{}-{}.tar.gz", base, machine());
  make_tarball(out_dir, base, tarball);
  return {tarball, {}};
}

bundled bundle_rpm(const project& p, const fs::path& binary) {
  const fs::path top = fs::absolute(p.bundle_dir() / "rpm");
  std::error_code ec;
  fs::remove_all(top / "staging", ec);
  stage_usr(p, binary, top / "staging");
  std::string files;
  for (const auto& e : fs::recursive_directory_iterator(top / "staging")) {
    if (e.is_regular_file()) {
      files.push_back('/');
      files += fs::relative(e.path(), top / "staging").string();
      files.push_back('\n');
    }
  }
  const std::string spec = fmt::format(
      "Name: {}\n"
      "Version: {}\n"
      "Release: 1\n"
      "Summary: {}\n"
      "License: Proprietary\n"
      "\n"
      "%description\n"
      "{} ({}), a desktop app built with myapp.\n"
      "\n"
      "%install\n"
      "mkdir -p %{{buildroot}}\n"
      "cp -a {}/. %{{buildroot}}/\n"
      "\n"
      "%files\n"
      "{}",
      p.target, package_version(p.conf.version), description(p), p.conf.product_name,
      p.conf.identifier, (top / "staging").string(), files);
  write_file(top / (p.target + ".spec"), spec);
  const int code = run({"rpmbuild", "-bb", "--quiet", "--define", "_topdir " + (top / "rpmbuild").string(),
                        "--define", "_rpmdir " + top.string(), "--define", "_build_id_links none",
                        (top / (p.target + ".spec")).string()});
  if (code != 0) throw cli_error(outcome::bundle_failed, fmt::format("rpmbuild failed (exit {})", code));
  for (const auto& e : fs::recursive_directory_iterator(top)) {
    if (e.path().extension() == ".rpm") return {e.path(), {}};
  }
  throw cli_error(outcome::bundle_failed, "rpmbuild succeeded but wrote no .rpm");
}

}  // namespace myapp::cli
