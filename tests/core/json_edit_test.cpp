// Editing JSON text in place (myapp/json_edit.hpp): the array changes, nothing else does, and
// erase undoes append byte for byte, in each layout people write.
#include <gtest/gtest.h>

#include <string>

#include "myapp/json_edit.hpp"

namespace {

namespace je = myapp::json_edit;

// A capability laid out one permission per line, with a description after the array.
const std::string MULTILINE =
    "{\n"
    "    \"identifier\": \"main\",\n"
    "    \"windows\": [ \"main\" ],\n"
    "    \"permissions\": [\n"
    "        \"core:default\",\n"
    "        { \"identifier\": \"core:opener:allow-open-url\", \"allow\": [{ \"url\": \"https://*\" }] }\n"
    "    ],\n"
    "    \"description\": \"caf\xc3\xa9\"\n"
    "}\n";

TEST(JsonEdit, AppendsOnALineOfItsOwnWithTheElementsIndentation) {
  auto out = je::append(MULTILINE, "permissions", je::quote("allow-greet"));
  ASSERT_TRUE(out);
  EXPECT_EQ(*out,
            "{\n"
            "    \"identifier\": \"main\",\n"
            "    \"windows\": [ \"main\" ],\n"
            "    \"permissions\": [\n"
            "        \"core:default\",\n"
            "        { \"identifier\": \"core:opener:allow-open-url\", \"allow\": [{ \"url\": \"https://*\" }] },\n"
            "        \"allow-greet\"\n"
            "    ],\n"
            "    \"description\": \"caf\xc3\xa9\"\n"
            "}\n");
}

TEST(JsonEdit, AppendsAfterCommaSpaceWhenTheElementsShareALine) {
  const std::string text = "{\"identifier\": \"x\", \"permissions\": [\"core:default\",\"a\"]}";
  EXPECT_EQ(je::append(text, "permissions", "\"b\""),
            "{\"identifier\": \"x\", \"permissions\": [\"core:default\",\"a\", \"b\"]}");
  const std::string one = "{\"permissions\": [\"core:default\"]}";
  EXPECT_EQ(je::append(one, "permissions", "\"b\""), "{\"permissions\": [\"core:default\", \"b\"]}");
  const std::string empty = "{\"permissions\": []}";
  EXPECT_EQ(je::append(empty, "permissions", "\"b\""), "{\"permissions\": [\"b\"]}");
  const std::string single_multiline = "{\n  \"permissions\": [\n    \"a\"\n  ]\n}";
  EXPECT_EQ(je::append(single_multiline, "permissions", "\"b\""),
            "{\n  \"permissions\": [\n    \"a\",\n    \"b\"\n  ]\n}");
}

TEST(JsonEdit, EraseUndoesAppendByteForByte) {
  for (const std::string& text :
       {MULTILINE, std::string("{\"permissions\": []}"), std::string("{\"permissions\": [\"a\"]}"),
        std::string("{\"permissions\": [\"a\", \"b\"]}"),
        std::string("{\n\t\"permissions\": [\n\t\t\"a\"\n\t]\n}"),
        std::string("\xEF\xBB\xBF{\"permissions\" : [ \"a\" ,\n \"b\" ] }")}) {
    auto added = je::append(text, "permissions", je::quote("x\"y"));
    ASSERT_TRUE(added) << text;
    const auto items = je::elements(*added, "permissions");
    ASSERT_TRUE(items) << *added;
    EXPECT_EQ(je::string_at(*added, "permissions[" + std::to_string(items->size() - 1) + "]"), "x\"y");
    EXPECT_EQ(je::erase(*added, "permissions", items->size() - 1), text) << *added;
  }
}

TEST(JsonEdit, EraseTakesAnElementWithItsSeparator) {
  const std::string text = "{\n  \"p\": [\n    \"a\",\n    \"b\",\n    \"c\"\n  ]\n}";
  EXPECT_EQ(je::erase(text, "p", 0), "{\n  \"p\": [\n    \"b\",\n    \"c\"\n  ]\n}");
  EXPECT_EQ(je::erase(text, "p", 1), "{\n  \"p\": [\n    \"a\",\n    \"c\"\n  ]\n}");
  EXPECT_EQ(je::erase(text, "p", 2), "{\n  \"p\": [\n    \"a\",\n    \"b\"\n  ]\n}");
  EXPECT_EQ(je::erase("{\"p\": [\n  \"a\"\n]}", "p", 0), "{\"p\": []}");
  EXPECT_FALSE(je::erase(text, "p", 3));
}

TEST(JsonEdit, FindsNestedValuesAndStrings) {
  const std::string conf =
      "{\"app\": {\"windows\": [{\"label\": \"main\"}], \"security\": {\"capabilities\": "
      "[\"default\", \"tab\\tbed\"]}}}";
  auto caps = je::elements(conf, "app.security.capabilities");
  ASSERT_TRUE(caps);
  ASSERT_EQ(caps->size(), 2U);
  EXPECT_EQ(conf.substr((*caps)[0].begin, (*caps)[0].end - (*caps)[0].begin), "\"default\"");
  EXPECT_EQ(je::string_at(conf, "app.security.capabilities[1]"), "tab\tbed");
  EXPECT_EQ(je::string_at(conf, "app.windows[0].label"), "main");
  EXPECT_EQ(je::append(conf, "app.security.capabilities", je::quote("x")),
            "{\"app\": {\"windows\": [{\"label\": \"main\"}], \"security\": {\"capabilities\": "
            "[\"default\", \"tab\\tbed\", \"x\"]}}}");
}

TEST(JsonEdit, RefusesWhatItCannotEdit) {
  // Not JSON: nothing is found or edited, and the syntax problem says where.
  const std::string broken = "{\n  \"permissions\": [\"a\"]\n  \"windows\": []\n}";
  EXPECT_FALSE(je::find(broken, "permissions"));
  EXPECT_FALSE(je::append(broken, "permissions", "\"b\""));
  EXPECT_FALSE(je::erase(broken, "permissions", 0));
  ASSERT_TRUE(je::syntax_problem(broken));
  EXPECT_EQ(je::syntax_problem(broken)->rfind("2:23: a comma is missing", 0), 0U) << *je::syntax_problem(broken);
  EXPECT_FALSE(je::syntax_problem("{}"));
  // No such key, or not an array, or not a string.
  const std::string text = "{\"identifier\": \"x\", \"permissions\": [1]}";
  EXPECT_FALSE(je::append(text, "windows", "\"b\""));
  EXPECT_FALSE(je::append(text, "identifier", "\"b\""));
  EXPECT_FALSE(je::elements(text, "identifier"));
  EXPECT_FALSE(je::string_at(text, "permissions[0]"));
  EXPECT_FALSE(je::string_at(text, "permissions[1]"));
  EXPECT_FALSE(je::find("", ""));
  EXPECT_EQ(je::quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
}

}  // namespace
