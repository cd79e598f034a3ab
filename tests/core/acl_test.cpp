// Capabilities and permissions: loading and its problems, resolution per page (globs, local and
// remote origins, deny in its own context), sets, scopes, and the router enforcing them.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "myapp/acl.hpp"
#include "myapp/router.hpp"

namespace {

using myapp::acl::context;
using myapp::acl::policy;
using myapp::acl::source;

const std::vector<std::string> COMMANDS = {"greet", "read_file", "delete_all", "save"};

policy load_ok(std::vector<source> caps, std::vector<source> perms = {}) {
  auto l = policy::load(caps, perms, COMMANDS);
  std::string all;
  for (const auto& p : l.problems) all += p.file + ":" + p.path + ": " + p.message + "\n";
  EXPECT_TRUE(l.ok()) << all;
  return l.ok() ? std::move(*l.value) : policy();
}

std::vector<myapp::acl::problem> problems(std::vector<source> caps, std::vector<source> perms = {}) {
  auto l = policy::load(caps, perms, COMMANDS);
  EXPECT_FALSE(l.ok());
  return l.problems;
}

bool has_problem(const std::vector<myapp::acl::problem>& ps, std::string_view file,
                 std::string_view path, std::string_view part) {
  for (const auto& p : ps) {
    if (p.file == file && p.path == path && p.message.find(part) != std::string::npos) return true;
  }
  return false;
}

std::string dump(const std::vector<myapp::acl::problem>& ps) {
  std::string s;
  for (const auto& p : ps) s += p.file + ":" + p.path + ": " + p.message + "\n";
  return s;
}

constexpr auto LOCAL = "myapp://localhost/index.html";

TEST(Glob, Matches) {
  using myapp::acl::glob_match;
  EXPECT_TRUE(glob_match("main", "main"));
  EXPECT_FALSE(glob_match("main", "main2"));
  EXPECT_TRUE(glob_match("editor-*", "editor-1"));
  EXPECT_TRUE(glob_match("editor-*", "editor-"));
  EXPECT_FALSE(glob_match("editor-*", "editor"));
  EXPECT_TRUE(glob_match("*", "anything"));
  EXPECT_TRUE(glob_match("a?c", "abc"));
  EXPECT_FALSE(glob_match("a?c", "ac"));
  EXPECT_TRUE(glob_match("*a*b*c*", "xxaxxbxxcxx"));
  EXPECT_FALSE(glob_match("*a*b*c*", "xxaxxcxxbxx"));
  // Pathological patterns stay fast (no exponential backtracking).
  EXPECT_FALSE(glob_match("*a*a*a*a*a*a*a*a*b", std::string(5000, 'a')));
}

TEST(Policy, GrantsWhatMatchingCapabilitiesAllow) {
  auto p = load_ok({{"capabilities/main.json",
                     R"J({"identifier":"main","windows":["main"],"permissions":["core:default","allow-greet"]})J"}});
  auto g = p.resolve(context{"main", LOCAL, true});
  EXPECT_TRUE(g->allows("greet"));
  EXPECT_TRUE(g->allows(myapp::acl::EVENT_LISTEN));
  EXPECT_FALSE(g->allows("delete_all"));
  EXPECT_EQ(g->denial("delete_all"),
            "`delete_all` is not allowed for window `main` at myapp://localhost: no capability "
            "that matches it grants it; add `allow-delete_all` (or a permission that includes it) "
            "to the `permissions` of `main` (capabilities/main.json)");
  // Another window matches nothing: no IPC at all.
  auto other = p.resolve(context{"settings", LOCAL, true});
  EXPECT_FALSE(other->allows("greet"));
  EXPECT_TRUE(other->capabilities().empty());
  EXPECT_NE(other->denial("greet").find("matches no capability, so it has no IPC at all"),
            std::string::npos);
}

TEST(Policy, LocalAndRemoteOrigins) {
  auto p = load_ok({{"c.json", R"J({"identifier":"web","windows":["*"],"local":false,
      "remote":{"urls":["https://*.example.com/*"]},"permissions":["allow-greet"]})J"},
                    {"d.json", R"J({"identifier":"app","windows":["*"],"permissions":["allow-save"]})J"}});
  auto remote = p.resolve(context{"main", "https://docs.example.com/a/b?x=1", false});
  EXPECT_TRUE(remote->allows("greet"));
  EXPECT_FALSE(remote->allows("save")) << "a local capability does not reach a remote page";
  auto local = p.resolve(context{"main", LOCAL, true});
  EXPECT_FALSE(local->allows("greet")) << "local:false";
  EXPECT_TRUE(local->allows("save"));
  for (const char* bad : {"https://example.com.evil.net/", "http://docs.example.com/",
                          "https://evil.net/?https://docs.example.com/",
                          "https://user@docs.example.com/", "file:///etc/passwd"}) {
    EXPECT_FALSE(p.resolve(context{"main", bad, false})->allows("greet")) << bad;
  }
}

