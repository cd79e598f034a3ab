// myapp — described structs: MYAPP_STRUCT lists a struct's members once for the JSON codec, and
// MYAPP_STRUCT_OPTIONS sets how they are spelled and read, as serde's attributes do.
//
//     struct settings {
//       std::string other_val;
//       int max_tags = 10;
//       std::string cache_key;  // never crosses the bridge
//       paging page;            // its fields sit beside these
//     };
//     MYAPP_STRUCT(settings, other_val, max_tags, cache_key, page)
//     MYAPP_STRUCT_OPTIONS(settings,
//         myapp::json::rename_all(myapp::json::naming::as_written),  // "other_val", as serde
//         myapp::json::field(&settings::max_tags).rename("limit").or_default(),
//         myapp::json::field(&settings::cache_key).skip(),
//         myapp::json::field(&settings::page).flatten(),
//         myapp::json::deny_unknown_fields())
//
// Keys are camelCase by default (`other_val` ↔ "otherVal"), as a JavaScript caller expects and
// as command arguments are; `rename_all` chooses another spelling for a struct (docs/commands.md
// says why, and how a Tauri port keeps serde's). A key that is no field's but matches one under
// another spelling ("max_tags" for "maxTags", "User" for "user") is refused, naming both; other
// unknown keys are ignored unless the struct denies them.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "myapp/detail/pp.hpp"
#include "myapp/json.hpp"

namespace myapp::json {

/// How a described struct spells its keys on the JSON side (serde's `rename_all`). Member names
/// are read as words split at `_` and at lower-to-upper case changes.
enum class naming {
  camel_case,            ///< `other_val` → "otherVal" (the default)
  as_written,            ///< "other_val", as the member is written (serde's default)
  snake_case,            ///< "other_val"
  kebab_case,            ///< "other-val"
  pascal_case,           ///< "OtherVal"
  screaming_snake_case,  ///< "OTHER_VAL"
};

/// `name` (a C++ member name) spelled as `n` asks.
[[nodiscard]] std::string apply_naming(std::string_view name, naming n);

namespace options {
struct rename_all_t {
  naming value;
};
struct deny_unknown_fields_t {};
struct default_all_t {};
/// The options of one field; build it with `json::field(&T::member)`.
template <class S, class M>
struct field_t {
  M S::*member;
  std::string_view renamed{};
  bool skipped = false;
  bool defaulted = false;
  bool flattened = false;

