// myapp — how a C++ function becomes a command: the type-erased handler the router calls, and
// the templates that read a handler's parameters from `args`, fill in the injected ones, call it
// and write its result. Included by router.hpp; nothing here is meant to be used directly.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "myapp/acl.hpp"
#include "myapp/bytes.hpp"
#include "myapp/channel.hpp"
#include "myapp/describe.hpp"
#include "myapp/error.hpp"
#include "myapp/inject.hpp"
#include "myapp/json.hpp"
#include "myapp/session.hpp"
#include "myapp/task.hpp"

namespace myapp {

class router;

namespace detail {

/// What a bound handler produced: nothing (the result value is in the output), an error, an
/// error value, or nothing yet (a coroutine that answers through `call::complete`).
struct outcome {
  bool ok = true;
  std::string code;     // error code
  std::string message;  // error message
  std::string data;     // error data as JSON text, or empty
  bool is_value = false;   // the error is an error value (`reject`): `value_json` is sent
  std::string value_json;  // the error value as JSON text
  bool pending = false;    // a coroutine is running: it answers through call::complete

  /// A failure with a built-in code.
  static outcome failed(errc code, std::string message = {}) {
    outcome o;
    o.ok = false;
    o.code = code_string(code);
    o.message = std::move(message);
    return o;
  }
};

/// Which requests a command accepts: JSON arguments, a raw body, or either.
enum class body_rule { json, either, raw };

/// Everything a type-erased handler needs for one call.
struct call {
  json::value& args;  // the args object
  json::decoder& dec;
  const request& req;
  std::string& out;  // the result value is appended here
  const std::shared_ptr<session>& from;
  router& r;
  const cancel_token& token;
  const acl::grants* grants;        // what the page may call (null: no policy)
  std::size_t max_channels;         // channels a page may have open
  std::size_t max_message;          // the largest frame a channel may send the page
  std::vector<bytes>* out_bin;      // binary attachments of the result
  /// For a coroutine handler: answers the call once it completes (the outcome, the result
  /// value's JSON text and its attachments). Any thread.
  std::function<void(outcome, std::string, std::vector<bytes>)> complete;
  /// Where a coroutine handler runs and waits.
  const task_context* context = nullptr;
};

using handler_fn = std::function<outcome(call&)>;

template <class F>
struct fn_traits : fn_traits<decltype(&F::operator())> {};
template <class R, class... A>
struct fn_traits<R (*)(A...)> {
  using ret = R;
  using args = std::tuple<A...>;
};
template <class R, class... A>
struct fn_traits<R (*)(A...) noexcept> : fn_traits<R (*)(A...)> {};
template <class R, class... A>
struct fn_traits<R(A...)> : fn_traits<R (*)(A...)> {};
template <class C, class R, class... A>
struct fn_traits<R (C::*)(A...)> : fn_traits<R (*)(A...)> {};
template <class C, class R, class... A>
struct fn_traits<R (C::*)(A...) const> : fn_traits<R (*)(A...)> {};
template <class C, class R, class... A>
struct fn_traits<R (C::*)(A...) noexcept> : fn_traits<R (*)(A...)> {};
template <class C, class R, class... A>
struct fn_traits<R (C::*)(A...) const noexcept> : fn_traits<R (*)(A...)> {};

template <class T>
struct is_state : std::false_type {};
template <class T>
struct is_state<state<T>> : std::true_type {};
template <class T>
struct is_scope : std::false_type {};
template <class T>
struct is_scope<scope<T>> : std::true_type {};

/// Parameters the router fills in rather than reading from `args`.
template <class T>
inline constexpr bool is_injected =
    std::is_same_v<std::remove_cvref_t<T>, request> ||
    std::is_same_v<std::remove_cvref_t<T>, cancel_token> ||
    std::is_same_v<std::remove_cvref_t<T>, webview> || is_state<std::remove_cvref_t<T>>::value ||
    is_scope<std::remove_cvref_t<T>>::value;

template <class T>
struct state_type;
template <class T>
struct state_type<state<T>> {
  using type = T;
};


/// What a handler may return: nothing, a value, a result<T, E>, or a task of one of those.
template <class R>
concept plain_returnable = std::is_void_v<R> || json::writable<std::remove_cvref_t<R>> ||
                           is_result<std::remove_cvref_t<R>>::value;
template <class R>
struct returnable_t : std::bool_constant<plain_returnable<R>> {};
template <class T>
struct returnable_t<task<T>> : std::bool_constant<plain_returnable<T>> {};
template <class R>
concept returnable = returnable_t<std::remove_cvref_t<R>>::value;

template <class T>
concept argument = is_injected<T> || (json::readable<std::remove_cvref_t<T>> &&
                                      std::is_default_constructible_v<std::remove_cvref_t<T>>);

// Storage for a parameter: the decoded value, or an empty placeholder for injected ones.
struct injected_slot {};
template <class T>
using slot_t =
    std::conditional_t<is_injected<T>, injected_slot, std::remove_cvref_t<T>>;

// Index among the decodable parameters of parameter I, for every I.
template <class... A>
constexpr auto decodable_indices() {
  std::array<std::size_t, sizeof...(A)> idx{};
  std::size_t n = 0;
  std::size_t i = 0;
  ((idx[i++] = is_injected<A> ? SIZE_MAX : n++), ...);
  return idx;
}

std::string describe_exception(std::string_view command, const std::exception& e);
outcome error_outcome(const error& e);
/// The outcome of a handler rejecting with an error value (`reject`).
outcome value_outcome(std::string_view command, const reject& r);
/// The outcome of an exception a handler threw: an error, an error value, or handler.failed.
outcome exception_outcome(std::string_view command, std::exception_ptr e);

/// The outcome of a failed result<T, E>: E's own code for `myapp::error`, else the value.
template <class E>
outcome failure_outcome(std::string_view command, const E& e) {
  if constexpr (std::is_same_v<E, error>) {
    return error_outcome(e);
  } else if constexpr (std::is_base_of_v<std::exception, E>) {
    return exception_outcome(command, std::make_exception_ptr(e));
  } else {
    return value_outcome(command, reject(e));
  }
}

// Describes a handler taking A... and returning R (see describe.hpp).
template <class R, class... A>
void describe_command(api::command& out, const std::vector<std::string>& keys, bool whole_struct) {
  static constexpr bool injected[] = {is_injected<A>..., false};
  api::detail::fill_command<R, A...>(out, keys, whole_struct, injected);
}

/// Writes a handler's return value (a value, or a result<T, E>) into `out`, its attachments
/// into `bin`.
template <class R>
void write_return(std::string_view command, std::string& out, std::vector<bytes>* bin, R&& r,
                  outcome& o) {
  using V = std::remove_cvref_t<R>;
  json::writer w(out);
  w.set_attachments(bin);
  if constexpr (is_result<V>::value) {
    if (!r.has_value()) {
      o = failure_outcome(command, r.error_value());
      return;
    }
    if constexpr (std::is_same_v<decltype(r.value()), void>) {
      out.append("null");
    } else {
      json::write_value(w, r.value());
    }
  } else {
    json::write_value(w, r);
  }
  if (!w.ok()) {
    o.ok = false;
    o.code = code_string(errc::result_invalid);
    o.message = std::string("command `") + std::string(command) +
                "` returned a value that cannot be sent: " + w.error();
  }
}

template <class F, class... A>
class binding {
 public:
  using states_t = std::array<std::shared_ptr<void>, sizeof...(A)>;
  binding(F fn, std::vector<std::string> keys, bool whole_struct, states_t states)
      : fn_(std::move(fn)), keys_(std::move(keys)), whole_struct_(whole_struct),
        states_(std::move(states)) {}

