// The JSON codec: round trips, escapes, Unicode, integer ranges, wrong types, malformed input,
// nesting limits and described structs.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "myapp/json.hpp"

namespace sample {
struct address {
  std::string city;
  std::optional<std::string> zip_code;
};
MYAPP_STRUCT(address, city, zip_code)

struct person {
  std::string full_name;
  int age = 0;
  bool admin = false;
  std::vector<address> addresses;
  std::map<std::string, double> scores;
  std::optional<std::int64_t> parent_id;
  friend bool operator==(const person&, const person&) = default;
};
inline bool operator==(const address& a, const address& b) {
  return a.city == b.city && a.zip_code == b.zip_code;
}
MYAPP_STRUCT(person, full_name, age, admin, addresses, scores, parent_id)
}  // namespace sample

namespace {

using myapp::json::parse;
using myapp::json::to_json;

template <class T>
std::string write(const T& v) {
  auto r = to_json(v);
  EXPECT_TRUE(r.has_value()) << (r.has_value() ? "" : r.error_value().message());
  return r.has_value() ? r.value() : std::string();
}

template <class T>
std::string parse_error(std::string_view text) {
  auto r = parse<T>(text);
  EXPECT_FALSE(r.has_value()) << "parsed unexpectedly: " << text;
  if (r.has_value()) return {};
  EXPECT_EQ(r.error_value().code(), "json.invalid");
  return r.error_value().message();
}

TEST(JsonWrite, Scalars) {
  EXPECT_EQ(write(true), "true");
  EXPECT_EQ(write(false), "false");
  EXPECT_EQ(write(0), "0");
  EXPECT_EQ(write(-42), "-42");
  EXPECT_EQ(write(std::numeric_limits<std::int64_t>::min()), "-9223372036854775808");
  EXPECT_EQ(write(std::numeric_limits<std::uint64_t>::max()), "18446744073709551615");
  EXPECT_EQ(write(1.5), "1.5");
  EXPECT_EQ(write(0.1), "0.1");
  EXPECT_EQ(write(nullptr), "null");
  EXPECT_EQ(write(std::optional<int>{}), "null");
  EXPECT_EQ(write(std::optional<int>{7}), "7");
}

TEST(JsonWrite, NonFiniteNumbersFail) {
  EXPECT_FALSE(to_json(std::numeric_limits<double>::infinity()).has_value());
  EXPECT_FALSE(to_json(std::numeric_limits<double>::quiet_NaN()).has_value());
}

TEST(JsonWrite, StringEscapes) {
  EXPECT_EQ(write(std::string("plain")), R"J("plain")J");
  EXPECT_EQ(write(std::string("q\"b\\s/")), R"J("q\"b\\s/")J");
  EXPECT_EQ(write(std::string("\n\r\t\b\f")), R"J("\n\r\t\b\f")J");
  EXPECT_EQ(write(std::string("\x01\x1f", 2)), R"J("\u0001\u001f")J");
  EXPECT_EQ(write(std::string("nul\0end", 7)), R"J("nul\u0000end")J");
  // Non-ASCII passes through as UTF-8.
  EXPECT_EQ(write(std::string("h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80")),
            "\"h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80\"");
}

TEST(JsonWrite, InvalidUtf8IsRejected) {
  for (const char* bad : {"\xff", "\xC3", "\xE2\x82", "\xED\xA0\x80" /* surrogate */,
                          "\xC0\xAF" /* overlong */}) {
    auto r = to_json(std::string(bad));
    ASSERT_FALSE(r.has_value()) << "accepted " << bad;
    EXPECT_NE(r.error_value().message().find("UTF-8"), std::string::npos);
  }
}

TEST(JsonWrite, Containers) {
  EXPECT_EQ(write(std::vector<int>{}), "[]");
  EXPECT_EQ(write(std::vector<int>{1, 2, 3}), "[1,2,3]");
  EXPECT_EQ(write(std::vector<std::vector<int>>{{1}, {}, {2, 3}}), "[[1],[],[2,3]]");
  EXPECT_EQ(write(std::map<std::string, int>{{"a", 1}, {"b", 2}}), R"J({"a":1,"b":2})J");
  EXPECT_EQ(write(std::map<std::string, std::vector<int>>{{"x", {}}}), R"J({"x":[]})J");
}

TEST(JsonWrite, WriterPlacesCommas) {
  std::string out;
  myapp::json::writer w(out);
  w.begin_object();
  w.key("a");
  w.begin_array();
  w.number(1);
  w.begin_object();
  w.end_object();
  w.null();
  w.end_array();
  w.key("b");
  w.string("x");
  w.end_object();
  EXPECT_TRUE(w.ok());
  EXPECT_EQ(out, R"J({"a":[1,{},null],"b":"x"})J");
}

TEST(JsonRead, Scalars) {
  EXPECT_EQ(parse<bool>("true").value(), true);
  EXPECT_EQ(parse<int>(" -17 ").value(), -17);
  EXPECT_EQ(parse<std::uint64_t>("18446744073709551615").value(),
            std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(parse<std::int64_t>("-9223372036854775808").value(),
            std::numeric_limits<std::int64_t>::min());
  EXPECT_DOUBLE_EQ(parse<double>("2.5e3").value(), 2500.0);
  EXPECT_DOUBLE_EQ(parse<double>("3").value(), 3.0);
  EXPECT_FLOAT_EQ(parse<float>("0.25").value(), 0.25F);
  EXPECT_EQ(parse<std::string>(R"J("a\"b\\c\n\u00e9\ud83d\ude00")J").value(),
            "a\"b\\c\n\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_FALSE(parse<std::optional<int>>("null").value().has_value());
  EXPECT_EQ(parse<std::optional<int>>("5").value(), 5);
}

TEST(JsonRead, IntegerRanges) {
  EXPECT_EQ(parse<std::uint8_t>("255").value(), 255);
  EXPECT_NE(parse_error<std::uint8_t>("256").find("expected integer in [0, 255], got number 256"),
            std::string::npos);
  EXPECT_NE(parse_error<std::int8_t>("-129").find("[-128, 127]"), std::string::npos);
  EXPECT_NE(parse_error<int>("2147483648").find("[-2147483648, 2147483647]"), std::string::npos);
  EXPECT_NE(parse_error<std::uint32_t>("-1").find("non-negative integer"), std::string::npos);
  EXPECT_NE(parse_error<std::int64_t>("9223372036854775808").find("expected integer in"),
            std::string::npos);
  EXPECT_NE(parse_error<std::uint64_t>("18446744073709551616").find("expected integer in"),
            std::string::npos);
  EXPECT_NE(parse_error<int>("1.5").find("expected integer, got number 1.5"), std::string::npos);
}

TEST(JsonRead, WrongTypesSayWhatArrived) {
  EXPECT_EQ(parse_error<bool>("1"), "expected boolean, got number 1");
  EXPECT_EQ(parse_error<std::string>("42"), "expected string, got number 42");
  EXPECT_EQ(parse_error<std::string>("null"), "expected string, got null");
  EXPECT_EQ(parse_error<int>(R"J("7")J"), R"J(expected integer, got string "7")J");
  EXPECT_EQ(parse_error<std::vector<int>>("{}"), "expected array of integer in [-2147483648, "
                                                 "2147483647], got object");
  EXPECT_EQ(parse_error<std::vector<int>>("[1,true]"),
            "at `[1]`: expected integer, got boolean true");
  EXPECT_EQ((parse_error<std::map<std::string, int>>(R"J({"a":1,"b":"x"})J")),
            R"J(at `b`: expected integer, got string "x")J");
}

TEST(JsonRead, MalformedInput) {
  for (const char* bad : {"", " ", "[", "]", "{", "[1,]", "[1 2]", R"J({"a" 1})J", R"J({"a":})J",
                          "tru", "nul", "01", "1 2", "[1]]", R"J("unterminated)J", "{}{}",
                          R"J({"a":1,})J", "[1],[2]", "'single'", "NaN", "Infinity"}) {
    auto r = parse<myapp::json::raw>(bad);
    EXPECT_FALSE(r.has_value()) << "accepted: `" << bad << "`";
  }
  EXPECT_EQ(parse_error<int>(""), "empty input");
}

TEST(JsonRead, TruncatedDocumentsFail) {
  const std::string full = R"J({"fullName":"Ada","age":36,"admin":true,"addresses":[{"city":"L"}],"scores":{"x":1.5}})J";
  ASSERT_TRUE(parse<sample::person>(full).has_value());
  for (std::size_t n = 0; n < full.size(); ++n) {
    EXPECT_FALSE(parse<sample::person>(full.substr(0, n)).has_value()) << "prefix " << n;
  }
}

TEST(JsonRead, InvalidUtf8IsRejected) {
  EXPECT_EQ(parse_error<std::string>("\"\xff\""), "the text is not valid UTF-8");
  EXPECT_EQ(parse_error<std::string>("\"\xC3\""), "the text is not valid UTF-8");
}

// JSON.stringify writes a lone UTF-16 surrogate (a string cut between the halves of a pair) as
// its escape; it reads as U+FFFD, as the page's UTF-8 encoders read it. Pairs stay characters.
TEST(JsonRead, LoneSurrogateEscapesReadAsReplacementCharacters) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(parse<std::string>(R"J("a\ud800b")J").value(), "a" + fffd + "b");
  EXPECT_EQ(parse<std::string>(R"J("\udc00")J").value(), fffd);
  EXPECT_EQ(parse<std::string>(R"J("\ud83d")J").value(), fffd);
  EXPECT_EQ(parse<std::string>(R"J("\ud83dx\n")J").value(), fffd + "x\n");
  EXPECT_EQ(parse<std::string>(R"J("\ud83d\ud83d\ude00")J").value(), fffd + "\xF0\x9F\x98\x80");
  EXPECT_EQ(parse<std::string>(R"J("\ude00\ud83d")J").value(), fffd + fffd);
  EXPECT_EQ(parse<std::string>(R"J("\ud800\u0041\"\\\/\b\f\r\t\u00e9")J").value(),
            fffd + "A\"\\/\b\f\r\t\xC3\xA9");
  EXPECT_EQ(parse<std::string>(R"J("\uD83D\uDE00 \ud800")J").value(), "\xF0\x9F\x98\x80 " + fffd);
  // Inside containers, in a field nobody reads (skipped, but checked), in raw JSON.
  EXPECT_EQ((parse<std::vector<std::string>>(R"J(["ok","\udfff"])J").value()),
            (std::vector<std::string>{"ok", fffd}));
  const auto ada = parse<sample::person>(R"J({"fullName":"Ada\ud800","age":36,"admin":true,)J"
                                         R"J("addresses":[],"scores":{},"unknown":"\udc00"})J");
  EXPECT_EQ(ada.value().full_name, "Ada" + fffd);
  EXPECT_TRUE(parse<myapp::json::raw>(R"J({"a":["\ud800"]})J").has_value());
  // Keys too: a map's, and one nobody reads.
  EXPECT_EQ((parse<std::map<std::string, int>>(R"J({"a\ud800":1,"\udc00\ud83d\ude00":2})J").value()),
            (std::map<std::string, int>{{"a" + fffd, 1}, {fffd + "\xF0\x9F\x98\x80", 2}}));
  EXPECT_TRUE(parse<myapp::json::raw>(R"J({"\ud800":{"\udfff":[]}})J").has_value());
  EXPECT_FALSE((parse<std::map<std::string, int>>(R"J({"a\ud800\x":1})J").has_value()));
  // Everything else that is malformed in a string is still refused.
  EXPECT_EQ(parse_error<std::string>(R"J("a\ud800\x")J"),
            R"J(expected string, got malformed string "a\ud800\x")J");
  EXPECT_EQ(parse_error<std::string>(R"J("\ud800\u12")J"),
            R"J(expected string, got malformed string "\ud800\u12")J");
  EXPECT_FALSE(parse<std::string>(R"J("\ud800)J").has_value());
  EXPECT_FALSE(parse<myapp::json::raw>(R"J(["\ud800\q"])J").has_value());
}

TEST(JsonRead, NestingDeeperThanTheLimitIsAnError) {
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  auto msg = parse_error<myapp::json::raw>(deep);
  EXPECT_NE(msg.find("nesting deeper than the limit of 128"), std::string::npos) << msg;

  std::string ok(128, '[');
  ok += std::string(128, ']');
  EXPECT_TRUE(parse<myapp::json::raw>(ok).has_value());
  std::string over(129, '[');
  over += std::string(129, ']');
  EXPECT_FALSE(parse<myapp::json::raw>(over).has_value());
  // Brackets inside strings do not count.
  EXPECT_TRUE(parse<std::string>("\"" + std::string(1000, '[') + "\"").has_value());
  // The limit applies to typed reads too.
  EXPECT_FALSE(
      (parse<std::vector<std::vector<std::vector<int>>>>("[[[1]]]", 2).has_value()));
}

TEST(JsonRead, RawKeepsAnyValue) {
  EXPECT_EQ(parse<myapp::json::raw>(R"J( {"a":[1,2,{"b":null}]} )J").value().text,
            R"J({"a":[1,2,{"b":null}]})J");
  EXPECT_EQ(parse<myapp::json::raw>(" 12.5 ").value().text, "12.5");
  EXPECT_EQ(parse<myapp::json::raw>(R"J("s")J").value().text, R"J("s")J");
  EXPECT_EQ(parse<myapp::json::raw>("null").value().text, "null");
}

TEST(JsonStruct, RoundTrip) {
  sample::person p{"Ada Lovelace", 36, true, {{"London", "W1"}, {"Paris", std::nullopt}},
                   {{"math", 9.5}}, std::nullopt};
  auto text = write(p);
  EXPECT_EQ(text,
            R"J({"fullName":"Ada Lovelace","age":36,"admin":true,"addresses":[{"city":"London","zipCode":"W1"},{"city":"Paris","zipCode":null}],"scores":{"math":9.5},"parentId":null})J");
  auto back = parse<sample::person>(text);
  ASSERT_TRUE(back.has_value()) << back.error_value().message();
  EXPECT_EQ(back.value(), p);
}

TEST(JsonStruct, FieldsInAnyOrderOptionalMayBeAbsentUnknownIgnored) {
  auto p = parse<sample::person>(
      R"J({"scores":{},"extra":[1,{"deep":true}],"addresses":[],"admin":false,"age":1,"fullName":"X"})J");
  ASSERT_TRUE(p.has_value()) << p.error_value().message();
  EXPECT_EQ(p.value().full_name, "X");
  EXPECT_FALSE(p.value().parent_id.has_value());
}

TEST(JsonStruct, ErrorsNameTheKeyPath) {
  EXPECT_EQ(parse_error<sample::person>(
                R"J({"fullName":"X","age":1,"admin":true,"addresses":[{"city":"a"},{"city":5}],"scores":{}})J"),
            "at `addresses[1].city`: expected string, got number 5");
  EXPECT_EQ(parse_error<sample::person>(R"J({"fullName":"X","admin":true,"addresses":[],"scores":{}})J"),
            "at `age`: missing key `age` (expected integer in [-2147483648, 2147483647])");
  EXPECT_EQ(parse_error<sample::person>(R"J({"fullName":"X","fullName":"Y"})J"),
            "at `fullName`: duplicate key");
  EXPECT_EQ(parse_error<sample::person>("[]"), "expected object, got array");
}

TEST(JsonStrings, EveryByteValueRoundTripsThroughEscapes) {
  std::string all;
  for (int c = 0; c < 0x80; ++c) all.push_back(static_cast<char>(c));
  auto text = write(all);
  EXPECT_EQ(parse<std::string>(text).value(), all);
}

TEST(JsonNames, CamelCase) {
  EXPECT_EQ(myapp::json::camel_case("name"), "name");
  EXPECT_EQ(myapp::json::camel_case("file_path"), "filePath");
  EXPECT_EQ(myapp::json::camel_case("a_b_c"), "aBC");
  EXPECT_EQ(myapp::json::camel_case("_private"), "_private");
  EXPECT_EQ(myapp::json::camel_case("alreadyCamel"), "alreadyCamel");
}

TEST(JsonRead, UnorderedMapAndNestedOptional) {
  auto m = parse<std::unordered_map<std::string, std::optional<std::vector<int>>>>(
      R"J({"a":null,"b":[1]})J");
  ASSERT_TRUE(m.has_value());
  EXPECT_FALSE(m.value().at("a").has_value());
  EXPECT_EQ(m.value().at("b")->at(0), 1);
}

}  // namespace

namespace {
TEST(JsonRead, FloatsOutOfRangeAreRefused) {
  // Found by fuzz_json: 3.5e38 does not fit a float; converting it would be undefined.
  auto r = myapp::json::parse<float>("3.5e38");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error_value().message().find("expected a number in the range of a float"),
            std::string::npos);
  EXPECT_FLOAT_EQ(myapp::json::parse<float>("3.4e38").value(), 3.4e38F);
  EXPECT_TRUE(myapp::json::parse<double>("1e308").has_value());
}
}  // namespace

