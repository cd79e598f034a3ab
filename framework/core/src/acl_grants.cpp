// What one page may call (grants), and why not: the denial messages.
#include <fmt/format.h>

#include "myapp/acl.hpp"

namespace myapp::acl {

bool grants::allows(std::string_view command) const {
  return allowed_.find(command) != allowed_.end();
}

const scope_entries& grants::scope(std::string_view command) const {
  static const scope_entries none;
  auto it = allowed_.find(command);
  return it == allowed_.end() ? none : it->second.scope;
}

namespace {
// The permission that would grant `command`.
template <class M>
std::string permission_for(std::string_view command, const M* plugin_permission) {
  if (plugin_permission != nullptr) {
    if (auto it = plugin_permission->find(command); it != plugin_permission->end()) {
      return it->second;
    }
  }
  if (command == EVENT_LISTEN) return "core:event:allow-listen";
  if (command == EVENT_EMIT) return "core:event:allow-emit";
  if (command == EVENT_EMIT_TO) return "core:event:allow-emit-to";
  return fmt::format("allow-{}", command);
}
}  // namespace

decision grants::decide(std::string_view command) const {
  if (auto it = allowed_.find(command); it != allowed_.end()) {
    return {true, it->second.capability, it->second.file, it->second.permission};
  }
  if (auto it = denied_.find(command); it != denied_.end()) {
    return {false, it->second.capability, it->second.file, it->second.permission};
  }
  return {false, {}, {}, permission_for(command, plugin_permission_.get())};
}

std::string grants::denial(std::string_view command) const {
  if (allows(command)) return {};
  if (plugin_permission_) {
    // An internal plugin's command (acl.hpp): no capability file can grant it.
    if (auto it = plugin_permission_->find(command); it != plugin_permission_->end() && it->second.empty()) {
      return fmt::format("`{}` is myapp's own: only its own window may call it, never an app page "
                         "(window `{}` at {})",
                         command, label_, origin_);
    }
  }
  if (caps_.empty()) {
    return fmt::format(
        "`{}` is not allowed: window `{}` at {} matches no capability, so it has no IPC at all; "
        "add a capability whose `windows` matches `{}`{}",
        command, label_, origin_, label_,
        origin_.starts_with("myapp://") ? "" : " and whose `remote.urls` matches this page");
  }
  std::string caps;
  for (std::size_t i = 0; i < caps_.size(); ++i) {
    caps += fmt::format("{}`{}` ({})", i == 0 ? "" : ", ", caps_[i], cap_files_[i]);
  }
  if (auto it = denied_.find(command); it != denied_.end()) {
    return fmt::format(
        "`{}` is denied for window `{}` at {} by `{}` in capability `{}` ({}); remove that "
        "entry to allow it here",
        command, label_, origin_, it->second.permission, it->second.capability, it->second.file);
  }
  return fmt::format(
      "`{}` is not allowed for window `{}` at {}: no capability that matches it grants it; add "
      "`{}` (or a permission that includes it) to the `permissions` of {}",
      command, label_, origin_, permission_for(command, plugin_permission_.get()), caps);
}

}  // namespace myapp::acl
