#include "app_describe.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace myapp::runtime {

std::optional<std::string> describe_target(int argc, char** argv) {
  constexpr std::string_view FLAG = "--myapp-describe=";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.substr(0, FLAG.size()) == FLAG) return std::string(arg.substr(FLAG.size()));
  }
  const char* env = std::getenv("MYAPP_DESCRIBE");
  if (env != nullptr && *env != '\0') return std::string(env);
  return std::nullopt;
}

int write_description(const std::string& json, const std::string& target) {
  const bool to_stdout = target == "-";
  std::FILE* f = to_stdout ? stdout : std::fopen(target.c_str(), "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "myapp: cannot write the description to %s: %s\n", target.c_str(),
                 std::strerror(errno));
    return 1;
  }
  const bool ok = std::fwrite(json.data(), 1, json.size(), f) == json.size() &&
                  std::fputc('\n', f) != EOF && std::fflush(f) == 0;
  const int saved = errno;
  if (!to_stdout && std::fclose(f) != 0 && ok) {
    std::fprintf(stderr, "myapp: cannot write the description to %s: %s\n", target.c_str(),
                 std::strerror(errno));
    return 1;
  }
  if (!ok) {
    std::fprintf(stderr, "myapp: cannot write the description to %s: %s\n", target.c_str(),
                 std::strerror(saved));
    return 1;
  }
  return 0;
}

}  // namespace myapp::runtime
