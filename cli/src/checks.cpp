// The checks of `myapp check`, `build`, `bundle` and `dev`: every problem with its file, line,
// column and key path.
#include "checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "icons.hpp"
#include "myapp/acl.hpp"
#include "process.hpp"
#include "project.hpp"
#include "util.hpp"

namespace myapp::cli {

namespace {

void print(std::FILE* out, const config::problem& p) {
  std::fprintf(out, "%s\n", config::format(p).c_str());
}

}  // namespace

std::vector<acl::source> json_files(const fs::path& root, const char* name) {
  std::vector<acl::source> out;
  std::error_code ec;
  const fs::path dir = root / name;
  if (!fs::is_directory(dir, ec)) return out;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) out.push_back(acl::source{shown_path(f), read_file(f).value_or("")});
  return out;
}

std::optional<acl::app_registry> registry_of(const fs::path& root, const fs::path& binary) {
  const fs::path file = binary.parent_path() / "myapp-acl.json";
  std::error_code ec;
  fs::remove(file, ec);
  run_options o = quietly();
  o.cwd = root;
  o.env["MYAPP_ACL_DESCRIBE"] = file.string();
  std::string why;
  std::optional<acl::app_registry> registry;
  if (run({binary.string()}, o) == 0) {
    if (auto text = read_file(file)) registry = acl::read_registry(*text, why);
  }
  if (!registry) {
    say(fmt::format("{} could not list its commands and plugins{}; checking without them",
                    shown_path(binary), why.empty() ? "" : " (" + why + ")"));
  }
  return registry;
}

config::loaded check_config(const fs::path& root, std::FILE* out) {
  const fs::path file = root / CONFIG_FILE;
  auto loaded = config::load_file(file);
  for (auto& p : loaded.problems) {
    p.file = shown_path(file);
    print(out, p);
  }
  std::fflush(out);
  return loaded;
}

files_checked check_files(const fs::path& root, const config::project* conf,
                          const fs::path& binary, std::FILE* out) {
  files_checked result;
  const auto caps = json_files(root, "capabilities");
  const auto perms = json_files(root, "permissions");
  result.capabilities = caps.size();
  std::optional<acl::app_registry> registry;
  if (!binary.empty()) registry = registry_of(root, binary);
  if (registry) result.commands = registry->commands.size();
  auto checked = registry ? acl::policy::load(caps, perms, registry->commands, registry->plugins)
                          : acl::policy::check(caps, perms);
  std::vector<config::problem> problems;
  // Problems in myapp.conf.json, placed in its text.
  const fs::path conf_file = root / CONFIG_FILE;
  const std::string conf_text = read_file(conf_file).value_or("");
  auto conf_problem = [&](std::string path, std::string message) {
    config::problem p{shown_path(conf_file), std::move(path), std::move(message)};
    config::place(p, conf_text);
    problems.push_back(std::move(p));
  };
  if (conf != nullptr) {
    // app.security.capabilities must name capability files that exist (every file is checked,
    // whether it is in force or not).
    std::vector<acl::problem> selected;
    (void)acl::select_capabilities(caps, conf->app.security.capabilities, selected);
    for (auto& p : selected) conf_problem(p.path, p.message);
    if (conf->bundle.icon) {
      if (auto why = icon_problem(root / *conf->bundle.icon)) {
        conf_problem("bundle.icon", fmt::format("\"{}\" {}", *conf->bundle.icon, *why));
      }
    }
  }
  for (const auto& p : checked.problems) {
    problems.push_back({p.file, p.path, p.message, p.line, p.column});
  }
  for (const auto& p : problems) print(out, p);
  std::fflush(out);
  result.problems = problems.size();
  return result;
}

}  // namespace myapp::cli