TEST(Policy, DenialsNameThePageOrigin) {
  auto p = load_ok({{"c.json", R"J({"identifier":"app","windows":["main"],"permissions":["allow-greet"]})J"}});
  auto origin_in = [&](const char* url) {
    return p.resolve(context{"other", url, false})->denial("greet");
  };
  EXPECT_NE(origin_in("HTTPS://Docs.Example.com:8443/a?b").find(" at https://docs.example.com:8443 "),
            std::string::npos);
  // Credentials are no part of an origin and stay out of messages (and logs).
  EXPECT_NE(origin_in("https://user:secret@docs.example.com/").find(" at https://docs.example.com "),
            std::string::npos);
  EXPECT_EQ(origin_in("https://user:secret@docs.example.com/").find("secret"), std::string::npos);
  // A page without a host is named by its URL.
  EXPECT_NE(origin_in("about:blank").find(" at about:blank "), std::string::npos);
  EXPECT_NE(origin_in("data:text/html,hi").find(" at data:text/html,hi "), std::string::npos);
}

TEST(Policy, DenyWinsOnlyInItsOwnContext) {
  auto p = load_ok({{"all.json", R"J({"identifier":"all","windows":["*"],"permissions":["allow-delete_all","allow-greet"]})J"},
                    {"viewer.json", R"J({"identifier":"viewer","windows":["viewer-*"],"permissions":["deny-delete_all"]})J"}});
  auto viewer = p.resolve(context{"viewer-1", LOCAL, true});
  EXPECT_FALSE(viewer->allows("delete_all"));
  EXPECT_TRUE(viewer->allows("greet"));
  EXPECT_EQ(viewer->denial("delete_all"),
            "`delete_all` is denied for window `viewer-1` at myapp://localhost by "
            "`deny-delete_all` in capability `viewer` (viewer.json); remove that entry to allow "
            "it here");
  auto main = p.resolve(context{"main", LOCAL, true});
  EXPECT_TRUE(main->allows("delete_all")) << "the deny applies to viewer windows only";
}

TEST(Policy, PermissionsSetsAndScopesMerge) {
  auto p = load_ok(
      {{"a.json", R"J({"identifier":"a","windows":["main"],"permissions":["files",
          {"identifier":"read","allow":[{"path":"/home/*"}],"deny":[{"path":"/home/secret/*"}]}]})J"},
       {"b.json", R"J({"identifier":"b","windows":["*"],"permissions":[{"identifier":"read","allow":[{"path":"/tmp/*"}]}]})J"}},
      {{"permissions/files.json", R"J({"permissions":[
          {"identifier":"read","description":"Read files","commands":{"allow":["read_file"]},
           "scope":{"allow":[{"path":"/data/*"}]}},
          {"identifier":"write","commands":{"allow":["save"]}}],
        "sets":[{"identifier":"files","permissions":["read","write"]}]})J"}});
  auto g = p.resolve(context{"main", LOCAL, true});
  EXPECT_TRUE(g->allows("read_file"));
  EXPECT_TRUE(g->allows("save"));
  const auto& sc = g->scope("read_file");
  // /data (from the permission itself, reached three ways), /home and /tmp: each once.
  EXPECT_EQ(sc.allow, (std::vector<std::string>{R"J({"path":"/data/*"})J", R"J({"path":"/home/*"})J",
                                                R"J({"path":"/tmp/*"})J"}));
  EXPECT_EQ(sc.deny, std::vector<std::string>{R"J({"path":"/home/secret/*"})J"});
}

TEST(Policy, ProblemsNameTheFileAndKeyPath) {
  auto ps = problems(
      {{"capabilities/a.json", R"J({"identifier":"a","windows":["main","bad glob!"],
          "permissions":["allow-nope","allow-greet",{"identifier":"x","alow":[]}],"platform":["linux"]})J"},
       {"capabilities/b.json", R"J({"identifier":"a","windows":["*"],"remote":{"urls":["ftp://x/","https://*/"]},
          "permissions":["cycle-a"]})J"},
       {"capabilities/c.json", "{not json"}},
      {{"permissions/p.json", R"J({"permissions":[{"identifier":"p","commands":{"allow":["nope"]}}],
          "sets":[{"identifier":"cycle-a","permissions":["cycle-b"]},{"identifier":"cycle-b","permissions":["cycle-a"]}]})J"}});
  EXPECT_TRUE(has_problem(ps, "capabilities/a.json", "windows[1]", "not a valid label glob")) << dump(ps);
  EXPECT_TRUE(has_problem(ps, "capabilities/a.json", "permissions[0]",
                          "unknown permission `allow-nope` (no command named `nope` is registered)"))
      << dump(ps);
  EXPECT_TRUE(has_problem(ps, "capabilities/a.json", "permissions[2].alow",
                          "unknown key (did you mean \"allow\"?)")) << dump(ps);
  EXPECT_TRUE(has_problem(ps, "capabilities/a.json", "platform", "did you mean \"platforms\"")) << dump(ps);
  EXPECT_TRUE(has_problem(ps, "capabilities/b.json", "identifier", "capability `a` is defined twice")) << dump(ps);
  EXPECT_TRUE(has_problem(ps, "capabilities/b.json", "remote.urls[0]", "scheme `ftp`")) << dump(ps);
  EXPECT_TRUE(has_problem(ps, "capabilities/b.json", "remote.urls[1]", "would allow every site")) << dump(ps);
  EXPECT_TRUE(has_problem(ps, "permissions/p.json", "sets[1].permissions[0]", "cycle")) << dump(ps);
  EXPECT_TRUE(has_problem(ps, "permissions/p.json", "permissions[0].commands.allow[0]",
                          "no command named `nope`")) << dump(ps);
  bool json_problem = false;
  for (const auto& p : ps) json_problem |= p.file == "capabilities/c.json" && p.message.find("not valid JSON") != std::string::npos;
  EXPECT_TRUE(json_problem) << dump(ps);
}

