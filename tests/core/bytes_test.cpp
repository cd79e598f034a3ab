// Bytes: the buffer type, base64, the JSON codec's attachment references, and the router
// carrying bytes both ways (inline `b64` and bulk-lane uploads in, attachments out), binary
// channel frames in order with JSON frames.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "myapp/bytes.hpp"
#include "myapp/router.hpp"

namespace {

using myapp::bytes;

std::vector<std::byte> sequence(std::size_t n) {
  std::vector<std::byte> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::byte>((i * 131 + 7) & 0xff);
  return v;
}

// Records plain and binary messages; attachments are kept as they were given.
class binary_session final : public myapp::session {
 public:
  binary_session() { info_.label = "main"; }
  const myapp::caller_info& caller() const noexcept override { return info_; }
  void send(std::string message) override {
    std::lock_guard lock(mutex_);
    messages.push_back(std::move(message));
    attachments.emplace_back();
  }
  void send_binary(std::string message, std::vector<bytes> bin) override {
    std::lock_guard lock(mutex_);
    messages.push_back(std::move(message));
    attachments.push_back(std::move(bin));
  }
  std::vector<std::string> messages;
  std::vector<std::vector<bytes>> attachments;

 private:
  std::mutex mutex_;
  myapp::caller_info info_;
};

// A session using the default send_binary (inline base64).
class text_session final : public myapp::session {
 public:
  text_session() { info_.label = "main"; }
  const myapp::caller_info& caller() const noexcept override { return info_; }
  void send(std::string message) override { messages.push_back(std::move(message)); }
  std::vector<std::string> messages;

 private:
  myapp::caller_info info_;
};

TEST(Bytes, AdoptsWithoutCopyingAndSharesOnCopy) {
  std::vector<std::byte> v = sequence(1000);
  const std::byte* storage = v.data();
  bytes b(std::move(v));
  EXPECT_EQ(b.data(), storage);
  EXPECT_EQ(b.size(), 1000u);
  bytes c = b;
  EXPECT_EQ(c.data(), b.data());
  EXPECT_EQ(c, b);
  std::string s(5000, 'x');
  const char* text = s.data();
  bytes d(std::move(s));
  EXPECT_EQ(reinterpret_cast<const char*>(d.data()), text);
  EXPECT_EQ(d.view(), std::string(5000, 'x'));
}

TEST(Bytes, SliceIsClampedAndSharesTheOwner) {
  bytes b(sequence(10));
  EXPECT_EQ(b.slice(2, 3).size(), 3u);
  EXPECT_EQ(b.slice(2, 3)[0], b[2]);
  EXPECT_EQ(b.slice(8).size(), 2u);
  EXPECT_EQ(b.slice(20).size(), 0u);
  EXPECT_TRUE(bytes().empty());
}

TEST(Bytes, MapsFilesAndNamesTheFileOnError) {
  const std::string path = testing::TempDir() + "/myapp_bytes_map_test.bin";
  auto data = sequence(70000);
  {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  }
  auto m = bytes::map_file(path);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m.value(), bytes(data));
  std::remove(path.c_str());
  auto missing = bytes::map_file(path);
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error_value().message().find(path), std::string::npos);
  auto dir = bytes::map_file(testing::TempDir());
  ASSERT_FALSE(dir.has_value());
  EXPECT_NE(dir.error_value().message().find("not a regular file"), std::string::npos);
}

TEST(Base64, RoundTripsEveryLengthAndByte) {
  for (std::size_t n = 0; n < 70; ++n) {
    auto data = sequence(n);
    std::vector<std::byte> back;
    ASSERT_TRUE(myapp::base64_decode(myapp::base64_encode(data), back)) << n;
    EXPECT_EQ(back, data) << n;
  }
  std::vector<std::byte> all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<std::byte>(i);
  std::vector<std::byte> back;
  ASSERT_TRUE(myapp::base64_decode(myapp::base64_encode(all), back));
  EXPECT_EQ(back, all);
  EXPECT_EQ(myapp::base64_encode(std::vector<std::byte>{std::byte{'M'}, std::byte{'a'}}), "TWE=");
}

