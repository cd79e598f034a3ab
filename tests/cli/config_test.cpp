// myapp.conf.json: reading, defaults, and every problem reported with its line, column and key
// path; the capability files' problems placed the same way.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "myapp/acl.hpp"
#include "myapp/config.hpp"
#include "myapp/json.hpp"

namespace {

using myapp::config::parse;
using myapp::config::problem;

bool has(const std::vector<problem>& ps, const std::string& path, const std::string& needle) {
  return std::any_of(ps.begin(), ps.end(), [&](const problem& p) {
    return p.path == path && p.message.find(needle) != std::string::npos;
  });
}

std::string dump(const std::vector<problem>& ps) {
  std::string out;
  for (const auto& p : ps) out += myapp::config::format(p) + "\n";
  return out;
}

std::string dump_acl(const std::vector<myapp::acl::problem>& ps) {
  std::string out;
  for (const auto& p : ps) {
    out += myapp::config::format({p.file, p.path, p.message, p.line, p.column}) + "\n";
  }
  return out;
}

TEST(Config, MinimalTakesDefaults) {
  auto r = parse(R"({"productName":"Hello","identifier":"com.example.hello"})");
  ASSERT_TRUE(r.ok()) << dump(r.problems);
  const auto& c = *r.config;
  EXPECT_EQ(c.product_name, "Hello");
  EXPECT_EQ(c.version, "0.1.0");
  EXPECT_EQ(c.build.frontend_dist, "frontend");
  EXPECT_FALSE(c.build.dev_url);
  EXPECT_TRUE(c.app.windows.empty());
  EXPECT_TRUE(c.bundle.targets.empty());
}

TEST(Config, FullDocument) {
  auto r = parse(R"({
    "$schema": "../schemas/myapp.conf.schema.json",
    "productName": "Notes", "version": "1.2.3-beta.1+exp.sha.5114f85", "identifier": "org.acme.notes",
    "build": {"devUrl": "http://localhost:5173", "frontendDist": "dist",
              "beforeDevCommand": "npm run dev", "beforeBuildCommand": "npm run build"},
    "app": {"windows": [{"label": "main", "title": "Notes", "url": "index.html", "width": 1024,
                         "height": 768, "resizable": false, "visible": true},
                        {"label": "settings", "url": "/settings"}],
            "security": {"csp": "default-src 'self'", "capabilities": ["default", "extra"]}},
    "bundle": {"targets": ["deb", "tar"], "icon": "icons/app.png", "description": "Notes app",
               "deb": {"depends": ["libsecret-1-0"]}}
  })");
  ASSERT_TRUE(r.ok()) << dump(r.problems);
  const auto& c = *r.config;
  EXPECT_EQ(c.version, "1.2.3-beta.1+exp.sha.5114f85");
  EXPECT_EQ(c.build.dev_url.value(), "http://localhost:5173");
  EXPECT_EQ(c.build.frontend_dist, "dist");
  ASSERT_EQ(c.app.windows.size(), 2u);
  EXPECT_EQ(c.app.windows[0].width, 1024);
  EXPECT_FALSE(c.app.windows[0].resizable);
  EXPECT_EQ(c.app.windows[1].label, "settings");
  EXPECT_EQ(c.app.windows[1].width, 800);  // default
  EXPECT_FALSE(c.app.windows[1].title);    // the runtime uses the product name
  EXPECT_EQ(c.app.security.capabilities, (std::vector<std::string>{"default", "extra"}));
  EXPECT_EQ(c.bundle.targets, (std::vector<std::string>{"deb", "tar"}));
  EXPECT_EQ(c.bundle.deb.depends, (std::vector<std::string>{"libsecret-1-0"}));
}

