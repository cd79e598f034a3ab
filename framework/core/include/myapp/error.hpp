// myapp — errors with stable codes, and result<T> for fallible handlers.
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace myapp {

/// The built-in error codes. Each has one stable string form (see `code_string`), documented
/// in docs/protocol.md; the page sees the string as `IpcError.code`.
enum class errc {
  protocol_invalid,   ///< "protocol.invalid"
  protocol_version,   ///< "protocol.version"
  command_not_found,  ///< "command.not_found"
  args_invalid,       ///< "args.invalid"
  handler_failed,     ///< "handler.failed"
  result_invalid,     ///< "result.invalid"
  limit_exceeded,     ///< "limit.exceeded"
  cancelled,          ///< "cancelled"
  event_invalid_name, ///< "event.invalid_name"
  channel_invalid,    ///< "channel.invalid"
  invoke_not_found,   ///< "invoke.not_found"
  acl_denied,         ///< "acl.denied"
};

/// The wire string of a built-in code, e.g. `errc::args_invalid` → "args.invalid".
[[nodiscard]] std::string_view code_string(errc code) noexcept;

/// True when `code` has the form of an error code: dotted lower-case words,
/// `[a-z0-9_]+(\.[a-z0-9_]+)*`, at most 64 characters.
[[nodiscard]] bool is_valid_code(std::string_view code) noexcept;

/// An error as the page sees it: `{code, message, data?}`.
///
/// Handlers throw it (or return it inside a `result<T>`) to reject with their own code:
///
///     throw myapp::error("notes.not_found", fmt::format("no note with id {}", id));
///
/// A code that is not of the dotted lower-case form is replaced by "handler.failed" when the
/// error is sent, so a page never sees a malformed code.
class error : public std::exception {
 public:
  error(std::string code, std::string message, std::optional<std::string> data_json = {})
      : code_(std::move(code)), message_(std::move(message)), data_(std::move(data_json)) {}
  error(errc code, std::string message)
      : code_(code_string(code)), message_(std::move(message)) {}

  [[nodiscard]] const std::string& code() const noexcept { return code_; }
  [[nodiscard]] const std::string& message() const noexcept { return message_; }
  /// Extra data as JSON text, sent as `data`; empty when there is none.
  [[nodiscard]] const std::optional<std::string>& data_json() const noexcept { return data_; }
  [[nodiscard]] const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string code_;
  std::string message_;
  std::optional<std::string> data_;
};

/// A value or an error. Handlers may return it instead of throwing:
///
///     myapp::result<int> parse_port(std::string s) {
///       if (s.empty()) return myapp::error("port.empty", "no port given");
///       return std::stoi(s);
///     }
template <class T>
class result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  result(error err) : v_(std::in_place_index<1>, std::move(err)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }
  [[nodiscard]] T& value() & { return std::get<0>(v_); }
  [[nodiscard]] const T& value() const& { return std::get<0>(v_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(v_)); }
  [[nodiscard]] const error& error_value() const { return std::get<1>(v_); }

 private:
  std::variant<T, error> v_;
};

}  // namespace myapp
