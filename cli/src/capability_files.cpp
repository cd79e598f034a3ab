// The capability files of a project, read and edited in place.
#include "capability_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "checks.hpp"
#include "exit.hpp"
#include "myapp/json_edit.hpp"
#include "util.hpp"

namespace myapp::cli {

namespace {

std::vector<std::string> strings_at(std::string_view text, const std::string& path) {
  std::vector<std::string> out;
  const auto items = json_edit::elements(text, path);
  if (!items) return out;
  for (std::size_t i = 0; i < items->size(); ++i) {
    if (auto s = json_edit::string_at(text, fmt::format("{}[{}]", path, i))) out.push_back(*s);
  }
  return out;
}

// The identifier of each entry of `permissions`: a string, or an object's `identifier`.
std::vector<std::string> permission_ids(std::string_view text) {
  std::vector<std::string> out;
  const auto items = json_edit::elements(text, "permissions");
  if (!items) return out;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto at = fmt::format("permissions[{}]", i);
    auto id = json_edit::string_at(text, at);
    if (!id) id = json_edit::string_at(text, at + ".identifier");
    out.push_back(id.value_or(""));
  }
  return out;
}

capability_file read_one(const fs::path& path, std::string text) {
  capability_file c;
  c.path = path;
  c.text = std::move(text);
  const std::string shown = shown_path(path);
  if (auto why = json_edit::syntax_problem(c.text)) {
    c.problem = fmt::format("{}:{} (not valid JSON)", shown, *why);
    return c;
  }
  const auto root = json_edit::find(c.text, "");
  if (!root || c.text[root->begin] != '{') {
    c.problem = fmt::format("{}: a capability is a JSON object", shown);
    return c;
  }
  c.identifier = json_edit::string_at(c.text, "identifier").value_or("");
  if (c.identifier.empty()) {
    c.problem = fmt::format("{}: the capability has no `identifier`", shown);
    return c;
  }
  if (!json_edit::elements(c.text, "permissions")) {
    c.problem = fmt::format("{}: a capability needs a `permissions` array", shown);
    return c;
  }
  c.description = json_edit::string_at(c.text, "description").value_or("");
  c.windows = strings_at(c.text, "windows");
  c.webviews = strings_at(c.text, "webviews");
  c.remote = strings_at(c.text, "remote.urls");
  c.permissions = permission_ids(c.text);
  return c;
}

std::string names_of(const std::vector<capability_file>& caps) {
  std::vector<std::string> names;
  for (const auto& c : caps) {
    names.push_back(c.identifier.empty() ? shown_path(c.path)
                                         : fmt::format("{} ({})", c.identifier, shown_path(c.path)));
  }
  return names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", "));
}

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

std::vector<acl::problem> problems_of(const std::vector<acl::source>& caps,
                                      const std::vector<acl::source>& perms,
                                      const acl::app_registry* registry) {
  return registry ? acl::policy::load(caps, perms, registry->commands, registry->plugins).problems
                  : acl::policy::check(caps, perms).problems;
}

}  // namespace

bool capability_file::grants(std::string_view permission) const {
  return std::find(permissions.begin(), permissions.end(), permission) != permissions.end();
}

std::vector<capability_file> read_capabilities(const project& p) {
  std::vector<capability_file> out;
  for (auto& s : json_files(p.root, "capabilities")) out.push_back(read_one(s.path, std::move(s.text)));
  const auto& enabled = p.conf.app.security.capabilities;
  if (!enabled.empty()) {
    for (auto& c : out) {
      // A file that cannot be read may be one of them: it is said when it is used.
      c.in_force = c.problem || std::find(enabled.begin(), enabled.end(), c.identifier) != enabled.end();
    }
  }
  return out;
}

capability_file& choose_capability(std::vector<capability_file>& caps, const std::string& which) {
  capability_file* chosen = nullptr;
  if (!which.empty()) {
    for (auto& c : caps) {
      if (c.identifier == which || same_file(which, c.path) ||
          same_file(fs::path("capabilities") / which, c.path) ||
          c.path.filename() == which || c.path.stem() == which) {
        chosen = &c;
        break;
      }
    }
    if (chosen == nullptr) {
      std::vector<std::string> ids;
      for (const auto& c : caps) ids.push_back(c.identifier);
      const auto near = config::closest(which, ids);
      throw cli_error(outcome::usage,
                      fmt::format("no capability `{}`{}; the capabilities are: {} (`myapp "
                                  "capability new {}` makes one)",
                                  which, near ? fmt::format(" (did you mean `{}`?)", *near) : "",
                                  names_of(caps), which));
    }
  } else {
    std::vector<capability_file*> candidates;
    for (auto& c : caps) {
      if (c.in_force) candidates.push_back(&c);
    }
    if (candidates.size() == 1) {
      chosen = candidates.front();
    } else {
      for (auto* c : candidates) {
        if (c->identifier == "default") chosen = c;
      }
    }
    // A file that cannot be read may be the one meant: it is fixed first.
    for (auto* c : candidates) {
      if (chosen == nullptr && c->problem) chosen = c;
    }
    if (chosen == nullptr) {
      throw cli_error(outcome::usage,
                      candidates.empty()
                          ? fmt::format("the app has no capability in force (capabilities/*.json: "
                                        "{}); make one with `myapp capability new <id>`",
                                        names_of(caps))
                          : fmt::format("the app has {} capabilities in force and none is called "
                                        "`default`: say which one with --capability ({})",
                                        candidates.size(), names_of(caps)));
    }
  }
  if (chosen->problem) {
    throw cli_error(outcome::problems,
                    fmt::format("{}; fix it first (`myapp check` lists every problem)", *chosen->problem));
  }
  return *chosen;
}

