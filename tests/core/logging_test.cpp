// MYAPP_LOG: a default level, then area=level pairs; every unusable entry is a problem naming
// its position and what was wrong, and the rest still applies.
#include <gtest/gtest.h>

#include <string>

#include "myapp/logging.hpp"

namespace {

using myapp::logging::area;
using myapp::logging::level;
using myapp::logging::parse_spec;

TEST(LogSpec, EmptyMeansInfoEverywhere) {
  for (const char* text : {"", "  ", ","}) {
    auto s = parse_spec(text);
    EXPECT_TRUE(s.problems.empty()) << text;
    for (auto a : myapp::logging::areas()) EXPECT_EQ(s.levels.of(a), level::info) << text;
  }
}

TEST(LogSpec, ABareLevelIsTheDefault) {
  auto s = parse_spec("debug");
  EXPECT_TRUE(s.problems.empty());
  EXPECT_EQ(s.levels.fallback, level::debug);
  EXPECT_EQ(s.levels.of(area::ipc), level::debug);
  EXPECT_EQ(s.levels.of(area::lane), level::debug);
}

TEST(LogSpec, AreasOverrideTheDefault) {
  auto s = parse_spec("warn, ipc=trace ,acl = debug");
  EXPECT_TRUE(s.problems.empty()) << s.problems.front();
  EXPECT_EQ(s.levels.of(area::ipc), level::trace);
  EXPECT_EQ(s.levels.of(area::acl), level::debug);
  EXPECT_EQ(s.levels.of(area::page), level::warn);
  EXPECT_EQ(s.levels.of(area::app), level::warn);
}

TEST(LogSpec, AnAreaAloneKeepsInfoForTheOthers) {
  auto s = parse_spec("ipc=trace");
  EXPECT_TRUE(s.problems.empty());
  EXPECT_EQ(s.levels.of(area::ipc), level::trace);
  EXPECT_EQ(s.levels.of(area::app), level::info);
}

TEST(LogSpec, NamesAreCaseInsensitiveWithAliases) {
  auto s = parse_spec("WARNING,Page=Err,lane=OFF");
  EXPECT_TRUE(s.problems.empty());
  EXPECT_EQ(s.levels.fallback, level::warn);
  EXPECT_EQ(s.levels.of(area::page), level::error);
  EXPECT_EQ(s.levels.of(area::lane), level::off);
}

TEST(LogSpec, LaterEntriesWinAndTheRepeatIsReported) {
  auto s = parse_spec("ipc=debug,ipc=trace,info,error");
  ASSERT_EQ(s.problems.size(), 2U);
  EXPECT_EQ(s.problems[0], "entry 2 `ipc=trace`: area `ipc` is set twice; `trace` wins");
  EXPECT_EQ(s.problems[1], "entry 4 `error`: the default level is set twice; `error` wins");
  EXPECT_EQ(s.levels.of(area::ipc), level::trace);
  EXPECT_EQ(s.levels.fallback, level::error);
}

TEST(LogSpec, BadEntriesSayWhatWasWrongAndTheRestApplies) {
  auto s = parse_spec("verbose,ipx=trace,ipc=lots,page=,=debug,acl,app=tarce,lane=warn");
  ASSERT_EQ(s.problems.size(), 7U);
  EXPECT_EQ(s.problems[0],
            "entry 1 `verbose`: not a level; levels are trace, debug, info, warn, error, "
            "critical, off");
  EXPECT_EQ(s.problems[1],
            "entry 2 `ipx=trace`: unknown area `ipx` (did you mean `ipc`?); areas are app, ipc, "
            "page, acl, lane, qt");
  EXPECT_EQ(s.problems[2],
            "entry 3 `ipc=lots`: `lots` is not a level; levels are trace, debug, info, warn, "
            "error, critical, off");
  EXPECT_EQ(s.problems[3],
            "entry 4 `page=`: no level after `=`; levels are trace, debug, info, warn, error, "
            "critical, off");
  EXPECT_EQ(s.problems[4], "entry 5 `=debug`: no area before `=`");
  EXPECT_EQ(s.problems[5], "entry 6 `acl`: an area needs a level, as in `acl=debug`");
  EXPECT_EQ(s.problems[6],
            "entry 7 `app=tarce`: `tarce` is not a level (did you mean `trace`?); levels are "
            "trace, debug, info, warn, error, critical, off");
  // What could be used still is.
  EXPECT_EQ(s.levels.of(area::lane), level::warn);
  EXPECT_EQ(s.levels.of(area::ipc), level::info);
  EXPECT_EQ(s.levels.fallback, level::info);
}

TEST(LogSpec, ProblemsShowControlCharactersSafely) {
  auto s = parse_spec(std::string("in\x1b[31mfo"));
  ASSERT_EQ(s.problems.size(), 1U);
  EXPECT_EQ(s.problems[0].find('\x1b'), std::string::npos) << s.problems[0];
}

TEST(LogSpec, NamesRoundTrip) {
  for (auto a : myapp::logging::areas()) {
    EXPECT_EQ(myapp::logging::parse_area(myapp::logging::name(a)), a);
  }
  for (auto l : {level::trace, level::debug, level::info, level::warn, level::error,
                 level::critical, level::off}) {
    EXPECT_EQ(myapp::logging::parse_level(myapp::logging::name(l)), l);
  }
}

}  // namespace