TEST(Policy, MissingAndConflictingDefinitions) {
  auto ps = problems({{"a.json", R"J({"windows":["main"]})J"}},
                     {{"p.json", R"J({"permissions":[{"identifier":"allow-greet","commands":{"allow":["greet"]}},
                                     {"identifier":"core:mine","commands":{"allow":["greet"]}}]})J"}});
  EXPECT_TRUE(has_problem(ps, "a.json", "identifier", "needs an `identifier`")) << dump(ps);
  EXPECT_TRUE(has_problem(ps, "a.json", "permissions", "needs a `permissions` array")) << dump(ps);
  EXPECT_TRUE(has_problem(ps, "p.json", "permissions[0].identifier", "defined twice")) << dump(ps);
  EXPECT_TRUE(has_problem(ps, "p.json", "permissions[1].identifier", "built in")) << dump(ps);
}

// ---------------------------------------------------------------------------------------------
// the router enforcing a policy

class recording_session final : public myapp::session {
 public:
  recording_session(std::string label, std::string url, bool local) {
    info_.label = std::move(label);
    info_.url = std::move(url);
    info_.local = local;
  }
  const myapp::caller_info& caller() const noexcept override { return info_; }
  void send(std::string m) override { messages.push_back(std::move(m)); }
  std::vector<std::string> take() { return std::exchange(messages, {}); }
  std::vector<std::string> messages;

 private:
  myapp::caller_info info_;
};

struct path_rule {
  std::string path;
};
MYAPP_STRUCT(path_rule, path)

class Enforced : public ::testing::Test {
 protected:
  Enforced() : r_(myapp::router_options{.run_inline = true}) {
    r_.add("greet", [] { return 1; });
    r_.add("delete_all", [] { return 2; });
    r_.add("read_file", [](myapp::scope<path_rule> scope, std::string path) {
      return scope.permits([&](const path_rule& rule) { return myapp::acl::glob_match(rule.path, path); });
    }, {"path"});
    r_.add("save", [] { return 3; });
    auto loaded = policy::load(
        {{"capabilities/main.json", R"J({"identifier":"main","windows":["main"],"permissions":[
            "allow-greet",{"identifier":"allow-read_file","allow":[{"path":"/home/*"}],"deny":[{"path":"/home/secret*"}]}]})J"}},
        {}, r_.command_names());
    EXPECT_TRUE(loaded.ok()) << dump(loaded.problems);
    r_.set_policy(std::make_shared<policy>(std::move(*loaded.value)));
  }
  std::shared_ptr<recording_session> page(std::string label, bool local = true) {
    auto p = std::make_shared<recording_session>(std::move(label), local ? LOCAL : "https://evil.example/", local);
    r_.receive(R"J([{"k":"hello","v":1}])J", p);
    p->take();
    return p;
  }
  std::string call(const std::shared_ptr<recording_session>& p, std::string_view cmd, std::string_view args = "{}") {
    r_.receive(std::string(R"J([{"k":"invoke","id":1,"cmd":")J") + std::string(cmd) + R"J(","args":)J" +
                   std::string(args) + "}]",
               p);
    auto m = p->take();
    EXPECT_EQ(m.size(), 1U);
    return m.empty() ? "" : m[0];
  }
  myapp::router r_;
};