TEST(Base64, RefusesWhatIsNotBase64) {
  std::vector<std::byte> out;
  EXPECT_FALSE(myapp::base64_decode("ab*d", out));
  EXPECT_FALSE(myapp::base64_decode("abcde", out));  // one character left over
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(myapp::base64_decode("", out));
}

TEST(BytesCodec, WritesReferencesWithAnAttachmentListAndBase64Without) {
  std::string out;
  std::vector<bytes> list;
  myapp::json::writer w(out);
  w.set_attachments(&list);
  std::map<std::string, bytes> value{{"a", bytes(sequence(3))}, {"b", bytes()}};
  myapp::json::write_value(w, value);
  EXPECT_EQ(out, R"({"a":{"$bytes":0},"b":{"$bytes":1}})");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0], bytes(sequence(3)));

  auto text = myapp::json::to_json(bytes(std::string("Ma")));
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(text.value(), "\"TWE=\"");
  auto back = myapp::json::parse<bytes>("\"TWE=\"");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back.value().view(), "Ma");
}

TEST(BytesCodec, ANumberArrayIsNotBytes) {
  auto r = myapp::json::parse<bytes>("[1,2,3]");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error_value().message().find("expected bytes"), std::string::npos);
  auto unknown = myapp::json::parse<bytes>(R"({"$bytes":0})");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error_value().message().find("no binary attachment 0"), std::string::npos);
}

struct upload {
  std::string name;
  bytes data;
  std::vector<bytes> parts;
};
MYAPP_STRUCT(upload, name, data, parts)

class RouterBytes : public ::testing::Test {
 protected:
  RouterBytes() : r_(myapp::router_options{.run_inline = true}) {
    r_.add("echo", [](bytes b) { return b; }, {"data"});
    r_.add("size", [](std::span<const std::byte> s) { return s.size(); }, {"data"});
    r_.add("store", [this](const upload& u) {
      seen_ = u;
      return u.parts.size();
    });
    r_.add("pair", [](bytes a) { return std::vector<bytes>{a, a.slice(1)}; }, {"data"});
    r_.add("stream", [](int n, myapp::channel<int> ch) {
      for (int i = 0; i < n; ++i) {
        if (i % 2 == 0) {
          ch.send(i);
        } else {
          ch.send_bytes(bytes(std::string(1, static_cast<char>('a' + i))));
        }
      }
    }, {"n", "channel"});
    r_.receive(R"([{"k":"hello","v":1}])", session_);
    session_->messages.clear();
    session_->attachments.clear();
  }
  myapp::router r_;
  std::shared_ptr<binary_session> session_ = std::make_shared<binary_session>();
  upload seen_;
};

TEST_F(RouterBytes, InlineBase64ArgumentComesBackAsAnAttachment) {
  r_.receive(R"([{"k":"invoke","id":1,"cmd":"echo","args":{"data":{"$bytes":0}},"bin":[{"b64":"AAEC/w=="}]}])",
             session_);
  ASSERT_EQ(session_->messages.size(), 1u);
  EXPECT_EQ(session_->messages[0], R"({"k":"result","id":1,"ok":{"$bytes":0}})");
  ASSERT_EQ(session_->attachments[0].size(), 1u);
  const auto& b = session_->attachments[0][0];
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0], std::byte{0});
  EXPECT_EQ(b[3], std::byte{0xff});
}

TEST_F(RouterBytes, LaneUploadsAreUsedWithoutCopying) {
  auto uploads = std::make_shared<std::vector<bytes>>();
  uploads->emplace_back(sequence(1 << 20));
  const std::byte* storage = (*uploads)[0].data();
  r_.receive(R"([{"k":"invoke","id":1,"cmd":"echo","args":{"data":{"$bytes":0}},"bin":[{"lane":0}]}])",
             session_, uploads);
  ASSERT_EQ(session_->attachments.size(), 1u);
  ASSERT_EQ(session_->attachments[0].size(), 1u);
  EXPECT_EQ(session_->attachments[0][0].data(), storage);
}

