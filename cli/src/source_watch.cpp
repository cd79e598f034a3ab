// What `myapp dev` watches to rebuild the app: snapshots of the C++ side's files.
#include "source_watch.hpp"

#include <set>

namespace myapp::cli {

namespace {

// The files whose change needs a rebuild: sources, CMake files, the configuration and the
// capability and permission files compiled in.
bool watched_file(const fs::path& rel) {
  static const std::set<std::string> exts = {".cpp", ".cc", ".cxx", ".c", ".h", ".hpp", ".hxx",
                                             ".hh", ".ipp", ".inl", ".cmake"};
  const std::string name = rel.filename().string();
  if (name == "CMakeLists.txt" || name == CONFIG_FILE) return true;
  const std::string first = rel.begin()->string();
  if ((first == "capabilities" || first == "permissions") && rel.extension() == ".json") return true;
  return exts.contains(rel.extension().string());
}

}  // namespace

snapshot scan(const project& p) {
  snapshot out;
  std::error_code ec;
  const fs::path dist = fs::weakly_canonical(p.frontend_dist(), ec);
  fs::recursive_directory_iterator it(p.root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const auto& e = *it;
    const std::string name = e.path().filename().string();
    if (e.is_directory(ec)) {
      if (name == "build" || name == "node_modules" || name == "dist" || name == ".git" ||
          (e.path() == dist && dist != p.root)) {
        it.disable_recursion_pending();
      }
      continue;
    }
    const fs::path rel = fs::relative(e.path(), p.root, ec);
    if (ec || !watched_file(rel)) continue;
    out[rel.string()] = e.last_write_time(ec);
  }
  return out;
}

std::vector<std::string> differences(const snapshot& a, const snapshot& b) {
  std::vector<std::string> out;
  for (const auto& [k, t] : b) {
    auto it = a.find(k);
    if (it == a.end() || it->second != t) out.push_back(k);
  }
  for (const auto& [k, t] : a) {
    if (!b.contains(k)) out.push_back(k);
  }
  return out;
}

}  // namespace myapp::cli
