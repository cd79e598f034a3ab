// myapp new: a project from a template compiled into the CLI.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>

#include "commands.hpp"
#include "myapp/config.hpp"
#include "process.hpp"
#include "project.hpp"
#include "templates.hpp"
#include "util.hpp"

namespace myapp::cli {

namespace {

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  if (!(name.front() >= 'a' && name.front() <= 'z') || name.back() == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// "my-notes" -> "My Notes"
std::string product_name(const std::string& name) {
  std::string out;
  bool start = true;
  for (char c : name) {
    if (c == '-') {
      out.push_back(' ');
      start = true;
    } else {
      out.push_back(start && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
      start = false;
    }
  }
  return out;
}

std::string ask(const std::string& question, const std::string& fallback) {
  std::fprintf(stderr, "%s %s (%s): ", paint("32", "?").c_str(), question.c_str(), fallback.c_str());
  std::fflush(stderr);
  std::string line;
  if (!std::getline(std::cin, line)) return fallback;
  line = trim(line);
  return line.empty() ? fallback : line;
}

std::string substitute(std::string text, const std::map<std::string, std::string>& vars) {
  for (const auto& [key, value] : vars) {
    const std::string token = "{{" + key + "}}";
    for (std::size_t pos = text.find(token); pos != std::string::npos;
         pos = text.find(token, pos + value.size())) {
      text.replace(pos, token.size(), value);
    }
  }
  return text;
}

bool is_text(std::string_view content) { return content.find('\0') == std::string_view::npos; }

}  // namespace

std::vector<std::string> template_names() {
  std::set<std::string> names;
  for (std::size_t i = 0; i < TEMPLATE_FILE_COUNT; ++i) {
    if (TEMPLATE_FILES[i].template_name != "common") {
      names.emplace(TEMPLATE_FILES[i].template_name);
    }
  }
  std::vector<std::string> out(names.begin(), names.end());
  // The default first.
  std::stable_partition(out.begin(), out.end(), [](const auto& n) { return n == "vanilla"; });
  return out;
}

void cmd_new(const new_options& o) {
  if (!valid_name(o.name)) {
    throw cli_error(outcome::usage,
                    fmt::format("invalid app name \"{}\": use lowercase letters, digits and dashes, "
                                "starting with a letter and not ending with a dash (e.g. "
                                "\"hello\", \"my-notes\")",
                                o.name));
  }
  const bool interactive = !o.yes && stdin_is_terminal();
  const auto names = template_names();

  std::string tmpl = o.template_name;
  if (tmpl.empty()) {
    tmpl = interactive ? ask(fmt::format("Template [{}]", fmt::join(names, "/")), names.front())
                       : names.front();
  }
  if (std::find(names.begin(), names.end(), tmpl) == names.end()) {
    auto near = config::closest(tmpl, names);
    throw cli_error(outcome::usage,
                    fmt::format("unknown template \"{}\" (available: {}){}", tmpl,
                                fmt::join(names, ", "),
                                near ? fmt::format("; did you mean \"{}\"?", *near) : ""));
  }

  std::string identifier = o.identifier;
  const std::string default_id = "com.example." + o.name;
  if (identifier.empty()) identifier = interactive ? ask("Identifier", default_id) : default_id;
  if (!config::valid_identifier(identifier)) {
    throw cli_error(outcome::usage,
                    fmt::format("invalid identifier \"{}\": use reverse-DNS, two or more "
                                "dot-separated segments of letters, digits and '-', each "
                                "starting with a letter (e.g. \"com.example.hello\")",
                                identifier));
  }

  const fs::path dir = fs::absolute(o.dir.empty() ? fs::path(o.name) : fs::path(o.dir)).lexically_normal();
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) {
      throw cli_error(outcome::already_exists, fmt::format("{} exists and is not a folder", dir.string()));
    }
    if (!fs::is_empty(dir, ec) && !o.force) {
      throw cli_error(outcome::already_exists,
                      fmt::format("{} exists and is not empty; choose another --dir, or pass "
                                  "--force to write the template into it",
                                  dir.string()));
    }
  }