TEST_F(Enforced, AllowedDeniedAndUnknown) {
  auto p = page("main");
  EXPECT_EQ(call(p, "greet"), R"J({"k":"result","id":1,"ok":1})J");
  EXPECT_EQ(call(p, "delete_all"),
            R"J({"k":"error","id":1,"error":{"code":"acl.denied","message":"`delete_all` is not allowed for window `main` at myapp://localhost: no capability that matches it grants it; add `allow-delete_all` (or a permission that includes it) to the `permissions` of `main` (capabilities/main.json)"}})J");
  // An unknown command: suggestions come only from what the page may call.
  auto m = call(p, "delete_al");
  EXPECT_NE(m.find("command.not_found"), std::string::npos) << m;
  EXPECT_EQ(m.find("delete_all"), std::string::npos) << m;
}

TEST_F(Enforced, AWindowWithNoCapabilityHasNoIpc) {
  auto p = page("other");
  auto m = call(p, "greet");
  EXPECT_NE(m.find(R"J("code":"acl.denied")J"), std::string::npos) << m;
  EXPECT_NE(m.find("matches no capability"), std::string::npos) << m;
  m = call(p, "not_a_command");
  EXPECT_NE(m.find(R"J("code":"acl.denied")J"), std::string::npos) << "no IPC: not even not_found";
  r_.receive(R"J([{"k":"listen","event":"x"}])J", p);
  auto f = p->take();
  ASSERT_EQ(f.size(), 1U);
  EXPECT_NE(f[0].find(R"J({"k":"fault","error":{"code":"acl.denied")J"), std::string::npos) << f[0];
  EXPECT_EQ(p->tables().listened_events, 0U);
}

TEST_F(Enforced, TheWelcomeNamesTheEventOperationsThePageMayNotUse) {
  // main's capability grants no core:event permission: all three are refused, with reasons.
  auto p = std::make_shared<recording_session>("main", LOCAL, true);
  r_.receive(R"J([{"k":"hello","v":1}])J", p);
  auto w = p->take();
  ASSERT_EQ(w.size(), 1U);
  EXPECT_NE(w[0].find(R"J(,"denied":{"listen":"`core:event|listen` is not allowed for window `main`)J"),
            std::string::npos) << w[0];
  EXPECT_NE(w[0].find(R"J(core:event:allow-listen)J"), std::string::npos) << w[0];
  EXPECT_NE(w[0].find(R"J(,"emit":")J"), std::string::npos) << w[0];
  EXPECT_NE(w[0].find(R"J(,"emitTo":")J"), std::string::npos) << w[0];

  // A page that may use them all is told nothing.
  myapp::router r(myapp::router_options{.run_inline = true});
  auto loaded = policy::load(
      {{"capabilities/main.json", R"J({"identifier":"main","windows":["main"],"permissions":["core:default"]})J"}},
      {}, r.command_names());
  ASSERT_TRUE(loaded.ok()) << dump(loaded.problems);
  r.set_policy(std::make_shared<policy>(std::move(*loaded.value)));
  auto q = std::make_shared<recording_session>("main", LOCAL, true);
  r.receive(R"J([{"k":"hello","v":1}])J", q);
  auto v = q->take();
  ASSERT_EQ(v.size(), 1U);
  EXPECT_EQ(v[0].find("denied"), std::string::npos) << v[0];
}

TEST_F(Enforced, RemotePagesNeedARemoteCapability) {
  auto p = page("main", /*local=*/false);
  auto m = call(p, "greet");
  EXPECT_NE(m.find(R"J("code":"acl.denied")J"), std::string::npos) << m;
  EXPECT_NE(m.find("https://evil.example"), std::string::npos) << m;
}

TEST_F(Enforced, ScopeReachesTheHandlerWithDenyOverAllow) {
  auto p = page("main");
  EXPECT_EQ(call(p, "read_file", R"J({"path":"/home/ada/notes.txt"})J"), R"J({"k":"result","id":1,"ok":true})J");
  EXPECT_EQ(call(p, "read_file", R"J({"path":"/home/secret.txt"})J"), R"J({"k":"result","id":1,"ok":false})J");
  EXPECT_EQ(call(p, "read_file", R"J({"path":"/etc/passwd"})J"), R"J({"k":"result","id":1,"ok":false})J");
}

TEST_F(Enforced, EventsAreCheckedToo) {
  auto p = page("main");  // main's capability grants no core:event permission
  r_.receive(R"J([{"k":"emit","event":"x"}])J", p);
  auto m = p->take();
  ASSERT_EQ(m.size(), 1U);
  EXPECT_NE(m[0].find("core:event:allow-emit"), std::string::npos) << m[0];
}

}  // namespace

namespace {

TEST(PolicyCheck, ToolsCheckTheFilesWithoutTheCommandList) {
  // myapp check does not run the app: allow-<cmd> and command names are taken as written.
  auto ok = myapp::acl::policy::check(
      {{"capabilities/a.json", R"J({"identifier":"a","windows":["main"],"permissions":["allow-anything","p"]})J"}},
      {{"permissions/p.json", R"J({"permissions":[{"identifier":"p","commands":{"allow":["whatever"]}}]})J"}});
  EXPECT_TRUE(ok.ok());
  auto bad = myapp::acl::policy::check(
      {{"capabilities/a.json", R"J({"identifier":"a","windows":["main"],"permissions":["nope"]})J"}}, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.problems[0].path, "permissions[0]");
  EXPECT_EQ(bad.problems[0].message, "unknown permission `nope`");
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// plugin permissions

namespace {

using myapp::acl::plugin_permissions;

const std::vector<std::string> WITH_PLUGINS = {"greet",
                                               "plugin:window|set_title",
                                               "plugin:window|title",
                                               "plugin:counter|increment",
                                               "plugin:counter|reset"};

std::vector<plugin_permissions> test_plugins() {
  plugin_permissions window{"window", true, {"set_title", "title"},
                            {{"", R"J({"sets":[{"identifier":"default","permissions":["allow-title"]}]})J"}}};
  plugin_permissions counter{
      "counter", false, {"increment", "reset"},
      {{"", R"J({"permissions":[{"identifier":"small","commands":{"allow":["increment"]},
                                  "scope":{"allow":[{"max":10}]}}],
                "sets":[{"identifier":"default","permissions":["small","allow-reset"]}]})J"}}};
  return {window, counter};
}

myapp::acl::policy::loaded load_plugins(std::string capability_permissions) {
  return policy::load({{"capabilities/main.json",
                        R"J({"identifier":"main","windows":["main"],"permissions":)J" +
                            capability_permissions + "}"}},
                      {}, WITH_PLUGINS, test_plugins());
}

TEST(PluginPermissions, GeneratedAndDefinedIdentifiersResolve) {
  auto l = load_plugins(R"J(["core:window:allow-set-title","counter:default"])J");
  ASSERT_TRUE(l.ok()) << dump(l.problems);
  auto g = l.value->resolve(context{"main", LOCAL, true});
  EXPECT_TRUE(g->allows("plugin:window|set_title"));
  EXPECT_FALSE(g->allows("plugin:window|title"));  // core:default was not granted
  EXPECT_TRUE(g->allows("plugin:counter|increment"));
  EXPECT_TRUE(g->allows("plugin:counter|reset"));
  ASSERT_EQ(g->scope("plugin:counter|increment").allow.size(), 1U);
  EXPECT_EQ(g->scope("plugin:counter|increment").allow[0], R"J({"max":10})J");
  // A plugin command has no app-style allow-<cmd>.
  auto raw = load_plugins(R"J(["allow-plugin:counter|reset"])J");
  EXPECT_FALSE(raw.ok());
}

TEST(PluginPermissions, CoreDefaultIncludesCorePluginDefaults) {
  auto l = load_plugins(R"J(["core:default"])J");
  ASSERT_TRUE(l.ok()) << dump(l.problems);
  auto g = l.value->resolve(context{"main", LOCAL, true});
  EXPECT_TRUE(g->allows("plugin:window|title"));
  EXPECT_FALSE(g->allows("plugin:window|set_title"));
  EXPECT_FALSE(g->allows("plugin:counter|increment"));  // not a core plugin
  EXPECT_TRUE(g->allows(myapp::acl::EVENT_LISTEN));
}

TEST(PluginPermissions, DenyWinsAndDenialsNameThePluginPermission) {
  auto l = load_plugins(R"J(["counter:default","counter:deny-reset"])J");
  ASSERT_TRUE(l.ok()) << dump(l.problems);
  auto g = l.value->resolve(context{"main", LOCAL, true});
  EXPECT_TRUE(g->allows("plugin:counter|increment"));
  EXPECT_FALSE(g->allows("plugin:counter|reset"));
  EXPECT_NE(g->denial("plugin:counter|reset").find("denied for window `main` at myapp://localhost "
                                                   "by `counter:deny-reset`"),
            std::string::npos)
      << g->denial("plugin:counter|reset");
  EXPECT_EQ(g->denial("plugin:window|set_title"),
            "`plugin:window|set_title` is not allowed for window `main` at myapp://localhost: no "
            "capability that matches it grants it; add `core:window:allow-set-title` (or a "
            "permission that includes it) to the `permissions` of `main` (capabilities/main.json)");
}

TEST(PluginPermissions, DecideNamesTheCapabilityAndPermission) {
  auto l = policy::load({{"capabilities/main.json",
                          R"J({"identifier":"main","windows":["main"],"permissions":["core:default","counter:default"]})J"},
                         {"capabilities/strict.json",
                          R"J({"identifier":"strict","windows":["*"],"permissions":["counter:deny-reset","allow-greet"]})J"}},
                        {}, WITH_PLUGINS, test_plugins());
  ASSERT_TRUE(l.ok()) << dump(l.problems);
  auto g = l.value->resolve(context{"main", LOCAL, true});
  // Granted through a set: the capability names the set, the first that grants it wins.
  auto d = g->decide("plugin:counter|increment");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.capability, "main");
  EXPECT_EQ(d.file, "capabilities/main.json");
  EXPECT_EQ(d.permission, "counter:default");
  d = g->decide("greet");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.capability, "strict");
  EXPECT_EQ(d.permission, "allow-greet");
  // Denied explicitly: by whom.
  d = g->decide("plugin:counter|reset");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.capability, "strict");
  EXPECT_EQ(d.file, "capabilities/strict.json");
  EXPECT_EQ(d.permission, "counter:deny-reset");
  // Granted by nothing: no capability, and the permission that would grant it.
  d = g->decide("plugin:window|set_title");
  EXPECT_FALSE(d.allowed);
  EXPECT_TRUE(d.capability.empty());
  EXPECT_EQ(d.permission, "core:window:allow-set-title");
}

TEST(PluginPermissions, InternalPluginsAreGrantedToTheirOwnWindowOnly) {
  auto plugins = test_plugins();
  plugins.push_back(plugin_permissions{"inspector", true, {"watch", "clear"}, {}, true});
  auto commands = WITH_PLUGINS;
  commands.insert(commands.end(), {"plugin:inspector|watch", "plugin:inspector|clear"});
  // An app capability for every window, with everything it can name.
  auto l = policy::load({{"capabilities/all.json",
                          R"J({"identifier":"all","windows":["*"],"permissions":["core:default","allow-greet"]})J"}},
                        {}, commands, plugins);
  ASSERT_TRUE(l.ok()) << dump(l.problems);
  auto app_page = l.value->resolve(context{"main", LOCAL, true});
  EXPECT_FALSE(app_page->allows("plugin:inspector|watch")) << "core:default leaves internal plugins out";
  EXPECT_NE(app_page->denial("plugin:inspector|watch").find("is myapp's own: only its own window may call it"),
            std::string::npos)
      << app_page->denial("plugin:inspector|watch");
  EXPECT_EQ(l.value->capability_count(), 1U);
  auto own = l.value->resolve(context{"__myapp_inspector", "myapp://localhost/__myapp/inspector/", true});
  EXPECT_TRUE(own->allows("plugin:inspector|watch"));
  EXPECT_TRUE(own->allows("plugin:inspector|clear"));
  EXPECT_FALSE(own->allows("greet")) << "the `*` of an app capability does not reach myapp's own window";
  EXPECT_FALSE(own->allows(myapp::acl::EVENT_LISTEN));
  const auto d = own->decide("plugin:inspector|watch");
  EXPECT_EQ(d.capability, "__myapp-inspector");
  EXPECT_EQ(d.file, "(built in)");
  EXPECT_EQ(d.permission, "core:inspector:allow-watch");
  // Remote pages never get it, even under the label.
  EXPECT_FALSE(l.value->resolve(context{"__myapp_inspector", "https://evil.example/", false})
                   ->allows("plugin:inspector|watch"));
  // No capability file can name an internal plugin's permissions.
  auto named = policy::load({{"capabilities/all.json",
                              R"J({"identifier":"all","windows":["*"],"permissions":["core:inspector:allow-watch"]})J"}},
                            {}, commands, plugins);
  ASSERT_FALSE(named.ok());
  EXPECT_TRUE(has_problem(named.problems, "capabilities/all.json", "permissions[0]",
                          "unknown permission `core:inspector:allow-watch`"))
      << dump(named.problems);
}

TEST(PluginPermissions, UnknownIdentifiersSayWhatIsWrongAndSuggest) {
  auto ps = load_plugins(R"J(["core:window:allow-set-titel","counter:allow-decrement",
                              "clipboard:allow-read","counter:defualt"])J")
                .problems;
  EXPECT_TRUE(has_problem(ps, "capabilities/main.json", "permissions[0]",
                          "unknown permission `core:window:allow-set-titel` (the plugin has no "
                          "command `set-titel`); did you mean `core:window:allow-set-title`?"))
      << dump(ps);
  EXPECT_TRUE(has_problem(ps, "capabilities/main.json", "permissions[1]",
                          "(the plugin has no command `decrement`)"))
      << dump(ps);
  EXPECT_TRUE(has_problem(ps, "capabilities/main.json", "permissions[2]",
                          "(no plugin `clipboard` is registered)"))
      << dump(ps);
  EXPECT_TRUE(has_problem(ps, "capabilities/main.json", "permissions[3]",
                          "did you mean `counter:default`?"))
      << dump(ps);
}

