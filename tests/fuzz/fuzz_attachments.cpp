// libFuzzer target: long strings as attachments ({"$str": i}, docs/protocol.md "Bytes").
//
// The input is a JSON document and the attachments it refers to, separated by NUL bytes (which
// JSON text cannot hold): `document \0 attachment0 \0 attachment1 ...`. The document is read as
// a struct of strings (plain, nested, optional, map values) and a json::raw with the
// attachments in place. Reading must never crash, leak or hang; what it reads must be UTF-8;
// the json::raw, with its strings written back, must be one valid JSON value; and what was read
// must survive a round trip through the writer with a low attachment threshold: written with
// strings as attachments, read back with them, equal. A violation traps.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "myapp/bytes.hpp"
#include "myapp/json.hpp"

namespace fuzz {

struct texts {
  std::string title;
  std::vector<std::string> lines;
  std::optional<std::string> note;
  std::map<std::string, std::string> named;
  std::optional<myapp::json::raw> extra;
  friend bool operator==(const texts&, const texts&) = default;
};
MYAPP_STRUCT(texts, title, lines, note, named, extra)

}  // namespace fuzz

namespace {

namespace json = myapp::json;

#define FUZZ_CHECK(cond)           \
  do {                             \
    if (!(cond)) __builtin_trap(); \
  } while (0)

std::optional<fuzz::texts> read(std::string_view doc, const std::vector<myapp::bytes>& list) {
  json::decoder d;
  d.set_attachments(&list);
  fuzz::texts out;
  const bool ok = json::read_document(doc, d, [&](json::value& v, json::decoder& dd) {
    return json::read_value(v, out, dd);
  });
  if (!ok) {
    FUZZ_CHECK(d.failed());
    return std::nullopt;
  }
  return out;
}

bool utf8(std::string_view s) { return json::is_valid_utf8(s); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto cut = input.find('\0');
  const std::string_view doc = input.substr(0, cut);
  std::vector<myapp::bytes> list;
  if (cut != std::string_view::npos) {
    std::string_view rest = input.substr(cut + 1);
    while (true) {
      const auto next = rest.find('\0');
      list.emplace_back(std::string(rest.substr(0, next)));
      if (next == std::string_view::npos) break;
      rest.remove_prefix(next + 1);
    }
  }

  auto got = read(doc, list);
  if (!got) return 0;
  const fuzz::texts& t = *got;
  FUZZ_CHECK(utf8(t.title));
  for (const auto& l : t.lines) FUZZ_CHECK(utf8(l));
  if (t.note) FUZZ_CHECK(utf8(*t.note));
  for (const auto& [k, v] : t.named) FUZZ_CHECK(utf8(k) && utf8(v));
  if (t.extra) FUZZ_CHECK(json::parse<json::raw>(t.extra->text).has_value());

  // Written with every string of 4 bytes or more as an attachment, read back: the same value.
  std::string text;
  std::vector<myapp::bytes> out;
  json::writer w(text);
  w.set_attachments(&out, 4);
  json::write_value(w, t);
  FUZZ_CHECK(w.ok());
  auto again = read(text, out);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == t);
  return 0;
}
