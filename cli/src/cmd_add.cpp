// myapp add | remove <plugin>: wires a plugin into an app, or takes it out again. A plugin is
// one of myapp's own (myapp/plugins.hpp) or the project's (<name>_plugin.hpp beside its
// sources). Wiring it is up to four edits, each made only when it is missing: the C++
// registration (and its #include), the plugin's sources in myapp_add_app(... SOURCES ...), its
// permissions in a capability, and its page API in src/plugins.ts for bundled frontends.
// `remove` takes out each of those, and every permission of the plugin from every capability
// (the app refuses permissions of a plugin it does not have).
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <regex>

#include "capability_files.hpp"
#include "commands.hpp"
#include "project.hpp"
#include "util.hpp"

namespace myapp::cli {

namespace {

// How one plugin is wired.
struct wiring {
  std::string name;                 ///< "dialog", "kv"
  std::string prefix;               ///< its permissions' namespace: "core:dialog", "kv"
  std::string include;              ///< the #include line of its declaration
  std::string factory;              ///< "myapp::plugins::dialog", "kv::plugin"
  std::vector<std::string> grants;  ///< what `add` grants
  bool js_module = false;           ///< @myapp/api/<name> exists
  std::optional<fs::path> source;   ///< a project plugin's .cpp, relative to the project
  bool always = false;              ///< every app has it
  std::string summary;
};

// myapp's own plugins. What `add` grants follows the default sets of the corresponding Tauri
// plugins: every dialog; the web URLs for the opener; nothing for the clipboard (as Tauri's
// clipboard-manager, which grants nothing by default); the whole tray and menu.
const std::vector<wiring>& builtin_plugins() {
  static const std::vector<wiring> list = [] {
    const std::string include = "#include <myapp/plugins.hpp>";
    auto desktop = [&](std::string name, std::vector<std::string> grants, std::string summary) {
      const std::string prefix = "core:" + name;
      for (auto& g : grants) g = fmt::format("{}:{}", prefix, g);
      return wiring{name, prefix, include, "myapp::plugins::" + name, std::move(grants), true,
                    std::nullopt, false, std::move(summary)};
    };
    auto always = [](std::string name, std::string summary) {
      return wiring{name, "core:" + name, "", "", {}, true, std::nullopt, true, std::move(summary)};
    };
    return std::vector<wiring>{
        desktop("dialog", {"allow-open", "allow-save", "allow-message", "allow-ask", "allow-confirm"},
                "file and message dialogs"),
        desktop("clipboard", {}, "the clipboard's text"),
        desktop("opener", {"allow-open-web-urls"}, "opening URLs and files with the desktop's apps"),
        desktop("tray", {"allow-create", "allow-set-menu", "allow-set-tooltip", "allow-remove"},
                "tray icons with menus"),
        desktop("menu", {"allow-set", "allow-remove"}, "window menu bars"),
        always("window", "windows (every app has it)"),
        always("path", "the app's folders (every app has it)"),
        always("devtools", "opening the devtools (every app has it)"),
    };
  }();
  return list;
}

// The project's plugins: <name>_plugin.hpp files outside build/, node_modules/ and vendor/.
std::vector<fs::path> project_plugin_headers(const fs::path& root) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (it->is_directory()) {
      if (name == "build" || name == "node_modules" || name == "vendor" || name.starts_with(".") ||
          it.depth() >= 2) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (name.ends_with("_plugin.hpp")) out.push_back(fs::relative(it->path(), root));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string plugin_name_of(const fs::path& header) {
  auto stem = header.stem().string();
  return stem.substr(0, stem.size() - std::string_view("_plugin").size());
}

// A project plugin's wiring, read from its header and source: the function that returns a
// myapp::plugin (in its namespace), and `<name>:default` when the plugin defines that set. The
// #include is relative to `main_dir`, the folder of the file that registers it.
wiring project_plugin(const fs::path& root, const fs::path& header, const fs::path& main_dir) {
  const std::string name = plugin_name_of(header);
  const std::string text = read_file(root / header).value_or("");
  static const std::regex factory_re(R"(myapp::plugin\s+([A-Za-z_]\w*)\s*\()");
  std::smatch m;
  if (!std::regex_search(text, m, factory_re)) {
    throw cli_error(outcome::problems,
                    fmt::format("{} declares no function returning a myapp::plugin (such as "
                                "`myapp::plugin {}_plugin();`)",
                                header.string(), name));
  }
  std::string factory = m[1].str();
  static const std::regex ns_re(R"(namespace\s+([A-Za-z_][\w:]*)\s*\{)");
  const std::string before = text.substr(0, static_cast<std::size_t>(m.position(0)));
  for (std::sregex_iterator it(before.begin(), before.end(), ns_re), end; it != end; ++it) {
    factory = (*it)[1].str() + "::" + m[1].str();  // the last namespace opened before it
  }
  const auto included = (root / header).lexically_relative(main_dir);
  wiring w{name, name, fmt::format("#include \"{}\"", included.generic_string()), factory, {}, false,
           std::nullopt, false, fmt::format("the project's plugin in {}", header.generic_string())};
  fs::path source = header;
  source.replace_extension(".cpp");
  std::string sources_text = text;
  if (fs::exists(root / source)) {
    w.source = source;
    sources_text += read_file(root / source).value_or("");
  }
  // The name it gives itself (`myapp::plugin p("kv")`) is its permissions' prefix.
  static const std::regex name_re(R"re(myapp::plugin\s+\w+\s*[({]\s*"([a-z][a-z0-9-]*)")re");
  if (std::regex_search(sources_text, m, name_re)) w.prefix = m[1].str();
  static const std::regex default_re(R"re("identifier"\s*:\s*"default")re");
  if (std::regex_search(sources_text, default_re)) w.grants.push_back(w.prefix + ":default");
  return w;
}

wiring find_plugin(const project& p, const std::string& name, const fs::path& main_file) {
  for (const auto& w : builtin_plugins()) {
    if (w.name == name) return w;
  }
  std::vector<std::string> names;
  for (const auto& w : builtin_plugins()) names.push_back(w.name);
  for (const auto& h : project_plugin_headers(p.root)) {
    if (plugin_name_of(h) == name) return project_plugin(p.root, h, main_file.parent_path());
    names.push_back(plugin_name_of(h));
  }
  const auto near = config::closest(name, names);
  std::string known;
  for (const auto& w : builtin_plugins()) known += fmt::format("\n  {:<10} {}", w.name, w.summary);
  for (const auto& h : project_plugin_headers(p.root)) {
    known += fmt::format("\n  {:<10} the project's plugin in {}", plugin_name_of(h), h.generic_string());
  }
  throw cli_error(outcome::usage,
                  fmt::format("unknown plugin `{}`{}; the plugins are:{}\n(a plugin of the "
                              "project is a <name>_plugin.hpp beside its sources)",
                              name, near ? fmt::format(" (did you mean `{}`?)", *near) : "", known));
}

// The myapp_add_app(...) call of CMakeLists.txt: where its SOURCES list is.
struct sources_list {
  std::vector<std::pair<std::size_t, std::string>> items;  // offset, text
  std::size_t end = 0;  // just after the last item
};

std::optional<sources_list> app_sources(const std::string& cmake) {
  const auto call = cmake.find("myapp_add_app");
  if (call == std::string::npos) return std::nullopt;
  const auto close = cmake.find(')', call);
  if (close == std::string::npos) return std::nullopt;
  sources_list out;
  bool in_sources = false;
  std::size_t i = cmake.find('(', call) + 1;
  while (i < close) {
    while (i < close && std::isspace(static_cast<unsigned char>(cmake[i]))) ++i;
    if (i < close && cmake[i] == '#') {  // a comment to the end of the line
      i = cmake.find('\n', i);
      continue;
    }
    std::size_t e = i;
    while (e < close && !std::isspace(static_cast<unsigned char>(cmake[e]))) ++e;
    if (e == i) break;
    const std::string word = cmake.substr(i, e - i);
    if (word == "SOURCES") {
      in_sources = true;
    } else if (word == "FRONTEND" || word == "CONFIG" || word == "CAPABILITIES") {
      in_sources = false;
    } else if (in_sources) {
      out.items.emplace_back(i, word);
      out.end = e;
    }
    i = e;
  }
  if (out.items.empty()) return std::nullopt;
  return out;
}

// The line of `text` that holds offset `at`: [begin, end) with its line break.
std::pair<std::size_t, std::size_t> line_around(const std::string& text, std::size_t at) {
  const auto b = text.rfind('\n', at == 0 ? 0 : at - 1);
  const auto begin = at == 0 || b == std::string::npos ? 0 : b + 1;
  const auto e = text.find('\n', at);
  return {begin, e == std::string::npos ? text.size() : e + 1};
}

std::size_t line_number(const std::string& text, std::size_t at) {
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

std::string escape_regex(std::string_view s) {
  static const std::regex special(R"([.^$|()\[\]{}*+?\\])");
  return std::regex_replace(std::string(s), special, R"(\$&)");
}

// The C++ file that creates the app: the first .cpp of SOURCES, or main.cpp.
fs::path main_source(const project& p, const std::string& cmake) {
  if (auto s = app_sources(cmake)) {
    for (const auto& [at, item] : s->items) {
      if (item.ends_with(".cpp")) return p.root / item;
    }
  }
  return p.root / "main.cpp";
}

struct registration {
  std::string app;           ///< the myapp::app variable
  std::optional<std::size_t> at;  ///< the offset of the line registering the plugin
};

registration find_registration(const std::string& code, const wiring& w) {
  registration r;
  static const std::regex app_re(R"(myapp::app\s+([A-Za-z_]\w*)\s*[({])");
  std::smatch m;
  if (std::regex_search(code, m, app_re)) r.app = m[1].str();
  const std::regex reg_re("\\.\\s*plugin\\s*\\(\\s*(::)?" + escape_regex(w.factory) + "\\s*\\(");
  if (std::regex_search(code, m, reg_re)) r.at = line_around(code, static_cast<std::size_t>(m.position(0))).first;
  return r;
}

// Where JS modules of a bundled frontend import the plugins' page APIs from: src/plugins.ts
// (or .js), when the project depends on @myapp/api and has src/main.ts (.tsx, .js, .jsx).
std::optional<fs::path> js_plugins_module(const project& p) {
  const auto package = read_file(p.root / "package.json");
  if (!package || package->find("\"@myapp/api\"") == std::string::npos) return std::nullopt;
  for (const std::string ext : {".ts", ".tsx", ".js", ".jsx"}) {
    if (fs::exists(p.root / "src" / ("main" + ext))) {
      return p.root / "src" / (ext.starts_with(".ts") ? "plugins.ts" : "plugins.js");
    }
  }
  return std::nullopt;
}

constexpr std::string_view JS_HEADER =
    "// The page APIs of the plugins `myapp add` wired in: import { <name> } from './plugins'.\n";

std::string js_line(const wiring& w) {
  return fmt::format("export * as {0} from '@myapp/api/{0}';\n", w.name);
}

// One part of the wiring, said after the edits are written.
struct part {
  std::string file;
  std::string what;
};

}  // namespace

std::vector<std::string> plugin_names() {
  std::vector<std::string> out;
  for (const auto& w : builtin_plugins()) out.push_back(w.name);
  return out;
}

outcome cmd_add(const plugin_options& o) {
  const project p = load_project();
  const fs::path cmake_file = p.root / "CMakeLists.txt";
  std::string cmake = read_file(cmake_file).value_or("");
  const fs::path main_file = main_source(p, cmake);
  const wiring w = find_plugin(p, o.name, main_file);
  if (w.always) {
    say(fmt::format("`{}` is built into every app ({}); its default permissions are part of "
                    "core:default; nothing changed",
                    w.name, w.summary));
    return outcome::ok;
  }
  file_edits edits;
  std::vector<part> done, there;

  // The C++ registration, and its #include.
  auto code = read_file(main_file);
  if (!code) {
    throw cli_error(outcome::not_a_project,
                    fmt::format("cannot read {}, where the app is created", shown_path(main_file)));
  }
  const auto reg = find_registration(*code, w);
  const std::string main_shown = shown_path(main_file);
  if (reg.at) {
    there.push_back({main_shown, "registers it"});
  } else {
    if (reg.app.empty()) {
      throw cli_error(outcome::problems,
                      fmt::format("{} creates no `myapp::app`; register the plugin where the app "
                                  "is created: app.plugin({}());",
                                  main_shown, w.factory));
    }
    const std::regex run_re("^([ \\t]*)(return\\s+)?" + reg.app + "\\s*\\.\\s*run\\s*\\(",
                            std::regex::multiline);
    std::smatch m;
    if (!std::regex_search(*code, m, run_re)) {
      throw cli_error(outcome::problems,
                      fmt::format("{}: cannot find `{}.run()`; add `{}.plugin({}());` before it",
                                  main_shown, reg.app, reg.app, w.factory));
    }
    code->insert(static_cast<std::size_t>(m.position(0)),
                 fmt::format("{}{}.plugin({}());\n", m[1].str(), reg.app, w.factory));
    done.push_back({main_shown, fmt::format("registers it: {}.plugin({}());", reg.app, w.factory)});
  }
  if (code->find(w.include) == std::string::npos) {
    // After the last #include of the same kind (<myapp/...> or "..."), or the last one.
    const std::regex any_re(R"(^#include[^\n]*\n)", std::regex::multiline);
    const std::string kind = w.include.find('<') != std::string::npos ? "#include <myapp/" : "#include \"";
    std::size_t after = 0, after_kind = 0;
    for (std::sregex_iterator it(code->begin(), code->end(), any_re), end; it != end; ++it) {
      const auto e = static_cast<std::size_t>(it->position(0) + it->length(0));
      after = e;
      if (it->str().starts_with(kind)) after_kind = e;
    }
    code->insert(after_kind != 0 ? after_kind : after, w.include + "\n");
    done.push_back({main_shown, w.include});
  }
  if (!done.empty()) edits.set(main_file, *code);

  // A project plugin's sources, in myapp_add_app(... SOURCES ...).
  if (w.source) {
    const auto list = app_sources(cmake);
    if (!list) {
      throw cli_error(outcome::problems,
                      fmt::format("{} has no myapp_add_app(... SOURCES ...) to add {} to",
                                  shown_path(cmake_file), w.source->generic_string()));
    }
    const std::string item = w.source->generic_string();
    const bool listed = std::any_of(list->items.begin(), list->items.end(),
                                    [&](const auto& i) { return i.second == item; });
    if (listed) {
      there.push_back({shown_path(cmake_file), "builds " + item});
    } else {
      cmake.insert(list->end, " " + item);
      edits.set(cmake_file, cmake);
      done.push_back({shown_path(cmake_file), "builds " + item});
    }
  }

  // Its permissions.
  std::optional<std::string> capability_note;
  if (!w.grants.empty()) {
    auto caps = read_capabilities(p);
    auto& cap = choose_capability(caps, o.capability);
    if (!cap.in_force) {
      capability_note = fmt::format("capability `{}` is not in force: myapp.conf.json's "
                                    "app.security.capabilities does not list it",
                                    cap.identifier);
    }
    std::string text = cap.text;
    std::vector<std::string> added;
    for (const auto& g : w.grants) {
      if (cap.grants(g)) continue;
      text = with_permission(cap, text, g);
      added.push_back(g);
    }
    const std::string shown = shown_path(cap.path);
    if (added.empty()) {
      there.push_back({shown, fmt::format("grants {}", fmt::join(w.grants, ", "))});
    } else {
      edits.set(cap.path, text);
      done.push_back({shown, fmt::format("grants {}", fmt::join(added, ", "))});
    }
  } else {
    capability_note = fmt::format(
        "the {} plugin grants nothing by default: grant what the pages need with `myapp "
        "permission add {}:allow-<command>` (`myapp permission ls {}` lists them once built)",
        w.name, w.prefix, w.name);
  }

  // Its page API, for bundled frontends; other pages have it as __MYAPP__.<name>.
  std::optional<std::string> js_note;
  if (w.js_module) {
    if (auto js = js_plugins_module(p)) {
      std::string text = edits.text(*js).value_or(std::string(JS_HEADER));
      const std::string line = js_line(w);
      if (text.find(line) != std::string::npos) {
        there.push_back({shown_path(*js), "exports " + w.name});
      } else {
        text += line;
        edits.set(*js, text);
        done.push_back({shown_path(*js), fmt::format("exports {0}: import {{ {0} }} from './plugins'", w.name)});
      }
    } else {
      js_note = fmt::format("pages reach it as __MYAPP__.{}", w.name);
    }
  }

  if (edits.empty()) {
    std::vector<std::string> files;
    for (const auto& t : there) files.push_back(t.file);
    say(fmt::format("the {} plugin is already added ({}); nothing changed", w.name,
                    fmt::join(files, ", ")));
    return outcome::ok;
  }
  check_edits(p, edits, nullptr);
  edits.write();
  for (const auto& d : done) say(fmt::format("{}: {}", d.file, d.what));
  if (capability_note) say(*capability_note);
  if (js_note) say(*js_note);
  say(fmt::format("added the {} plugin; rebuild the app (myapp build, or myapp dev) to use it", w.name));
  return outcome::ok;
}

outcome cmd_remove(const plugin_options& o) {
  const project p = load_project();
  const fs::path cmake_file = p.root / "CMakeLists.txt";
  std::string cmake = read_file(cmake_file).value_or("");
  const fs::path main_file = main_source(p, cmake);
  const wiring w = find_plugin(p, o.name, main_file);
  if (w.always) {
    throw cli_error(outcome::usage,
                    fmt::format("`{}` is built into every app ({}) and cannot be removed; take "
                                "its permissions out of a capability with `myapp permission rm "
                                "{}:*`",
                                w.name, w.summary, w.prefix));
  }
  file_edits edits;
  std::vector<part> done;

  const std::string main_shown = shown_path(main_file);
  if (auto code = read_file(main_file)) {
    const auto reg = find_registration(*code, w);
    bool changed = false;
    if (reg.at) {
      const auto [begin, end] = line_around(*code, *reg.at);
      const std::string line = code->substr(begin, end - begin);
      if (trim(line).back() != ';') {
        throw cli_error(outcome::problems,
                        fmt::format("{}:{}: the {} plugin is registered over several lines; take "
                                    "that out by hand, then run `myapp remove {}` again",
                                    main_shown, line_number(*code, begin), w.name, w.name));
      }
      code->erase(begin, end - begin);
      changed = true;
      done.push_back({main_shown, "no longer registers it"});
    }
    // The #include, when nothing else needs it.
    const auto inc = code->find(w.include + "\n");
    const bool still_used = w.include.find('<') != std::string::npos
                                ? code->find("myapp::plugins::") != std::string::npos
                                : false;
    if (inc != std::string::npos && !still_used) {
      code->erase(inc, w.include.size() + 1);
      changed = true;
      done.push_back({main_shown, "no longer includes " + w.include.substr(w.include.find(' ') + 1)});
    }
    if (changed) edits.set(main_file, *code);
  }

  if (w.source) {
    if (auto list = app_sources(cmake)) {
      const std::string item = w.source->generic_string();
      for (auto it = list->items.rbegin(); it != list->items.rend(); ++it) {
        if (it->second != item) continue;
        std::size_t begin = it->first;
        while (begin > 0 && (cmake[begin - 1] == ' ' || cmake[begin - 1] == '\t')) --begin;
        std::size_t end = it->first + item.size();
        // Alone on its line: the whole line goes.
        if (begin > 0 && cmake[begin - 1] == '\n' && end < cmake.size() && cmake[end] == '\n') ++end;
        cmake.erase(begin, end - begin);
        edits.set(cmake_file, cmake);
        done.push_back({shown_path(cmake_file), "no longer builds " + item});
        break;
      }
    }
  }

  // Every permission of the plugin, from every capability: the app would refuse them.
  for (const auto& c : read_capabilities(p)) {
    if (c.problem) {
      warn(fmt::format("{}; left as it is: take the {} plugin's permissions out of it by hand",
                       *c.problem, w.name));
      continue;
    }
    std::vector<std::string> dropped;
    auto text = without_permissions(c.text, [&](std::string_view id) {
      return id.starts_with(w.prefix + ":");
    }, dropped);
    if (dropped.empty()) continue;
    edits.set(c.path, std::move(text));
    done.push_back({shown_path(c.path), fmt::format("no longer grants {}", fmt::join(dropped, ", "))});
  }

  if (w.js_module) {
    if (auto js = js_plugins_module(p)) {
      if (auto text = read_file(*js)) {
        const auto at = text->find(js_line(w));
        if (at != std::string::npos) {
          text->erase(at, js_line(w).size());
          if (*text == JS_HEADER) {
            edits.remove(*js);
          } else {
            edits.set(*js, *text);
          }
          done.push_back({shown_path(*js), "no longer exports " + w.name});
        }
      }
    }
  }

  if (edits.empty()) {
    say(fmt::format("the {} plugin is not added; nothing changed", w.name));
    return outcome::ok;
  }
  check_edits(p, edits, nullptr);
  edits.write();
  for (const auto& d : done) say(fmt::format("{}: {}", d.file, d.what));
  say(fmt::format("removed the {} plugin", w.name));
  return outcome::ok;
}

}  // namespace myapp::cli