TEST_F(RouterBytes, NestedBytesInStructsAndArrays) {
  auto uploads = std::make_shared<std::vector<bytes>>();
  uploads->emplace_back(sequence(5));
  r_.receive(
      R"([{"k":"invoke","id":1,"cmd":"store","args":{"name":"x","data":{"$bytes":1},"parts":[{"$bytes":0},{"$bytes":1}]},"bin":[{"lane":0},{"b64":"AQI="}]}])",
      session_, uploads);
  ASSERT_EQ(session_->messages.size(), 1u);
  EXPECT_EQ(session_->messages[0], R"({"k":"result","id":1,"ok":2})");
  EXPECT_EQ(seen_.data.size(), 2u);
  EXPECT_EQ(seen_.parts[0], bytes(sequence(5)));
}

TEST_F(RouterBytes, SpanParameterSeesTheBuffer) {
  r_.receive(R"([{"k":"invoke","id":1,"cmd":"size","args":{"data":{"$bytes":0}},"bin":[{"b64":"AAAA"}]}])",
             session_);
  ASSERT_EQ(session_->messages.size(), 1u);
  EXPECT_EQ(session_->messages[0], R"({"k":"result","id":1,"ok":3})");
}

TEST_F(RouterBytes, BadAttachmentListsAreArgsInvalidWithWhere) {
  auto run = [&](std::string_view batch) {
    session_->messages.clear();
    r_.receive(batch, session_);
    return session_->messages.empty() ? std::string() : session_->messages[0];
  };
  auto m = run(R"([{"k":"invoke","id":1,"cmd":"echo","args":{"data":{"$bytes":0}},"bin":[{"lane":0}]}])");
  EXPECT_NE(m.find("args.invalid"), std::string::npos) << m;
  EXPECT_NE(m.find("bulk-lane buffer 0 but the batch came with 0"), std::string::npos) << m;
  m = run(R"([{"k":"invoke","id":2,"cmd":"echo","args":{"data":{"$bytes":0}},"bin":[{"b64":"**"}]}])");
  EXPECT_NE(m.find("not base64"), std::string::npos) << m;
  m = run(R"([{"k":"invoke","id":3,"cmd":"echo","args":{"data":{"$bytes":1}},"bin":[{"b64":""}]}])");
  EXPECT_NE(m.find("no binary attachment 1"), std::string::npos) << m;
  m = run(R"([{"k":"invoke","id":4,"cmd":"echo","args":{"data":[1,2]}}])");
  EXPECT_NE(m.find("expected bytes"), std::string::npos) << m;
  m = run(R"([{"k":"invoke","id":5,"cmd":"echo","args":{"data":{"$bytes":0}},"bin":{}}])");
  EXPECT_NE(m.find("protocol.invalid"), std::string::npos) << m;
  m = run(R"([{"k":"invoke","id":6,"cmd":"echo","args":{"data":{"$bytes":0}},"bin":[{}]}])");
  EXPECT_NE(m.find("needs `b64` or `lane`"), std::string::npos) << m;
}

TEST_F(RouterBytes, SeveralAttachmentsInOneResult) {
  r_.receive(R"([{"k":"invoke","id":1,"cmd":"pair","args":{"data":{"$bytes":0}},"bin":[{"b64":"AQID"}]}])",
             session_);
  ASSERT_EQ(session_->messages.size(), 1u);
  EXPECT_EQ(session_->messages[0], R"({"k":"result","id":1,"ok":[{"$bytes":0},{"$bytes":1}]})");
  ASSERT_EQ(session_->attachments[0].size(), 2u);
  EXPECT_EQ(session_->attachments[0][1].size(), 2u);
}

TEST_F(RouterBytes, BinaryFramesKeepTheirPlaceAmongJsonFrames) {
  r_.receive(R"([{"k":"invoke","id":1,"cmd":"stream","args":{"n":4,"channel":{"$channel":7}}}])",
             session_);
  // Frames 0..3, the end, the result.
  ASSERT_EQ(session_->messages.size(), 6u);
  EXPECT_EQ(session_->messages[0], R"({"k":"chan","ch":7,"i":0,"data":0})");
  EXPECT_EQ(session_->messages[1], R"({"k":"chan","ch":7,"i":1,"data":{"$bytes":0}})");
  ASSERT_EQ(session_->attachments[1].size(), 1u);
  EXPECT_EQ(session_->attachments[1][0].view(), "b");
  EXPECT_EQ(session_->messages[2], R"({"k":"chan","ch":7,"i":2,"data":2})");
  EXPECT_EQ(session_->attachments[3][0].view(), "d");
}