  /// The field's key, whatever `rename_all` says (serde's `rename`).
  [[nodiscard]] constexpr field_t rename(std::string_view key) const {
    field_t f = *this;
    f.renamed = key;
    return f;
  }
  /// Never written, never read: the member keeps its C++ value (serde's `skip`).
  [[nodiscard]] constexpr field_t skip() const {
    field_t f = *this;
    f.skipped = true;
    return f;
  }
  /// A missing key leaves the member as the struct was constructed (serde's `default`).
  [[nodiscard]] constexpr field_t or_default() const {
    field_t f = *this;
    f.defaulted = true;
    return f;
  }
  /// The member (a described struct) has its fields written and read at this level (serde's
  /// `flatten`).
  [[nodiscard]] constexpr field_t flatten() const {
    field_t f = *this;
    f.flattened = true;
    return f;
  }
};
}  // namespace options

/// Every key of the struct spelled as `n` says (a field's own `rename` wins).
constexpr options::rename_all_t rename_all(naming n) { return {n}; }
/// Keys that are no field's make the read fail (serde's `deny_unknown_fields`); without it they
/// are ignored.
constexpr options::deny_unknown_fields_t deny_unknown_fields() { return {}; }
/// Every missing key leaves its member as constructed (serde's `default` on a struct).
constexpr options::default_all_t default_all() { return {}; }
/// The options of the member `m`: `field(&note::title).rename("name")`.
template <class S, class M>
constexpr options::field_t<S, M> field(M S::*m) {
  return {m};
}

namespace detail {

template <class S, class M>
struct field_desc {
  std::string_view name;
  M S::*member;
};

template <class S>
concept described = requires { myapp_fields(std::type_identity<S>{}); };

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class S>
constexpr auto fields_of() {
  return myapp_fields(std::type_identity<S>{});
}
template <class S>
inline constexpr std::size_t field_count = std::tuple_size_v<decltype(fields_of<S>())>;
template <class S, std::size_t I>
using member_type = std::remove_cvref_t<decltype(std::declval<S&>().*(std::get<I>(fields_of<S>()).member))>;

template <class S>
constexpr auto options_of() {
  if constexpr (requires { myapp_struct_options(std::type_identity<S>{}); }) {
    return myapp_struct_options(std::type_identity<S>{});
  } else {
    return std::tuple<>{};
  }
}

template <class T>
struct is_field_option : std::false_type {};
template <class S, class M>
struct is_field_option<options::field_t<S, M>> : std::true_type {};

/// What the options say of one field.
struct field_flags {
  std::string_view renamed;
  bool skipped = false;
  bool defaulted = false;
  bool flattened = false;
  int options = 0;  // how many field options name it (more than one is a mistake)
};

template <class S, std::size_t I>
constexpr field_flags flags_of() {
  field_flags f;
  const auto member = std::get<I>(fields_of<S>()).member;
  std::apply(
      [&](const auto&... o) {
        (
            [&] {
              using O = std::remove_cvref_t<decltype(o)>;
              if constexpr (is_field_option<O>::value) {
                if constexpr (std::is_same_v<std::remove_cvref_t<decltype(o.member)>,
                                             std::remove_cvref_t<decltype(member)>>) {
                  if (o.member == member) {
                    f.renamed = o.renamed;
                    f.skipped = o.skipped;
                    f.defaulted = o.defaulted;
                    f.flattened = o.flattened;
                    ++f.options;
                  }
                }
              }
            }(),
            ...);
      },
      options_of<S>());
  return f;
}

template <class S, class O>
constexpr bool names_a_field(const O& o) {
  constexpr auto fields = fields_of<S>();
  return std::apply(
      [&](const auto&... f) {
        return ([&] {
          if constexpr (std::is_same_v<std::remove_cvref_t<decltype(o.member)>,
                                       std::remove_cvref_t<decltype(f.member)>>) {
            return o.member == f.member;
          } else {
            return false;
          }
        }() || ...);
      },
      fields);
}

/// The struct-level options.
struct struct_flags {
  naming spelling = naming::camel_case;
  bool deny_unknown = false;
  bool default_all = false;
  bool valid = true;  // every field option names a listed member
};
template <class S>
constexpr struct_flags struct_flags_of() {
  struct_flags s;
  std::apply(
      [&](const auto&... o) {
        (
            [&] {
              using O = std::remove_cvref_t<decltype(o)>;
              if constexpr (std::is_same_v<O, options::rename_all_t>) {
                s.spelling = o.value;
              } else if constexpr (std::is_same_v<O, options::deny_unknown_fields_t>) {
                s.deny_unknown = true;
              } else if constexpr (std::is_same_v<O, options::default_all_t>) {
                s.default_all = true;
              } else if constexpr (is_field_option<O>::value) {
                if (!names_a_field<S>(o)) s.valid = false;
              } else {
                s.valid = false;
              }
            }(),
            ...);
      },
      options_of<S>());
  return s;
}

template <class S, std::size_t... I>
constexpr bool each_field_has_one_option_at_most(std::index_sequence<I...> /*seq*/) {
  return ((flags_of<S, I>().options <= 1) && ...);
}

/// Fields the codec reads and writes under their own key: not skipped, not flattened.
template <class S, std::size_t I>
constexpr bool keyed() {
  constexpr auto f = flags_of<S, I>();
  return !f.skipped && !f.flattened;
}
/// A keyed field whose key must be present.
template <class S, std::size_t I>
constexpr bool required() {
  return keyed<S, I>() && !is_optional<member_type<S, I>>::value && !flags_of<S, I>().defaulted &&
         !struct_flags_of<S>().default_all;
}

/// The JSON key of each field (empty for skipped and flattened ones), worked out once.
/// Throws std::logic_error when two fields would share a key: a mistake in the options.
template <class S>
const std::array<std::string, field_count<S>>& struct_keys() {
  static const auto keys = [] {
    std::array<std::string, field_count<S>> k;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&] {
            if constexpr (keyed<S, I>()) {
              constexpr auto f = flags_of<S, I>();
              k[I] = f.renamed.empty()
                         ? apply_naming(std::get<I>(fields_of<S>()).name, struct_flags_of<S>().spelling)
                         : std::string(f.renamed);
            }
          }(),
          ...);
    }(std::make_index_sequence<field_count<S>>{});
    for (std::size_t a = 0; a < k.size(); ++a) {
      for (std::size_t b = a + 1; b < k.size(); ++b) {
        if (!k[a].empty() && k[a] == k[b]) {
          throw std::logic_error("myapp: two fields of a described struct share the JSON key \"" +
                                 k[a] + "\"; rename one of them");
        }
      }
    }
    return k;
  }();
  return keys;
}

