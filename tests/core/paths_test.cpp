// The app's folders per the XDG Base Directory specification.
#include <gtest/gtest.h>

#include "myapp/paths.hpp"

namespace {

using myapp::paths::app_dirs_for;
using myapp::paths::environment;

TEST(Paths, DefaultsUnderHome) {
  auto d = app_dirs_for("com.example.notes", environment{.home = "/home/ada"});
  ASSERT_TRUE(d.has_value()) << d.error_value().message();
  EXPECT_EQ(d.value().data, "/home/ada/.local/share/com.example.notes");
  EXPECT_EQ(d.value().config, "/home/ada/.config/com.example.notes");
  EXPECT_EQ(d.value().cache, "/home/ada/.cache/com.example.notes");
  EXPECT_EQ(d.value().state, "/home/ada/.local/state/com.example.notes");
  EXPECT_EQ(d.value().log, "/home/ada/.local/state/com.example.notes/logs");
}

TEST(Paths, XdgVariablesWin) {
  environment env{.home = "/home/ada",
                  .xdg_data_home = "/d",
                  .xdg_config_home = "/c/",
                  .xdg_cache_home = "/k",
                  .xdg_state_home = "/s"};
  auto d = app_dirs_for("com.example.notes", env);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d.value().data, "/d/com.example.notes");
  EXPECT_EQ(d.value().config, "/c/com.example.notes");
  EXPECT_EQ(d.value().cache, "/k/com.example.notes");
  EXPECT_EQ(d.value().state, "/s/com.example.notes");
  EXPECT_EQ(d.value().log, "/s/com.example.notes/logs");
}

TEST(Paths, RelativeXdgPathsAreIgnored) {
  // The specification: a relative path in these variables is invalid and ignored.
  environment env{.home = "/home/ada", .xdg_data_home = "data", .xdg_state_home = "./s"};
  auto d = app_dirs_for("a.b", env);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d.value().data, "/home/ada/.local/share/a.b");
  EXPECT_EQ(d.value().log, "/home/ada/.local/state/a.b/logs");
}

TEST(Paths, NoHomeIsAnErrorUnlessEveryVariableIsSet) {
  auto d = app_dirs_for("a.b", environment{.xdg_data_home = "/d"});
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error_value().code(), "paths.no_home");
  EXPECT_EQ(d.error_value().message(),
            "HOME is not set, so the app's folders cannot be placed; set HOME to an absolute "
            "path, or set XDG_CONFIG_HOME, XDG_CACHE_HOME, XDG_STATE_HOME");
  auto relative = app_dirs_for("a.b", environment{.home = "ada"});
  ASSERT_FALSE(relative.has_value());
  EXPECT_NE(relative.error_value().message().find("not an absolute path (`ada`)"),
            std::string::npos);
  auto all = app_dirs_for("a.b", environment{.xdg_data_home = "/d",
                                             .xdg_config_home = "/c",
                                             .xdg_cache_home = "/k",
                                             .xdg_state_home = "/s"});
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all.value().config, "/c/a.b");
}

TEST(Paths, TheIdentifierMustNameOneFolder) {
  for (const char* bad : {"", ".", "..", "a/b", "../x"}) {
    auto d = app_dirs_for(bad, environment{.home = "/home/ada"});
    ASSERT_FALSE(d.has_value()) << bad;
    EXPECT_EQ(d.error_value().code(), "paths.invalid_identifier") << bad;
  }
  EXPECT_FALSE(myapp::paths::valid_dir_name(std::string(256, 'a')));
  EXPECT_TRUE(myapp::paths::valid_dir_name("myapp-hostile-test"));
}

TEST(Paths, FromProcessReadsTheEnvironment) {
  ::setenv("XDG_CACHE_HOME", "/tmp/paths-test-cache", 1);
  EXPECT_EQ(environment::from_process().xdg_cache_home, "/tmp/paths-test-cache");
  ::unsetenv("XDG_CACHE_HOME");
  EXPECT_EQ(environment::from_process().xdg_cache_home, "");
}

}  // namespace
