// Reading myapp.conf.json: every key checked, every problem reported with its path.
#include "myapp/config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <utility>

#include "myapp/json.hpp"
#include "position.hpp"
#include "text.hpp"

namespace myapp::config {

namespace {

// The configuration is read through the codec into a small tree first, so that checking can
// go on after the first problem and report them all.
struct node_field;

struct node {
  json::type type = json::type::null;
  bool boolean = false;
  bool integral = false;
  std::int64_t integer = 0;
  double number = 0;
  std::string text;  // string value; for numbers, their JSON text
  std::vector<node> items;
  std::vector<node_field> fields;  // a vector of a type completed below: allowed since C++17
};

struct node_field {
  std::string first;
  node second;
};

bool read_node(json::value& v, node& out, json::decoder& d) {
  if (!v.get_type(out.type, d)) return false;
  switch (out.type) {
    case json::type::null:
      return v.is_null() || d.fail("malformed null");
    case json::type::boolean:
      return v.read(out.boolean, d);
    case json::type::string:
      return v.read(out.text, d);
    case json::type::number: {
      std::string_view raw;
      if (!v.read_raw(raw, d)) return false;
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' ||
                              raw.back() == '\t')) {
        raw.remove_suffix(1);
      }
      out.text.assign(raw);
      out.integral = raw.find_first_of(".eE") == std::string_view::npos;
      if (out.integral) {
        auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), out.integer);
        if (ec != std::errc{}) out.integral = false;  // out of range: treat as a plain number
      }
      out.number = std::strtod(out.text.c_str(), nullptr);
      return true;
    }
    case json::type::array: {
      if (!d.enter()) return false;
      std::size_t i = 0;
      bool ok = v.for_each_element(d, [&](json::value& e) {
        d.push_index(i++);
        out.items.emplace_back();
        bool good = read_node(e, out.items.back(), d);
        d.pop();
        return good;
      });
      d.leave();
      return ok;
    }
    case json::type::object: {
      if (!d.enter()) return false;
      bool ok = v.for_each_field(d, [&](std::string_view key, json::value& e) {
        d.push_key(key);
        out.fields.push_back(node_field{std::string(key), node{}});
        bool good = read_node(e, out.fields.back().second, d);
        d.pop();
        return good;
      });
      d.leave();
      return ok;
    }
  }
  return false;
}

std::string describe(const node& n) {
  switch (n.type) {
    case json::type::null: return "null";
    case json::type::boolean: return n.boolean ? "boolean true" : "boolean false";
    case json::type::number: return "number " + n.text;
    case json::type::string: {
      std::string s = n.text.size() > 40 ? n.text.substr(0, 40) + "..." : n.text;
      return fmt::format("string \"{}\"", s);
    }
    case json::type::array: return "array";
    case json::type::object: return "object";
  }
  return "value";
}

std::string join_path(const std::string& base, std::string_view key) {
  return base.empty() ? std::string(key) : base + "." + std::string(key);
}
std::string index_path(const std::string& base, std::size_t i) {
  return fmt::format("{}[{}]", base, i);
}

// Checks one configuration tree, collecting every problem.
class checker {
 public:
  explicit checker(std::string file) : file_(std::move(file)) {}

  void add(std::string path, std::string message) {
    problems_.push_back({file_, std::move(path), std::move(message)});
  }
  std::vector<problem> take() { return std::move(problems_); }

  bool expect(const node& n, json::type t, const std::string& path, std::string_view expected) {
    if (n.type == t) return true;
    add(path, fmt::format("expected {}, got {}", expected, describe(n)));
    return false;
  }

