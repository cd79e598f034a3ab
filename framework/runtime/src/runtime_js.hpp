// The page client in its three forms (runtime-js/src/client.list), compiled in at build time.
#pragma once

#include <string_view>

namespace myapp::runtime {
/// The client in the page's world, holding the transport ([page]).
extern const std::string_view RUNTIME_JS;
/// The client in the page's world under an isolation hook, relaying to the isolation world ([relayed]).
extern const std::string_view RUNTIME_JS_RELAYED;
/// The isolation world: the hook's caller, the web channel and the bulk lane ([isolation]).
extern const std::string_view ISOLATION_JS;
}  // namespace myapp::runtime
