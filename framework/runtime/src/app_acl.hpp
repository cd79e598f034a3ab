// The app's capabilities and permissions: read from the resources and from code, resolved
// once at start-up.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "myapp/acl.hpp"

namespace myapp::runtime {

/// Reads `:/myapp/capabilities/*.json` and `:/myapp/permissions/*.json` (compiled in by
/// myapp_add_app), keeps the files `enabled` names (myapp.conf.json's
/// `app.security.capabilities`; all when empty), adds `extra_*` (given in code, always in
/// force), and resolves them against `commands`. Throws myapp::setup_error listing every
/// problem, each as `file: key path: message`.
std::shared_ptr<const acl::policy> load_policy(const std::vector<acl::source>& extra_capabilities,
                                               const std::vector<acl::source>& extra_permissions,
                                               const std::vector<std::string>& commands,
                                               const std::vector<acl::plugin_permissions>& plugins = {},
                                               const std::vector<std::string>& enabled = {});

/// True when a page at `url` is the app's own: the app origin, or the dev server's origin when
/// `myapp dev` runs one (MYAPP_DEV_URL).
bool is_local_url(const std::string& url);

}  // namespace myapp::runtime