TEST(PluginPermissions, ProblemsInAPluginsFilesNameThePlugin) {
  plugin_permissions bad{"counter", false, {"increment"},
                         {{"", R"J({"permissions":[{"identifier":"counter:x","commands":{"allow":["increment"]}},
                                                   {"identifier":"y","commands":{"allow":["plugin:counter|increment","nope"]}}],
                                   "sets":[{"identifier":"default","permissions":["missing"]}]})J"}}};
  auto l = policy::load({{"capabilities/main.json",
                          R"J({"identifier":"main","windows":["main"],"permissions":["counter:default"]})J"}},
                        {}, {"plugin:counter|increment"}, {bad});
  ASSERT_FALSE(l.ok());
  const auto& ps = l.problems;
  EXPECT_TRUE(has_problem(ps, "plugin counter", "permissions[0].identifier",
                          "the prefix `counter:` is added for you"))
      << dump(ps);
  EXPECT_TRUE(has_problem(ps, "plugin counter", "permissions[1].commands.allow[0]",
                          "plugin `counter` has no command named `plugin:counter|increment`"))
      << dump(ps);
  EXPECT_TRUE(has_problem(ps, "plugin counter", "permissions[1].commands.allow[1]",
                          "has no command named `nope`"))
      << dump(ps);
  EXPECT_TRUE(has_problem(ps, "plugin counter", "sets[0].permissions[0]",
                          "unknown permission `counter:missing`"))
      << dump(ps);
}

