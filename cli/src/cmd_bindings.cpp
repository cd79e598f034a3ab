// myapp bindings: build the app, ask it to describe its commands, write TypeScript.
#include <fmt/format.h>

#include <cstdio>

#include "bindings.hpp"
#include "commands.hpp"
#include "project.hpp"
#include "util.hpp"

namespace myapp::cli {

namespace {

// Builds where `myapp dev` builds when it has (build/dev), in build/release otherwise: the
// commands are the same in every build type. The frontend is built once first only when the
// build needs it and it is not there yet. Returns the binary.
fs::path build_for_description(const project& p, const bindings_options& o) {
  require_tool("cmake", "install it with `apt-get install cmake`");
  if (p.frontend_is_empty() && p.conf.build.before_build_command) {
    say(fmt::format("{} is empty; running beforeBuildCommand once: {}", p.conf.build.frontend_dist,
                    *p.conf.build.before_build_command));
    run_before_build_command(p);
  }
  std::error_code ec;
  const build_kind kind = fs::exists(p.build_dir(build_kind::dev) / "CMakeCache.txt", ec)
                              ? build_kind::dev
                              : build_kind::release;
  return configure_and_build(p, {.kind = kind, .prefix_paths = o.prefix_paths});
}

}  // namespace

outcome cmd_bindings(const bindings_options& o) {
  api::document doc;
  fs::path out;
  if (!o.from.empty()) {
    // A description written earlier (MYAPP_DESCRIBE=file ./app): no project or build needed.
    auto text = read_file(o.from);
    if (!text) throw cli_error(outcome::usage, fmt::format("cannot read {}", o.from));
    doc = read_description(*text, o.from);
    if (!o.out.empty()) {
      out = o.out;
    } else if (find_root(fs::current_path())) {
      const project p = load_project();
      out = p.root / p.conf.build.bindings.value_or(DEFAULT_BINDINGS);
    } else {
      throw cli_error(outcome::usage, "--from outside a project needs --out");
    }
  } else {
    const project p = load_project();
    doc = describe_app(p, build_for_description(p, o));
    out = !o.out.empty() ? fs::path(o.out) : p.root / p.conf.build.bindings.value_or(DEFAULT_BINDINGS);
  }

  doc = select_commands(doc, o.include_plugins);
  const std::string text = typescript_bindings(doc);
  const std::string name = shown_path(out);
  if (o.check) {
    if (read_file(out) != text) {
      throw cli_error(outcome::problems,
                      fmt::format("{} is not what `myapp bindings` writes for this app ({}); run "
                                  "`myapp bindings`",
                                  name, summary(doc)));
    }
    std::printf("%s is up to date (%s)\n", name.c_str(), summary(doc).c_str());
  } else if (write_if_changed(out, text)) {
    std::printf("wrote %s (%s)\n", name.c_str(), summary(doc).c_str());
  } else {
    std::printf("%s is up to date (%s)\n", name.c_str(), summary(doc).c_str());
  }
  std::fflush(stdout);
  return outcome::ok;
}

}  // namespace myapp::cli