TEST(Config, BindingsIsATypeScriptFileInsideTheProject) {
  auto with = [](const std::string& value) {
    return parse(R"({"productName":"Hello","identifier":"com.example.hello","build":{"bindings":)" +
                 value + "}}");
  };
  auto ok = with(R"("src/bindings.ts")");
  ASSERT_TRUE(ok.ok()) << dump(ok.problems);
  EXPECT_EQ(ok.config->build.bindings.value(), "src/bindings.ts");
  EXPECT_FALSE(parse(R"({"productName":"Hello","identifier":"com.example.hello"})").config->build.bindings);
  for (const char* bad : {R"("/abs/bindings.ts")", R"("src/bindings.js")", R"("")"}) {
    auto r = with(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(has(r.problems, "build.bindings", "should be a .ts file inside the project")) << dump(r.problems);
  }
  auto typo = with(R"(1)");
  EXPECT_TRUE(has(typo.problems, "build.bindings", "expected string")) << dump(typo.problems);
  auto near = parse(R"({"productName":"Hello","identifier":"com.example.hello","build":{"binding":"a.ts"}})");
  EXPECT_TRUE(has(near.problems, "build.binding", "did you mean \"bindings\"")) << dump(near.problems);
}

TEST(Config, TheNamespacedGlobalAndTheIsolationHook) {
  auto with = [](const std::string& app) {
    return parse(R"({"productName":"Hello","identifier":"com.example.hello","app":)" + app + "}");
  };
  auto defaults = with("{}");
  ASSERT_TRUE(defaults.ok()) << dump(defaults.problems);
  EXPECT_TRUE(defaults.config->app.with_global_myapp);
  EXPECT_FALSE(defaults.config->app.security.isolation);
  auto set = with(R"({"withGlobalMyapp": false, "security": {"isolation": "hooks/isolation.js"}})");
  ASSERT_TRUE(set.ok()) << dump(set.problems);
  EXPECT_FALSE(set.config->app.with_global_myapp);
  EXPECT_EQ(set.config->app.security.isolation.value(), "hooks/isolation.js");
  for (const char* bad : {R"("/abs/isolation.js")", R"("../isolation.js")", R"("a/./b.js")",
                          R"("isolation.ts")", R"("a\\b.js")", R"("a\bb.js")", R"("a//b.js")", R"(".js")", R"("")"}) {
    auto r = with(std::string(R"({"security": {"isolation": )") + bad + "}}");
    EXPECT_TRUE(has(r.problems, "app.security.isolation", "should be a .js file inside the frontend"))
        << bad << "\n" << dump(r.problems);
  }
  EXPECT_TRUE(has(with(R"({"withGlobalMyapp": "yes"})").problems, "app.withGlobalMyapp", "expected boolean"));
  EXPECT_TRUE(has(with(R"({"security": {"isolation": true}})").problems, "app.security.isolation",
                  "expected string"));
  EXPECT_TRUE(has(with(R"({"withGlobalMypp": true})").problems, "app.withGlobalMypp",
                  "did you mean \"withGlobalMyapp\""));
}

TEST(Config, TheInspectorKeyAndReservedWindowLabels) {
  auto with = [](const std::string& app) {
    return parse(R"({"productName":"Hello","identifier":"com.example.hello","app":)" + app + "}");
  };
  auto unset = with("{}");
  ASSERT_TRUE(unset.ok()) << dump(unset.problems);
  EXPECT_FALSE(unset.config->app.inspector.has_value());
  auto on = with(R"({"inspector": true})");
  ASSERT_TRUE(on.ok()) << dump(on.problems);
  EXPECT_EQ(on.config->app.inspector, std::optional<bool>(true));
  auto off = with(R"({"inspector": false})");
  ASSERT_TRUE(off.ok()) << dump(off.problems);
  EXPECT_EQ(off.config->app.inspector, std::optional<bool>(false));
  EXPECT_TRUE(has(with(R"({"inspector": 1})").problems, "app.inspector", "expected boolean"));
  // myapp's own windows (the inspector's) have labels an app cannot take.
  auto reserved = with(R"({"windows": [{"label": "__myapp_inspector"}]})");
  EXPECT_TRUE(has(reserved.problems, "app.windows[0].label", "not beginning with __myapp"))
      << dump(reserved.problems);
  EXPECT_FALSE(myapp::config::valid_window_label("__myapp"));
  EXPECT_TRUE(myapp::config::valid_window_label("_myapp"));
  EXPECT_TRUE(myapp::config::valid_window_label("main__myapp"));
}

TEST(Config, UnknownKeySuggestsTheKnownOne) {
  auto r = parse(R"({"productName":"a","identifier":"a.b",
                     "app":{"windows":[{"label":"main"},{"label":"two","widht":3}]}})");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.problems.size(), 1u) << dump(r.problems);
  EXPECT_EQ(myapp::config::format(r.problems[0]),
            R"(myapp.conf.json:2:72: app.windows[1].widht: unknown key (did you mean "width"?))");
}

// Each problem at the line and column of the key or element its path names, counted in
// characters from 1, as editors count them.
TEST(ConfigPositions, ProblemsPointAtTheirKey) {
  const std::string text =
      "{\n"
      "  \"version\": \"1.0.0\",\n"
      "  \"productName\": \"Caf\xc3\xa9\", \"identifier\": \"nodots\",\n"
      "  \"app\": {\n"
      "    \"windows\": [\n"
      "      { \"label\": \"main\" },\n"
      "      { \"label\": \"two\", \"widht\": 3 }\n"
      "    ]\n"
      "  },\n"
      "  \"bundle\": { \"targets\": [\"deb\", \"rmp\"] }\n"
      "}\n";
  auto r = parse(text);
  ASSERT_EQ(r.problems.size(), 3u) << dump(r.problems);
  // "é" is two bytes and one column.
  EXPECT_EQ(myapp::config::format(r.problems[0]),
            "myapp.conf.json:3:26: identifier: \"nodots\" is not a reverse-DNS identifier: use "
            "two or more dot-separated segments of letters, digits and '-', each starting with a "
            "letter (e.g. \"com.example.hello\")");
  EXPECT_EQ(r.problems[1].path, "app.windows[1].widht");
  EXPECT_EQ(r.problems[1].line, 7u);
  EXPECT_EQ(r.problems[1].column, 25u);
  EXPECT_EQ(r.problems[2].path, "bundle.targets[1]");
  EXPECT_EQ(r.problems[2].line, 10u);
  EXPECT_EQ(r.problems[2].column, 34u);
}

TEST(ConfigPositions, MissingKeysPointAtTheirObject) {
  auto r = parse("{\"productName\": \"a\",\n \"app\": {\"windows\": [{\"label\": \"main\"}]}}");
  ASSERT_EQ(r.problems.size(), 1u) << dump(r.problems);
  EXPECT_EQ(myapp::config::format(r.problems[0]), "myapp.conf.json:1:1: identifier: missing required key");
}

// A syntax error is one problem, where it is, saying what is wrong: nothing after it is read.
TEST(ConfigPositions, SyntaxErrorsAreOneProblemAtTheirPlace) {
  struct expectation {
    const char* text;
    std::size_t line, column;
    const char* says;
  };
  for (const auto& e : std::vector<expectation>{
           {"{\n  \"productName\": \"a\"\n  \"identifier\": \"a.b\"\n}", 2, 21, "a comma is missing after this member"},
           {"{\"productName\": \"a\", \"identifier\": \"a.b\",}", 1, 41, "a comma before `}`"},
           {"{\"app\": {\"windows\": [{}, ]}}", 1, 24, "a comma before `]`"},
           {"{\"productName\": \"a\n\"}", 1, 17, "this string is not closed"},
           {"{\"productName\": 'a'}", 1, 17, "JSON strings use double quotes"},
           {"{\"productName\": \"a\"} x", 1, 22, "after the end of the JSON value"},
           {"{\"productName\": \"a\", // the name\n}", 1, 22, "comments are not allowed"},
           {"{\"productName\": \"a\"", 1, 20, "the file ends inside an object: `}` is missing"},
           {"{\"width\": 07}", 1, 11, "no leading zeros"},
           {"", 1, 1, "the file is empty"},
       }) {
    auto r = parse(e.text);
    ASSERT_EQ(r.problems.size(), 1u) << e.text << "\n" << dump(r.problems);
    const auto& p = r.problems[0];
    EXPECT_EQ(p.line, e.line) << e.text << "\n" << dump(r.problems);
    EXPECT_EQ(p.column, e.column) << e.text << "\n" << dump(r.problems);
    EXPECT_NE(p.message.find(e.says), std::string::npos) << dump(r.problems);
    EXPECT_EQ(p.message.rfind("invalid JSON: ", 0), 0u) << dump(r.problems);
  }
}

// A capability with one missing comma is one problem, not four: no "needs a `permissions`
// array", and no "no capability file has the identifier" for the name it holds.
// Placing a problem in text that is not JSON at all stays within it.
TEST(ConfigPositions, PlacingInBrokenTextStaysInside) {
  for (const char* text : {"", "{", "{\"a", "{\"a\\", "[1, {\"b\": [", "{\"app\": {\"windows\": [{}", "\"\\"}) {
    problem p{"f.json", "app.windows[3].label", "x"};
    myapp::config::place(p, text);
    EXPECT_GE(p.line, 1u) << text;
    EXPECT_GE(p.column, 1u) << text;
    EXPECT_LE(p.column, std::string_view(text).size() + 1) << text;
  }
}

TEST(CapabilityPositions, OneMissingCommaIsOneProblem) {
  const std::vector<myapp::acl::source> caps = {
      {"capabilities/default.json",
       "{\n  \"identifier\": \"default\",\n  \"windows\": [\"main\"]\n  \"permissions\": [\"core:default\"]\n}\n"}};
  std::vector<myapp::acl::problem> selected;
  (void)myapp::acl::select_capabilities(caps, {"default"}, selected);
  EXPECT_TRUE(selected.empty());
  const auto loaded = myapp::acl::policy::check(caps, {});
  ASSERT_EQ(loaded.problems.size(), 1u);
  const auto& p = loaded.problems[0];
  EXPECT_EQ(p.file, "capabilities/default.json");
  EXPECT_EQ(p.line, 3u);
  EXPECT_EQ(p.column, 22u);
  EXPECT_NE(p.message.find("a comma is missing"), std::string::npos) << p.message;
}

TEST(CapabilityPositions, ProblemsOfReadableFilesPointAtTheirEntry) {
  const std::vector<myapp::acl::source> caps = {
      {"capabilities/x.json",
       "{\n  \"identifier\": \"x\",\n  \"windows\": [\"main\", \"a b\"],\n  \"permisions\": [],\n"
       "  \"permissions\": [\"core:default\"]\n}\n"}};
  const auto loaded = myapp::acl::policy::check(caps, {});
  ASSERT_EQ(loaded.problems.size(), 2u) << dump_acl(loaded.problems);
  EXPECT_EQ(loaded.problems[0].path, "windows[1]");
  EXPECT_EQ(loaded.problems[0].line, 3u);
  EXPECT_EQ(loaded.problems[0].column, 23u);
  EXPECT_EQ(loaded.problems[1].path, "permisions");
  EXPECT_EQ(loaded.problems[1].line, 4u);
  EXPECT_EQ(loaded.problems[1].column, 3u);
}

TEST(Config, ReportsEveryProblemNotJustTheFirst) {
  auto r = parse(R"({"productName": 3, "identifier": "nodots", "version": "1.0",
                     "build": {"devUrl": "localhost:5173", "frontendDist": 7},
                     "app": {"windows": [{"width": "wide", "height": -1, "resizable": "yes"},
                                         {"label": "main"}],
                             "security": {"capabilities": ["a", 2]}},
                     "bundle": {"targets": ["deb", "msi", "deb"], "deb": {"depends": "x"}},
                     "biuld": {}})",
                 "conf.json");
  ASSERT_FALSE(r.ok());
  const auto& ps = r.problems;
  EXPECT_TRUE(has(ps, "productName", "expected string, got number 3")) << dump(ps);
  EXPECT_TRUE(has(ps, "identifier", "not a reverse-DNS identifier")) << dump(ps);
  EXPECT_TRUE(has(ps, "version", "not a semantic version")) << dump(ps);
  EXPECT_TRUE(has(ps, "build.devUrl", "not an http:// or https:// URL")) << dump(ps);
  EXPECT_TRUE(has(ps, "build.frontendDist", "expected string, got number 7")) << dump(ps);
  EXPECT_TRUE(has(ps, "app.windows[0].width", "expected integer, got string \"wide\"")) << dump(ps);
  EXPECT_TRUE(has(ps, "app.windows[0].height", "from 1 to 16384, got -1")) << dump(ps);
  EXPECT_TRUE(has(ps, "app.windows[0].resizable", "expected boolean")) << dump(ps);
  EXPECT_TRUE(has(ps, "app.windows[1].label", "used twice")) << dump(ps);
  EXPECT_TRUE(has(ps, "app.security.capabilities[1]", "expected string, got number 2")) << dump(ps);
  EXPECT_TRUE(has(ps, "bundle.targets[1]", "unknown bundle target \"msi\"")) << dump(ps);
  EXPECT_TRUE(has(ps, "bundle.targets[2]", "listed twice")) << dump(ps);
  EXPECT_TRUE(has(ps, "bundle.deb.depends", "expected array of strings")) << dump(ps);
  EXPECT_TRUE(has(ps, "biuld", "did you mean \"build\"")) << dump(ps);
  for (const auto& p : ps) EXPECT_EQ(p.file, "conf.json");
  EXPECT_EQ(ps.size(), 14u) << dump(ps);
}

