// myapp — errors: stable codes (`error`), error values (`reject`), and result<T, E> for
// fallible handlers.
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
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

/// An error value: a command fails with any value the JSON codec writes, and the page's promise
/// rejects with that value itself, as a Tauri command returning `Err(e)` does — a string
/// rejects with the string, a struct with the plain object:
///
///     throw myapp::reject("invalid credentials");                  // catch (e) → e === '...'
///     throw myapp::reject(io_failure{"io", "disk full"});          // catch (e) → e.kind === 'io'
///
/// Framework failures (`args.invalid`, `acl.denied`, ...) and `myapp::error` still reject with
/// an `IpcError`, so a page tells them apart with `e instanceof IpcError` (docs/errors.md).
class reject : public std::exception {
 public:
  /// `value` written as JSON (the constructor is defined with the codec, in json.hpp). A value
  /// that cannot be written (invalid UTF-8) makes the call fail with `result.invalid`.
  template <class V>
  explicit reject(const V& value);
  /// A value given as JSON text, taken as is (checked when it is sent).
  [[nodiscard]] static reject from_json(std::string json_text);

  /// The value as JSON text; empty when it could not be written (`what()` says why).
  [[nodiscard]] const std::string& value_json() const noexcept { return json_; }
  /// "rejected with <the JSON text, cut at 200 bytes>", for logs.
  [[nodiscard]] const char* what() const noexcept override { return what_.c_str(); }

 private:
  reject() = default;
  void set(std::string json_text, std::string failure);
  std::string json_;
  std::string what_;
};

template <class T>
struct ok_t {
  T value;
};
template <>
struct ok_t<void> {};
template <class E>
struct err_t {
  E value;
};
/// A success, spelled out: `return myapp::ok(v);` (needed when T and E are the same type).
template <class T>
ok_t<std::decay_t<T>> ok(T&& value) {
  return {std::forward<T>(value)};
}
inline ok_t<void> ok() { return {}; }
/// A failure, spelled out: `return myapp::err("bad input");`.
template <class E>
err_t<std::decay_t<E>> err(E&& value) {
  return {std::forward<E>(value)};
}

namespace detail {
template <class T>
struct is_tag : std::false_type {};
template <class T>
struct is_tag<ok_t<T>> : std::true_type {};
template <class E>
struct is_tag<err_t<E>> : std::true_type {};
/// Throws what a failed `result<T, E>` holds: the error itself when it is an exception type
/// (`myapp::error` reaches the page as an IpcError with its code), else `reject(value)`.
template <class E>
[[noreturn]] void raise(const E& e) {
  if constexpr (std::is_base_of_v<std::exception, E>) {
    throw e;
  } else {
    throw reject(e);
  }
}
}  // namespace detail

template <class T, class E>
class result;

namespace detail {
template <class R, class U>
inline constexpr bool is_self = std::is_same_v<std::remove_cvref_t<U>, R> ||
                                is_tag<std::remove_cvref_t<U>>::value;
}  // namespace detail

/// A value or an error. Handlers may return it instead of throwing. `E` is `myapp::error` by
/// default (the page gets an IpcError with its code) or any value the JSON codec writes (the
/// page's promise rejects with that value, see `reject`):
///
///     myapp::result<int> parse_port(std::string s) {
///       if (s.empty()) return myapp::error("port.empty", "no port given");
///       return std::stoi(s);
///     }
///     myapp::result<std::string, login_error> login(...) { ... return "logged_in"; }
///
/// A value converts implicitly when it makes a T and not an E, an error when it makes an E and
/// not a T; otherwise (`result<bool, std::string>` given "x", or T and E the same type) say
/// which with `myapp::ok(v)` / `myapp::err(e)`. `value()` on an error throws the error, so that
/// `bytes::map_file(path).value()` in a handler rejects with the file's own error.
template <class T, class E = error>
class result {
 public:
  using value_type = T;
  using error_type = E;

  template <class U = T>
    requires(!detail::is_self<result, U> && !std::is_same_v<T, E> &&
             std::is_constructible_v<T, U &&> &&
             (std::is_same_v<std::remove_cvref_t<U>, T> || !std::is_constructible_v<E, U &&>))
  result(U&& value)  // NOLINT(google-explicit-constructor)
      : v_(std::in_place_index<0>, std::forward<U>(value)) {}
  template <class G = E, int /*error*/ = 0>  // (the int: clang tells it from the value's)
    requires(!detail::is_self<result, G> && !std::is_same_v<T, E> &&
             std::is_constructible_v<E, G &&> &&
             (std::is_same_v<std::remove_cvref_t<G>, E> || !std::is_constructible_v<T, G &&>))
  result(G&& err)  // NOLINT(google-explicit-constructor)
      : v_(std::in_place_index<1>, std::forward<G>(err)) {}
  template <class U>
    requires std::is_constructible_v<T, U &&>
  result(ok_t<U> o)  // NOLINT(google-explicit-constructor)
      : v_(std::in_place_index<0>, std::move(o.value)) {}
  template <class G>
    requires std::is_constructible_v<E, G &&>
  result(err_t<G> e)  // NOLINT(google-explicit-constructor)
      : v_(std::in_place_index<1>, std::move(e.value)) {}

  [[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }
  /// The value; on an error, throws it (see `detail::raise`).
  [[nodiscard]] T& value() & {
    if (!has_value()) detail::raise(std::get<1>(v_));
    return std::get<0>(v_);
  }
  [[nodiscard]] const T& value() const& {
    if (!has_value()) detail::raise(std::get<1>(v_));
    return std::get<0>(v_);
  }
  [[nodiscard]] T&& value() && {
    if (!has_value()) detail::raise(std::get<1>(v_));
    return std::get<0>(std::move(v_));
  }
  template <class U>
  [[nodiscard]] T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(fallback));
  }
  /// The error; only when `has_value()` is false.
  [[nodiscard]] const E& error_value() const { return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

namespace detail {
template <class T>
struct is_result : std::false_type {};
template <class T, class E>
struct is_result<result<T, E>> : std::true_type {};
}  // namespace detail

/// Success with no value (the page's promise resolves with null), or an error.
template <class E>
class result<void, E> {
 public:
  using value_type = void;
  using error_type = E;

  result() = default;
  template <class G = E>
    requires(!detail::is_self<result, G> && std::is_constructible_v<E, G &&>)
  result(G&& err)  // NOLINT(google-explicit-constructor)
      : error_(std::in_place, std::forward<G>(err)) {}
  result(ok_t<void> /*ok*/) {}  // NOLINT(google-explicit-constructor)
  template <class G>
    requires std::is_constructible_v<E, G &&>
  result(err_t<G> e)  // NOLINT(google-explicit-constructor)
      : error_(std::in_place, std::move(e.value)) {}

  [[nodiscard]] bool has_value() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  /// Nothing; on an error, throws it.
  void value() const {
    if (error_) detail::raise(*error_);
  }
  [[nodiscard]] const E& error_value() const { return *error_; }

 private:
  std::optional<E> error_;
};

}  // namespace myapp

// reject's constructor writes its value with the JSON codec, which needs these types first.
#include "myapp/json.hpp"  // IWYU pragma: export
