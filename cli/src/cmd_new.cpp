// myapp new: a project from a template compiled into the CLI.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <string_view>
#include <utility>

#include "commands.hpp"
#include "myapp/config.hpp"
#include "process.hpp"
#include "project.hpp"
#include "templates.hpp"
#include "util.hpp"

namespace myapp::cli {

namespace {

// Why `name` cannot name an app, or nullopt.
std::optional<std::string> name_problem(const std::string& name) {
  const bool shape = !name.empty() && name.size() <= 64 && name.front() >= 'a' &&
                     name.front() <= 'z' && name.back() != '-' &&
                     std::all_of(name.begin(), name.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                     });
  if (!shape) {
    return fmt::format("invalid app name \"{}\": use lowercase letters, digits and dashes, "
                       "starting with a letter and not ending with a dash (e.g. \"hello\", "
                       "\"my-notes\")",
                       name);
  }
  if (auto why = reserved_name(name)) {
    return fmt::format("invalid app name: {}; choose another (e.g. \"{}-app\")", *why, name);
  }
  return std::nullopt;
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

// Asks on the terminal until the answer is good: `check` says why one is not (and the question
// is asked again), `fallback` answers an empty line (none when empty: an answer is needed).
// Throws cli_error(usage) when stdin ends.
std::string ask(const std::string& question, const std::string& fallback,
                const std::function<std::optional<std::string>(const std::string&)>& check) {
  while (true) {
    std::fprintf(stderr, "%s %s%s: ", paint("32", "?").c_str(), question.c_str(),
                 fallback.empty() ? "" : (" (" + fallback + ")").c_str());
    std::fflush(stderr);
    std::string line;
    if (!std::getline(std::cin, line)) {
      std::fprintf(stderr, "\n");
      throw cli_error(outcome::usage, fmt::format("no answer to \"{}\"", question));
    }
    line = trim(line);
    if (line.empty()) line = fallback;
    if (line.empty()) {
      std::fprintf(stderr, "  an answer is needed\n");
      continue;
    }
    auto why = check(line);
    if (!why) return line;
    std::fprintf(stderr, "  %s\n", why->c_str());
  }
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

std::string_view template_summary(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> summaries[] = {
      {"vanilla", "plain HTML, CSS and JavaScript, no build step"},
      {"vite-ts", "Vite + TypeScript, no framework"},
      {"react-ts", "React + TypeScript, built by Vite"},
      {"vue-ts", "Vue + TypeScript, built by Vite"},
      {"svelte-ts", "Svelte + TypeScript, built by Vite"},
  };
  for (const auto& [n, summary] : summaries) {
    if (n == name) return summary;
  }
  return {};
}

std::string template_list() {
  std::vector<std::string> items;
  for (const auto& t : template_names()) {
    const auto summary = template_summary(t);
    items.push_back(summary.empty() ? t : fmt::format("{} ({})", t, summary));
  }
  return fmt::format("{}", fmt::join(items, ", "));
}

void cmd_new(const new_options& o) {
  const bool interactive = !o.yes && stdin_is_terminal();
  const auto names = template_names();
  auto template_problem = [&](const std::string& t) -> std::optional<std::string> {
    if (std::find(names.begin(), names.end(), t) != names.end()) return std::nullopt;
    // `--template vue` (create-tauri-app's name for the framework) means vue-ts here.
    const bool typescript_flavour = std::find(names.begin(), names.end(), t + "-ts") != names.end();
    auto near = typescript_flavour ? std::optional(t + "-ts") : config::closest(t, names);
    return fmt::format("unknown template \"{}\" (available: {}){}", t, fmt::join(names, ", "),
                       near ? fmt::format("; did you mean \"{}\"?", *near) : "");
  };
  auto identifier_problem = [](const std::string& id) -> std::optional<std::string> {
    if (config::valid_identifier(id)) return std::nullopt;
    return fmt::format("invalid identifier \"{}\": use reverse-DNS, two or more dot-separated "
                       "segments of letters, digits and '-', each starting with a letter (e.g. "
                       "\"com.example.hello\")",
                       id);
  };
  // Given on the command line: checked once. Missing: asked for on a terminal, again after a
  // wrong answer; otherwise the default, or an error for the name.
  auto settle = [&](std::string given, const std::string& question, const std::string& fallback,
                    const std::function<std::optional<std::string>(const std::string&)>& check) {
    if (given.empty()) {
      if (interactive) return ask(question, fallback, check);
      given = fallback;
    }
    if (auto why = check(given)) throw cli_error(outcome::usage, *why);
    return given;
  };
  if (o.name.empty() && !interactive) {
    throw cli_error(outcome::usage,
                    "the app's name is missing: `myapp new <name>` (on a terminal without --yes, "
                    "myapp new asks for it)");
  }
  const std::string name = settle(o.name, "App name (lowercase letters, digits, dashes)", "",
                                  name_problem);
  if (interactive && o.template_name.empty()) {
    std::fprintf(stderr, "  the templates:\n");
    for (const auto& t : names) {
      std::fprintf(stderr, "    %-10s %s\n", t.c_str(), std::string(template_summary(t)).c_str());
    }
  }
  const std::string tmpl = settle(o.template_name, fmt::format("Template [{}]", fmt::join(names, "/")),
                                  names.front(), template_problem);
  const std::string identifier =
      settle(o.identifier, "Identifier", "com.example." + name, identifier_problem);

  const fs::path dir = fs::absolute(o.dir.empty() ? fs::path(name) : fs::path(o.dir)).lexically_normal();
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

  // A template that uses the JS client as the npm package @myapp/api gets a copy of the
  // installed one inside the project (vendor/myapp-api, of this CLI's version): a relative
  // `file:` dependency that builds on any machine, whatever prefix myapp is installed in.
  const bool needs_runtime_js = std::any_of(files.begin(), files.end(), [](const auto& f) {
    return f.second.find("{{runtimeJs}}") != std::string_view::npos;
  });
  std::optional<fs::path> runtime_js;
  if (needs_runtime_js) {
    runtime_js = find_data(o.prefix_paths, "runtime-js");
    if (!runtime_js) {
      throw cli_error(outcome::tool_missing,
                      "cannot find myapp's JS client (share/myapp/runtime-js) in any prefix; "
                      "install myapp (bash scripts/setup.sh) or pass --prefix-path");
    }
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
      {"name", name},
      {"productName", product_name(name)},
      {"identifier", identifier},
      {"frontendDist", frontend_dist},
      {"myappVersion", MYAPP_VERSION},
      {"runtimeJs", std::string(VENDORED_API)},
  };

  fs::create_directories(dir, ec);
  if (ec) throw cli_error(outcome::internal, fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  for (const auto& [path, content] : files) {
    fs::path rel(path);
    if (rel.filename() == "_gitignore") rel.replace_filename(".gitignore");
    write_file(dir / rel, is_text(content) ? substitute(std::string(content), vars) : std::string(content));
  }
  if (runtime_js) {
    fs::remove_all(dir / VENDORED_API, ec);
    fs::create_directories(dir / VENDORED_API, ec);
    fs::copy(*runtime_js, dir / VENDORED_API,
             fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
    if (ec) {
      throw cli_error(outcome::internal, fmt::format("cannot copy {} into {}: {}", runtime_js->string(),
                                                     (dir / VENDORED_API).string(), ec.message()));
    }
    fs::remove_all(dir / VENDORED_API / "node_modules", ec);
  }
  say(fmt::format("created {} ({} template, {} files) in {}", name, tmpl, files.size(), dir.string()));

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
  std::printf("  myapp build                   # Release build: ./build/%s\n", name.c_str());
  std::printf("  myapp test                    # the browser-level tests in tests/, headless\n");
  std::printf("  myapp bundle                  # .deb and .tar.gz in build/bundle/\n");
  std::fflush(stdout);
}

}  // namespace myapp::cli