  // Calls the handler of each known key; reports unknown and duplicate keys.
  using field_handler = std::function<void(const node&, const std::string&)>;
  void object(const node& n, const std::string& path,
              const std::vector<std::pair<std::string, field_handler>>& known,
              const std::vector<std::string>& required = {}) {
    if (!expect(n, json::type::object, path, "object")) return;
    std::vector<std::string> names;
    names.reserve(known.size());
    for (const auto& k : known) names.push_back(k.first);
    std::vector<std::string> seen;
    for (const auto& [key, value] : n.fields) {
      const std::string p = join_path(path, key);
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
        add(p, "duplicate key");
        continue;
      }
      seen.push_back(key);
      auto it = std::find_if(known.begin(), known.end(),
                             [&name = key](const auto& k) { return k.first == name; });
      if (it == known.end()) {
        if (auto near = closest(key, names)) {
          add(p, fmt::format("unknown key (did you mean \"{}\"?)", *near));
        } else {
          add(p, fmt::format("unknown key (expected one of: {})", fmt::join(names, ", ")));
        }
        continue;
      }
      if (it->second) it->second(value, p);
    }
    for (const auto& r : required) {
      if (std::find(seen.begin(), seen.end(), r) == seen.end()) {
        add(join_path(path, r), "missing required key");
      }
    }
  }

  void string(const node& n, const std::string& path, std::string& out, bool non_empty = true) {
    if (!expect(n, json::type::string, path, "string")) return;
    if (non_empty && n.text.empty()) {
      add(path, "must not be empty");
      return;
    }
    out = n.text;
  }
  void string(const node& n, const std::string& path, std::optional<std::string>& out,
              bool non_empty = true) {
    std::string s;
    const auto before = problems_.size();
    string(n, path, s, non_empty);
    if (problems_.size() == before) out = std::move(s);
  }
  void boolean(const node& n, const std::string& path, bool& out) {
    if (expect(n, json::type::boolean, path, "boolean")) out = n.boolean;
  }
  void integer(const node& n, const std::string& path, int& out, std::int64_t lo,
               std::int64_t hi) {
    if (n.type != json::type::number || !n.integral) {
      add(path, fmt::format("expected integer, got {}", describe(n)));
      return;
    }
    if (n.integer < lo || n.integer > hi) {
      add(path, fmt::format("expected an integer from {} to {}, got {}", lo, hi, n.integer));
      return;
    }
    out = static_cast<int>(n.integer);
  }
  void strings(const node& n, const std::string& path, std::vector<std::string>& out) {
    if (!expect(n, json::type::array, path, "array of strings")) return;
    for (std::size_t i = 0; i < n.items.size(); ++i) {
      std::string s;
      const auto before = problems_.size();
      string(n.items[i], index_path(path, i), s);
      if (problems_.size() == before) out.push_back(std::move(s));
    }
  }

 private:
  std::string file_;
  std::vector<problem> problems_;
};

bool is_http_url(std::string_view u) {
  auto rest = [&](std::string_view scheme) -> std::string_view {
    if (u.substr(0, scheme.size()) != scheme) return {};
    return u.substr(scheme.size());
  };
  std::string_view host = rest("http://");
  if (host.empty()) host = rest("https://");
  if (host.empty()) return false;
  const char first = host.front();
  return first != '/' && first != ':' && first != '?' && first != '#';
}

void check_window(checker& c, const node& n, const std::string& path, window& w) {
  c.object(n, path,
           {
               {"label",
                [&](const node& v, const std::string& p) {
                  std::string label;
                  const bool was = v.type == json::type::string;
                  c.string(v, p, label);
                  if (!was || label.empty()) return;
                  if (!valid_window_label(label)) {
                    c.add(p, fmt::format("invalid window label \"{}\": use 1 to 64 characters "
                                         "from [A-Za-z0-9-_/:], not beginning with __myapp",
                                         label));
                    return;
                  }
                  w.label = label;
                }},
               {"title", [&](const node& v, const std::string& p) { c.string(v, p, w.title, false); }},
               {"url", [&](const node& v, const std::string& p) { c.string(v, p, w.url); }},
               {"width",
                [&](const node& v, const std::string& p) { c.integer(v, p, w.width, 1, 16384); }},
               {"height",
                [&](const node& v, const std::string& p) { c.integer(v, p, w.height, 1, 16384); }},
               {"resizable",
                [&](const node& v, const std::string& p) { c.boolean(v, p, w.resizable); }},
               {"visible", [&](const node& v, const std::string& p) { c.boolean(v, p, w.visible); }},
           });
}

