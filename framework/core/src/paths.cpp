#include "myapp/paths.hpp"

#include <fmt/format.h>

#include <cstdlib>

namespace myapp::paths {

namespace {

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string();
}

}  // namespace

environment environment::from_process() {
  return environment{env_or_empty("HOME"), env_or_empty("XDG_DATA_HOME"),
                     env_or_empty("XDG_CONFIG_HOME"), env_or_empty("XDG_CACHE_HOME"),
                     env_or_empty("XDG_STATE_HOME")};
}

bool valid_dir_name(std::string_view identifier) noexcept {
  if (identifier.empty() || identifier.size() > 255) return false;
  if (identifier == "." || identifier == "..") return false;
  return identifier.find('/') == std::string_view::npos &&
         identifier.find('\0') == std::string_view::npos;
}

result<base_dirs> base_dirs_for(const environment& env) {
  // "If an implementation encounters a relative path in any of these variables it should
  // consider the path invalid and ignore it."
  const bool home_ok = !env.home.empty() && env.home.front() == '/';
  std::string missing;
  auto pick = [&](const std::string& value, const char* variable, const char* fallback) {
    if (!value.empty() && value.front() == '/') return std::filesystem::path(value);
    if (!home_ok) {
      missing += fmt::format("{}{}", missing.empty() ? "" : ", ", variable);
      return std::filesystem::path();
    }
    return std::filesystem::path(env.home) / fallback;
  };
  base_dirs out{pick(env.xdg_data_home, "XDG_DATA_HOME", ".local/share"),
                pick(env.xdg_config_home, "XDG_CONFIG_HOME", ".config"),
                pick(env.xdg_cache_home, "XDG_CACHE_HOME", ".cache"),
                pick(env.xdg_state_home, "XDG_STATE_HOME", ".local/state")};
  if (!missing.empty()) {
    return error("paths.no_home",
                 fmt::format("HOME is {}, so the app's folders cannot be placed; set HOME to an "
                             "absolute path, or set {}",
                             env.home.empty() ? "not set" : "not an absolute path (`" + env.home + "`)",
                             missing));
  }
  return out;
}

result<app_dirs> app_dirs_for(std::string_view identifier, const environment& env) {
  if (!valid_dir_name(identifier)) {
    return error("paths.invalid_identifier",
                 fmt::format("the identifier `{}` cannot name a folder: use 1 to 255 characters "
                             "without `/`, other than `.` and `..` (a reverse-DNS name such as "
                             "com.example.app)",
                             identifier));
  }
  auto base = base_dirs_for(env);
  if (!base) return base.error_value();
  const auto& b = base.value();
  const std::filesystem::path id{std::string(identifier)};
  return app_dirs{b.data / id, b.config / id, b.cache / id, b.state / id, b.state / id / "logs"};
}

}  // namespace myapp::paths