  // The files: common ones, overridden by the template's own.
  std::map<std::string, std::string_view> files;
  for (std::size_t i = 0; i < TEMPLATE_FILE_COUNT; ++i) {
    const auto& f = TEMPLATE_FILES[i];
    if (f.template_name == "common" && !files.contains(std::string(f.path))) {
      files[std::string(f.path)] = f.content;
    }
  }
  for (std::size_t i = 0; i < TEMPLATE_FILE_COUNT; ++i) {
    const auto& f = TEMPLATE_FILES[i];
    if (f.template_name == tmpl) files[std::string(f.path)] = f.content;
  }
  const bool has_package_json = files.contains("package.json");

  std::string runtime_js;
  const bool needs_runtime_js = std::any_of(files.begin(), files.end(), [](const auto& f) {
    return f.second.find("{{runtimeJs}}") != std::string_view::npos;
  });
  if (needs_runtime_js) {
    auto found = find_data(o.prefix_paths, "runtime-js");
    if (!found) {
      throw cli_error(outcome::tool_missing,
                      "cannot find myapp's JS client (share/myapp/runtime-js) in any prefix; "
                      "install myapp (bash scripts/setup.sh) or pass --prefix-path");
    }
    runtime_js = found->string();
  }

  // frontendDist as the template's config says, for CMakeLists.txt.
  std::string frontend_dist = "frontend";
  if (auto it = files.find("myapp.conf.json"); it != files.end()) {
    const std::string conf_text = substitute(std::string(it->second),
                                             {{"productName", "x"}, {"identifier", "a.b"}, {"name", "x"}});
    auto loaded = config::parse(conf_text);
    if (loaded.ok()) frontend_dist = loaded.config->build.frontend_dist;
  }

  const std::map<std::string, std::string> vars = {
      {"name", o.name},
      {"productName", product_name(o.name)},
      {"identifier", identifier},
      {"frontendDist", frontend_dist},
      {"myappVersion", MYAPP_VERSION},
      {"runtimeJs", runtime_js},
  };

  fs::create_directories(dir, ec);
  if (ec) throw cli_error(outcome::internal, fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  for (const auto& [path, content] : files) {
    fs::path rel(path);
    if (rel.filename() == "_gitignore") rel.replace_filename(".gitignore");
    write_file(dir / rel, is_text(content) ? substitute(std::string(content), vars) : std::string(content));
  }
  say(fmt::format("created {} ({} template, {} files) in {}", o.name, tmpl, files.size(), dir.string()));

  if (has_package_json) {
    if (o.no_install) {
      say("skipped `npm install` (--no-install); run it in the project before `myapp dev` or `myapp test`");
    } else if (which("npm").empty()) {
      warn("npm is not installed, so the frontend's packages were not installed; install Node "
           "and npm (apt-get install nodejs npm), then run `npm install` in the project");
    } else {
      say("installing the frontend's packages: npm install");
      const int code = run({"npm", "install", "--no-fund", "--no-audit"}, in_dir(dir));
      if (code != 0) {
        warn(fmt::format("`npm install` failed (exit {}); run it again in {} once that is fixed",
                         code, dir.string()));
      }
    }
  }

  std::string cd = shown_path(dir);
  if (cd.rfind("..", 0) == 0) cd = dir.string();
  std::printf("\nNext steps:\n");
  std::printf("  cd %s\n", cd.c_str());
  if (has_package_json && (o.no_install || which("npm").empty())) std::printf("  npm install\n");
  std::printf("  myapp dev                     # run it, reloading on change\n");
  std::printf("  myapp build                   # Release build: ./build/%s\n", o.name.c_str());
  std::printf("  myapp test                    # the browser-level tests in tests/, headless\n");
  std::printf("  myapp bundle                  # .deb and .tar.gz in build/bundle/\n");
  std::fflush(stdout);
}

}  // namespace myapp::cli