project check_project(checker& c, const node& root) {
  project out;
  c.object(
      root, "",
      {
          {"$schema", [&](const node& v, const std::string& p) {
             c.expect(v, json::type::string, p, "string");
           }},
          {"productName",
           [&](const node& v, const std::string& p) { c.string(v, p, out.product_name); }},
          {"version",
           [&](const node& v, const std::string& p) {
             std::string s;
             if (v.type != json::type::string) {
               c.expect(v, json::type::string, p, "string");
               return;
             }
             s = v.text;
             if (!valid_semver(s)) {
               c.add(p, fmt::format("\"{}\" is not a semantic version (MAJOR.MINOR.PATCH, "
                                    "e.g. \"1.0.0\")",
                                    s));
               return;
             }
             out.version = s;
           }},
          {"identifier",
           [&](const node& v, const std::string& p) {
             if (!c.expect(v, json::type::string, p, "string")) return;
             if (!valid_identifier(v.text)) {
               c.add(p, fmt::format("\"{}\" is not a reverse-DNS identifier: use two or more "
                                    "dot-separated segments of letters, digits and '-', each "
                                    "starting with a letter (e.g. \"com.example.hello\")",
                                    v.text));
               return;
             }
             out.identifier = v.text;
           }},
          {"build",
           [&](const node& v, const std::string& p) {
             auto& b = out.build;
             c.object(
                 v, p,
                 {
                     {"devUrl",
                      [&](const node& x, const std::string& q) {
                        if (!c.expect(x, json::type::string, q, "string")) return;
                        if (!is_http_url(x.text)) {
                          c.add(q, fmt::format("\"{}\" is not an http:// or https:// URL", x.text));
                          return;
                        }
                        b.dev_url = x.text;
                      }},
                     {"frontendDist",
                      [&](const node& x, const std::string& q) { c.string(x, q, b.frontend_dist); }},
                     {"beforeDevCommand",
                      [&](const node& x, const std::string& q) {
                        c.string(x, q, b.before_dev_command);
                      }},
                     {"beforeBuildCommand",
                      [&](const node& x, const std::string& q) {
                        c.string(x, q, b.before_build_command);
                      }},
                     {"bindings",
                      [&](const node& x, const std::string& q) {
                        if (!c.expect(x, json::type::string, q, "string")) return;
                        if (x.text.empty() || x.text.front() == '/' ||
                            !(x.text.ends_with(".ts") || x.text.ends_with(".mts"))) {
                          c.add(q, fmt::format("\"{}\" should be a .ts file inside the project, "
                                               "e.g. \"src/bindings.ts\"",
                                               x.text));
                          return;
                        }
                        b.bindings = x.text;
                      }},
                 });
           }},
          {"app",
           [&](const node& v, const std::string& p) {
             c.object(
                 v, p,
                 {
                     {"windows",
                      [&](const node& x, const std::string& q) {
                        if (!c.expect(x, json::type::array, q, "array of windows")) return;
                        std::vector<std::string> labels;
                        for (std::size_t i = 0; i < x.items.size(); ++i) {
                          window w;
                          const std::string wp = index_path(q, i);
                          check_window(c, x.items[i], wp, w);
                          if (std::find(labels.begin(), labels.end(), w.label) != labels.end()) {
                            c.add(wp + ".label",
                                  fmt::format("window label \"{}\" is used twice", w.label));
                          }
                          labels.push_back(w.label);
                          out.app.windows.push_back(std::move(w));
                        }
                      }},
                     {"withGlobalMyapp",
                      [&](const node& x, const std::string& q) {
                        c.boolean(x, q, out.app.with_global_myapp);
                      }},
                     {"inspector",
                      [&](const node& x, const std::string& q) {
                        bool on = false;
                        c.boolean(x, q, on);
                        out.app.inspector = on;
                      }},
                     {"security",
                      [&](const node& x, const std::string& q) {
                        auto& s = out.app.security;
                        c.object(x, q,
                                 {
                                     {"csp",
                                      [&](const node& y, const std::string& r) {
                                        c.string(y, r, s.csp);
                                      }},
                                     {"capabilities",
                                      [&](const node& y, const std::string& r) {
                                        c.strings(y, r, s.capabilities);
                                      }},
                                     {"isolation",
                                      [&](const node& y, const std::string& r) {
                                        if (!c.expect(y, json::type::string, r, "string")) return;
                                        if (!valid_frontend_script(y.text)) {
                                          c.add(r, fmt::format(
                                                       "\"{}\" should be a .js file inside the "
                                                       "frontend, e.g. \"isolation.js\"",
                                                       y.text));
                                          return;
                                        }
                                        s.isolation = y.text;
                                      }},
                                 });
                      }},
                 });
           }},
          {"bundle",
           [&](const node& v, const std::string& p) {
             auto& b = out.bundle;
             c.object(
                 v, p,
                 {
                     {"targets",
                      [&](const node& x, const std::string& q) {
                        if (!c.expect(x, json::type::array, q, "array of strings")) return;
                        for (std::size_t i = 0; i < x.items.size(); ++i) {
                          const auto& item = x.items[i];
                          const std::string ip = index_path(q, i);
                          if (!c.expect(item, json::type::string, ip, "string")) continue;
                          const auto& formats = bundle_formats();
                          if (std::find(formats.begin(), formats.end(), item.text) ==
                              formats.end()) {
                            auto near = closest(item.text, formats);
                            c.add(ip, fmt::format("unknown bundle target \"{}\" (expected one of: "
                                                  "{}{})",
                                                  item.text, fmt::join(formats, ", "),
                                                  near ? fmt::format("; did you mean \"{}\"?", *near)
                                                       : ""));
                            continue;
                          }
                          if (std::find(b.targets.begin(), b.targets.end(), item.text) !=
                              b.targets.end()) {
                            c.add(ip, fmt::format("bundle target \"{}\" is listed twice", item.text));
                            continue;
                          }
                          b.targets.push_back(item.text);
                        }
                      }},
                     {"icon", [&](const node& x, const std::string& q) { c.string(x, q, b.icon); }},
                     {"description",
                      [&](const node& x, const std::string& q) { c.string(x, q, b.description); }},
                     {"deb",
                      [&](const node& x, const std::string& q) {
                        c.object(x, q,
                                 {{"depends", [&](const node& y, const std::string& r) {
                                     c.strings(y, r, b.deb.depends);
                                   }}});
                      }},
                 });
           }},
      },
      {"productName", "identifier"});
  return out;
}

}  // namespace