// ---------------------------------------------------------------------------------------------
// Long strings as raw UTF-8 attachments ({"$str": i})

// A string of `n` bytes of UTF-8 with quotes, backslashes, control characters, two- to
// four-byte characters: everything JSON would escape or that multi-byte decoding could cut.
std::string mixed_text(std::size_t n) {
  static constexpr std::string_view PIECES[] = {"a", "\"", "\\", "\n", "\x01", "é", "北", "😀", "z"};
  std::string s;
  for (std::size_t i = 0; s.size() < n; ++i) s += PIECES[(i * 7) % std::size(PIECES)];
  return s;
}

TEST(TextAttachments, WriterSendsLongStringsAsAttachmentsAndShortOnesInline) {
  const std::string long_text = mixed_text(myapp::protocol::TEXT_ATTACHMENT_MIN + 3);
  std::string out;
  std::vector<bytes> list;
  myapp::json::writer w(out);
  w.set_attachments(&list);
  myapp::json::write_value(w, std::vector<std::string>{"short", long_text, long_text});
  ASSERT_TRUE(w.ok()) << w.error();
  EXPECT_EQ(out, R"(["short",{"$str":0},{"$str":1}])");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].view(), long_text);

  // Without a list, and below the threshold, strings stay JSON.
  auto inline_text = myapp::json::to_json(long_text);
  ASSERT_TRUE(inline_text.has_value());
  EXPECT_EQ(inline_text.value().front(), '"');
  out.clear();
  list.clear();
  myapp::json::writer small(out);
  small.set_attachments(&list, 4);
  small.string("abc");
  EXPECT_EQ(out, "\"abc\"");
  EXPECT_TRUE(list.empty());

  // A long string that is not UTF-8 fails as it does inline, and attaches nothing.
  out.clear();
  myapp::json::writer bad(out);
  bad.set_attachments(&list);
  bad.string(long_text + "\xff");
  EXPECT_FALSE(bad.ok());
  EXPECT_TRUE(list.empty());
}

struct text_doc {
  std::string title;
  std::vector<std::string> lines;
  std::optional<std::string> note;
  myapp::json::raw extra;
};
MYAPP_STRUCT(text_doc, title, lines, note, extra)

class RouterText : public ::testing::Test {
 protected:
  RouterText() : r_(myapp::router_options{.run_inline = true}) {
    r_.add("echo", [](std::string text) { return text; }, {"text"});
    r_.add("doc", [this](const text_doc& d) {
      seen_ = d;
      return d.lines.size();
    });
    r_.add("make", [](std::size_t n) { return mixed_text(n); }, {"n"});
    r_.add("stream", [](std::size_t n, myapp::channel<std::string> ch) {
      ch.send("small");
      ch.send(mixed_text(n));
    }, {"n", "channel"});
    r_.receive(R"([{"k":"hello","v":1}])", session_);
    session_->messages.clear();
    session_->attachments.clear();
  }
  std::string run(std::string_view batch, std::shared_ptr<std::vector<bytes>> uploads = nullptr) {
    session_->messages.clear();
    session_->attachments.clear();
    r_.receive(batch, session_, std::move(uploads));
    return session_->messages.empty() ? std::string() : session_->messages[0];
  }
  static std::shared_ptr<std::vector<bytes>> lane(std::vector<std::string> texts) {
    auto uploads = std::make_shared<std::vector<bytes>>();
    for (auto& t : texts) uploads->emplace_back(std::move(t));
    return uploads;
  }
  myapp::router r_;
  std::shared_ptr<binary_session> session_ = std::make_shared<binary_session>();
  text_doc seen_;
};

TEST_F(RouterText, ALongStringArgumentArrivesAsTextAndGoesBackAsAnAttachment) {
  const std::string text = mixed_text(200000);
  const auto m = run(R"([{"k":"invoke","id":1,"cmd":"echo","args":{"text":{"$str":0}},"bin":[{"lane":0}]}])",
                     lane({text}));
  EXPECT_EQ(m, R"({"k":"result","id":1,"ok":{"$str":0}})");
  ASSERT_EQ(session_->attachments[0].size(), 1u);
  EXPECT_EQ(session_->attachments[0][0].view(), text);
  // Inline base64 works too (a page whose lane failed sends that way).
  const auto b64 = myapp::base64_encode(bytes(std::string("Zoë")).span());
  EXPECT_EQ(run(R"([{"k":"invoke","id":2,"cmd":"echo","args":{"text":{"$str":0}},"bin":[{"b64":")" + b64 + R"("}]}])"),
            R"({"k":"result","id":2,"ok":"Zoë"})");
}

