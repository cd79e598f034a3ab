// Descriptions of commands, events and types (describe.hpp, router::describe): what
// `myapp bindings` reads.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "myapp/router.hpp"

namespace shapes {
struct point {
  int x = 0;
  std::optional<double> weight;
};
MYAPP_STRUCT(point, x, weight)

struct tree_node {
  std::string label;
  std::vector<tree_node> children;  // recursive: described once
};
MYAPP_STRUCT(tree_node, label, children)

struct item {
  std::uint8_t small = 0;
  point where;
};
MYAPP_STRUCT(item, small, where)
}  // namespace shapes

namespace other {
struct item {  // the same C++ name in another namespace: named Item2
  bool on = false;
};
MYAPP_STRUCT(item, on)
}  // namespace other

namespace {

using myapp::api::document;
using myapp::api::type_ref;

document describe(const myapp::router& r) {
  auto doc = myapp::api::parse_document(r.describe());
  EXPECT_TRUE(doc.has_value()) << (doc.has_value() ? "" : doc.error_value().message());
  return doc.has_value() ? doc.value() : document{};
}

// A compact spelling of a type for the assertions: "array<optional<integer:int32>>".
std::string spell(const type_ref& t) {
  std::string s = t.kind;
  if (!t.name.empty() && t.kind != "unknown") s += ":" + t.name;
  if (!t.of.empty()) s += "<" + spell(t.of.front()) + ">";
  return s;
}

const myapp::api::command& find(const document& d, const std::string& name) {
  for (const auto& c : d.commands) {
    if (c.name == name) return c;
  }
  throw std::runtime_error("no command " + name);
}

TEST(describe, every_codec_type_has_a_description) {
  myapp::router r({.run_inline = true});
  r.add(
      "everything",
      [](bool, std::int8_t, std::uint16_t, std::int32_t, std::uint64_t, float, double,
         std::string, std::optional<std::string>, std::vector<int>,
         std::map<std::string, double>, std::unordered_map<std::string, bool>, myapp::json::raw,
         myapp::channel<shapes::point>, myapp::bytes, std::nullptr_t) {},
      {"b", "i8", "u16", "i32", "u64", "f", "d", "s", "maybe", "list", "dict", "flags", "anything",
       "progress", "data", "nothing"});
  const auto doc = describe(r);
  const auto& c = find(doc, "everything");
  std::vector<std::string> got;
  for (const auto& a : c.args) got.push_back(a.name + "=" + spell(a.type));
  const std::vector<std::string> want = {
      "b=boolean",          "i8=integer:int8",       "u16=integer:uint16",
      "i32=integer:int32",  "u64=integer:uint64",    "f=number:float",
      "d=number:double",    "s=string",              "maybe=optional<string>",
      "list=array<integer:int32>",                  "dict=map<number:double>",
      "flags=map<boolean>", "anything=unknown",      "progress=channel<struct:Point>",
      "data=bytes",         "nothing=null"};
  EXPECT_EQ(got, want);
  EXPECT_EQ(spell(c.returns), "null");
  EXPECT_FALSE(c.whole_struct);
  ASSERT_EQ(doc.types.size(), 1U);
  EXPECT_EQ(doc.types[0].name, "Point");
  EXPECT_EQ(doc.types[0].cpp, "shapes::point");
}

TEST(describe, injected_parameters_are_left_out_and_results_unwrapped) {
  myapp::router r({.run_inline = true});
  r.manage(std::make_shared<int>(1));
  r.add(
      "whoami",
      [](const myapp::request&, myapp::cancel_token, std::string prefix, myapp::webview,
         myapp::state<int>) -> myapp::result<std::vector<std::string>> { return {{prefix}}; },
      {"file_prefix"}, {.errors = {"who.unknown", "who.denied", "who.unknown"}});
  r.add("ping", [] { return std::string_view("pong"); });
  const auto doc = describe(r);
  const auto& c = find(doc, "whoami");
  ASSERT_EQ(c.args.size(), 1U);
  EXPECT_EQ(c.args[0].name, "filePrefix");
  EXPECT_EQ(spell(c.args[0].type), "string");
  EXPECT_EQ(spell(c.returns), "array<string>");
  EXPECT_EQ(c.errors, (std::vector<std::string>{"who.denied", "who.unknown"}));
  EXPECT_TRUE(find(doc, "ping").args.empty());
  EXPECT_EQ(spell(find(doc, "ping").returns), "string");
}

TEST(describe, whole_struct_commands_and_nested_and_recursive_structs) {
  myapp::router r({.run_inline = true});
  r.add("place", [](const shapes::item& i) { return i.where; });
  r.add("grow", [](shapes::tree_node t) { return t; }, {"tree"});
  r.add("flip", [](other::item i) { return i; }, {"item"});
  const auto doc = describe(r);
  const auto& place = find(doc, "place");
  EXPECT_TRUE(place.whole_struct);
  ASSERT_EQ(place.args.size(), 1U);
  EXPECT_EQ(place.args[0].name, "");
  EXPECT_EQ(spell(place.args[0].type), "struct:Item2");  // "flip" comes first, alphabetically
  EXPECT_EQ(spell(find(doc, "flip").args[0].type), "struct:Item");
  EXPECT_EQ(spell(find(doc, "grow").returns), "struct:TreeNode");

  std::map<std::string, std::string> types;
  for (const auto& t : doc.types) {
    std::string fields;
    for (const auto& f : t.fields) {
      fields += f.name + (f.optional ? "?" : "") + "=" + spell(f.type) + " ";
    }
    types[t.name] = t.cpp + ": " + fields;
  }
  const std::map<std::string, std::string> want = {
      {"Item", "other::item: on=boolean "},
      {"Item2", "shapes::item: small=integer:uint8 where=struct:Point "},
      {"Point", "shapes::point: x=integer:int32 weight?=optional<number:double> "},
      {"TreeNode", "shapes::tree_node: label=string children=array<struct:TreeNode> "},
  };
  EXPECT_EQ(types, want);
  ASSERT_EQ(doc.types.size(), 4U);
  EXPECT_EQ(doc.types[0].name, "Item");  // sorted
  EXPECT_EQ(doc.types[3].name, "TreeNode");
}

TEST(describe, commands_and_events_are_sorted_and_the_text_is_stable) {
  myapp::router r({.run_inline = true});
  r.add("zeta", [] {});
  r.add("alpha", [] {});
  r.add("mid:dle|x", [] {});
  r.declare_event<shapes::point>("pointer/moved");
  r.declare_event<std::string>("app:ready");
  const auto doc = describe(r);
  ASSERT_EQ(doc.commands.size(), 3U);
  EXPECT_EQ(doc.commands[0].name, "alpha");
  EXPECT_EQ(doc.commands[1].name, "mid:dle|x");
  EXPECT_EQ(doc.commands[2].name, "zeta");
  ASSERT_EQ(doc.events.size(), 2U);
  EXPECT_EQ(doc.events[0].name, "app:ready");
  EXPECT_EQ(spell(doc.events[0].payload), "string");
  EXPECT_EQ(spell(doc.events[1].payload), "struct:Point");
  ASSERT_EQ(doc.types.size(), 1U);
  EXPECT_EQ(r.describe(), r.describe());
}

TEST(describe, event_declarations_are_checked) {
  myapp::router r({.run_inline = true});
  r.declare_event<int>("tick");
  EXPECT_THROW(r.declare_event<int>("tick"), myapp::setup_error);
  EXPECT_THROW(r.declare_event<int>("bad name"), myapp::setup_error);
  EXPECT_THROW(r.declare_event<int>(""), myapp::setup_error);
}

TEST(describe, malformed_descriptions_are_refused_with_their_place) {
  auto problem = [](std::string_view text) {
    auto doc = myapp::api::parse_document(text);
    return doc.has_value() ? std::string("accepted") : doc.error_value().message();
  };
  const std::string ok_type = R"({"kind":"string","name":"","of":[]})";
  auto cmd = [&](const std::string& returns) {
    return R"({"version":1,"events":[],"types":[],"commands":[{"name":"c","args":[],)"
           R"("wholeStruct":false,"errors":[],"returns":)" +
           returns + "}]}";
  };
  EXPECT_EQ(problem(cmd(ok_type)), "accepted");
  EXPECT_EQ(problem(cmd(R"({"kind":"str","name":"","of":[]})")),
            R"(commands.c.returns: unknown type kind "str")");
  EXPECT_EQ(problem(cmd(R"({"kind":"array","name":"","of":[]})")),
            R"(commands.c.returns: a type of kind "array" needs exactly one element type in "of")");
  EXPECT_EQ(problem(cmd(R"({"kind":"struct","name":"Gone","of":[]})")),
            R"(commands.c.returns: the struct "Gone" is not among the types)");
  EXPECT_EQ(problem(R"({"version":2,"commands":[],"events":[],"types":[]})"),
            "version 2 is not supported (this is version 1)");
  EXPECT_NE(problem(R"({"version":1,"commands":[{"name":3}],"events":[],"types":[]})")
                .find("commands[0].name"),
            std::string::npos);
  EXPECT_EQ(problem("not json").rfind("at `", 0), std::string::npos) << problem("not json");
  EXPECT_NE(problem("not json"), "accepted");
}

}  // namespace
