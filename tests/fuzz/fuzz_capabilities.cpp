// libFuzzer target: the capability and permission loader (myapp/acl.hpp) and what it resolves.
//
// The input is a set of files separated by lines "---" (the text "\n---\n"):
//
//     {"identifier":"main","windows":["main"],"permissions":["allow-greet"]}
//     ---
//     perm:{"permissions":[{"identifier":"read","commands":{"allow":["read_file"]}}]}
//     ---
//     url:https://docs.example.com/a
//     ---
//     glob:editor-*
//     editor-1
//
// A part starting "perm:" is a permission file, "url:" a page URL to resolve the policy for,
// "glob:" a label glob and a text to match; any other part is a capability file. Loading must
// never crash, leak or hang; a failed load reports problems, a successful one none; for every
// page resolved, each command is either allowed (no denial) or denied with a message, valid
// UTF-8 (it is sent to the page). A violation traps.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "myapp/acl.hpp"
#include "myapp/json.hpp"

namespace {

#define FUZZ_CHECK(cond)           \
  do {                             \
    if (!(cond)) __builtin_trap(); \
  } while (0)

const std::vector<std::string> COMMANDS = {"greet", "read_file", "delete_all", "save"};

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view SEP = "\n---\n";

  std::vector<myapp::acl::source> caps;
  std::vector<myapp::acl::source> perms;
  std::vector<std::string> urls = {"myapp://localhost/index.html", "https://docs.example.com/a/b?x=1",
                                   "http://localhost:5173/", "file:///etc/passwd", ""};
  std::size_t pos = 0;
  while (pos <= input.size()) {
    auto end = input.find(SEP, pos);
    if (end == std::string_view::npos) end = input.size();
    auto part = input.substr(pos, end - pos);
    pos = end + SEP.size();
    if (starts_with(part, "perm:")) {
      perms.push_back({"permissions/" + std::to_string(perms.size()) + ".json",
                       std::string(part.substr(5))});
    } else if (starts_with(part, "url:")) {
      urls.emplace_back(part.substr(4));
    } else if (starts_with(part, "glob:")) {
      auto rest = part.substr(5);
      auto nl = rest.find('\n');
      auto pattern = rest.substr(0, nl);
      auto text = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
      (void)myapp::acl::glob_match(pattern, text);
    } else {
      caps.push_back({"capabilities/" + std::to_string(caps.size()) + ".json", std::string(part)});
    }
  }

  auto loaded = myapp::acl::policy::load(caps, perms, COMMANDS);
  FUZZ_CHECK(loaded.ok() == loaded.problems.empty());
  if (!loaded.ok()) return 0;

  std::vector<std::string_view> ops(COMMANDS.begin(), COMMANDS.end());
  ops.insert(ops.end(), {myapp::acl::EVENT_LISTEN, myapp::acl::EVENT_EMIT,
                         myapp::acl::EVENT_EMIT_TO, "not_registered"});
  for (const auto& url : urls) {
    for (std::string_view label : {"main", "editor-1", "", "*"}) {
      const bool local = starts_with(url, "myapp://");
      auto g = loaded.value->resolve(myapp::acl::context{label, url, local});
      FUZZ_CHECK(g != nullptr);
      for (auto op : ops) {
        const bool allowed = g->allows(op);
        const std::string why = g->denial(op);
        FUZZ_CHECK(allowed == why.empty());
        // decide() agrees with allows(), and names a capability for everything allowed.
        const auto d = g->decide(op);
        FUZZ_CHECK(d.allowed == allowed);
        if (allowed) FUZZ_CHECK(!d.capability.empty());
        if (myapp::json::is_valid_utf8(url)) FUZZ_CHECK(myapp::json::is_valid_utf8(why));
        (void)g->scope(op);
      }
    }
  }
  return 0;
}
