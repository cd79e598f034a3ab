// kv — an example third-party plugin: a small in-memory key-value store shared by every window.
//
//     app.plugin(kv::plugin({.max_entries = 100}));
//
// Commands (wire names):   plugin:kv|get, plugin:kv|set, plugin:kv|remove, plugin:kv|keys
// Permissions:             kv:allow-<cmd> / kv:deny-<cmd> for each, and
//                          kv:read    (get, keys)       kv:write (set, remove)
//                          kv:default (= kv:read)
// Page script:             window.kv = { get(key), set(key, value), remove(key), keys() }
// Events:                  "kv:changed" {key} to every listening page after a set or remove
#pragma once

#include <myapp/plugin.hpp>

#include <cstddef>

namespace kv {

struct options {
  /// Entries the store holds at most; a set beyond that fails with `kv.full`.
  std::size_t max_entries = 1000;
};

myapp::plugin plugin(options o = {});

}  // namespace kv