std::string format(const problem& p) {
  const std::string where = p.line == 0 ? "" : fmt::format("{}:{}:", p.line, p.column);
  if (p.path.empty()) return fmt::format("{}:{} {}", p.file, where, p.message);
  return fmt::format("{}:{}{}{}: {}", p.file, where, where.empty() ? "" : " ", p.path, p.message);
}

void place(problem& p, std::string_view text) {
  const auto at = detail::position_of(text, detail::locate(text, p.path));
  p.line = at.line;
  p.column = at.column;
}

loaded parse(std::string_view text, std::string file) {
  loaded out;
  // A syntax error is one problem, with its place; nothing after it can be read reliably.
  if (auto e = detail::find_syntax_error(text)) {
    const auto at = detail::position_of(text, e->offset);
    out.problems.push_back({file, "", "invalid JSON: " + e->message, at.line, at.column});
    return out;
  }
  json::decoder d;
  node root;
  const bool ok = json::read_document(
      text, d, [&](json::value& v, json::decoder& dd) { return read_node(v, root, dd); });
  if (!ok) {
    problem p{file, d.where(), "invalid JSON: " + d.reason()};
    place(p, text);
    out.problems.push_back(std::move(p));
    return out;
  }
  checker c(file);
  project p = check_project(c, root);
  out.problems = c.take();
  for (auto& q : out.problems) place(q, text);
  if (out.problems.empty()) out.config = std::move(p);
  return out;
}

loaded load_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    loaded out;
    out.problems.push_back({path.string(), "", "cannot be read (does it exist?)"});
    return out;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path.string());
}

const std::vector<std::string>& known_keys() {
  static const std::vector<std::string> keys = {
      "$schema",
      "productName",
      "version",
      "identifier",
      "build",
      "build.devUrl",
      "build.frontendDist",
      "build.beforeDevCommand",
      "build.beforeBuildCommand",
      "build.bindings",
      "app",
      "app.windows",
      "app.windows[].label",
      "app.windows[].title",
      "app.windows[].url",
      "app.windows[].width",
      "app.windows[].height",
      "app.windows[].resizable",
      "app.windows[].visible",
      "app.withGlobalMyapp",
      "app.inspector",
      "app.security",
      "app.security.csp",
      "app.security.capabilities",
      "app.security.isolation",
      "bundle",
      "bundle.targets",
      "bundle.icon",
      "bundle.description",
      "bundle.deb",
      "bundle.deb.depends",
  };
  return keys;
}

}  // namespace myapp::config