TEST(Config, RequiredKeys) {
  auto r = parse("{}");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(has(r.problems, "productName", "missing required key")) << dump(r.problems);
  EXPECT_TRUE(has(r.problems, "identifier", "missing required key")) << dump(r.problems);
}

TEST(Config, WrongTypesOfSections) {
  auto r = parse(R"({"productName":"a","identifier":"a.b","app":[],"build":"x","bundle":null})");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(has(r.problems, "app", "expected object, got array")) << dump(r.problems);
  EXPECT_TRUE(has(r.problems, "build", "expected object, got string \"x\"")) << dump(r.problems);
  EXPECT_TRUE(has(r.problems, "bundle", "expected object, got null")) << dump(r.problems);
}

TEST(Config, IntegersMustBeIntegral) {
  auto r = parse(R"({"productName":"a","identifier":"a.b","app":{"windows":[{"width":1.5}]}})");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(has(r.problems, "app.windows[0].width", "expected integer, got number 1.5"))
      << dump(r.problems);
}

TEST(Config, DuplicateKey) {
  auto r = parse(R"({"productName":"a","productName":"b","identifier":"a.b"})");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(has(r.problems, "productName", "duplicate key")) << dump(r.problems);
}

TEST(Config, MalformedJsonIsOneProblem) {
  auto r = parse(R"({"productName": "a", "identifier": )");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].message.find("invalid JSON"), std::string::npos);
  EXPECT_EQ(myapp::config::format(r.problems[0]).rfind("myapp.conf.json:1:36: ", 0), 0u)
      << dump(r.problems);
}

