// The capability files of a project, read and edited in place for `add`, `remove`,
// `permission` and `capability`: each edit changes the text of one array (myapp/json_edit.hpp),
// is checked as `myapp check` checks the files, and is written only when every edit of the
// command is sound.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "myapp/acl.hpp"
#include "project.hpp"

namespace myapp::cli {

namespace fs = std::filesystem;

/// One capabilities/*.json file.
struct capability_file {
  fs::path path;
  std::string text;
  /// Why the file cannot be read as a capability ("file:line:column: message"); the fields
  /// below are empty then.
  std::optional<std::string> problem;
  std::string identifier;
  std::string description;
  std::vector<std::string> windows;
  std::vector<std::string> webviews;
  std::vector<std::string> remote;       ///< remote.urls
  std::vector<std::string> permissions;  ///< the identifier of each entry, in order
  /// False when myapp.conf.json's app.security.capabilities does not list it.
  bool in_force = true;

  [[nodiscard]] bool grants(std::string_view permission) const;
};

/// The capability files of project `p`, in name order.
std::vector<capability_file> read_capabilities(const project& p);

/// The capability `which` names (an identifier, or a file's path from here or from
/// capabilities/), or, when `which` is empty, the one in force (the one called `default` when
/// several are). Throws cli_error with the names there are (and the closest one) otherwise, or
/// when the file it names cannot be read.
capability_file& choose_capability(std::vector<capability_file>& caps, const std::string& which);

/// The permissions the app may grant, as `myapp check` knows them: the app's own
/// (permissions/*.json), core's, and, with `registry` (what the built app registered), its
/// commands' and its plugins'.
std::vector<acl::permission_info> known_permissions(const project& p,
                                                    const acl::app_registry* registry);

/// The registry of the newest build of `p`, or nullopt (said) when it is not built.
std::optional<acl::app_registry> built_registry(const project& p);

/// Files a command changes, written together at the end.
class file_edits {
 public:
  /// The current text of `path`: as edited so far, or as on disk.
  [[nodiscard]] std::optional<std::string> text(const fs::path& path) const;
  void set(const fs::path& path, std::string text);
  void remove(const fs::path& path);
  [[nodiscard]] bool empty() const noexcept { return changes_.empty(); }
  /// The capability files with these edits: for checking them before they are written.
  [[nodiscard]] std::vector<acl::source> capability_sources(const project& p) const;
  /// Writes every change (throws cli_error when a file cannot be written).
  void write() const;

 private:
  struct change {
    fs::path path;
    std::optional<std::string> text;  ///< nullopt: delete the file
  };
  std::vector<change> changes_;
};

/// `c`'s text with `permission` added to its permissions (a string entry, laid out as the others).
std::string with_permission(const capability_file& c, std::string_view text,
                            std::string_view permission);

/// `text` (capability `c`, possibly already edited) without the entries whose identifier
/// `drop` accepts; the identifiers dropped are added to `dropped`.
std::string without_permissions(std::string_view text,
                                const std::function<bool(std::string_view)>& drop,
                                std::vector<std::string>& dropped);

/// Without the built app, `check_edits` takes command and plugin permissions as written: this
/// catches the likely typos among `ids` then, a name close to one the app's files or core
/// define, or one a capability already grants, and throws cli_error(usage) with the suggestion.
void check_unbuilt_names(const project& p, const std::vector<std::string>& ids);

/// Checks the capability files as `edits` leave them, as `myapp check` would (against
/// `registry` when there is one): throws cli_error(usage) with the problems the edits bring
/// that were not there before, each as file:line:column: path: message.
void check_edits(const project& p, const file_edits& edits, const acl::app_registry* registry);

}  // namespace myapp::cli
