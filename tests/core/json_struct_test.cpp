// Described structs with serde-like options: key spellings (rename_all, rename), skip,
// or_default / default_all, flatten, deny_unknown_fields, and keys spelled like a field but not
// as it (refused, naming both); the same rules for a command's arguments and in describe().
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "myapp/describe.hpp"
#include "myapp/json.hpp"
#include "myapp/router.hpp"
#include "recording_session.hpp"

namespace shapes {

struct plain {
  std::string other_val;
  int max_tags = 0;
};
MYAPP_STRUCT(plain, other_val, max_tags)

struct ported {  // as a Tauri app's serde struct: keys as written
  std::string other_val;
  int max_tags = 0;
};
MYAPP_STRUCT(ported, other_val, max_tags)
MYAPP_STRUCT_OPTIONS(ported, myapp::json::rename_all(myapp::json::naming::as_written))

struct paging {
  int page = 1;
  std::optional<int> per_page;
};
MYAPP_STRUCT(paging, page, per_page)

struct settings {
  std::string user_name;
  int max_tags = 10;
  std::string cache_key = "kept";
  paging paged;
};
MYAPP_STRUCT(settings, user_name, max_tags, cache_key, paged)
MYAPP_STRUCT_OPTIONS(settings, myapp::json::field(&settings::user_name).rename("login"),
                     myapp::json::field(&settings::max_tags).or_default(),
                     myapp::json::field(&settings::cache_key).skip(),
                     myapp::json::field(&settings::paged).flatten())

struct strict {
  int a = 0;
};
MYAPP_STRUCT(strict, a)
MYAPP_STRUCT_OPTIONS(strict, myapp::json::deny_unknown_fields())

struct lenient {
  int a = 1;
  std::string b = "b";
};
MYAPP_STRUCT(lenient, a, b)
MYAPP_STRUCT_OPTIONS(lenient, myapp::json::default_all(),
                     myapp::json::rename_all(myapp::json::naming::screaming_snake_case))

}  // namespace shapes

namespace {

namespace json = myapp::json;

template <class T>
std::string write(const T& v) {
  return json::to_json(v).value();
}

template <class T>
std::string read_error(std::string_view text) {
  auto r = json::parse<T>(text);
  return r ? std::string("(read)") : r.error_value().message();
}

TEST(JsonStruct, KeysAreCamelCaseByDefault) {
  EXPECT_EQ(write(shapes::plain{"x", 3}), R"({"otherVal":"x","maxTags":3})");
  EXPECT_EQ(json::parse<shapes::plain>(R"({"otherVal":"y","maxTags":4})").value().other_val, "y");
}

TEST(JsonStruct, RenameAllKeepsTheMemberNamesAsSerdeDoes) {
  EXPECT_EQ(write(shapes::ported{"x", 3}), R"({"other_val":"x","max_tags":3})");
  auto r = json::parse<shapes::ported>(R"({"other_val":"y","max_tags":4})");
  ASSERT_TRUE(r) << r.error_value().message();
  EXPECT_EQ(r.value().max_tags, 4);
}

TEST(JsonStruct, EveryNamingSpellsTheWordsOfAMember) {
  using json::naming;
  struct row {
    naming n;
    const char* snake;
    const char* camel;
  };
  const row rows[] = {
      {naming::camel_case, "otherVal", "otherVal"},
      {naming::as_written, "other_val", "otherVal"},
      {naming::snake_case, "other_val", "other_val"},
      {naming::kebab_case, "other-val", "other-val"},
      {naming::pascal_case, "OtherVal", "OtherVal"},
      {naming::screaming_snake_case, "OTHER_VAL", "OTHER_VAL"},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(json::apply_naming("other_val", r.n), r.snake) << static_cast<int>(r.n);
    if (r.n != naming::as_written && r.n != naming::camel_case) {
      EXPECT_EQ(json::apply_naming("otherVal", r.n), r.camel) << static_cast<int>(r.n);
    }
  }
  EXPECT_EQ(json::apply_naming("url", naming::pascal_case), "Url");
  EXPECT_EQ(json::apply_naming("http2_port", naming::kebab_case), "http2-port");
}

TEST(JsonStruct, RenameSkipDefaultAndFlattenBothWays) {
  shapes::settings s;
  s.user_name = "ada";
  s.max_tags = 3;
  s.cache_key = "secret";
  s.paged = {2, 50};
  // The skipped member is never written; the flattened one's fields sit beside the others.
  EXPECT_EQ(write(s), R"({"login":"ada","maxTags":3,"page":2,"perPage":50})");

  auto r = json::parse<shapes::settings>(R"({"login":"bob","page":5,"cacheKey":"from page"})");
  ASSERT_TRUE(r) << r.error_value().message();
  EXPECT_EQ(r.value().user_name, "bob");
  EXPECT_EQ(r.value().max_tags, 10);            // missing: as constructed
  EXPECT_EQ(r.value().cache_key, "kept");       // skipped: never read
  EXPECT_EQ(r.value().paged.page, 5);           // flattened
  EXPECT_FALSE(r.value().paged.per_page.has_value());
}

TEST(JsonStruct, RequiredKeysOfAFlattenedMemberAreRequired) {
  EXPECT_EQ(read_error<shapes::settings>(R"({"login":"x"})"),
            "at `page`: missing key `page` (expected integer in [-2147483648, 2147483647])");
  EXPECT_EQ(read_error<shapes::settings>(R"({"page":1})"),
            "at `login`: missing key `login` (expected string)");
}

TEST(JsonStruct, AKeySpelledOtherwiseIsRefusedNamingBoth) {
  EXPECT_EQ(read_error<shapes::plain>(R"({"otherVal":"x","max_tags":3})"),
            "at `max_tags`: expected the key `maxTags`, got the key `max_tags`");
  EXPECT_EQ(read_error<shapes::ported>(R"({"Other_Val":"x","max_tags":3})"),
            "at `Other_Val`: expected the key `other_val`, got the key `Other_Val`");
  // Inside a flattened member too.
  EXPECT_EQ(read_error<shapes::settings>(R"({"login":"x","page":1,"per_page":3})"),
            "at `per_page`: expected the key `perPage`, got the key `per_page`");
  // Other unknown keys are ignored.
  EXPECT_EQ(read_error<shapes::plain>(R"({"otherVal":"x","maxTags":1,"color":"red"})"), "(read)");
}

TEST(JsonStruct, DenyUnknownFieldsRefusesEveryOtherKey) {
  EXPECT_EQ(read_error<shapes::strict>(R"({"a":1,"b":2})"),
            "at `b`: expected one of the object's keys, got the key `b`");
  EXPECT_EQ(read_error<shapes::strict>(R"({"a":1})"), "(read)");
}

TEST(JsonStruct, DefaultAllMakesEveryKeyOptional) {
  auto r = json::parse<shapes::lenient>("{}");
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value().a, 1);
  EXPECT_EQ(write(shapes::lenient{2, "c"}), R"({"A":2,"B":"c"})");
}