TEST(Config, Identifiers) {
  using myapp::config::valid_identifier;
  EXPECT_TRUE(valid_identifier("com.example.hello"));
  EXPECT_TRUE(valid_identifier("org.my-company.app2"));
  EXPECT_FALSE(valid_identifier("hello"));
  EXPECT_FALSE(valid_identifier("com..hello"));
  EXPECT_FALSE(valid_identifier("com.example."));
  EXPECT_FALSE(valid_identifier("com.1example"));
  EXPECT_FALSE(valid_identifier("com.example-.x"));
  EXPECT_FALSE(valid_identifier("com.exa_mple"));
  EXPECT_FALSE(valid_identifier(""));
}

TEST(Config, SemanticVersions) {
  using myapp::config::valid_semver;
  EXPECT_TRUE(valid_semver("0.1.0"));
  EXPECT_TRUE(valid_semver("10.20.30"));
  EXPECT_TRUE(valid_semver("1.0.0-alpha.1"));
  EXPECT_TRUE(valid_semver("1.0.0+build.7"));
  EXPECT_FALSE(valid_semver("1.0"));
  EXPECT_FALSE(valid_semver("01.0.0"));
  EXPECT_FALSE(valid_semver("1.0.0-"));
  EXPECT_FALSE(valid_semver("1.0.0-01"));
  EXPECT_FALSE(valid_semver("v1.0.0"));
}