TEST(PluginPermissions, TheRouterEnforcesThem) {
  myapp::router r(myapp::router_options{.run_inline = true});
  r.add("plugin:counter|increment", [] { return 1; });
  r.add("plugin:counter|reset", [] { return 0; });
  auto l = policy::load({{"capabilities/main.json",
                          R"J({"identifier":"main","windows":["main"],"permissions":["counter:allow-increment"]})J"}},
                        {}, r.command_names(),
                        {plugin_permissions{"counter", false, {"increment", "reset"}, {}}});
  ASSERT_TRUE(l.ok()) << dump(l.problems);
  r.set_policy(std::make_shared<policy>(std::move(*l.value)));
  auto p = std::make_shared<recording_session>("main", LOCAL, true);
  r.receive(R"J([{"k":"hello","v":1}])J", p);
  p->take();
  r.receive(R"J([{"k":"invoke","id":1,"cmd":"plugin:counter|increment","args":{}},
                 {"k":"invoke","id":2,"cmd":"plugin:counter|reset","args":{}}])J", p);
  std::string all;
  for (const auto& m : p->take()) all += m;
  EXPECT_NE(all.find(R"J({"k":"result","id":1,"ok":1})J"), std::string::npos) << all;
  EXPECT_NE(all.find(R"J("id":2,"error":{"code":"acl.denied")J"), std::string::npos) << all;
  EXPECT_NE(all.find("add `counter:allow-reset`"), std::string::npos) << all;
}

