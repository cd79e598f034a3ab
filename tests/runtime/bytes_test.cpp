// Bytes and large payloads in real headless pages: exact round trips of every size through
// every lane, nested bytes, binary channel frames in order, large JSON both ways, a reload
// during a transfer, and the bulk lane's refusals.
#include <gtest/gtest.h>

#include <QWebEngineView>
#include <QWebSocket>

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "blobs.hpp"
#include "harness.hpp"
#include "lane.hpp"
#include "myapp/app.hpp"

namespace {

using myapp::bytes;
using myapp::testing::eval;
using myapp::testing::settle;
using myapp::testing::wait_until;

myapp::app* the_app = nullptr;
std::atomic<int> slow_started{0};
std::atomic<int> slow_done{0};
std::atomic<int> holding{0};
std::atomic<bool> release_held{false};

myapp::window& main_window() { return *the_app->find_window("main"); }

bytes pattern(std::size_t n) {
  std::vector<std::byte> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::byte>((i * 131 + 7) & 0xff);
  return bytes(std::move(v));
}

std::uint32_t fnv(std::span<const std::byte> data) {
  std::uint32_t h = 0x811c9dc5;
  for (auto b : data) {
    h ^= static_cast<std::uint32_t>(b);
    h *= 0x01000193;
  }
  return h;
}

struct digest_result {
  std::size_t size = 0;
  std::uint32_t fnv = 0;
};
MYAPP_STRUCT(digest_result, size, fnv)

struct nested_doc {
  std::string name;
  bytes head;
  std::vector<bytes> parts;
  std::map<std::string, bytes> named;
};
MYAPP_STRUCT(nested_doc, name, head, parts, named)

struct nested_summary {
  std::string name;
  std::size_t head = 0;
  std::vector<std::size_t> parts;
  std::map<std::string, std::uint32_t> named;
};
MYAPP_STRUCT(nested_summary, name, head, parts, named)

struct pair_result {
  bytes small;
  std::vector<bytes> list;
  std::string label;
};
MYAPP_STRUCT(pair_result, small, list, label)

class Bytes : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(wait_until([] { return main_window().ready(); })); }

  static std::string call(const std::string& expression, int timeout_ms = 60000) {
    return settle(main_window(), expression, timeout_ms);
  }
};

TEST_F(Bytes, ExactRoundTripsOfEverySize) {
  // Around the thresholds of the lane for bytes from the page (2 KiB) and of inline bytes to the
  // page (48 KiB; both were 16 and 64 KiB before), and far past them.
  for (int n : {0, 1, 2047, 2048, 2049, 49151, 49152, 49153, 65535, 65536, 65537,
                10 * 1024 * 1024}) {
    const std::string size = std::to_string(n);
    EXPECT_EQ(call("__MYAPP__.invoke('echo', {data: pattern(" + size + ")}).then(b => isPattern(b, " +
                   size + "))"),
              R"({"ok":true})")
        << "echo of " << n << " bytes";
    EXPECT_EQ(call("__MYAPP__.invoke('make', {n: " + size + "}).then(b => isPattern(b, " + size + "))"),
              R"({"ok":true})")
        << "result of " << n << " bytes";
  }
}

TEST_F(Bytes, AllByteValues) {
  EXPECT_EQ(call("(() => { const a = new Uint8Array(256); for (let i = 0; i < 256; i++) a[i] = i; "
                 "return __MYAPP__.invoke('echo', {data: a}).then(b => { const c = new Uint8Array(b); "
                 "return c.length === 256 && c.every((v, i) => v === i); }); })()"),
            R"({"ok":true})");
}

TEST_F(Bytes, ArrayBufferDataViewAndOffsetViewsArriveAsTheirBytes) {
  // A view into the middle of a buffer sends only its own bytes.
  const std::string r = call(
      "(async () => { const a = pattern(300000); const views = [a.buffer, new DataView(a.buffer, "
      "1000, 5000), a.subarray(7, 100007), new Uint8Array(a.buffer, 3, 5)]; const out = []; "
      "for (const v of views) { const d = await __MYAPP__.invoke('digest', {data: v}); "
      "const u = new Uint8Array(v.buffer || v, v.byteOffset || 0, v.byteLength); "
      "out.push(d.size === u.length && d.fnv === fnv(u)); } return out; })()");
  EXPECT_EQ(r, R"({"ok":[true,true,true,true]})");
}