// The writer skips clean stretches a word at a time: every byte that needs escaping is still
// found, at every place around the 8- and 16-byte steps, and nothing else is escaped.
TEST(JsonWriteString, EscapesEveryByteThatNeedsItAtEveryPosition) {
  const auto reference = [](std::string_view s) {
    std::string out = "\"";
    for (const char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          if (c < 0x20) {
            const char hex[] = "0123456789abcdef";
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xF];
          } else {
            out += ch;
          }
      }
    }
    return out + "\"";
  };
  const std::vector<std::string> specials = {"\"", "\\", "\n", std::string(1, '\0'), "\x01", "\x1f",
                                             " ", "\x7f", "!", "[", "]", "\xc3\xa9", "\xe2\x82\xac"};
  for (std::size_t len = 0; len <= 40; ++len) {
    for (std::size_t at = 0; at <= len; ++at) {
      for (const auto& sp : specials) {
        std::string s(len, 'a');
        s.insert(at, sp);
        s.insert(0, sp);  // a second one before: the skipping starts again after an escape
        std::string out;
        ASSERT_TRUE(myapp::json::write_string(out, s));
        ASSERT_EQ(out, reference(s)) << "length " << len << ", at " << at;
      }
    }
  }
  std::string out;
  EXPECT_FALSE(myapp::json::write_string(out, "abc\xff")) << "not UTF-8";
}

