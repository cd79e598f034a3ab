// Small helpers of the CLI: PATH, text, files, the terminal, where myapp is installed.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace myapp::cli {

namespace fs = std::filesystem;

/// The full path of an executable on PATH, or empty.
std::string which(std::string_view name);

/// The first line of `text`, trimmed.
std::string first_line(std::string_view text);
std::string trim(std::string_view text);
std::vector<std::string> split(std::string_view text, std::string_view separators);

std::optional<std::string> read_file(const fs::path& path);
void write_file(const fs::path& path, std::string_view content);  // throws cli_error

/// True when stdout (fd 1) / stdin (fd 0) is a terminal; colour also honours NO_COLOR.
bool stdout_is_terminal();
bool stdin_is_terminal();
bool use_color();
/// `text` in the ANSI colour `code` ("36" cyan...) when colour is on.
std::string paint(std::string_view code, std::string_view text);

/// "12.3 MiB"
std::string human_size(std::uintmax_t bytes);

/// `path` as the user reads it: relative to the current folder, or as it is when it cannot be.
std::string shown_path(const fs::path& path);

/// This program's own path (/proc/self/exe).
fs::path self_exe();

/// Where to look for the installed framework, in order: --prefix-path values, the
/// CMAKE_PREFIX_PATH environment variable, the prefix this CLI runs from, the install prefix it
/// was built for.
std::vector<fs::path> prefix_paths(const std::vector<std::string>& cli_prefixes);
/// <prefix>/share/myapp/<what> in the first prefix that has it.
std::optional<fs::path> find_data(const std::vector<std::string>& cli_prefixes,
                                  std::string_view what);

/// Messages of the CLI itself: "myapp: ..." on stderr.
void say(std::string_view message);
void warn(std::string_view message);

}  // namespace myapp::cli
