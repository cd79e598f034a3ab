// The modules of @myapp/api (runtime-js/src/api/, listed in runtime-js/src/api.list), compiled
// in at build time by cmake/bundle_api.cmake: served to app pages, and bundled into the
// namespaces of the global `__MYAPP__`.
#pragma once

#include <optional>
#include <string_view>

namespace myapp::runtime {

/// The text of the module `file` ("core.js"), which the app scheme serves at
/// /__myapp/api/<file>; nullopt when there is no such module.
std::optional<std::string_view> api_module(std::string_view file);

/// A JavaScript function expression, `function (__myapp_client) {...}`, returning the exports of
/// the modules by namespace (`{core, event, window, ...}`); the page client hands it itself.
extern const std::string_view API_NAMESPACES;

}  // namespace myapp::runtime