/// What reading a flattened member keeps: its codec's state (nothing for other members).
template <class S, std::size_t I, bool Flattened = flags_of<S, I>().flattened>
struct child_state {
  using type = std::monostate;
};
template <class S, std::size_t I>
struct child_state<S, I, true> {
  static_assert(described<member_type<S, I>>,
                "myapp: json::field(...).flatten() needs a member that is a described struct");
  using type = typename codec<member_type<S, I>>::state;
};

/// A key that differs from `want` only in case and `_`/`-` separators.
[[nodiscard]] bool same_key_but_spelling(std::string_view got, std::string_view want) noexcept;

/// Fails `d` for a key that is no field's: naming the field it looks like, when one does.
bool fail_unknown_key(decoder& d, std::string_view key, std::string_view near_field);

}  // namespace detail

template <detail::described S>
struct codec<S> {
  static constexpr std::size_t N = detail::field_count<S>;
  static_assert(detail::struct_flags_of<S>().valid,
                "myapp: MYAPP_STRUCT_OPTIONS takes json::rename_all, json::deny_unknown_fields, "
                "json::default_all and json::field(&T::member) of members MYAPP_STRUCT lists");
  static_assert(detail::each_field_has_one_option_at_most<S>(std::make_index_sequence<N>{}),
                "myapp: MYAPP_STRUCT_OPTIONS gives one member two json::field(...) options; chain "
                "them instead: field(&T::m).rename(\"x\").or_default()");

  template <std::size_t... I>
  static auto children_of(std::index_sequence<I...>)
      -> std::tuple<typename detail::child_state<S, I>::type...>;

  /// What reading keeps per struct: the keys seen, and the same for flattened members.
  struct state {
    std::array<bool, N> seen{};
    decltype(children_of(std::make_index_sequence<N>{})) children{};
  };

  static bool read(value& v, S& out, decoder& d) {
    type t{};
    if (!v.get_type(t, d)) return false;
    if (t != type::object) return d.fail_type(expected(), v);
    if (!d.enter()) return false;
    state st;
    bool ok = v.for_each_field(d, [&](std::string_view key, value& e) {
      const int r = read_key(key, e, out, d, st);
      if (r != 0) return r > 0;
      if (auto near = near_key(key)) return detail::fail_unknown_key(d, key, *near);
      if (denies_unknown()) return detail::fail_unknown_key(d, key, {});
      return e.skip(d);  // unknown keys are ignored, but must be well-formed
    });
    d.leave();
    if (!ok) return false;
    return check_missing(d, st);
  }

  static void write(writer& w, const S& s) {
    w.begin_object();
    write_fields(w, s);
    w.end_object();
  }
  static std::string expected() { return "object"; }

  // The parts a flattening parent calls.

