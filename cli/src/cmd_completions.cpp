// myapp completions: shell completion scripts made from the command tree itself.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "commands.hpp"
#include "myapp/config.hpp"

namespace myapp::cli {

namespace {

struct sub_info {
  std::string name;
  std::string description;
  std::vector<std::string> long_flags;
  std::vector<std::pair<std::string, std::string>> flag_help;  // --flag, description
  std::string words;  // what its first argument may be: its subcommands, or plugin names
};

// A command's flags, and those of its own subcommands (`permission add --capability`).
void add_flags(const CLI::App& from, sub_info& s) {
  for (const CLI::Option* opt : from.get_options()) {
    for (const auto& l : opt->get_lnames()) {
      const std::string flag = "--" + l;
      if (std::find(s.long_flags.begin(), s.long_flags.end(), flag) != s.long_flags.end()) continue;
      s.long_flags.push_back(flag);
      s.flag_help.emplace_back(flag, opt->get_description());
    }
  }
}

std::vector<sub_info> commands(const CLI::App& app) {
  std::vector<sub_info> out;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    sub_info s{sub->get_name(), sub->get_description(), {}, {}, {}};
    add_flags(*sub, s);
    for (const CLI::App* child : sub->get_subcommands([](const CLI::App*) { return true; })) {
      s.words += (s.words.empty() ? "" : " ") + child->get_name();
      add_flags(*child, s);
    }
    if (s.name == "add" || s.name == "remove") {
      for (const auto& p : plugin_names()) s.words += (s.words.empty() ? "" : " ") + p;
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::string quote_single(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Completes the values of some options and arguments.
std::string values_for(const std::string& flag) {
  if (flag == "--template") {
    std::string v;
    for (const auto& t : template_names()) v += (v.empty() ? "" : " ") + t;
    return v;
  }
  if (flag == "--format") {
    std::string v;
    for (const auto& f : config::bundle_formats()) v += (v.empty() ? "" : " ") + f;
    return v;
  }
  if (flag == "completions") return "bash zsh fish";
  return {};
}

void bash(const CLI::App& app) {
  const auto subs = commands(app);
  std::string names;
  for (const auto& s : subs) names += (names.empty() ? "" : " ") + s.name;
  std::printf("# bash completion for myapp (myapp completions bash)\n"
              "_myapp() {\n"
              "  local cur prev cmd i\n"
              "  cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
              "  prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
              "  cmd=\"\"\n"
              "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
              "    case \"${COMP_WORDS[i]}\" in -*) ;; *) cmd=\"${COMP_WORDS[i]}\"; break ;; esac\n"
              "  done\n"
              "  if [[ -z \"$cmd\" ]]; then\n"
              "    COMPREPLY=($(compgen -W \"%s --help --version\" -- \"$cur\"))\n"
              "    return\n"
              "  fi\n"
              "  case \"$prev\" in\n"
              "    --template|-t) COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); return ;;\n"
              "    --format) COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); return ;;\n"
              "    --dir|--prefix-path) COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n"
              "  esac\n"
              "  case \"$cmd\" in\n",
              names.c_str(), values_for("--template").c_str(), values_for("--format").c_str());
  for (const auto& s : subs) {
    std::string flags = "--help";
    for (const auto& f : s.long_flags) {
      if (f != "--help") flags += " " + f;
    }
    if (s.name == "completions") flags += " " + values_for("completions");
    if (!s.words.empty()) flags += " " + s.words;
    std::printf("    %s) COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")) ;;\n", s.name.c_str(), flags.c_str());
  }
  std::printf("  esac\n"
              "}\n"
              "complete -F _myapp myapp\n");
}

void zsh(const CLI::App& app) {
  const auto subs = commands(app);
  std::printf("#compdef myapp\n# zsh completion for myapp (myapp completions zsh)\n\n"
              "_myapp() {\n"
              "  local -a commands\n"
              "  commands=(\n");
  for (const auto& s : subs) {
    std::printf("    '%s:%s'\n", s.name.c_str(), quote_single(s.description).c_str());
  }
  std::printf("  )\n"
              "  if (( CURRENT == 2 )); then\n"
              "    _describe 'command' commands\n"
              "    return\n"
              "  fi\n"
              "  case \"$words[2]\" in\n");
  for (const auto& s : subs) {
    std::printf("    %s)\n      _arguments", s.name.c_str());
    for (const auto& [flag, help] : s.flag_help) {
      std::string spec = fmt::format("{}[{}]", flag, quote_single(help));
      const std::string values = values_for(flag);
      if (!values.empty()) spec += fmt::format(":value:({})", values);
      if (flag == "--dir" || flag == "--prefix-path") spec += ":dir:_files -/";
      if (flag == "--identifier") spec += ":identifier:";
      std::printf(" \\\n        '%s'", spec.c_str());
    }
    if (s.name == "completions") std::printf(" \\\n        '1:shell:(bash zsh fish)'");
    if (s.name == "new") std::printf(" \\\n        '1:name:'");
    if (!s.words.empty()) std::printf(" \\\n        '1:argument:(%s)'", s.words.c_str());
    std::printf(" ;;\n");
  }
  std::printf("  esac\n"
              "}\n\n"
              "compdef _myapp myapp\n");
}

void fish(const CLI::App& app) {
  const auto subs = commands(app);
  std::string names;
  for (const auto& s : subs) names += (names.empty() ? "" : " ") + s.name;
  std::printf("# fish completion for myapp (myapp completions fish)\n"
              "complete -c myapp -f\n");
  for (const auto& s : subs) {
    std::printf("complete -c myapp -n 'not __fish_seen_subcommand_from %s' -a %s -d '%s'\n",
                names.c_str(), s.name.c_str(), quote_single(s.description).c_str());
    for (const auto& [flag, help] : s.flag_help) {
      std::string line = fmt::format("complete -c myapp -n '__fish_seen_subcommand_from {}' -l {} -d '{}'",
                                     s.name, flag.substr(2), quote_single(help));
      const std::string values = values_for(flag);
      if (!values.empty()) line += fmt::format(" -r -a '{}'", values);
      if (flag == "--dir" || flag == "--prefix-path") line += " -r -F";
      std::printf("%s\n", line.c_str());
    }
    if (s.name == "completions") {
      std::printf("complete -c myapp -n '__fish_seen_subcommand_from completions' -a 'bash zsh fish'\n");
    }
    if (!s.words.empty()) {
      std::printf("complete -c myapp -n '__fish_seen_subcommand_from %s' -a '%s'\n", s.name.c_str(),
                  s.words.c_str());
    }
  }
}

}  // namespace

void cmd_completions(const CLI::App& app, const std::string& shell) {
  if (shell == "bash") bash(app);
  if (shell == "zsh") zsh(app);
  if (shell == "fish") fish(app);
  std::fflush(stdout);
}

}  // namespace myapp::cli