std::vector<acl::permission_info> known_permissions(const project& p,
                                                    const acl::app_registry* registry) {
  const auto caps = json_files(p.root, "capabilities");
  const auto perms = json_files(p.root, "permissions");
  return registry ? acl::policy::load(caps, perms, registry->commands, registry->plugins).permissions
                  : acl::policy::check(caps, perms).permissions;
}

std::optional<acl::app_registry> built_registry(const project& p) {
  const auto binaries = built_binaries(p.root, p.target);
  if (binaries.empty()) return std::nullopt;
  return registry_of(p.root, binaries.front());
}

std::optional<std::string> file_edits::text(const fs::path& path) const {
  for (auto it = changes_.rbegin(); it != changes_.rend(); ++it) {
    if (it->path == path) return it->text;
  }
  return read_file(path);
}

void file_edits::set(const fs::path& path, std::string text) {
  changes_.push_back({path, std::move(text)});
}

void file_edits::remove(const fs::path& path) { changes_.push_back({path, std::nullopt}); }

std::vector<acl::source> file_edits::capability_sources(const project& p) const {
  auto caps = json_files(p.root, "capabilities");
  for (auto& s : caps) s.text = text(s.path).value_or("");
  // Files this command creates.
  for (const auto& c : changes_) {
    if (!c.text || c.path.parent_path().filename() != "capabilities") continue;
    const bool known = std::any_of(caps.begin(), caps.end(),
                                   [&](const acl::source& s) { return same_file(s.path, c.path) || s.path == shown_path(c.path); });
    if (!known) caps.push_back({shown_path(c.path), *text(c.path)});
  }
  std::sort(caps.begin(), caps.end(),
            [](const acl::source& a, const acl::source& b) { return a.path < b.path; });
  return caps;
}

void file_edits::write() const {
  std::map<fs::path, std::optional<std::string>> last;
  for (const auto& c : changes_) last[c.path] = c.text;
  for (const auto& [path, text] : last) {
    if (text) {
      write_file(path, *text);
    } else {
      std::error_code ec;
      fs::remove(path, ec);
      if (ec) {
        throw cli_error(outcome::internal,
                        fmt::format("cannot remove {}: {}", shown_path(path), ec.message()));
      }
    }
  }
}

std::string with_permission(const capability_file& c, std::string_view text,
                            std::string_view permission) {
  auto out = json_edit::append(text, "permissions", json_edit::quote(permission));
  if (!out) {
    throw cli_error(outcome::problems,
                    fmt::format("{}: cannot add to its `permissions` array", shown_path(c.path)));
  }
  return *out;
}

std::string without_permissions(std::string_view text,
                                const std::function<bool(std::string_view)>& drop,
                                std::vector<std::string>& dropped) {
  std::string out(text);
  const auto ids = permission_ids(out);
  for (std::size_t i = ids.size(); i-- > 0;) {  // from the end: the indices before stay valid
    if (ids[i].empty() || !drop(ids[i])) continue;
    if (auto edited = json_edit::erase(out, "permissions", i)) {
      out = std::move(*edited);
      dropped.insert(dropped.begin(), ids[i]);
    }
  }
  return out;
}

void check_unbuilt_names(const project& p, const std::vector<std::string>& ids) {
  std::vector<std::string> names;
  for (const auto& info : known_permissions(p, nullptr)) names.push_back(info.identifier);
  for (const auto& c : read_capabilities(p)) {
    names.insert(names.end(), c.permissions.begin(), c.permissions.end());
  }
  for (const auto& id : ids) {
    if (std::find(names.begin(), names.end(), id) != names.end()) continue;
    if (auto near = config::closest(id, names)) {
      throw cli_error(outcome::usage,
                      fmt::format("unknown permission `{}`; did you mean `{}`? (the app is not "
                                  "built, so its commands and plugins are not known: `myapp "
                                  "build` lets `myapp permission ls` list them)",
                                  id, *near));
    }
  }
}

void check_edits(const project& p, const file_edits& edits, const acl::app_registry* registry) {
  const auto perms = json_files(p.root, "permissions");
  const auto before = problems_of(json_files(p.root, "capabilities"), perms, registry);
  const auto after = problems_of(edits.capability_sources(p), perms, registry);
  // Problems are compared by file and message: an edit moves the entries after it.
  std::map<std::pair<std::string, std::string>, int> known;
  for (const auto& pr : before) ++known[{pr.file, pr.message}];
  std::vector<std::string> added;
  for (const auto& pr : after) {
    if (known[{pr.file, pr.message}]-- > 0) continue;
    added.push_back(config::format({pr.file, pr.path, pr.message, pr.line, pr.column}));
  }
  if (added.empty()) return;
  throw cli_error(outcome::usage,
                  fmt::format("nothing was changed, since the capabilities would then have {} "
                              "problem{}:\n  {}{}",
                              added.size(), added.size() == 1 ? "" : "s",
                              fmt::format("{}", fmt::join(added, "\n  ")),
                              registry ? "\n(checked against the commands and plugins of the "
                                         "app's newest build: build it again after adding "
                                         "either)"
                                       : ""));
}

}  // namespace myapp::cli
