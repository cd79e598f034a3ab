// The commands of the CLI. Each returns normally on success and throws cli_error otherwise.
#pragma once

#include <string>
#include <vector>

#include "exit.hpp"

namespace CLI {
class App;
}

namespace myapp::cli {

struct new_options {
  std::string name;
  std::string template_name;  ///< empty: ask (on a terminal) or "vanilla"
  std::string identifier;     ///< empty: ask (on a terminal) or com.example.<name>
  std::string dir;            ///< empty: ./<name>
  bool force = false;
  bool yes = false;
  bool no_install = false;
  std::vector<std::string> prefix_paths;
};
void cmd_new(const new_options& o);

struct build_options {
  bool debug = false;
  std::vector<std::string> prefix_paths;
};
void cmd_build(const build_options& o);

struct bundle_options {
  std::vector<std::string> formats;  ///< empty: bundle.targets, or deb and tar
};
void cmd_bundle(const bundle_options& o);

struct info_options {
  std::vector<std::string> prefix_paths;
};
void cmd_info(const info_options& o);

/// Returns problems when myapp.conf.json has any.
outcome cmd_check();

struct dev_options {
  std::vector<std::string> prefix_paths;
  bool debug = true;
};
outcome cmd_dev(const dev_options& o);

/// Prints the completion script of `shell` for the command tree of `app`.
void cmd_completions(const CLI::App& app, const std::string& shell);

/// The template names `myapp new` knows.
std::vector<std::string> template_names();

}  // namespace myapp::cli
