#include "kv_plugin.hpp"

#include <myapp/app.hpp>

#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kv {

namespace {

// Handlers run on several worker threads at once: the store guards itself.
struct store {
  std::size_t max_entries = 0;
  myapp::app* app = nullptr;  // set by setup, for events
  std::mutex mutex;
  std::map<std::string, std::string> entries;
};

void check_key(const std::string& key) {
  if (key.empty() || key.size() > 256) {
    throw myapp::error("kv.bad_key", "a key is 1 to 256 bytes, got " + std::to_string(key.size()));
  }
}

}  // namespace

myapp::plugin plugin(options o) {
  auto s = std::make_shared<store>();
  s->max_entries = o.max_entries;

  myapp::plugin p("kv");
  p.manage(s);
  p.command("get", [](myapp::state<store> st, std::string key) -> std::optional<std::string> {
    check_key(key);
    std::lock_guard lock(st->mutex);
    auto it = st->entries.find(key);
    if (it == st->entries.end()) return std::nullopt;
    return it->second;
  }, {"key"});
  p.command("keys", [](myapp::state<store> st) {
    std::lock_guard lock(st->mutex);
    std::vector<std::string> keys;
    for (const auto& [k, v] : st->entries) keys.push_back(k);
    return keys;
  });
  p.command("set", [](myapp::state<store> st, std::string key, std::string value) {
    check_key(key);
    {
      std::lock_guard lock(st->mutex);
      if (st->entries.size() >= st->max_entries && !st->entries.contains(key)) {
        throw myapp::error("kv.full", "the store holds " + std::to_string(st->max_entries) +
                                          " entries at most");
      }
      st->entries[key] = std::move(value);
    }
    st->app->emit_event("kv:changed", key);
  }, {"key", "value"});
  p.command("remove", [](myapp::state<store> st, std::string key) {
    check_key(key);
    bool removed = false;
    {
      std::lock_guard lock(st->mutex);
      removed = st->entries.erase(key) > 0;
    }
    if (removed) st->app->emit_event("kv:changed", key);
    return removed;
  }, {"key"});

  p.permissions(R"({
    "sets": [
      { "identifier": "read", "description": "Read entries", "permissions": ["allow-get", "allow-keys"] },
      { "identifier": "write", "description": "Change entries", "permissions": ["allow-set", "allow-remove"] },
      { "identifier": "default", "description": "Reading only", "permissions": ["read"] }
    ]
  })");

  p.js(R"JS(
    const call = (cmd, args) => __MYAPP__.invoke('plugin:kv|' + cmd, args);
    Object.defineProperty(window, 'kv', { value: Object.freeze({
      get: (key) => call('get', { key }),
      set: (key, value) => call('set', { key, value }),
      remove: (key) => call('remove', { key }),
      keys: () => call('keys'),
      onChanged: (handler) => __MYAPP__.listen('kv:changed', (e) => handler(e.payload)),
    }) });
  )JS");

  p.setup([s](myapp::app& app) { s->app = &app; });
  p.teardown([s](myapp::app&) {
    std::lock_guard lock(s->mutex);
    std::fprintf(stderr, "kv: %zu entries at exit\n", s->entries.size());
  });
  return p;
}

}  // namespace kv
