// Error codes as strings, and error values.
#include "myapp/error.hpp"

namespace myapp {

std::string_view code_string(errc code) noexcept {
  switch (code) {
    case errc::protocol_invalid: return "protocol.invalid";
    case errc::protocol_version: return "protocol.version";
    case errc::command_not_found: return "command.not_found";
    case errc::args_invalid: return "args.invalid";
    case errc::handler_failed: return "handler.failed";
    case errc::result_invalid: return "result.invalid";
    case errc::limit_exceeded: return "limit.exceeded";
    case errc::cancelled: return "cancelled";
    case errc::event_invalid_name: return "event.invalid_name";
    case errc::channel_invalid: return "channel.invalid";
    case errc::invoke_not_found: return "invoke.not_found";
    case errc::acl_denied: return "acl.denied";
  }
  return "handler.failed";
}

bool is_valid_code(std::string_view code) noexcept {
  if (code.empty() || code.size() > 64) return false;
  bool word_start = true;
  for (char c : code) {
    if (c == '.') {
      if (word_start) return false;  // empty word
      word_start = true;
      continue;
    }
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    word_start = false;
  }
  return !word_start;
}

reject reject::from_json(std::string json_text) {
  reject r;
  r.set(std::move(json_text), {});
  return r;
}

void reject::set(std::string json_text, std::string failure) {
  json_ = std::move(json_text);
  if (!failure.empty()) {
    what_ = "a command rejected with a value that cannot be sent: " + failure;
    json_.clear();
    return;
  }
  constexpr std::size_t SHOWN = 200;
  what_ = "rejected with " + json_.substr(0, SHOWN) + (json_.size() > SHOWN ? "..." : "");
}

}  // namespace myapp