  /// Reads `key` if it is one of this struct's (or of its flattened members'): 1 when read, -1
  /// when reading failed, 0 when the key is not this struct's.
  static int read_key(std::string_view key, value& e, S& out, decoder& d, state& st) {
    const auto& keys = detail::struct_keys<S>();
    int r = 0;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((r == 0 ? (r = read_one<I>(key, e, out, d, st, keys)) : 0), ...);
    }(std::make_index_sequence<N>{});
    return r;
  }
  static bool check_missing(decoder& d, state& st) {
    const auto& keys = detail::struct_keys<S>();
    bool ok = true;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&] {
            if (!ok) return;
            if constexpr (detail::flags_of<S, I>().flattened) {
              ok = codec<detail::member_type<S, I>>::check_missing(d, std::get<I>(st.children));
            } else if constexpr (detail::required<S, I>()) {
              if (!st.seen[I]) ok = d.fail_missing(keys[I], expected_of<detail::member_type<S, I>>());
            }
          }(),
          ...);
    }(std::make_index_sequence<N>{});
    return ok;
  }
  static void write_fields(writer& w, const S& s) {
    const auto& keys = detail::struct_keys<S>();
    constexpr auto fields = detail::fields_of<S>();
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&] {
            if constexpr (detail::flags_of<S, I>().flattened) {
              codec<detail::member_type<S, I>>::write_fields(w, s.*(std::get<I>(fields).member));
            } else if constexpr (detail::keyed<S, I>()) {
              w.key(keys[I]);
              write_value(w, s.*(std::get<I>(fields).member));
            }
          }(),
          ...);
    }(std::make_index_sequence<N>{});
  }
  /// Every key this struct reads, its flattened members' included.
  static void collect_keys(std::vector<std::string_view>& out) {
    const auto& keys = detail::struct_keys<S>();
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&] {
            if constexpr (detail::flags_of<S, I>().flattened) {
              codec<detail::member_type<S, I>>::collect_keys(out);
            } else if constexpr (detail::keyed<S, I>()) {
              out.push_back(keys[I]);
            }
          }(),
          ...);
    }(std::make_index_sequence<N>{});
  }
  static bool denies_unknown() {
    bool deny = detail::struct_flags_of<S>().deny_unknown;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&] {
            if constexpr (detail::flags_of<S, I>().flattened) {
              deny = deny || codec<detail::member_type<S, I>>::denies_unknown();
            }
          }(),
          ...);
    }(std::make_index_sequence<N>{});
    return deny;
  }

 private:
  template <std::size_t I>
  static int read_one(std::string_view key, value& e, S& out, decoder& d, state& st,
                      const std::array<std::string, N>& keys) {
    constexpr auto fields = detail::fields_of<S>();
    if constexpr (detail::flags_of<S, I>().flattened) {
      return codec<detail::member_type<S, I>>::read_key(key, e, out.*(std::get<I>(fields).member),
                                                        d, std::get<I>(st.children));
    } else if constexpr (detail::keyed<S, I>()) {
      if (keys[I] != key) return 0;
      d.push_key(key);
      bool ok = false;
      if (st.seen[I]) {
        d.fail("duplicate key");
      } else {
        st.seen[I] = true;
        ok = read_value(e, out.*(std::get<I>(fields).member), d);
      }
      d.pop();
      return ok ? 1 : -1;
    } else {
      return 0;
    }
  }

  // The field a key that is no field's looks like: the same letters in another spelling.
  static std::optional<std::string_view> near_key(std::string_view key) {
    std::vector<std::string_view> keys;
    collect_keys(keys);
    for (auto k : keys) {
      if (detail::same_key_but_spelling(key, k)) return k;
    }
    return std::nullopt;
  }
};

}  // namespace myapp::json

/// Describes a struct's fields once for the JSON codec. Use it in the struct's namespace, after
/// the struct, listing the members to read and write:
///
///     struct point { int x; int y; };
///     MYAPP_STRUCT(point, x, y)
///
/// Members of type std::optional may be absent from the JSON; all others are required (unless
/// MYAPP_STRUCT_OPTIONS says otherwise).
#define MYAPP_STRUCT(Type, ...)                                                            \
  [[maybe_unused]] constexpr auto myapp_fields(std::type_identity<Type> /*unused*/) {      \
    return std::make_tuple(MYAPP_PP_MAP(MYAPP_DETAIL_FIELD, Type, __VA_ARGS__));           \
  }
#define MYAPP_DETAIL_FIELD(Type, f) \
  ::myapp::json::detail::field_desc<Type, decltype(Type::f)> { #f, &Type::f }

/// Serde-like options for a struct described with MYAPP_STRUCT, after it, in the same
/// namespace: any of json::rename_all(naming), json::deny_unknown_fields(), json::default_all()
/// and json::field(&Type::member) with .rename("key"), .skip(), .or_default(), .flatten().
#define MYAPP_STRUCT_OPTIONS(Type, ...)                                                     \
  [[maybe_unused]] constexpr auto myapp_struct_options(std::type_identity<Type> /*unused*/) { \
    return std::make_tuple(__VA_ARGS__);                                                   \
  }