TEST(JsonStruct, DescribeShowsTheFieldsAsThePageSeesThem) {
  std::vector<myapp::api::field> fields;
  myapp::api::detail::struct_fields<shapes::settings>(fields);
  std::vector<std::string> seen;
  for (const auto& f : fields) seen.push_back(f.name + (f.optional ? "?" : ""));
  EXPECT_EQ(seen, (std::vector<std::string>{"login", "maxTags?", "page", "perPage?"}));
}

// The same rules for a command's arguments.
TEST(JsonStruct, CommandArgumentsSpelledOtherwiseAreRefusedWithKeyExpectedAndGot) {
  myapp::router r(myapp::router_options{.run_inline = true});
  r.add("tag", [](int max_tags) { return max_tags; }, {"max_tags"});
  r.add("save", [](const shapes::plain& p) { return p.max_tags; });
  auto s = std::make_shared<myapp::testing::recording_session>();
  r.receive(R"([{"k":"invoke","id":1,"cmd":"tag","args":{"max_tags":3}},)"
            R"({"k":"invoke","id":2,"cmd":"save","args":{"otherVal":"a","MaxTags":1}}])",
            s);
  auto m = s->take();
  ASSERT_EQ(m.size(), 2U);
  EXPECT_EQ(m[0],
            R"({"k":"error","id":1,"error":{"code":"args.invalid","message":"invalid arguments for command `tag`: at `max_tags`: expected the key `maxTags`, got the key `max_tags`","data":{"key":"max_tags","expected":"the key `maxTags`","got":"the key `max_tags`"}}})");
  EXPECT_NE(m[1].find(R"("data":{"key":"MaxTags","expected":"the key `maxTags`","got":"the key `MaxTags`"})"),
            std::string::npos)
      << m[1];
}

TEST(JsonStruct, AnOutOfRangeIntegerSaysExpectedAndGotInItsData) {
  myapp::router r(myapp::router_options{.run_inline = true});
  r.add("small", [](std::uint8_t n) { return n; }, {"n"});
  auto s = std::make_shared<myapp::testing::recording_session>();
  r.receive(R"([{"k":"invoke","id":1,"cmd":"small","args":{"n":300}}])", s);
  auto m = s->take();
  ASSERT_EQ(m.size(), 1U);
  EXPECT_NE(m[0].find(R"("data":{"key":"n","expected":"integer in [0, 255]","got":"number 300"})"),
            std::string::npos)
      << m[0];
}

}  // namespace
