// myapp — plugins: reusable bundles of commands, permissions, page script, state and hooks.
//
//     #include <myapp/plugin.hpp>
//
//     myapp::plugin counter_plugin() {
//       auto count = std::make_shared<std::atomic<int>>(0);
//       myapp::plugin p("counter");                      // [a-z0-9-], starting with a letter
//       p.manage(count);                                 // handlers take myapp::state<...>
//       p.command("increment", [](myapp::state<std::atomic<int>> c, int by) {
//         return c->fetch_add(by) + by;
//       }, {"by"});                                      // on the wire: plugin:counter|increment
//       p.permissions(R"({"sets": [{"identifier": "default",
//                                   "permissions": ["allow-increment"]}]})");
//       p.js("window.counter = { increment: (by) => "
//            "__MYAPP__.invoke('plugin:counter|increment', { by }) };");
//       p.setup([](myapp::app& app) { /* once, in app.start(), before any window */ });
//       p.teardown([](myapp::app& app) { /* once, after the event loop ends */ });
//       return p;
//     }
//
//     app.plugin(counter_plugin());                      // before run()
//
// What the app sees:
//   commands     `plugin:<name>|<cmd>`; a plugin can only name `<cmd>` (lower-case letters,
//                digits, `_` and `-`), so it cannot register outside its own namespace.
//                Typed binding, injected parameters and `command_options` are those of
//                `app::command` (router.hpp).
//   permissions  `<name>:allow-<cmd>` and `<name>:deny-<cmd>` exist for every command, with
//                `_` written `-` (`set_title` → `allow-set-title`), as in Tauri. The plugin's
//                own permissions and sets (the format of the app's permissions/*.json, with
//                identifiers and command names written without the prefix: "default",
//                "allow-increment", "increment") appear as `<name>:<identifier>`; a set named
//                "default" is `<name>:default`. An app grants them in its capabilities like
//                any other permission; deny wins, as everywhere.
//   page script  every `js()` source runs in every app page, in the page's main world, at
//                document creation, after the myapp client (`window.__MYAPP__` exists), in
//                registration order, each in its own function that receives the window's
//                label as `__myapp_label` (one that throws is logged and the others run).
//                The same code may also be shipped as an ES module that calls
//                `invoke('plugin:<name>|<cmd>')` (see runtime-js/src/api/window.js).
//   state        `manage(shared_ptr<T>)` registers T for `myapp::state<T>` parameters, like
//                `app::manage`; a T may be managed once per app.
//
// myapp's own plugins (window, and the desktop plugins) are built with `detail::core_plugin`:
// the same API, with permissions under `core:<name>:` (`core:window:allow-set-title`,
// `core:window:default`) and their default set included in `core:default`.
#pragma once

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "myapp/router.hpp"

namespace myapp {

class app;
class plugin;

namespace detail {
/// A plugin of myapp itself: its permissions are `core:<name>:...`. Not for app plugins.
plugin core_plugin(std::string name);

// Number of handler parameters that come from `args` (the rest are injected).
template <class F>
struct decodable_count;
template <class F>
  requires requires { typename fn_traits<std::decay_t<F>>::args; }
struct decodable_count<F> {
  template <class T>
  struct count;
  template <class... A>
  struct count<std::tuple<A...>> {
    static constexpr std::size_t value = ((is_injected<A> ? 0 : 1) + ... + 0);
  };
  static constexpr std::size_t value = count<typename fn_traits<std::decay_t<F>>::args>::value;
};
}  // namespace detail

/// A named bundle of commands, permissions, page script, state and hooks (docs/plugins.md).
/// Build it, then hand it to `app::plugin` before `run()`. Mistakes throw `setup_error` where they are made
/// (a bad name, a bad command name) or at `app::plugin` (a duplicate command or plugin, bad
/// argument names); mistakes in the permissions are reported by `app::start` with the
/// capabilities' problems, naming `plugin <name>`.
class plugin {
 public:
  /// `name`: 1 to 64 characters, lower-case letters, digits and `-`, starting with a letter.
  explicit plugin(std::string name);
  plugin(plugin&&) noexcept;
  plugin& operator=(plugin&&) noexcept;
  ~plugin();

  /// Registers `plugin:<name>|<cmd>`; `arg_names` and `options` as in `router::add`.
  template <class F>
  plugin& command(std::string cmd, F fn, std::initializer_list<std::string_view> arg_names = {},
                  command_options options = {}) {
    check_command_name(cmd);
    std::vector<std::string> names(arg_names.begin(), arg_names.end());
    constexpr std::size_t D = detail::decodable_count<F>::value;
    if (names.size() != D && !names.empty()) {
      throw setup_error::argument_count(wire_name(cmd), D, names.size());
    }
    add_command(std::move(cmd), [fn = std::move(fn), names = std::move(names), options](
                                    router& r, std::string full) mutable {
      if (names.empty()) {
        r.add(std::move(full), std::move(fn), {}, options);
      } else if constexpr (D > 0) {
        add_named(r, std::move(full), std::move(fn), names, options,
                  std::make_index_sequence<D>{});
      }
    });
    return *this;
  }

  /// Adds permissions and sets, as JSON text in the format of the app's permissions/*.json
  /// (identifiers and command names without the plugin prefix). May be called several times.
  plugin& permissions(std::string json_text);
  /// Adds a script that runs in every app page after the myapp client.
  plugin& js(std::string source);
  /// Runs `fn` once in `app::start()`, before the capabilities are resolved and any window is
  /// created (it may declare windows). Plugins' setups run in registration order.
  plugin& setup(std::function<void(app&)> fn);
  /// Runs `fn` once when the app ends (after the event loop, before windows are destroyed),
  /// in reverse registration order.
  plugin& teardown(std::function<void(app&)> fn);
  /// Registers shared state for this plugin's handlers (`myapp::state<T>`).
  template <class T>
  plugin& manage(std::shared_ptr<T> value) {
    add_state([value = std::move(value)](router& r) mutable { r.manage(std::move(value)); });
    return *this;
  }

  [[nodiscard]] const std::string& name() const noexcept;
  /// The permission namespace: `<name>`, or `core:<name>` for myapp's own plugins.
  [[nodiscard]] std::string permission_prefix() const;
  /// `plugin:<name>|<cmd>`.
  [[nodiscard]] std::string wire_name(std::string_view cmd) const;
  /// True when `name` is a valid plugin name.
  [[nodiscard]] static bool valid_name(std::string_view name) noexcept;

  /// Called by `app::plugin`.
  struct impl;
  [[nodiscard]] impl& parts() noexcept { return *impl_; }
  [[nodiscard]] const impl& parts() const noexcept { return *impl_; }

 private:
  friend plugin detail::core_plugin(std::string name);
  void check_command_name(std::string_view cmd) const;
  void add_command(std::string cmd, std::function<void(router&, std::string)> add);
  void add_state(std::function<void(router&)> add);

  template <class F, std::size_t... I>
  static void add_named(router& r, std::string full, F fn, const std::vector<std::string>& names,
                        command_options options, std::index_sequence<I...> /*seq*/) {
    r.add(std::move(full), std::move(fn), {std::string_view(names[I])...}, options);
  }

  std::unique_ptr<impl> impl_;
};

}  // namespace myapp