TEST_F(Bytes, NestedInObjectsAndArrays) {
  const std::string r = call(
      "__MYAPP__.invoke('nested', {name: 'n', head: pattern(3), parts: [pattern(1), new "
      "ArrayBuffer(0), pattern(100000)], named: {a: pattern(70000).buffer, b: new DataView(new "
      "ArrayBuffer(2))}})");
  EXPECT_EQ(r, R"({"ok":{"name":"n","head":3,"parts":[1,0,100000],"named":{"a":)" +
                   std::to_string(fnv(pattern(70000).span())) + R"(,"b":)" +
                   std::to_string(fnv(bytes(std::vector<std::byte>(2)).span())) + "}}}");
}

TEST_F(Bytes, BytesInsideResultsAreArrayBuffers) {
  EXPECT_EQ(call("__MYAPP__.invoke('pair', {n: 200000}).then(r => r.small instanceof ArrayBuffer "
                 "&& isPattern(r.small, 10) && isPattern(r.list[0], 200000) && r.label === 'text')"),
            R"({"ok":true})");
}

TEST_F(Bytes, LargeUploadsTravelTheBulkLane) {
  auto* lane = myapp::runtime::bulk_lane::active();
  ASSERT_NE(lane, nullptr);
  const auto before = lane->stats();
  EXPECT_EQ(call("(() => { const a = pattern(12 * 1024 * 1024); return __MYAPP__.invoke('digest', "
                 "{data: a}).then(d => d.size === a.length && d.fnv === fnv(a)); })()"),
            R"({"ok":true})");
  const auto after = lane->stats();
  EXPECT_GE(after.accepted, before.accepted + (before.connections == 0 ? 1 : 0));
  EXPECT_GE(after.connections, 1u);
  EXPECT_EQ(after.refused, before.refused);
}

TEST_F(Bytes, BinaryAndJsonFramesKeepTheirOrderOnOneChannel) {
  const std::string r = call(
      "new Promise((resolve) => { const got = []; const ch = new __MYAPP__.Channel((f) => "
      "got.push(f instanceof ArrayBuffer ? 'b' + f.byteLength : 'j' + f.i)); ch.onclose = () => "
      "resolve(got.join(',')); __MYAPP__.invoke('mixed', {n: 8, channel: ch}); })");
  // Odd frames are bytes: i * 70000 of them, so the larger ones are fetched as blobs while the
  // JSON frames behind them wait their turn.
  EXPECT_EQ(r, R"({"ok":"j0,b70000,j2,b210000,j4,b350000,j6,b490000"})");
}

TEST_F(Bytes, LargeJsonBothWays) {
  for (int mb : {1, 5}) {
    const std::string n = std::to_string(mb * 1024 * 1024);
    EXPECT_EQ(call("(() => { const s = 'x\"\\u00e9'.repeat(" + n + " / 3); return __MYAPP__.invoke("
                   "'echo_text', {text: s}).then(t => t === s); })()"),
              R"({"ok":true})")
        << mb << " MB";
  }
  EXPECT_EQ(call("__MYAPP__.invoke('big_list', {n: 200000}).then(l => l.length === 200000 && "
                 "l[199999].name === 'item 199999')"),
            R"({"ok":true})");
}

