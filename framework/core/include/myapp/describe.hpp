// myapp — descriptions of an app's commands, events and types, as the page sees them.
//
// The router records, for every command it registers, the names and types of the arguments
// it reads from the page and the type it answers with; `router::describe()` returns all of it
// as one JSON document (an `api::document`), which `myapp bindings` turns into a TypeScript
// module of typed wrappers (docs/bindings.md):
//
//     struct note { std::string title; std::optional<int> pinned_at; };
//     MYAPP_STRUCT(note, title, pinned_at)
//     r.add("save", [](note n, bool draft) { return n.title.size(); }, {"note", "draft"});
//     // commands[0]: {"name":"save","args":[{"name":"note","type":{"kind":"struct",
//     //   "name":"Note",...}},{"name":"draft","type":{"kind":"boolean",...}}],
//     //   "returns":{"kind":"integer","name":"uint64",...}, ...}
//
// Every type the JSON codec reads or writes has a description; a type with a codec of its own
// and no description is `unknown` (TypeScript's `unknown`) until `api::describer<T>` is
// specialized for it:
//
//     template <> struct myapp::api::describer<color> {
//       static api::type_ref get() { return api::type_ref{.kind = "string"}; }
//     };
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <vector>

#include "myapp/bytes.hpp"
#include "myapp/channel.hpp"
#include "myapp/error.hpp"
#include "myapp/json.hpp"
#include "myapp/task.hpp"

namespace myapp::api {

/// The version of the description format; bumped when a reader must change.
inline constexpr int DESCRIPTION_VERSION = 1;

struct field;

/// One type as the page sees it.
struct type_ref {
  /// "boolean", "integer", "number", "string", "null", "unknown", "bytes", "struct", or one of
  /// "optional", "array", "map" (string keys), "channel" with the element type in `of`.
  std::string kind{};
  /// integer: the C++ width ("int32", "uint64", ...); struct: its name in `document::types`;
  /// unknown: what the codec expects, for the reader's information.
  std::string name{};
  /// optional, array, map, channel: exactly one element type.
  std::vector<type_ref> of{};

