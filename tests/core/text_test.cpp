// The core's private text helpers (framework/core/src/text.hpp): the edit distance and the one
// "did you mean ...?" every reader of names uses.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "text.hpp"

namespace {

using myapp::detail::closer_than;
using myapp::detail::closest;
using myapp::detail::edit_distance;

TEST(EditDistance, CountsEditsIgnoringCase) {
  EXPECT_EQ(edit_distance("width", "width"), 0u);
  EXPECT_EQ(edit_distance("Width", "wIDTH"), 0u);
  EXPECT_EQ(edit_distance("widht", "width"), 1u) << "a swap of neighbours is one edit";
  EXPECT_EQ(edit_distance("widt", "width"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("colour", "label"), edit_distance("label", "colour"));
}

TEST(Closest, TheNearestAcceptedCandidate) {
  const std::vector<std::string> names = {"width", "height", "label"};
  EXPECT_EQ(closest("widht", names, closer_than(3)).value_or(""), "width");
  EXPECT_EQ(closest("hieght", names, closer_than(3)).value_or(""), "height");
  EXPECT_FALSE(closest("colour", names, closer_than(3)));
  EXPECT_FALSE(closest("widht", names, closer_than(1))) << "the limit is exclusive";
  const std::vector<std::string> none;
  EXPECT_FALSE(closest("widht", none, closer_than(3)));
}

TEST(Closest, FirstOfEquallyNearInTheirOrder) {
  const std::array<std::string_view, 3> names = {"cat", "bat", "hat"};
  EXPECT_EQ(closest("rat", names, closer_than(3)).value_or(""), "cat");
  const std::array<std::string_view, 3> reversed = {"hat", "bat", "cat"};
  EXPECT_EQ(closest("rat", reversed, closer_than(3)).value_or(""), "hat");
  EXPECT_EQ(closest("bta", names, closer_than(3)).value_or(""), "bat") << "nearer wins";
}

TEST(Closest, TheCallerFiltersCandidates) {
  // As the router does, over a map's keys: only the commands the page may call, < 3 edits.
  const std::map<std::string, int, std::less<>> commands = {{"greet", 0}, {"great", 0}};
  auto allowed = [](std::string_view name) { return name != "great"; };
  EXPECT_EQ(closest("gret", commands,
                    [&](std::string_view name, std::size_t d) { return d < 3 && allowed(name); })
                .value_or(""),
            "greet");
  EXPECT_EQ(closest("gret", commands, closer_than(3)).value_or(""), "great");
  // A limit that depends on the candidate (logging: fewer edits than the name has letters).
  const std::array<std::string_view, 2> levels = {"a", "ab"};
  EXPECT_EQ(closest("b", levels, [](std::string_view n, std::size_t d) {
              return d < 3 && d < n.size();
            }).value_or(""),
            "ab");
}

TEST(Closest, InitializerLists) {
  const std::initializer_list<std::string_view> known = {"identifier", "allow", "deny"};
  EXPECT_EQ(closest("alow", known, closer_than(3)).value_or(""), "allow");
}

}  // namespace