TEST(PluginPermissions, ToolsAcceptUnknownPluginNamespacesButCheckKnownOnes) {
  auto ok = policy::check({{"capabilities/a.json",
                            R"J({"identifier":"a","windows":["main"],"permissions":["dialog:allow-open","core:window:default"]})J"}},
                          {});
  EXPECT_TRUE(ok.ok()) << dump(ok.problems);
  auto bad = policy::check({{"capabilities/a.json",
                             R"J({"identifier":"a","windows":["main"],"permissions":["core:window:defualt"]})J"}},
                           {}, {test_plugins()[0]});
  EXPECT_FALSE(bad.ok());
}

}  // namespace

// myapp.conf.json's app.security.capabilities: which capability files are in force.
TEST(SelectCapabilities, EmptyListKeepsEveryFileANamedListKeepsThoseFiles) {
  const std::vector<source> files = {
      {"capabilities/main.json", R"({"identifier": "main", "windows": ["main"], "permissions": []})"},
      {"capabilities/admin.json", R"({"identifier": "admin", "windows": ["*"], "permissions": []})"},
      {"capabilities/broken.json", R"({"identifier": )"},
  };
  std::vector<myapp::acl::problem> ps;
  EXPECT_EQ(myapp::acl::select_capabilities(files, {}, ps).size(), 3U);
  const auto kept = myapp::acl::select_capabilities(files, {"main"}, ps);
  ASSERT_EQ(kept.size(), 2U);  // main, and the unreadable file, so that loading reports it
  EXPECT_EQ(kept[0].path, "capabilities/main.json");
  EXPECT_EQ(kept[1].path, "capabilities/broken.json");
  EXPECT_TRUE(ps.empty());
  // The admin capability is out of force: a page in a window it matched gets nothing from it.
  auto p = load_ok({kept[0]});
  EXPECT_EQ(p.capability_count(), 1U);
}

TEST(SelectCapabilities, ANameNoFileHasIsAProblemWithASuggestion) {
  const std::vector<source> files = {
      {"capabilities/main.json", R"({"identifier": "main", "windows": ["main"], "permissions": []})"},
      {"capabilities/admin.json", R"({"identifier": "admin", "windows": ["*"], "permissions": []})"},
  };
  std::vector<myapp::acl::problem> ps;
  const auto kept = myapp::acl::select_capabilities(files, {"admin", "mian", "settings"}, ps);
  EXPECT_EQ(kept.size(), 1U);
  ASSERT_EQ(ps.size(), 2U);
  EXPECT_EQ(ps[0].file, "myapp.conf.json");
  EXPECT_EQ(ps[0].path, "app.security.capabilities[1]");
  EXPECT_EQ(ps[0].message, "no capability file has the identifier `mian`; did you mean `main`?");
  EXPECT_EQ(ps[1].path, "app.security.capabilities[2]");
  EXPECT_EQ(ps[1].message,
            "no capability file has the identifier `settings`; the app has `main`, `admin`");
}