  // Not part of the JSON: how `router::describe` finds a struct's fields.
  const std::type_info* cpp = nullptr;
  void (*fields)(std::vector<field>&) = nullptr;
};
MYAPP_STRUCT(type_ref, kind, name, of)

/// A field of a described struct; `name` is the JSON key (camelCase).
struct field {
  std::string name{};
  type_ref type{};
  /// True for std::optional members: the key may be absent.
  bool optional = false;
};
MYAPP_STRUCT(field, name, type, optional)

/// A struct described with MYAPP_STRUCT.
struct type_def {
  /// Unique in the document: the C++ name in PascalCase ("file_info" → "FileInfo"), with a
  /// number appended when two C++ types would share it.
  std::string name;
  /// The name given to MYAPP_STRUCT.
  std::string cpp;
  std::vector<field> fields;
};
MYAPP_STRUCT(type_def, name, cpp, fields)

/// An argument read from the invoke's args; `name` is its key (camelCase), empty for the one
/// struct argument that takes the whole args object.
struct argument {
  std::string name;
  type_ref type;
};
MYAPP_STRUCT(argument, name, type)

struct command {
  std::string name;
  std::vector<argument> args;
  /// The command reads the whole args object into its one struct argument (args[0]).
  bool whole_struct = false;
  /// What the promise resolves with; kind "null" for a handler returning void.
  type_ref returns;
  /// The error codes the command declared (`command_options::errors`), sorted.
  std::vector<std::string> errors;
  /// The error value it may reject with (`result<T, E>` with E other than myapp::error).
  std::optional<type_ref> rejects;
  /// It takes a raw body (`command_options::raw_body`) instead of JSON arguments.
  bool raw_body = false;
};
MYAPP_STRUCT(command, name, args, whole_struct, returns, errors, rejects, raw_body)
MYAPP_STRUCT_OPTIONS(command, json::field(&command::raw_body).or_default())

/// An event declared with `router::declare_event<T>`.
struct event_def {
  std::string name;
  type_ref payload;
};
MYAPP_STRUCT(event_def, name, payload)

/// Everything `router::describe` reports, each list sorted by name.
struct document {
  int version = DESCRIPTION_VERSION;
  std::vector<command> commands;
  std::vector<event_def> events;
  std::vector<type_def> types;
};
MYAPP_STRUCT(document, version, commands, events, types)

// ---------------------------------------------------------------------------------------------
// Describing C++ types

namespace detail {
/// The C++ name of a type for messages and struct names ("ns::note" → "ns::note").
std::string cpp_name(const std::type_info& t);
inline type_ref make(std::string kind, std::string name = {}) {
  type_ref t;
  t.kind = std::move(kind);
  t.name = std::move(name);
  return t;
}
}  // namespace detail

/// Specialize to describe a type the generic rules do not cover: `static type_ref get()`.
template <class T, class Enable = void>
struct describer {
  static type_ref get() { return detail::make("unknown", json::expected_of<T>()); }
};

/// The description of T.
template <class T>
type_ref type_of() {
  return describer<std::remove_cvref_t<T>>::get();
}

template <>
struct describer<bool> {
  static type_ref get() { return detail::make("boolean"); }
};

template <class I>
  requires(std::integral<I> && !std::same_as<I, bool> && !std::same_as<I, char> &&
           !std::same_as<I, char8_t> && !std::same_as<I, char16_t> && !std::same_as<I, char32_t> &&
           !std::same_as<I, wchar_t>)
struct describer<I> {
  static type_ref get() {
    return detail::make("integer", std::string(std::is_signed_v<I> ? "int" : "uint") +
                                       std::to_string(sizeof(I) * 8));
  }
};

template <std::floating_point F>
struct describer<F> {
  static type_ref get() { return detail::make("number", sizeof(F) == 4 ? "float" : "double"); }
};

template <>
struct describer<std::string> {
  static type_ref get() { return detail::make("string"); }
};
template <>
struct describer<std::string_view> {
  static type_ref get() { return detail::make("string"); }
};
template <>
struct describer<const char*> {
  static type_ref get() { return detail::make("string"); }
};
template <>
struct describer<std::nullptr_t> {
  static type_ref get() { return detail::make("null"); }
};
template <>
struct describer<json::raw> {
  static type_ref get() { return detail::make("unknown", "any JSON value"); }
};

namespace detail {
inline type_ref wrap(std::string kind, type_ref inner) {
  type_ref t = make(std::move(kind));
  t.of.push_back(std::move(inner));
  return t;
}
}  // namespace detail

template <class T>
struct describer<std::optional<T>> {
  static type_ref get() { return detail::wrap("optional", type_of<T>()); }
};
template <class T, class A>
struct describer<std::vector<T, A>> {
  static type_ref get() { return detail::wrap("array", type_of<T>()); }
};
template <class T, class C, class A>
struct describer<std::map<std::string, T, C, A>> {
  static type_ref get() { return detail::wrap("map", type_of<T>()); }
};
template <class T, class H, class E, class A>
struct describer<std::unordered_map<std::string, T, H, E, A>> {
  static type_ref get() { return detail::wrap("map", type_of<T>()); }
};
template <class T>
struct describer<channel<T>> {
  static type_ref get() { return detail::wrap("channel", type_of<T>()); }
};
/// Binary data: an ArrayBuffer from C++, an ArrayBuffer or a typed array from the page.
template <>
struct describer<bytes> {
  static type_ref get() { return detail::make("bytes"); }
};
template <>
struct describer<std::span<const std::byte>> {
  static type_ref get() { return detail::make("bytes"); }
};
/// A handler's `result<T, E>` answers with a T (or rejects).
template <class T, class E>
struct describer<result<T, E>> {
  static type_ref get() { return type_of<T>(); }
};
template <class E>
struct describer<result<void, E>> {
  static type_ref get() { return detail::make("null"); }
};
/// A coroutine handler's `task<T>` answers as T does.
template <class T>
struct describer<task<T>> {
  static type_ref get() { return type_of<T>(); }
};
template <>
struct describer<task<void>> {
  static type_ref get() { return detail::make("null"); }
};

namespace detail {
template <class S>
concept named_struct = requires { myapp_struct_name(std::type_identity<S>{}); };

template <class S>
void struct_fields(std::vector<field>& out);

// The fields of S as the page sees them: skipped members leave nothing, flattened ones their
// own fields, and a member that may be missing is optional.
template <class S, std::size_t... I>
void struct_fields_at(std::vector<field>& out, std::index_sequence<I...> /*seq*/) {
  const auto& keys = json::detail::struct_keys<S>();
  (
      [&] {
        using M = json::detail::member_type<S, I>;
        if constexpr (json::detail::flags_of<S, I>().flattened) {
          struct_fields<M>(out);
        } else if constexpr (json::detail::keyed<S, I>()) {
          field d;
          d.name = keys[I];
          d.type = type_of<M>();
          d.optional = !json::detail::required<S, I>();
          out.push_back(std::move(d));
        }
      }(),
      ...);
}

template <class S>
void struct_fields(std::vector<field>& out) {
  struct_fields_at<S>(out, std::make_index_sequence<json::detail::field_count<S>>{});
}
}  // namespace detail

/// A struct described with MYAPP_STRUCT: its fields are collected by `router::describe`.
template <json::detail::described S>
struct describer<S> {
  static type_ref get() {
    type_ref t = detail::make("struct");
    if constexpr (detail::named_struct<S>) {
      t.name = std::string(myapp_struct_name(std::type_identity<S>{}));
    } else {
      t.name = detail::cpp_name(typeid(S));
    }
    t.cpp = &typeid(S);
    t.fields = &detail::struct_fields<S>;
    return t;
  }
};

namespace detail {
template <class R>
struct unwrap_task {
  using type = R;
};
template <class T>
struct unwrap_task<task<T>> {
  using type = T;
};

/// Fills `out` for a handler taking A... and returning R. `keys` are the camelCase keys of the
/// arguments read from args (empty with `whole_struct`).
/// `injected[i]` is true for the parameters the router fills in itself.
template <class R, class... A>
void fill_command(command& out, const std::vector<std::string>& keys, bool whole_struct,
                  [[maybe_unused]] const bool* injected) {
  [[maybe_unused]] std::size_t index = 0;  // among all parameters
  [[maybe_unused]] std::size_t key = 0;    // among the ones read from args
  (
      [&] {
        if (!injected[index++]) {
          argument a;
          a.name = whole_struct ? std::string() : keys.at(key);
          ++key;
          a.type = type_of<A>();
          out.args.push_back(std::move(a));
        }
      }(),
      ...);
  out.whole_struct = whole_struct;
  if constexpr (std::is_void_v<R>) {
    out.returns = make("null");
  } else {
    out.returns = type_of<R>();
    using V = typename unwrap_task<R>::type;
    if constexpr (myapp::detail::is_result<V>::value) {
      using E = typename V::error_type;
      if constexpr (!std::is_same_v<E, error>) out.rejects = type_of<E>();
    }
  }
}
}  // namespace detail

/// Checks that `doc` is a well-formed description: kinds known, element types where needed,
/// every struct named defined. Returns the first problem with its place, or nullopt.
[[nodiscard]] std::optional<std::string> check(const document& doc);

/// Parses a description written by `router::describe` and checks it.
[[nodiscard]] result<document> parse_document(std::string_view json_text);

}  // namespace myapp::api