  outcome operator()(call& c) {
    std::tuple<slot_t<A>...> values{};
    outcome o;
    if (!decode(c, values, std::index_sequence_for<A...>{}) ||
        !attach_channels(c, values, std::index_sequence_for<A...>{})) {
      o.ok = false;
      o.code = code_string(errc::args_invalid);
      return o;  // the router builds the message from the decoder
    }
    try {
      invoke(c, values, o, std::index_sequence_for<A...>{});
    } catch (...) {
      o = exception_outcome(c.req.command(), std::current_exception());
    }
    return o;
  }

 private:
  static constexpr auto INDEX = decodable_indices<A...>();
  static constexpr std::size_t DECODABLE = ((is_injected<A> ? 0 : 1) + ... + 0);

  template <std::size_t... I>
  bool decode(call& c, std::tuple<slot_t<A>...>& values, std::index_sequence<I...> /*seq*/) {
    if constexpr (DECODABLE == 0) {
      return true;
    } else {
      if (whole_struct_) {
        bool ok = true;
        (
            [&] {
              if constexpr (!is_injected<std::tuple_element_t<I, std::tuple<A...>>>) {
                ok = json::read_value(c.args, std::get<I>(values), c.dec);
              }
            }(),
            ...);
        return ok;
      }
      json::type t{};
      if (!c.args.get_type(t, c.dec)) return false;
      if (t != json::type::object) return c.dec.fail_type("object", c.args);
      std::array<bool, sizeof...(A)> seen{};
      bool ok = c.args.for_each_field(c.dec, [&](std::string_view key, json::value& v) {
        bool matched = false;
        bool good = true;
        (
            [&] {
              if constexpr (!is_injected<std::tuple_element_t<I, std::tuple<A...>>>) {
                if (!matched && keys_[INDEX[I]] == key) {
                  matched = true;
                  c.dec.push_key(key);
                  if (seen[I]) {
                    good = c.dec.fail("duplicate key");
                  } else {
                    seen[I] = true;
                    good = json::read_value(v, std::get<I>(values), c.dec);
                  }
                  c.dec.pop();
                }
              }
            }(),
            ...);
        if (!matched) {
          // A key that names an argument in another spelling is a mistake worth naming;
          // other keys that name no argument are ignored.
          for (const auto& k : keys_) {
            if (json::detail::same_key_but_spelling(key, k)) {
              return json::detail::fail_unknown_key(c.dec, key, k);
            }
          }
          return v.skip(c.dec);
        }
        return good;
      });
      if (!ok) return false;
      (
          [&] {
            using P = std::tuple_element_t<I, std::tuple<A...>>;
            if constexpr (!is_injected<P>) {
              if (ok && !seen[I] && !json::detail::is_optional<std::remove_cvref_t<P>>::value) {
                ok = c.dec.fail_missing(keys_[INDEX[I]], json::expected_of<std::remove_cvref_t<P>>());
              }
            }
          }(),
          ...);
      return ok;
    }
  }