// The nesting scan and the raw reader cross strings a word at a time: brackets and escaped
// quotes inside strings, at every offset around the 8-byte steps, are not nesting, and the
// nesting after them still counts.
TEST(JsonRead, BracketsInsideStringsAreNotNestingAtAnyOffset) {
  for (std::size_t pad = 0; pad <= 24; ++pad) {
    for (const std::string inner : {"[[[[{{{{", "\\\"[[[", "\\\\", "\\\\\\\"{{{", "]]]}}}"}) {
      std::string str = "\"";
      str.append(pad, 'a').append(inner).append(pad % 9, 'b').push_back('"');
      std::string ok(127, '[');
      ok += str + std::string(127, ']');
      EXPECT_TRUE(parse<myapp::json::raw>(ok).has_value()) << "pad " << pad << ": " << inner;
      std::string over(129, '[');
      over += str + std::string(129, ']');
      EXPECT_FALSE(parse<myapp::json::raw>(over).has_value()) << "pad " << pad << ": " << inner;
      // A raw value cut out of a larger document ends at its own bracket.
      const std::string doc = "{\"a\":[" + str + ",{\"b\":" + str + "}],\"c\":1}";
      auto r = parse<std::map<std::string, myapp::json::raw>>(doc);
      ASSERT_TRUE(r.has_value()) << doc;
      EXPECT_EQ(r.value().at("a").text, "[" + str + ",{\"b\":" + str + "}]");
      EXPECT_EQ(r.value().at("c").text, "1");
    }
  }
}
