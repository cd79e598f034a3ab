// myapp bundle: .deb (dpkg-deb), .tar.gz (tar) and .rpm (rpmbuild, when installed).
#include <sys/utsname.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "commands.hpp"
#include "myapp/config.hpp"
#include "process.hpp"
#include "project.hpp"
#include "util.hpp"

namespace myapp::cli {

namespace {

// The Qt runtime every app needs, whatever its own libraries.
const std::vector<std::string> QT_RUNTIME = {"libqt6webenginewidgets6", "libqt6webchannel6"};

std::string deb_arch() {
  if (auto a = capture({"dpkg", "--print-architecture"})) return trim(*a);
  utsname u{};
  ::uname(&u);
  const std::string m = u.machine;
  if (m == "x86_64") return "amd64";
  if (m == "aarch64") return "arm64";
  return m;
}

std::string machine() {
  utsname u{};
  ::uname(&u);
  return u.machine;
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

std::string desktop_entry(const project& p) {
  return fmt::format(
      "[Desktop Entry]\n"
      "Type=Application\n"
      "Name={}\n"
      "Comment={}\n"
      "Exec={}\n"
      "Icon={}\n"
      "Terminal=false\n"
      "Categories=Utility;\n",
      p.conf.product_name, p.conf.bundle.description.value_or(p.conf.product_name), p.target,
      p.target);
}

std::string description(const project& p) {
  return p.conf.bundle.description.value_or(p.conf.product_name);
}

// <staging>/usr/share/icons/... for the configured icon; returns the icon's path inside the
// package, or empty.
std::string install_icon(const project& p, const fs::path& staging) {
  if (!p.conf.bundle.icon) return {};
  const fs::path icon = p.root / *p.conf.bundle.icon;
  std::error_code ec;
  if (!fs::is_regular_file(icon, ec)) {
    throw cli_error(outcome::bundle_failed,
                    fmt::format("bundle.icon: {} does not exist", icon.string()));
  }
  std::string ext = icon.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  fs::path dest;
  if (ext == ".svg") {
    dest = fs::path("usr/share/icons/hicolor/scalable/apps") / (p.target + ".svg");
  } else if (ext == ".png") {
    // The PNG's width, from its IHDR chunk, picks the hicolor folder.
    auto bytes = read_file(icon).value_or("");
    unsigned width = 0;
    if (bytes.size() >= 24 && bytes.compare(1, 3, "PNG") == 0) {
      for (int i = 16; i < 20; ++i) width = (width << 8) | static_cast<unsigned char>(bytes[i]);
    }
    dest = width > 0 ? fs::path(fmt::format("usr/share/icons/hicolor/{0}x{0}/apps", width)) / (p.target + ".png")
                     : fs::path("usr/share/pixmaps") / (p.target + ".png");
  } else {
    dest = fs::path("usr/share/pixmaps") / (p.target + ext);
  }
  fs::create_directories((staging / dest).parent_path());
  fs::copy_file(icon, staging / dest, fs::copy_options::overwrite_existing);
  return dest.string();
}

std::uintmax_t tree_size(const fs::path& root) {
  std::uintmax_t total = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) total += e.file_size();
  }
  return total;
}

// Puts the app's binary at `to`, without its symbols, as Debian's dh_strip does: the build's
// own copy keeps them for debugging. Without `strip` (binutils), or if it fails, the packaged
// copy is the binary as built.
void package_binary(const project& p, const fs::path& to) {
  fs::copy_file(p.binary(), to, fs::copy_options::overwrite_existing);
  fs::permissions(to, fs::perms(0755));
  if (which("strip").empty()) return;
  if (run({"strip", "--strip-unneeded", to.string()}, quietly()) != 0) {
    say(fmt::format("could not strip {}; packaging it as built", to.string()));
    fs::copy_file(p.binary(), to, fs::copy_options::overwrite_existing);
    fs::permissions(to, fs::perms(0755));
  }
}

// Copies the binary, the desktop file and the icon into `staging` under usr/.
void stage_usr(const project& p, const fs::path& staging) {
  fs::create_directories(staging / "usr/bin");
  package_binary(p, staging / "usr/bin" / p.target);
  write_file(staging / "usr/share/applications" / (p.target + ".desktop"), desktop_entry(p));
  install_icon(p, staging);
}

fs::path bundle_deb(const project& p) {
  require_tool("dpkg-deb", "it comes with dpkg (Debian and Ubuntu)");
  const std::string pkg = deb_package_name(p.target);
  const std::string version = package_version(p.conf.version);
  const std::string arch = deb_arch();
  const fs::path out_dir = p.build_dir() / "bundle" / "deb";
  const fs::path staging = out_dir / fmt::format("{}_{}_{}", pkg, version, arch);
  std::error_code ec;
  fs::remove_all(staging, ec);
  stage_usr(p, staging);

  std::vector<std::string> depends = QT_RUNTIME;
  for (const auto& d : shared_library_packages(p.binary())) {
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
  const int code = run({"dpkg-deb", "--root-owner-group", "--build", staging.string(), deb.string()});
  if (code != 0) {
    throw cli_error(outcome::bundle_failed, fmt::format("dpkg-deb failed (exit {}) on {}", code,
                                                         staging.string()));
  }
  return deb;
}

fs::path bundle_tar(const project& p) {
  require_tool("tar", "install it with `apt-get install tar`");
  const std::string base = fmt::format("{}-{}", p.target, p.conf.version);
  const fs::path out_dir = p.build_dir() / "bundle" / "tar";
  const fs::path staging = out_dir / base;
  std::error_code ec;
  fs::remove_all(staging, ec);
  fs::create_directories(staging);
  package_binary(p, staging / p.target);
  write_file(staging / (p.target + ".desktop"), desktop_entry(p));
  if (fs::exists(p.root / "README.md")) {
    fs::copy_file(p.root / "README.md", staging / "README.md", fs::copy_options::overwrite_existing);
  } else {
    write_file(staging / "README.md",
               fmt::format("# {}\n\n{}\n\nRun `./{}`. Needs Qt 6 WebEngine (Debian: {}).\n",
                           p.conf.product_name, description(p), p.target, fmt::join(QT_RUNTIME, ", ")));
  }
  const fs::path tarball = out_dir / fmt::format("{}-{}.tar.gz", base, machine());
  const int code = run({"tar", "-C", out_dir.string(), "--owner=0", "--group=0", "-czf",
                        tarball.string(), base});
  if (code != 0) throw cli_error(outcome::bundle_failed, fmt::format("tar failed (exit {})", code));
  return tarball;
}

std::optional<fs::path> bundle_rpm(const project& p) {
  if (which("rpmbuild").empty()) {
    say("rpm: skipped: `rpmbuild` is not installed (Debian: apt-get install rpm)");
    return std::nullopt;
  }
  const fs::path top = fs::absolute(p.build_dir() / "bundle" / "rpm");
  std::error_code ec;
  fs::remove_all(top / "staging", ec);
  stage_usr(p, top / "staging");
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
    if (e.path().extension() == ".rpm") return e.path();
  }
  throw cli_error(outcome::bundle_failed, "rpmbuild succeeded but wrote no .rpm");
}

}  // namespace

void cmd_bundle(const bundle_options& o) {
  const project p = load_project();
  std::vector<std::string> formats = o.formats;
  if (formats.empty()) formats = p.conf.bundle.targets;
  if (formats.empty()) formats = {"deb", "tar"};
  const auto& known = config::bundle_formats();
  for (const auto& f : formats) {
    if (std::find(known.begin(), known.end(), f) == known.end()) {
      throw cli_error(outcome::usage, fmt::format("unknown bundle format \"{}\" (available: {})", f,
                                                  fmt::join(known, ", ")));
    }
  }
  std::error_code ec;
  if (!fs::exists(p.binary(), ec)) {
    throw cli_error(outcome::bundle_failed,
                    fmt::format("{} is not built yet; run `myapp build` first", p.binary().string()));
  }
  for (const auto& f : formats) {
    std::optional<fs::path> out;
    if (f == "deb") out = bundle_deb(p);
    if (f == "tar") out = bundle_tar(p);
    if (f == "rpm") out = bundle_rpm(p);
    if (out) {
      std::printf("%s: %s (%s)\n", f.c_str(), shown_path(*out).c_str(),
                  human_size(fs::file_size(*out, ec)).c_str());
      std::fflush(stdout);
    }
  }
}

}  // namespace myapp::cli