TEST(Config, Closest) {
  const std::vector<std::string> keys = {"width", "height", "label"};
  EXPECT_EQ(myapp::config::closest("widht", keys).value_or(""), "width");
  EXPECT_EQ(myapp::config::closest("hieght", keys).value_or(""), "height");
  EXPECT_FALSE(myapp::config::closest("colour", keys));
}

TEST(Config, LoadFileMissing) {
  auto r = myapp::config::load_file("/nonexistent/myapp.conf.json");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].file, "/nonexistent/myapp.conf.json");
}

// The shipped templates' configurations are valid once their placeholders are filled in.
TEST(Config, TemplatesAreValid) {
  for (const char* t : {"vanilla", "vite-ts", "react-ts", "vue-ts", "svelte-ts"}) {
    const std::filesystem::path p =
        std::filesystem::path(MYAPP_SOURCE_DIR) / "templates" / t / "myapp.conf.json";
    std::ifstream in(p);
    ASSERT_TRUE(in) << p;
    std::string text((std::istreambuf_iterator<char>(in)), {});
    for (auto [from, to] : {std::pair{"{{productName}}", "Hello"}, {"{{identifier}}", "com.example.hello"}}) {
      for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from)) {
        text.replace(pos, std::string_view(from).size(), to);
      }
    }
    auto r = parse(text, p.string());
    EXPECT_TRUE(r.ok()) << t << ":\n" << dump(r.problems);
  }
}