// Long strings travel as raw UTF-8 attachments ({"$str": i}): every kind of character, sizes
// on both sides of the threshold, inside arrays, back through a channel.
TEST_F(Bytes, LongStringsArriveExactlyInArgsResultsAndFrames) {
  const std::string make =
      "const piece = 'a\"\\\\\\n\\u0001\\u00e9\\u5317\\ud83d\\ude00z';"
      "const text = (n) => piece.repeat(Math.ceil(n / piece.length)).slice(0, n).replace(/[\\ud800-\\udbff]$/, 'x');";
  // Around the threshold (4 KiB of UTF-16 units on the page), around 48 KiB of UTF-8 (the piece
  // below is 15 bytes per 10 units: where an answer's string stops riding inline), and far past.
  for (int n : {4095, 4096, 4097, 32767, 32768, 32769, 65535, 65536, 65537, 300000}) {
    EXPECT_EQ(call("(() => { " + make + " const s = text(" + std::to_string(n) +
                   "); return __MYAPP__.invoke('echo_text', {text: s}).then(t => t === s); })()"),
              R"({"ok":true})")
        << n << " UTF-16 units";
  }
  EXPECT_EQ(call("(() => { " + make + " const l = [text(70000), 'short', text(100000), text(70000)];"
                 " return __MYAPP__.invoke('echo_texts', {texts: l}).then(r => JSON.stringify(r) === "
                 "JSON.stringify(l)); })()"),
            R"({"ok":true})");
  EXPECT_EQ(call("new Promise((resolve) => { " + make + " const got = []; const ch = new __MYAPP__.Channel("
                 "(f) => got.push(f)); ch.onclose = () => resolve(got.length === 3 && got[0] === 'small' &&"
                 " got[1] === text(90000) && got[2] === text(200000)); __MYAPP__.invoke('text_stream', "
                 "{channel: ch}); })"),
            R"({"ok":true})");
  // A lone surrogate has no UTF-8: it arrives as U+FFFD, as it would in any UTF-8 text the page
  // sends (fetch, WebSocket).
  EXPECT_EQ(call("(() => { const s = 'x'.repeat(70000) + '\\ud800'; return __MYAPP__.invoke('echo_text',"
                 " {text: s}).then(t => t === 'x'.repeat(70000) + '\\ufffd'); })()"),
            R"({"ok":true})");
}

// A string that begins with U+FEFF keeps it whatever road it takes: inside the JSON, as an
// attachment riding inline, as a blob. (A UTF-8 decoder left to its defaults takes a leading
// byte order mark for a marker and drops it.)
TEST_F(Bytes, StringsKeepALeadingByteOrderMarkAndNuls) {
  for (int n : {10, 5000, 70000, 300000}) {
    EXPECT_EQ(call("(() => { const s = '\\ufeff' + 'b\\u00e9'.repeat(" + std::to_string(n) +
                   " / 2); return __MYAPP__.invoke('echo_text', {text: s}).then(t => t.length === "
                   "s.length && t === s ? true : 'came back ' + t.length + ' long, starting ' + "
                   "t.charCodeAt(0)); })()"),
              R"({"ok":true})")
        << n << " UTF-16 units";
  }
  EXPECT_EQ(call("new Promise((resolve) => { const got = []; const ch = new __MYAPP__.Channel("
                 "(f) => got.push(f)); ch.onclose = () => resolve(got.every((f) => f.charCodeAt(0) === "
                 "0xfeff)); __MYAPP__.invoke('bom_stream', {channel: ch}); })"),
            R"({"ok":true})");
  // NUL characters, which are one zero byte of UTF-8, alone and around the mark.
  for (int n : {10, 5000, 70000}) {
    EXPECT_EQ(call("(() => { const s = '\\u0000\\ufeff\\u0000'.repeat(" + std::to_string(n) +
                   " / 3); return __MYAPP__.invoke('echo_text', {text: s}).then(t => t === s); })()"),
              R"({"ok":true})")
        << n << " UTF-16 units of NUL and U+FEFF";
  }
}

