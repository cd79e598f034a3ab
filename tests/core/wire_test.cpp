// The wire: typed messages read from batches (every kind, and what is refused with its place),
// and the messages written to pages.
#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "myapp/wire.hpp"

namespace {

namespace wire = myapp::wire;

// Collects what decode_batch hands over.
struct collector final : wire::batch_handler {
  std::vector<std::string> seen;
  void on_message(std::size_t index, const wire::incoming& m) override {
    std::string s = fmt::format("{} {}", index, wire::kind_of(m));
    if (const auto* i = std::get_if<wire::in::invoke>(&m)) {
      fmt::format_to(std::back_inserter(s), " {} {}", i->cmd, i->args);
      if (i->body) fmt::format_to(std::back_inserter(s), " body={}", *i->body);
    } else if (const auto* l = std::get_if<wire::in::lost>(&m)) {
      fmt::format_to(std::back_inserter(s), " {}", l->blob);
    } else if (const auto* e = std::get_if<wire::in::emit_event>(&m)) {
      fmt::format_to(std::back_inserter(s), " {} {}", e->event, e->payload);
      if (e->target) fmt::format_to(std::back_inserter(s), " to {}", *e->target);
    }
    seen.push_back(std::move(s));
  }
  void on_bad_message(const wire::bad_message& b) override {
    std::string s = fmt::format("bad {} {}", myapp::code_string(b.code), b.why);
    if (b.invoke_id) fmt::format_to(std::back_inserter(s), " (invoke {})", *b.invoke_id);
    seen.push_back(std::move(s));
  }
};

std::vector<std::string> decode(std::string_view batch) {
  collector c;
  if (auto malformed = wire::decode_batch(batch, 64, c)) c.seen.push_back(fmt::format("malformed: {}", *malformed));
  return c.seen;
}

TEST(Wire, EveryKindIsReadIntoItsType) {
  EXPECT_EQ(decode(R"([{"k":"hello","v":1},{"k":"ready"},
    {"k":"invoke","id":1,"cmd":"greet","args":{"name":"Ada"}},
    {"k":"invoke","id":2,"cmd":"upload","body":0,"bin":[{"b64":"YQ=="}]},
    {"k":"cancel","id":1},{"k":"listen","event":"a"},{"k":"unlisten","event":"a"},
    {"k":"emit","event":"a","payload":[1],"target":"main"},{"k":"credit","ch":3,"n":2},
    {"k":"lost","blob":"tok"}])"),
            (std::vector<std::string>{"0 hello", "1 ready", R"(2 invoke greet {"name":"Ada"})",
                                      "3 invoke upload {} body=0", "4 cancel", "5 listen",
                                      "6 unlisten", "7 emit a [1] to main", "8 credit",
                                      "9 lost tok"}));
}

TEST(Wire, WhatCannotBeReadIsRefusedWithItsPlace) {
  EXPECT_EQ(decode(R"([{"v":1},{"k":"invoke","cmd":"x"},{"k":"invoke","id":4},{"k":"listen","event":"a b"},
    {"k":"lost"},{"k":"nope"},{"k":"invoke","id":5,"cmd":"x","args":[]}])"),
            (std::vector<std::string>{
                "bad protocol.invalid message [0]: missing key `k`",
                "bad protocol.invalid message [1]: a `invoke` message needs `id`",
                "bad protocol.invalid message [2]: invoke 4 has no `cmd` (invoke 4)",
                "bad event.invalid_name message [3]: `a b` is not a valid event name: use 1 to 128 "
                "characters from [A-Za-z0-9-/:_]",
                "bad protocol.invalid message [4]: a `lost` message needs `blob`",
                "bad protocol.invalid message [5]: unknown message kind `nope`",
                "bad protocol.invalid message [6]: at `args`: expected an object, got array (invoke 5)"}));
  EXPECT_EQ(decode("[1"), (std::vector<std::string>{
                              "malformed: malformed batch: at `[0]`: expected a message object, got number 1"}));
}

TEST(Wire, AHelloIsSeenFromTheBatchsFirstBytes) {
  EXPECT_TRUE(wire::opens_with_hello(R"([{"k":"hello","v":1}])"));
  EXPECT_TRUE(wire::opens_with_hello(" [ {\n\"k\" : \"hello\",\"v\":1}]"));
  EXPECT_FALSE(wire::opens_with_hello(R"([{"k":"ready"},{"k":"hello","v":1}])"));
  EXPECT_FALSE(wire::opens_with_hello(R"([{"k":"hellox"}])"));
  EXPECT_FALSE(wire::opens_with_hello(""));
}

TEST(Wire, ABigMessageSaysWhatItCarries) {
  std::string result;
  wire::result_prefix(result, 7);
  result += "\"x\"}";
  EXPECT_EQ(wire::big("t1", 10, wire::routing_of(result)), R"({"k":"big","blob":"t1","n":10,"id":7})");
  EXPECT_EQ(wire::big("t2", 10, wire::routing_of(wire::error(8, "a.b", "no"))),
            R"({"k":"big","blob":"t2","n":10,"id":8})");
  EXPECT_EQ(wire::big("t3", 10, wire::routing_of(wire::channel_frame(3, 0, "1"))),
            R"({"k":"big","blob":"t3","n":10,"ch":3})");
  EXPECT_EQ(wire::big("t4", 10, wire::routing_of(wire::event("e", 1, "null"))),
            R"({"k":"big","blob":"t4","n":10})");
}

TEST(Wire, MessagesToThePage) {
  EXPECT_EQ(wire::rejection(3, R"({"kind":"io"})"), R"({"k":"error","id":3,"value":{"kind":"io"}})");
  EXPECT_EQ(wire::fault("protocol.invalid", "x"),
            R"({"k":"fault","error":{"code":"protocol.invalid","message":"x"}})");
  EXPECT_EQ(wire::channel_end(2, 5), R"({"k":"chan_end","ch":2,"i":5})");
  std::string m = R"({"k":"result","id":1,"ok":{"$bytes":0}})";
  {
    wire::bin_list bin(m);
    const std::byte b[] = {std::byte{1}, std::byte{2}};
    bin.add_inline(b);
    bin.add_blob("tok", 99);
  }
  EXPECT_EQ(m, R"({"k":"result","id":1,"ok":{"$bytes":0},"bin":[{"b64":"AQI="},{"blob":"tok","n":99}]})");
  wire::welcome_fields w{"main", 100, 10, {{"emit", "no"}}, std::nullopt};
  EXPECT_EQ(wire::welcome(w),
            R"({"k":"welcome","v":1,"label":"main","limits":{"batch":100,"listens":10},"denied":{"emit":"no"}})");
  EXPECT_EQ(wire::batch({"1", "2"}), "[1,2]");
}

}  // namespace