// The JSON schema names exactly the keys the reader knows.
void schema_keys(const std::string& text, const std::string& prefix, std::vector<std::string>& out) {
  auto props = myapp::json::parse<std::map<std::string, myapp::json::raw>>(text);
  ASSERT_TRUE(props) << props.error_value().message();
  if (auto it = props.value().find("properties"); it != props.value().end()) {
    auto children = myapp::json::parse<std::map<std::string, myapp::json::raw>>(it->second.text);
    ASSERT_TRUE(children);
    for (const auto& [k, v] : children.value()) {
      const std::string path = prefix.empty() ? k : prefix + "." + k;
      out.push_back(path);
      schema_keys(v.text, path, out);
    }
  }
  if (auto it = props.value().find("items"); it != props.value().end()) {
    schema_keys(it->second.text, prefix + "[]", out);
  }
}

TEST(Config, SchemaMatchesTheReader) {
  std::ifstream in(std::filesystem::path(MYAPP_SOURCE_DIR) / "schemas/myapp.conf.schema.json");
  ASSERT_TRUE(in);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  std::vector<std::string> keys;
  schema_keys(text, "", keys);
  std::vector<std::string> known = myapp::config::known_keys();
  std::sort(keys.begin(), keys.end());
  std::sort(known.begin(), known.end());
  EXPECT_EQ(keys, known);
}

}  // namespace