// A string cut between the halves of a surrogate pair (a slice of text with emoji in it) has a
// lone surrogate, which UTF-8 cannot hold: it arrives as U+FFFD whatever its length, in the JSON
// or beside it, where a page's fetch or WebSocket would send the same.
TEST_F(Bytes, ALoneSurrogateArrivesAsAReplacementCharacterAtAnyLength) {
  for (int n : {1, 100, 5000, 70000}) {
    EXPECT_EQ(call("(() => { const s = 'x'.repeat(" + std::to_string(n) + ") + "
                   "'\\ud83d\\ude00'.slice(0, 1); return __MYAPP__.invoke('echo_text', {text: s})"
                   ".then(t => t === s.slice(0, -1) + '\\ufffd' || 'came back ' + "
                   "JSON.stringify(t.slice(-3))); })()"),
              R"({"ok":true})")
        << n << " UTF-16 units before the lone surrogate";
  }
  EXPECT_EQ(call("__MYAPP__.invoke('echo_texts', {texts: ['\\udc00', 'ok', '\\ud83d\\ude00']})"
                 ".then(t => JSON.stringify(t) === JSON.stringify(['\\ufffd', 'ok', "
                 "'\\ud83d\\ude00']) || JSON.stringify(t))"),
            R"({"ok":true})");
}

TEST_F(Bytes, BytesInEventPayloadsAreBase64) {
  EXPECT_EQ(call("__MYAPP__.emit('blob-event', {data: new Uint8Array([77, 97])}).then(() => 1)"),
            R"({"ok":1})");
}

TEST_F(Bytes, AReloadDuringATransferCancelsItAndFreesTheBuffers) {
  slow_started = 0;
  slow_done = 0;
  // A 40 MB result is being made when the page goes away; an upload is under way too.
  eval(main_window(),
       "(__MYAPP__.invoke('slow_make', {n: 40 * 1024 * 1024, ms: 500}).catch(() => {}), "
       "__MYAPP__.invoke('digest', {data: pattern(30 * 1024 * 1024)}).catch(() => {}), 0)");
  ASSERT_TRUE(wait_until([] { return slow_started.load() == 1; }));
  main_window().view()->reload();
  ASSERT_TRUE(wait_until([] { return slow_done.load() == 1; }));
  ASSERT_TRUE(wait_until([] { return main_window().ready(); }));
  // Nothing of the old page's transfers is kept.
  EXPECT_TRUE(wait_until([] { return myapp::runtime::blobs().count() == 0; }, 5000))
      << myapp::runtime::blobs().count() << " blobs, " << myapp::runtime::blobs().total_bytes()
      << " bytes left";
  EXPECT_EQ(myapp::runtime::blobs().total_bytes(), 0u);
  auto* lane = myapp::runtime::bulk_lane::active();
  EXPECT_TRUE(wait_until([&] { return lane->stats().open_lanes == 1; }, 5000))
      << lane->stats().open_lanes << " lanes open";
  // The new page works.
  EXPECT_EQ(call("__MYAPP__.invoke('make', {n: 300000}).then(b => isPattern(b, 300000))"),
            R"({"ok":true})");
}

// A page cannot fill the app's memory with uploads its handlers have not reached: past the
// bytes its pending calls may hold (64 MiB here), a call fails with limit.exceeded saying so,
// and once calls finish there is room again.
TEST_F(Bytes, UploadsPastWhatPendingCallsMayHoldAreRefusedUntilCallsFinish) {
  release_held = false;
  eval(main_window(),
       "(window.held = [1, 2, 3].map(() => __MYAPP__.invoke('hold', {data: pattern(25 * 1024 * 1024)})"
       ".then(n => n, e => e.code + ': ' + e.message)), 0)");
  ASSERT_TRUE(wait_until([] { return holding.load() == 2; })) << holding.load() << " calls holding";
  release_held = true;
  const std::string r = call("Promise.all(window.held)");
  EXPECT_NE(r.find("[26214400,26214400,\"limit.exceeded: invoke "), std::string::npos) << r.substr(0, 300);
  EXPECT_NE(r.find("max_pending_bytes_per_page"), std::string::npos) << r.substr(0, 300);
  EXPECT_EQ(call("__MYAPP__.invoke('hold', {data: pattern(25 * 1024 * 1024)})"), R"({"ok":26214400})");
}

// --- the bulk lane's refusals -------------------------------------------------------------