TEST_F(RouterText, NestedStringsOptionalsAndRawValuesReadTheirAttachments) {
  const std::string a = mixed_text(70000);
  const std::string b = mixed_text(90000);
  const auto m = run(
      R"([{"k":"invoke","id":1,"cmd":"doc","args":{"title":{"$str":1},"lines":["x",{"$str":0},{"$str":1}],"note":{"$str":0},"extra":{"k":[{"$str":1}, { "$str" : 0 }],"s":"{\"$str\":0}"}},"bin":[{"lane":0},{"lane":1}]}])",
      lane({a, b}));
  EXPECT_EQ(m, R"({"k":"result","id":1,"ok":3})");
  EXPECT_EQ(seen_.title, b);
  ASSERT_EQ(seen_.lines.size(), 3u);
  EXPECT_EQ(seen_.lines[1], a);
  EXPECT_EQ(seen_.lines[2], b);
  EXPECT_EQ(seen_.note, a);
  // A json::raw gets its strings written back as JSON; a string that only looks like a
  // reference stays a string.
  auto extra = myapp::json::parse<std::map<std::string, myapp::json::raw>>(seen_.extra.text);
  ASSERT_TRUE(extra.has_value()) << seen_.extra.text.substr(0, 200);
  auto k = myapp::json::parse<std::vector<std::string>>(extra.value()["k"].text);
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(k.value(), (std::vector<std::string>{b, a}));
  EXPECT_EQ(extra.value()["s"].text, R"("{\"$str\":0}")");
}

TEST_F(RouterText, BadReferencesAreArgsInvalidWithWhere) {
  auto m = run(R"([{"k":"invoke","id":1,"cmd":"echo","args":{"text":{"$str":1}},"bin":[{"b64":"YQ=="}]}])");
  EXPECT_NE(m.find("args.invalid"), std::string::npos) << m;
  EXPECT_NE(m.find("at `text`: the message carries no attachment 1"), std::string::npos) << m;
  m = run(R"([{"k":"invoke","id":2,"cmd":"echo","args":{"text":{"$str":0}},"bin":[{"b64":"/w=="}]}])");
  EXPECT_NE(m.find("at `text`: attachment 0 holds this string's text but is not valid UTF-8"), std::string::npos) << m;
  m = run(R"([{"k":"invoke","id":3,"cmd":"echo","args":{"text":{"$str":0,"x":1}},"bin":[{"b64":"YQ=="}]}])");
  EXPECT_NE(m.find("at `text`: expected string, got object"), std::string::npos) << m;
  m = run(R"([{"k":"invoke","id":4,"cmd":"echo","args":{"text":{"$str":"0"}},"bin":[{"b64":"YQ=="}]}])");
  EXPECT_NE(m.find("args.invalid"), std::string::npos) << m;
  // Without attachments a reference is just an object.
  m = run(R"([{"k":"invoke","id":5,"cmd":"echo","args":{"text":{"$str":0}}}])");
  EXPECT_NE(m.find("at `text`: expected string, got object"), std::string::npos) << m;
  m = run(R"([{"k":"invoke","id":6,"cmd":"doc","args":{"title":"t","lines":[],"extra":[{"$str":3}]},"bin":[{"b64":"YQ=="}]}])");
  EXPECT_NE(m.find("at `extra`: the message carries no attachment 3 for a string"), std::string::npos) << m;
  m = run(R"([{"k":"invoke","id":7,"cmd":"doc","args":{"title":"t","lines":[],"extra":{"$str":0}},"bin":[{"b64":"/w=="}]}])");
  EXPECT_NE(m.find("attachment 0 holds a string's text but is not valid UTF-8"), std::string::npos) << m;
}

