// The Qt-free rules of the desktop plugins: opener URL and path scopes (deny over allow,
// canonical paths), dialog filters, and menu descriptions.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "myapp/desktop.hpp"

namespace {

namespace fs = std::filesystem;
using myapp::desktop::opener_scope_entry;

myapp::scope<opener_scope_entry> make_scope(std::vector<std::string> allow,
                                            std::vector<std::string> deny = {}) {
  myapp::acl::scope_entries e;
  e.allow = std::move(allow);
  e.deny = std::move(deny);
  return myapp::scope<opener_scope_entry>(e);
}

TEST(UrlPattern, MatchesSchemeHostPortAndPath) {
  using myapp::desktop::url_matches;
  EXPECT_TRUE(url_matches("https://example.com/*", "https://example.com/a/b?q=1#f"));
  EXPECT_TRUE(url_matches("https://example.com", "https://example.com/"));
  EXPECT_FALSE(url_matches("https://example.com", "https://example.com/a"));
  EXPECT_FALSE(url_matches("https://example.com/*", "http://example.com/a"));
  EXPECT_FALSE(url_matches("https://example.com/*", "https://example.com.evil.net/a"));
  EXPECT_FALSE(url_matches("https://example.com/*", "https://example.com:8443/a"));
  EXPECT_TRUE(url_matches("https://example.com:*/*", "https://example.com:8443/a"));
  EXPECT_TRUE(url_matches("HTTPS://Example.COM/*", "https://example.com/x"));
  // Subdomains, never the look-alike.
  EXPECT_TRUE(url_matches("https://*.example.com/*", "https://a.b.example.com/x"));
  EXPECT_FALSE(url_matches("https://*.example.com/*", "https://example.com/x"));
  EXPECT_FALSE(url_matches("https://*.example.com/*", "https://evilexample.com/x"));
  EXPECT_TRUE(url_matches("https://*/*", "https://anything.org/x"));
  // Hostless URLs.
  EXPECT_TRUE(url_matches("mailto:*", "mailto:ada@example.com"));
  EXPECT_TRUE(url_matches("mailto:*@example.com", "mailto:ada@example.com?subject=hi"));
  EXPECT_FALSE(url_matches("mailto:*@example.com", "mailto:ada@evil.net"));
  EXPECT_FALSE(url_matches("mailto:*", "https://example.com/"));
  // User info is how a URL hides its real host: never matched.
  EXPECT_FALSE(url_matches("https://*/*", "https://example.com@evil.net/"));
  EXPECT_FALSE(url_matches("https://example.com/*", "https://example.com@evil.net/"));
  // Malformed patterns match nothing.
  EXPECT_FALSE(url_matches("https://ex*ample.com/*", "https://example.com/"));
  EXPECT_FALSE(url_matches("not a url", "not a url"));
}

TEST(UrlPattern, MalformedPatternsSayWhy) {
  using myapp::desktop::check_url_pattern;
  EXPECT_EQ(check_url_pattern("https://*.example.com/*"), std::nullopt);
  EXPECT_EQ(check_url_pattern("mailto:*"), std::nullopt);
  EXPECT_EQ(check_url_pattern("https://[::1]:8080/*"), std::nullopt);
  EXPECT_EQ(check_url_pattern("example.com"),
            "expected a URL pattern such as \"https://*.example.com/*\" or \"mailto:*\"");
  EXPECT_EQ(check_url_pattern("https://a*.example.com/"),
            "host `a*.example.com`: `*` may only be the whole host or stand for leading labels "
            "(`*.example.com`)");
  EXPECT_EQ(check_url_pattern("https://exa mple.com/"),
            "host `exa mple.com` has a character that cannot appear in a host name");
  EXPECT_EQ(check_url_pattern("https://example.com:http/"),
            "port `http` is neither a number nor `*`");
  EXPECT_EQ(check_url_pattern("https://u@example.com/"),
            "a URL pattern may not contain user info (`user@`)");
}

TEST(UrlScope, DenyWinsAndDenialsNameTheScope) {
  using myapp::desktop::check_url_scope;
  const auto cmd = "plugin:opener|open_url";
  auto s = make_scope({R"({"url":"https://*.example.com/*"})", R"({"path":"/tmp/*"})"},
                      {R"({"url":"https://admin.example.com/*"})"});
  EXPECT_EQ(check_url_scope(s, "https://docs.example.com/a", cmd), std::nullopt);
  auto denied = check_url_scope(s, "https://admin.example.com/x", cmd);
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->code(), "opener.denied");
  EXPECT_EQ(denied->message(),
            "URL `https://admin.example.com/x` is outside the scope of `plugin:opener|open_url`: "
            "it matches the deny entry {\"url\": \"https://admin.example.com/*\"}");
  denied = check_url_scope(s, "https://evil.net/", cmd);
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->message(),
            "URL `https://evil.net/` is outside the scope of `plugin:opener|open_url`: no allow "
            "entry matches it (allowed: `https://*.example.com/*`)");
  // No scope at all: nothing may be opened.
  denied = check_url_scope(make_scope({}), "https://example.com/", cmd);
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->code(), "opener.denied");
  EXPECT_NE(denied->message().find("its scope allows no URL"), std::string::npos);
  // A malformed entry fails closed and is named.
  denied = check_url_scope(make_scope({R"({"url":"https://*.example.com/*"})", R"({"url":"x"})"}),
                           "https://evil.net/", cmd);
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->code(), "opener.scope_invalid");
  EXPECT_NE(denied->message().find("malformed allow entry 1"), std::string::npos);
  denied = check_url_scope(make_scope({R"({"uri":"https://x.org/"})"}), "https://x.org/", cmd);
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->message(),
            "the scope of `plugin:opener|open_url` has a malformed allow entry 0: it has neither "
            "`url` nor `path`");
}

class PathScope : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("myapp-desktop-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "allowed" / "sub");
    fs::create_directories(root_ / "secret");
    std::ofstream(root_ / "allowed" / "sub" / "a.txt") << "a";
    std::ofstream(root_ / "secret" / "key") << "k";
    std::ofstream(root_ / "allowed" / "private.key") << "k";
    fs::create_symlink(root_ / "secret" / "key", root_ / "allowed" / "link");
    fs::create_directory_symlink(root_ / "allowed", root_ / "alias");
    root_ = fs::canonical(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string p(const std::string& rel) const { return (root_ / rel).string(); }
  fs::path root_;
};

TEST_F(PathScope, CanonicalPathResolvesDotDotAndSymlinks) {
  using myapp::desktop::canonical_path;
  EXPECT_EQ(canonical_path(p("allowed/sub/../sub/./a.txt")).value(), p("allowed/sub/a.txt"));
  EXPECT_EQ(canonical_path(p("allowed/link")).value(), p("secret/key"));
  EXPECT_EQ(canonical_path(p("alias/sub/a.txt")).value(), p("allowed/sub/a.txt"));
  auto missing = canonical_path(p("allowed/nothing"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error_value().code(), "opener.not_found");
  auto relative = canonical_path("allowed/a.txt");
  ASSERT_FALSE(relative);
  EXPECT_EQ(relative.error_value().code(), "opener.invalid_path");
  EXPECT_EQ(relative.error_value().message(), "path `allowed/a.txt` is not absolute");
  EXPECT_EQ(canonical_path("").error_value().code(), "opener.invalid_path");
  EXPECT_EQ(canonical_path(std::string("/tmp/a\0b", 8)).error_value().code(),
            "opener.invalid_path");
}

TEST_F(PathScope, DenyOverAllowOnCanonicalPaths) {
  using myapp::desktop::canonical_path;
  using myapp::desktop::check_path_scope;
  const auto cmd = "plugin:opener|open_path";
  // The glob's own folders are canonicalised too: a glob written through the symlink `alias`
  // covers the real folder.
  auto s = make_scope({R"({"path":")" + p("alias") + R"(/*"})"},
                      {R"({"path":")" + p("allowed") + R"(/*.key"})"});
  auto check = [&](const std::string& path) {
    auto c = canonical_path(path);
    EXPECT_TRUE(c.has_value()) << path;
    return check_path_scope(s, c.value(), cmd);
  };
  EXPECT_EQ(check(p("allowed/sub/a.txt")), std::nullopt);
  // `..` out of the allowed folder: resolved first, then refused.
  auto denied = check(p("allowed/../secret/key"));
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->code(), "opener.denied");
  EXPECT_EQ(denied->message(), "path `" + p("secret/key") +
                                   "` is outside the scope of `plugin:opener|open_path`: no allow "
                                   "entry matches it (allowed: `" + p("alias") + "/*`)");
  // A symlink inside the allowed folder that points out of it.
  denied = check(p("allowed/link"));
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->code(), "opener.denied");
  // Deny wins over allow.
  denied = check(p("allowed/private.key"));
  ASSERT_TRUE(denied);
  EXPECT_NE(denied->message().find("it matches the deny entry"), std::string::npos);
  // URL entries do not grant paths.
  denied = check_path_scope(make_scope({R"({"url":"https://*/*"})"}), p("allowed/sub/a.txt"), cmd);
  ASSERT_TRUE(denied);
  EXPECT_NE(denied->message().find("its scope allows no path"), std::string::npos);
}

TEST_F(PathScope, GlobVariablesAndMistakes) {
  using myapp::desktop::check_path_pattern;
  using myapp::desktop::path_matches;
  const char* old_home = std::getenv("HOME");
  const std::string saved = old_home != nullptr ? old_home : "";
  ::setenv("HOME", root_.c_str(), 1);
  EXPECT_TRUE(path_matches("$HOME/allowed/*", p("allowed/sub/a.txt")));
  EXPECT_FALSE(path_matches("$HOME/allowed/*", p("secret/key")));
  EXPECT_TRUE(path_matches("$HOME/secret/key", p("secret/key")));
  if (old_home != nullptr) ::setenv("HOME", saved.c_str(), 1);
  EXPECT_EQ(check_path_pattern("$NOPE/*"), "unknown variable `$NOPE` (use $HOME or $TEMP)");
  EXPECT_EQ(check_path_pattern("docs/*"),
            "path glob `docs/*` is not absolute (start it with /, $HOME or $TEMP)");
  EXPECT_EQ(check_path_pattern("/data/*/../x"),
            "path glob `/data/*/../x`: `.` and `..` may not follow a wildcard");
  EXPECT_EQ(check_path_pattern("/*"), std::nullopt);
  EXPECT_TRUE(path_matches("/*", "/etc/passwd"));
}

TEST(DialogFilters, BuildQtNameFiltersAndRefuseBadOnes) {
  using myapp::desktop::file_filter;
  using myapp::desktop::name_filters;
  EXPECT_EQ(name_filters({}).value(), "");
  EXPECT_EQ(name_filters({file_filter{"Images", {"png", "jpg"}}, file_filter{"All", {"*"}}}).value(),
            "Images (*.png *.jpg);;All (*)");
  EXPECT_EQ(name_filters({file_filter{"Archives", {"tar.gz"}}}).value(), "Archives (*.tar.gz)");
  auto bad = name_filters({file_filter{"Images", {"png"}}, file_filter{"Scripts", {"*.sh"}}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error_value().code(), "dialog.invalid_filter");
  EXPECT_EQ(bad.error_value().message(),
            "filters[1].extensions[0]: `*.sh` is not an extension (1 to 32 characters from A-Z "
            "a-z 0-9 _ + - ., no leading dot, or *)");
  EXPECT_EQ(name_filters({file_filter{"x (y)", {"a"}}}).error_value().message(),
            "filters[0]: `name` `x (y)` may not contain ( ) ; or line breaks");
  EXPECT_EQ(name_filters({file_filter{"Empty", {}}}).error_value().message(),
            "filters[0]: `extensions` must list 1 to 64 extensions");
}

TEST(DialogKinds, InfoWarningError) {
  using myapp::desktop::message_kind;
  EXPECT_EQ(message_kind(std::nullopt).value(), "info");
  EXPECT_EQ(message_kind("warning").value(), "warning");
  EXPECT_EQ(message_kind("fatal").error_value().message(),
            "`kind` is `fatal`; use \"info\", \"warning\" or \"error\"");
}

std::optional<std::string> menu_problem(std::string_view json) {
  auto items = myapp::json::parse<std::vector<myapp::desktop::menu_item>>(json);
  EXPECT_TRUE(items.has_value()) << json;
  if (!items) return "unparsed";
  auto e = myapp::desktop::check_menu(items.value());
  if (!e) return std::nullopt;
  EXPECT_EQ(e->code(), "menu.invalid");
  return e->message();
}

TEST(Menus, ValidMenusPass) {
  EXPECT_EQ(menu_problem(R"([
    {"text": "File", "items": [
      {"id": "open", "text": "Open…", "shortcut": "Ctrl+O"},
      {"separator": true},
      {"id": "recent", "text": "Recent", "items": [{"id": "r1", "text": "a.txt"}]},
      {"id": "autosave", "text": "Autosave", "checkable": true, "checked": true},
      {"id": "quit", "text": "Quit", "enabled": false}]},
    {"text": "Help", "items": []}])"),
            std::nullopt);
}

TEST(Menus, MistakesNameTheEntry) {
  EXPECT_EQ(menu_problem(R"([{"text": "File", "items": [{"text": "Open"}]}])"),
            "items[0].items[0]: an action needs an `id`: it is what its click event reports");
  EXPECT_EQ(menu_problem(R"([{"id": "a", "text": "A"}, {"text": "M", "items": [{"id": "a", "text": "B"}]}])"),
            "items[1].items[0]: `id` `a` is used twice");
  EXPECT_EQ(menu_problem(R"([{"id": "a"}])"), "items[0]: `text` must have 1 to 256 characters");
  EXPECT_EQ(menu_problem(R"([{"separator": true, "text": "x"}])"),
            "items[0]: a separator has no `id`, `text`, `items`, `checkable`, `checked` or "
            "`shortcut`");
  EXPECT_EQ(menu_problem(R"([{"id": "a b", "text": "A"}])"),
            "items[0]: `id` `a b` must have 1 to 128 characters from A-Z a-z 0-9 - _ . : /");
  EXPECT_EQ(menu_problem(R"([{"id": "a", "text": "A", "checked": true}])"),
            "items[0]: `checked` needs `checkable: true`");
  // Depth and size are bounded.
  std::string deep = R"({"id": "leaf", "text": "x"})";
  for (int i = 0; i < 9; ++i) {
    std::string outer = R"({"text": "m", "items": [)";
    outer.append(deep).append("]}");
    deep = std::move(outer);
  }
  std::string wrapped = "[";
  wrapped.append(deep).append("]");
  auto e = menu_problem(wrapped);
  ASSERT_TRUE(e);
  EXPECT_NE(e->find("menus nest at most 8 levels deep"), std::string::npos);
  std::string many = "[";
  for (int i = 0; i < 1001; ++i) {
    if (i > 0) many.append(",");
    many.append(R"({"id": "i)").append(std::to_string(i)).append(R"(", "text": "x"})");
  }
  many.append("]");
  EXPECT_EQ(menu_problem(many), "items[1000]: a menu has at most 1000 entries");
}

}  // namespace