struct lane_client {
  QWebSocket socket;
  bool connected = false;
  bool disconnected = false;
  explicit lane_client(const QString& origin) : socket(origin) {
    QObject::connect(&socket, &QWebSocket::connected, [this] { connected = true; });
    QObject::connect(&socket, &QWebSocket::disconnected, [this] { disconnected = true; });
  }
  // Connects to the lane at `path`; true once the server closed the connection.
  bool refused(const std::string& path) {
    auto* lane = myapp::runtime::bulk_lane::active();
    socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(lane->port()).arg(QString::fromStdString(path))));
    wait_until([&] { return disconnected; }, 5000);
    return disconnected;
  }
};

std::string page_secret() {
  auto secrets = myapp::runtime::bulk_lane::active()->secrets_of("main");
  return secrets.size() == 1 ? secrets[0] : std::string();
}

TEST_F(Bytes, LaneRefusesAWrongSecret) {
  auto* lane = myapp::runtime::bulk_lane::active();
  const auto refused = lane->stats().refused;
  lane_client c(QStringLiteral("myapp://localhost"));
  EXPECT_TRUE(c.refused("/0123456789abcdef0123456789abcdef"));
  EXPECT_EQ(c.socket.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
  EXPECT_EQ(lane->stats().refused, refused + 1);
}

TEST_F(Bytes, LaneRefusesAMissingSecret) {
  lane_client c(QStringLiteral("myapp://localhost"));
  EXPECT_TRUE(c.refused("/"));
  EXPECT_EQ(c.socket.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
  EXPECT_NE(c.socket.closeReason().toStdString().find("no lane secret"), std::string::npos);
}

TEST_F(Bytes, LaneRefusesAnotherOrigin) {
  const std::string secret = page_secret();
  ASSERT_FALSE(secret.empty());
  lane_client c(QStringLiteral("http://127.0.0.1:8080"));
  EXPECT_TRUE(c.refused("/" + secret));
  EXPECT_EQ(c.socket.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
  EXPECT_NE(c.socket.closeReason().toStdString().find("origin"), std::string::npos);
  lane_client none(QString{});
  EXPECT_TRUE(none.refused("/" + secret));
}

TEST_F(Bytes, LaneClosesAConnectionSendingAnOversizedFrame) {
  const std::string secret = page_secret();
  ASSERT_FALSE(secret.empty());
  lane_client c(QStringLiteral("myapp://localhost"));
  auto* lane = myapp::runtime::bulk_lane::active();
  c.socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/%2").arg(lane->port()).arg(QString::fromStdString(secret))));
  ASSERT_TRUE(wait_until([&] { return c.connected || c.disconnected; }, 5000));
  ASSERT_TRUE(c.connected);
  c.socket.sendTextMessage(QStringLiteral("u"));
  c.socket.sendBinaryMessage(QByteArray(33 * 1024 * 1024, 'x'));  // the test app allows 32 MiB
  EXPECT_TRUE(wait_until([&] { return c.disconnected; }, 10000));
  EXPECT_EQ(c.socket.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
}

TEST_F(Bytes, LaneClosesAConnectionBreakingTheProtocol) {
  const std::string secret = page_secret();
  ASSERT_FALSE(secret.empty());
  lane_client c(QStringLiteral("myapp://localhost"));
  auto* lane = myapp::runtime::bulk_lane::active();
  c.socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/%2").arg(lane->port()).arg(QString::fromStdString(secret))));
  ASSERT_TRUE(wait_until([&] { return c.connected || c.disconnected; }, 5000));
  c.socket.sendBinaryMessage(QByteArray("[]"));  // no control message before it
  EXPECT_TRUE(wait_until([&] { return c.disconnected; }, 5000));
  EXPECT_EQ(c.socket.closeCode(), QWebSocketProtocol::CloseCodeProtocolError);
}

TEST_F(Bytes, LaneRefusesTheSecretOfAPageThatWentAway) {
  const std::string old_secret = page_secret();
  ASSERT_FALSE(old_secret.empty());
  main_window().view()->reload();
  ASSERT_TRUE(wait_until([&] {
    const auto s = page_secret();
    return main_window().ready() && !s.empty() && s != old_secret;
  }));
  lane_client c(QStringLiteral("myapp://localhost"));
  EXPECT_TRUE(c.refused("/" + old_secret));
  EXPECT_NE(c.socket.closeReason().toStdString().find("unknown or expired"), std::string::npos);
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (std::getenv("QT_QPA_PLATFORM") == nullptr) setenv("QT_QPA_PLATFORM", "offscreen", 1);

  myapp::app_options options{.name = "myapp-bytes-test"};
  options.lane.max_message_bytes = 32 * 1024 * 1024;
  options.lane.max_frame_bytes = 32 * 1024 * 1024;
  options.router.max_pending_bytes_per_page = 64 * 1024 * 1024;
  myapp::app app(argc, argv, options);
  app.command("make", [](std::size_t n) { return pattern(n); }, {"n"});
  app.command("echo", [](bytes data) { return data; }, {"data"});
  app.command("digest", [](std::span<const std::byte> data) {
    return digest_result{data.size(), fnv(data)};
  }, {"data"});
  app.command("nested", [](const nested_doc& d) {
    nested_summary s{d.name, d.head.size(), {}, {}};
    for (const auto& p : d.parts) s.parts.push_back(p.size());
    for (const auto& [k, v] : d.named) s.named[k] = fnv(v.span());
    return s;
  });
  app.command("pair", [](std::size_t n) {
    return pair_result{pattern(10), {pattern(n)}, "text"};
  }, {"n"});
  app.command("mixed", [](int n, myapp::channel<myapp::json::raw> ch) {
    for (int i = 0; i < n; ++i) {
      if (i % 2 == 0) {
        ch.send(myapp::json::raw{"{\"i\":" + std::to_string(i) + "}"});
      } else {
        ch.send_bytes(pattern(static_cast<std::size_t>(i) * 70000));
      }
    }
  }, {"n", "channel"});
  app.command("echo_text", [](std::string text) { return text; }, {"text"});
  app.command("echo_texts", [](std::vector<std::string> texts) { return texts; }, {"texts"});
  app.command("text_stream", [](myapp::channel<std::string> ch) {
    // The page's text(n) for this piece, in C++.
    const auto text = [](std::size_t n) {
      const std::u16string piece = u"a\"\\\n\u0001\u00e9\u5317\U0001F600z";
      std::u16string s;
      while (s.size() < n) s += piece;
      s.resize(n);
      if (!s.empty() && s.back() >= 0xd800 && s.back() <= 0xdbff) s.back() = u'x';
      return QString::fromStdU16String(s).toStdString();
    };
    ch.send("small");
    ch.send(text(90000));
    ch.send(text(200000));
  }, {"channel"});
  app.command("bom_stream", [](myapp::channel<std::string> ch) {
    // U+FEFF, then text: in the JSON, inline as an attachment, as a blob.
    for (std::size_t n : {1, 5000, 100000}) ch.send("\xEF\xBB\xBF" + std::string(n, 'y'));
  }, {"channel"});
  app.command("big_list", [](int n) {
    std::vector<std::map<std::string, std::string>> out;
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) out.push_back({{"name", "item " + std::to_string(i)}});
    return out;
  }, {"n"});
  app.command("hold", [](std::span<const std::byte> data) {
    ++holding;
    while (!release_held) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    --holding;
    return data.size();
  }, {"data"});
  app.command("slow_make", [](std::size_t n, int ms) {
    ++slow_started;
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    auto b = pattern(n);
    ++slow_done;
    return b;
  }, {"n", "ms"});
  app.listen("blob-event", [](const myapp::event& e) {
    EXPECT_NE(e.payload_json.find("\"TWE=\""), std::string::npos) << e.payload_json;
  });
  app.capability(R"J({"identifier":"test","windows":["main"],"permissions":["core:default",
      "allow-make","allow-echo","allow-digest","allow-nested","allow-pair","allow-mixed",
      "allow-echo_text","allow-echo_texts","allow-text_stream","allow-bom_stream","allow-big_list","allow-slow_make","allow-hold"]})J");
  app.window({.label = "main", .url = "index.html"});
  app.start();
  the_app = &app;
  return RUN_ALL_TESTS();
}
