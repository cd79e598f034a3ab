// The app describing its commands and events for `myapp bindings`, instead of running.
#pragma once

#include <optional>
#include <string>

namespace myapp::runtime {

/// Where the app was asked to write its description: `MYAPP_DESCRIBE=<file>` in the
/// environment or a `--myapp-describe=<file>` argument ("-": stdout); nullopt when it was not.
std::optional<std::string> describe_target(int argc, char** argv);

/// Writes `json` to `target`; returns the process exit code (0, or 1 after saying why on
/// stderr).
int write_description(const std::string& json, const std::string& target);

}  // namespace myapp::runtime