// What an app registered, as `myapp check` reads it from the built app.
TEST(Registry, RoundTripsAndRefusesWhatItIsNot) {
  myapp::acl::app_registry r;
  r.commands = {"greet", "plugin:kv|get"};
  r.plugins.push_back({"kv", false, {"get"}, {{"plugin kv", R"({"sets": []})"}}});
  r.plugins.push_back({"window", true, {"close", "set_title"}, {}});
  std::string why;
  auto back = myapp::acl::read_registry(myapp::acl::describe_registry(r), why);
  ASSERT_TRUE(back.has_value()) << why;
  EXPECT_EQ(back->commands, r.commands);
  ASSERT_EQ(back->plugins.size(), 2U);
  EXPECT_EQ(back->plugins[0].name, "kv");
  EXPECT_FALSE(back->plugins[0].core);
  EXPECT_EQ(back->plugins[0].commands, std::vector<std::string>{"get"});
  ASSERT_EQ(back->plugins[0].files.size(), 1U);
  EXPECT_EQ(back->plugins[0].files[0].text, R"({"sets": []})");
  EXPECT_TRUE(back->plugins[1].core);
  EXPECT_EQ(back->plugins[1].prefix(), "core:window");

  EXPECT_FALSE(myapp::acl::read_registry(R"({"commands": "greet"})", why).has_value());
  EXPECT_FALSE(why.empty());
  EXPECT_FALSE(myapp::acl::read_registry("not json", why).has_value());
}

namespace {

// Pages fetched over plain http from another machine get IPC only when a capability says so.
TEST(Policy, UnencryptedRemotePagesNeedAllowInsecure) {
  auto ps = problems({{"capabilities/r.json", R"J({"identifier":"r","windows":["main"],
      "remote":{"urls":["http://example.com/*","https://example.com/*","http://localhost:5173/*",
                        "http://127.0.0.1:*/*","http://*.example.com/*"]},"permissions":["allow-greet"]})J"}});
  EXPECT_TRUE(has_problem(ps, "capabilities/r.json", "remote.urls[0]", "`http://example.com/*` is not encrypted"))
      << dump(ps);
  EXPECT_TRUE(has_problem(ps, "capabilities/r.json", "remote.urls[4]", "is not encrypted")) << dump(ps);
  EXPECT_EQ(ps.size(), 2U) << dump(ps);  // https and loopback are fine

  auto l = policy::load({{"capabilities/r.json", R"J({"identifier":"r","windows":["main"],
      "remote":{"urls":["http://example.com/*"],"allowInsecure":true},"permissions":["allow-greet"]})J"}},
                        {}, COMMANDS);
  ASSERT_TRUE(l.ok()) << dump(l.problems);
  EXPECT_EQ(l.value->insecure_remote_urls(),
            (std::vector<std::string>{"capabilities/r.json: http://example.com/*"}));
  EXPECT_TRUE(l.value->names_remote_url("http://example.com/app"));
}

}  // namespace

// What `myapp permission ls` shows: every identifier a capability may name, with what it does.
TEST(PermissionListing, NamesEveryIdentifierWithItsDescription) {
  myapp::acl::plugin_permissions kv{"kv", false, {"get", "set_value"}, {{"", R"({
    "permissions": [{"identifier": "read", "description": "Reads entries", "commands": {"allow": ["get"]}}],
    "sets": [{"identifier": "default", "description": "What most pages need", "permissions": ["read"]}]})"}}};
  const std::vector<source> perms = {{"permissions/app.json", R"({"permissions": [
    {"identifier": "save-all", "description": "Saves every file", "commands": {"allow": ["save"], "deny": ["quit"]}},
    {"identifier": "quiet", "commands": {"deny": ["quit"]}}]})"}};
  // The listing is there even when a capability has problems.
  const std::vector<source> caps = {{"capabilities/x.json", R"({"identifier": "x", "windows": ["main"], "permissions": ["nope"]})"}};
  const auto loaded = myapp::acl::policy::load(caps, perms, {"save", "quit", "plugin:kv|get", "plugin:kv|set_value"}, {kv});
  EXPECT_FALSE(loaded.ok());
  std::map<std::string, myapp::acl::permission_info> by_id;
  for (const auto& p : loaded.permissions) by_id[p.identifier] = p;
  ASSERT_TRUE(by_id.contains("save-all"));
  EXPECT_EQ(by_id["save-all"].description, "Saves every file");
  EXPECT_EQ(by_id["save-all"].file, "permissions/app.json");
  EXPECT_EQ(by_id["save-all"].allow, std::vector<std::string>{"save"});
  EXPECT_EQ(by_id["save-all"].deny, std::vector<std::string>{"quit"});
  EXPECT_EQ(by_id["quiet"].description, "");
  EXPECT_EQ(by_id["allow-save"].description, "Allows the `save` command");
  EXPECT_EQ(by_id["deny-quit"].description, "Denies the `quit` command");
  EXPECT_EQ(by_id["kv:read"].description, "Reads entries");
  EXPECT_EQ(by_id["kv:read"].allow, std::vector<std::string>{"plugin:kv|get"});
  EXPECT_TRUE(by_id["kv:default"].is_set);
  EXPECT_EQ(by_id["kv:default"].members, std::vector<std::string>{"kv:read"});
  EXPECT_EQ(by_id["kv:allow-set-value"].description, "Allows the `plugin:kv|set_value` command");
  EXPECT_TRUE(by_id["core:default"].is_set);
  EXPECT_FALSE(by_id["core:event:default"].description.empty());
  EXPECT_TRUE(std::is_sorted(loaded.permissions.begin(), loaded.permissions.end(),
                             [](const auto& a, const auto& b) { return a.identifier < b.identifier; }));
}
