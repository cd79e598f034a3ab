// `myapp bindings`: the app's description (router::describe) turned into a TypeScript module.
#pragma once

#include <filesystem>
#include <string>

#include "myapp/describe.hpp"
#include "project.hpp"

namespace myapp::cli {

/// Where the bindings go when neither --out nor build.bindings says.
inline constexpr const char* DEFAULT_BINDINGS = "src/bindings.ts";

/// The TypeScript module for `doc`: interfaces for its structs, `commands` (one typed wrapper
/// of `invoke` per command) and, when it declares events, `Events` and typed `events`.
/// Deterministic: the same description always gives the same text. See docs/bindings.md.
[[nodiscard]] std::string typescript_bindings(const api::document& doc);

/// `doc` without the commands of plugins (`plugin:<name>|<cmd>`, wrapped by their own JS
/// modules) unless `include_plugins`, and without the structs only those used.
[[nodiscard]] api::document select_commands(const api::document& doc, bool include_plugins);

/// Reads a description (the JSON an app writes with MYAPP_DESCRIBE). Throws
/// cli_error(app_failed) naming `what` and the problem when it is not a valid description.
[[nodiscard]] api::document read_description(const std::string& json_text, const std::string& what);

/// Runs the built app of `p` for its description. Throws cli_error(app_failed) when it fails.
[[nodiscard]] api::document describe_app(const project& p, const fs::path& binary);

/// "3 commands, 1 event, 2 types"
[[nodiscard]] std::string summary(const api::document& doc);

/// Writes `text` to `path` unless it already holds exactly that (so that a dev server watching
/// it does not reload for nothing). True when it wrote.
bool write_if_changed(const std::filesystem::path& path, const std::string& text);

}  // namespace myapp::cli