namespace {

using myapp::config::csp_allow_connect;
constexpr const char* LANE = "ws://127.0.0.1:4242";

TEST(CspAllowConnect, AppendsToConnectSrcAndDropsNone) {
  EXPECT_EQ(csp_allow_connect("default-src 'self'; connect-src 'self' https://api.example.com", LANE),
            "default-src 'self'; connect-src 'self' https://api.example.com ws://127.0.0.1:4242");
  EXPECT_EQ(csp_allow_connect("connect-src 'none'; img-src data:", LANE),
            "connect-src ws://127.0.0.1:4242; img-src data:");
  EXPECT_EQ(csp_allow_connect("CONNECT-SRC 'self'", LANE), "CONNECT-SRC 'self' ws://127.0.0.1:4242");
}

TEST(CspAllowConnect, DefaultSrcAloneGetsAConnectSrcOfItsSources) {
  // connect-src falls back to default-src: the new directive keeps what default-src allowed.
  EXPECT_EQ(csp_allow_connect("default-src 'self'; style-src 'self' 'unsafe-inline'", LANE),
            "default-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws://127.0.0.1:4242");
  EXPECT_EQ(csp_allow_connect("default-src 'none'", LANE),
            "default-src 'none'; connect-src ws://127.0.0.1:4242");
}

TEST(CspAllowConnect, PoliciesThatDoNotRestrictConnectionsAreUnchanged) {
  EXPECT_EQ(csp_allow_connect("", LANE), "");
  EXPECT_EQ(csp_allow_connect("img-src 'self'; script-src 'self'", LANE), "img-src 'self'; script-src 'self'");
}

TEST(CspAllowConnect, ToleratesSpacingAndEmptyDirectivesAndAddsTheSourceOnce) {
  EXPECT_EQ(csp_allow_connect("  connect-src\t'self'  ;; ; img-src  data: ", LANE),
            "connect-src 'self' ws://127.0.0.1:4242; img-src data:");
  EXPECT_EQ(csp_allow_connect("connect-src ws://127.0.0.1:4242", LANE), "connect-src ws://127.0.0.1:4242");
}

using myapp::config::csp_allow_script_hash;
constexpr const char* HASH = "'sha256-abc='";

TEST(CspAllowScriptHash, AddsTheHashWhereInlineScriptsAreRefused) {
  // The templates' policy: scripts fall back to default-src.
  EXPECT_EQ(csp_allow_script_hash("default-src 'self'; style-src 'self' 'unsafe-inline'", HASH),
            "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'sha256-abc='");
  EXPECT_EQ(csp_allow_script_hash("script-src 'self'", HASH), "script-src 'self' 'sha256-abc='");
  EXPECT_EQ(csp_allow_script_hash("script-src 'self' 'sha256-x='", HASH), "script-src 'self' 'sha256-x=' 'sha256-abc='");
  EXPECT_EQ(csp_allow_script_hash("script-src 'self'; script-src-elem 'self'", HASH),
            "script-src 'self' 'sha256-abc='; script-src-elem 'self' 'sha256-abc='");
  EXPECT_EQ(csp_allow_script_hash("script-src 'self' 'sha256-abc='", HASH), "script-src 'self' 'sha256-abc='");
}

TEST(CspAllowScriptHash, LeavesAlonePoliciesThatAlreadyDecide) {
  EXPECT_EQ(csp_allow_script_hash("", HASH), "");
  EXPECT_EQ(csp_allow_script_hash("img-src 'self'", HASH), "img-src 'self'");
  // A hash would turn 'unsafe-inline' off and break the page's other inline scripts.
  EXPECT_EQ(csp_allow_script_hash("script-src 'self' 'unsafe-inline'", HASH), "script-src 'self' 'unsafe-inline'");
  EXPECT_EQ(csp_allow_script_hash("default-src 'none'", HASH), "default-src 'none'");
  EXPECT_EQ(csp_allow_script_hash("default-src 'self'; script-src 'none'", HASH), "default-src 'self'; script-src 'none'");
}

}  // namespace