  template <std::size_t... I>
  bool attach_channels(call& c, std::tuple<slot_t<A>...>& values,
                       std::index_sequence<I...> /*seq*/) {
    bool ok = true;
    (
        [&] {
          using P = std::remove_cvref_t<std::tuple_element_t<I, std::tuple<A...>>>;
          if constexpr (is_channel<P>::value) {
            std::string why;
            if (ok && !std::get<I>(values).core().attach(c.from, c.req.id(), c.max_channels,
                                                         c.max_message,
                                                         why)) {
              c.dec.push_key(keys_[INDEX[I]]);
              ok = c.dec.fail(why);
              c.dec.pop();
            }
          }
        }(),
        ...);
    return ok;
  }

  template <std::size_t I>
  decltype(auto) pass(call& c, std::tuple<slot_t<A>...>& values) {
    using P = std::tuple_element_t<I, std::tuple<A...>>;
    using V = std::remove_cvref_t<P>;
    if constexpr (std::is_same_v<V, request>) {
      return static_cast<const request&>(c.req);
    } else if constexpr (std::is_same_v<V, cancel_token>) {
      return cancel_token(c.token);
    } else if constexpr (std::is_same_v<V, webview>) {
      return webview(c.from, &c.r);
    } else if constexpr (is_scope<V>::value) {
      static const acl::scope_entries none;
      return V(c.grants != nullptr ? c.grants->scope(c.req.command()) : none);
    } else if constexpr (is_state<V>::value) {
      return V(std::static_pointer_cast<typename state_type<V>::type>(states_[I]));
    } else {
      return static_cast<std::remove_cvref_t<P>&&>(std::get<I>(values));
    }
  }

  template <std::size_t... I>
  void invoke(call& c, std::tuple<slot_t<A>...>& values, outcome& o,
              std::index_sequence<I...> /*seq*/) {
    using R = std::invoke_result_t<F&, A...>;
    if constexpr (is_task<R>::value) {
      static_assert(((!std::is_reference_v<A> || std::is_same_v<std::remove_cvref_t<A>, request>) &&
                     ...),
                    "myapp: a coroutine handler takes its parameters by value (or `const "
                    "myapp::request&`): its frame outlives the call's buffers");
      auto t = std::invoke(fn_, pass<I>(c, values)...);
      o.pending = true;
      start_task(std::move(t), *c.context,
                 [complete = c.complete, command = std::string(c.req.command())](auto& p) {
                   outcome out;
                   std::string value;
                   std::vector<bytes> bin;
                   if (p.error) {
                     out = exception_outcome(command, p.error);
                   } else if constexpr (std::is_void_v<typename R::value_type>) {
                     value = "null";
                   } else {
                     write_return(command, value, &bin, std::move(*p.value), out);
                   }
                   complete(std::move(out), std::move(value), std::move(bin));
                 });
    } else if constexpr (std::is_void_v<R>) {
      std::invoke(fn_, pass<I>(c, values)...);
      c.out.append("null");
    } else {
      write_return(c.req.command(), c.out, c.out_bin, std::invoke(fn_, pass<I>(c, values)...), o);
    }
  }

  F fn_;
  std::vector<std::string> keys_;  // camelCase key per decodable parameter
  bool whole_struct_;
  states_t states_;  // the managed state of each state<T> parameter
};

}  // namespace detail

}  // namespace myapp