TEST(RouterTextLimit, StringsBesideTheJsonCountAgainstTheBatchLimit) {
  myapp::router r(myapp::router_options{.run_inline = true, .max_batch_bytes = 4096});
  r.add("echo", [](std::string text) { return text; }, {"text"});
  r.add("raw", [](myapp::json::raw v) { return v.text.size(); }, {"v"});
  auto s = std::make_shared<binary_session>();
  r.receive(R"([{"k":"hello","v":1}])", s);
  const auto send = [&](std::string_view batch, std::vector<std::string> texts) {
    auto uploads = std::make_shared<std::vector<bytes>>();
    for (auto& t : texts) uploads->emplace_back(std::move(t));
    s->messages.clear();
    r.receive(batch, s, uploads);
    return s->messages.empty() ? std::string() : s->messages[0];
  };
  // Under the limit together: fine.
  auto m = send(R"([{"k":"invoke","id":1,"cmd":"echo","args":{"text":{"$str":0}},"bin":[{"lane":0}]}])",
                {std::string(3000, 'a')});
  EXPECT_TRUE(m.starts_with(R"({"k":"result","id":1,"ok":"aaa)")) << m;
  // One string past it, or two that are together: limit.exceeded, saying why.
  m = send(R"([{"k":"invoke","id":2,"cmd":"echo","args":{"text":{"$str":0}},"bin":[{"lane":0}]}])",
           {std::string(5000, 'a')});
  EXPECT_NE(m.find("limit.exceeded"), std::string::npos) << m;
  EXPECT_NE(m.find("larger than the app accepts in one message"), std::string::npos) << m;
  EXPECT_NE(m.find("max_batch_bytes"), std::string::npos) << m;
  m = send(R"([{"k":"invoke","id":3,"cmd":"raw","args":{"v":[{"$str":0},{"$str":1}]},"bin":[{"lane":0},{"lane":1}]}])",
           {std::string(2500, 'a'), std::string(2500, 'b')});
  EXPECT_NE(m.find("limit.exceeded"), std::string::npos) << m;
  EXPECT_NE(m.find("attachment 1 brings them past"), std::string::npos) << m;
}

TEST(RouterTextLimit, StringsSentBesideAnAnswerOrFrameCountAgainstWhatAPageCanRead) {
  myapp::router_options o{.run_inline = true};
  o.max_message_to_page = 100000;
  myapp::router r(o);
  r.add("make", [](std::size_t n) { return std::vector<std::string>{std::string(n, 'a'), std::string(n, 'b')}; }, {"n"});
  r.add("stream", [](std::size_t n, myapp::channel<std::string> ch) { ch.send(std::string(n, 'c')); }, {"n", "channel"});
  auto s = std::make_shared<binary_session>();
  r.receive(R"([{"k":"hello","v":1}])", s);
  s->messages.clear();
  r.receive(R"([{"k":"invoke","id":1,"cmd":"make","args":{"n":70000}}])", s);
  ASSERT_EQ(s->messages.size(), 1u);
  EXPECT_NE(s->messages[0].find("limit.exceeded"), std::string::npos) << s->messages[0];
  EXPECT_NE(s->messages[0].find("140"), std::string::npos) << s->messages[0];
  s->messages.clear();
  r.receive(R"([{"k":"invoke","id":2,"cmd":"stream","args":{"n":120000,"channel":{"$channel":1}}}])", s);
  ASSERT_FALSE(s->messages.empty());
  EXPECT_NE(s->messages.back().find("limit.exceeded"), std::string::npos) << s->messages.back();
  EXPECT_NE(s->messages.back().find("a channel frame of 120"), std::string::npos) << s->messages.back();
}

TEST_F(RouterText, ResultsAndChannelFramesCarryLongStringsAsAttachments) {
  const std::size_t n = myapp::protocol::TEXT_ATTACHMENT_MIN;
  auto m = run(R"([{"k":"invoke","id":1,"cmd":"make","args":{"n":)" + std::to_string(n) + "}}]");
  EXPECT_EQ(m, R"({"k":"result","id":1,"ok":{"$str":0}})");
  EXPECT_EQ(session_->attachments[0][0].view(), mixed_text(n));
  m = run(R"([{"k":"invoke","id":2,"cmd":"make","args":{"n":100}}])");
  EXPECT_EQ(m.front(), '{');
  EXPECT_TRUE(session_->attachments[0].empty());
  EXPECT_NE(m.find(R"("ok":"a)"), std::string::npos) << m;
  run(R"([{"k":"invoke","id":3,"cmd":"stream","args":{"n":100000,"channel":{"$channel":4}}}])");
  ASSERT_GE(session_->messages.size(), 2u);
  EXPECT_EQ(session_->messages[0], R"({"k":"chan","ch":4,"i":0,"data":"small"})");
  EXPECT_EQ(session_->messages[1], R"({"k":"chan","ch":4,"i":1,"data":{"$str":0}})");
  EXPECT_EQ(session_->attachments[1][0].view(), mixed_text(100000));
}

TEST(PeerDefault, SendBinaryPutsAttachmentsInline) {
  myapp::router r(myapp::router_options{.run_inline = true});
  r.add("blob", [] { return bytes(std::string("Ma")); });
  auto p = std::make_shared<text_session>();
  r.receive(R"([{"k":"hello","v":1},{"k":"invoke","id":1,"cmd":"blob"}])", p);
  ASSERT_EQ(p->messages.size(), 2u);
  EXPECT_EQ(p->messages[1], R"({"k":"result","id":1,"ok":{"$bytes":0},"bin":[{"b64":"TWE="}]})");
}

}  // namespace

// The bytes that one page's pending calls hold are bounded: past the limit a call is refused
// with limit.exceeded, saying why, and the room comes back as calls finish.
TEST(RouterPendingBytes, APageCannotHoldMoreThanTheLimitInPendingCalls) {
  struct page final : myapp::session {
    myapp::caller_info info;
    std::mutex mutex;
    std::vector<std::string> got;
    const myapp::caller_info& caller() const noexcept override { return info; }
    void send(std::string message) override {
      std::lock_guard lock(mutex);
      got.push_back(std::move(message));
    }
    std::vector<std::string> take() {
      std::lock_guard lock(mutex);
      return std::exchange(got, {});
    }
  };
  myapp::router r(myapp::router_options{.workers = 2, .max_pending_bytes_per_page = 1000000});
  std::atomic<bool> release{false};
  r.add("hold", [&](std::span<const std::byte> data) {
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return data.size();
  }, {"data"});
  auto p = std::make_shared<page>();
  p->info.label = "main";
  r.receive(R"([{"k":"hello","v":1}])", p);
  p->take();
  const auto upload = [&](int id, std::size_t n) {
    auto uploads = std::make_shared<std::vector<bytes>>();
    uploads->emplace_back(std::string(n, 'x'));
    r.receive(fmt::format(R"([{{"k":"invoke","id":{},"cmd":"hold","args":{{"data":{{"$bytes":0}}}},)"
                          R"("bin":[{{"lane":0}}]}}])", id),
              p, uploads);
  };
  const auto wait_for = [&](std::size_t n) {
    std::vector<std::string> all;
    for (int i = 0; i < 5000 && all.size() < n; ++i) {
      auto m = p->take();
      all.insert(all.end(), m.begin(), m.end());
      if (all.size() < n) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return all;
  };
  upload(1, 600000);
  upload(2, 600000);  // 1.2 MB together: refused
  auto m = wait_for(1);
  ASSERT_EQ(m.size(), 1U);
  EXPECT_NE(m[0].find(R"({"k":"error","id":2,"error":{"code":"limit.exceeded")"), std::string::npos) << m[0];
  EXPECT_NE(m[0].find("max_pending_bytes_per_page"), std::string::npos) << m[0];
  EXPECT_NE(m[0].find("would add 6000"), std::string::npos) << m[0];
  // A small call still fits beside the large one.
  r.receive(R"([{"k":"invoke","id":3,"cmd":"hold","args":{"data":{"$bytes":0}},"bin":[{"b64":"AQID"}]}])", p);
  release = true;
  m = wait_for(2);
  ASSERT_EQ(m.size(), 2U);
  std::sort(m.begin(), m.end());
  EXPECT_EQ(m[0], R"({"k":"result","id":1,"ok":600000})");
  EXPECT_EQ(m[1], R"({"k":"result","id":3,"ok":3})");
  // The finished calls gave their room back.
  upload(4, 600000);
  m = wait_for(1);
  ASSERT_EQ(m.size(), 1U);
  EXPECT_EQ(m[0], R"({"k":"result","id":4,"ok":600000})");
}
