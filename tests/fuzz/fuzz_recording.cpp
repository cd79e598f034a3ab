// libFuzzer target: the recording reader (myapp/recording.hpp), which reads files a user hands
// to a test and what the IPC inspector's page asks the app to save.
//
// The input is a recording's text. Reading must never crash, leak or hang; it succeeds or fails
// with a message that names its line (or says the text is empty); a recording it accepts has a
// direction per record, valid JSON in every record (an array from the page, an object to it) and
// UTF-8 in its strings. A violation traps.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "myapp/json.hpp"
#include "myapp/recording.hpp"

namespace {

#define FUZZ_CHECK(cond)           \
  do {                             \
    if (!(cond)) __builtin_trap(); \
  } while (0)

// The type of the one JSON value `text` holds; false when it is not exactly one JSON value.
bool json_type(std::string_view text, myapp::json::type& t) {
  myapp::json::decoder d;
  return myapp::json::read_document(text, d, [&](myapp::json::value& v, myapp::json::decoder& dd) {
    return v.get_type(t, dd) && v.skip(dd);
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto rec = myapp::read_recording(text);
  if (!rec) {
    const auto& why = rec.error_value().message();
    FUZZ_CHECK(why.rfind("line ", 0) == 0 || why.rfind("an empty recording", 0) == 0);
    FUZZ_CHECK(rec.error_value().code() == "recording.invalid");
    return 0;
  }
  FUZZ_CHECK(myapp::json::is_valid_utf8(rec.value().app));
  for (const auto& r : rec.value().records) {
    myapp::json::type t{};
    FUZZ_CHECK(json_type(r.json, t));
    (void)t;
    FUZZ_CHECK(myapp::json::is_valid_utf8(r.window));
    FUZZ_CHECK(myapp::json::is_valid_utf8(r.url));
    for (const auto& a : r.attachments) {
      if (a.data) FUZZ_CHECK(a.data->size() == a.size);
    }
  }
  return 0;
}
