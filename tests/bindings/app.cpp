// An app whose commands and events use every type `myapp bindings` maps: the golden test runs it
// with MYAPP_DESCRIBE and compares the TypeScript written from its description with expected.ts.
#include <myapp/app.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace notes {
struct tag {
  std::string name;
  std::optional<std::string> color_hex;
};
MYAPP_STRUCT(tag, name, color_hex)

struct note {
  std::uint64_t id = 0;
  std::string title;
  std::vector<tag> tags;
  std::optional<std::int32_t> pinned_at;
  std::map<std::string, double> scores;
  myapp::json::raw extra;
  myapp::bytes thumbnail;
};
MYAPP_STRUCT(note, id, title, tags, pinned_at, scores, extra, thumbnail)

struct folder {  // recursive
  std::string name;
  std::vector<folder> children;
  std::vector<note> notes;
};
MYAPP_STRUCT(folder, name, children, notes)

struct progress {
  std::uint32_t done = 0;
  std::uint32_t total = 0;
};
MYAPP_STRUCT(progress, done, total)
}  // namespace notes

namespace search {
struct query {
  std::string text;
  std::optional<std::uint16_t> limit;
  bool fuzzy = false;
};
MYAPP_STRUCT(query, text, limit, fuzzy)

struct tag {  // the same C++ name as notes::tag: named Tag2
  std::int64_t weight = 0;
};
MYAPP_STRUCT(tag, weight)
}  // namespace search

int main(int argc, char** argv) {
  myapp::app app(argc, argv, {.name = "bindings-app"});

  app.command("ping", [] {});
  app.command("greet", [](std::string name) { return "Hello, " + name; }, {"name"},
              {.errors = {"greet.empty_name"}});
  app.command("numbers",
              [](std::int8_t a, std::uint8_t b, std::int16_t c, std::uint16_t d, std::int32_t e,
                 std::uint32_t f, std::int64_t g, std::uint64_t h, float i, double j, bool k) {
                return static_cast<double>(a + b + c + d + e) + f + static_cast<double>(g) +
                       static_cast<double>(h) + i + j + (k ? 1 : 0);
              },
              {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"});
  app.command("save_note", [](notes::note n) { return n.id; });  // the whole args object
  app.command("find", [](const search::query& q, std::optional<std::string> folder_name)
                          -> myapp::result<std::vector<notes::note>> {
                if (q.text.empty()) return myapp::error("find.empty", "nothing to find");
                (void)folder_name;
                return std::vector<notes::note>{};
              },
              {"query", "folder_name"}, {.errors = {"find.empty", "find.too_many"}});
  app.command("tree", [](const myapp::request&) { return notes::folder{}; });
  // An error value: the promise rejects with a notes::tag (typed by @throws), or a string.
  app.command("login", [](std::string user) -> myapp::result<bool, notes::tag> {
    if (user.empty()) return notes::tag{"nobody", std::nullopt};
    return true;
  }, {"user"});
  app.command("logout", []() -> myapp::result<void, std::string> { return {}; });
  // A raw body: invoke('upload', bytes, { headers }).
  app.command("upload", [](const myapp::request& req) { return req.body().size(); }, {},
              {.raw_body = true});
  app.command("maybe", [](std::optional<std::int32_t> x, std::optional<notes::tag> t) {
                return x ? std::optional<notes::tag>(t) : std::nullopt;
              },
              {"x", "t"});
  app.command("tables",
              [](std::unordered_map<std::string, std::vector<std::string>> by_key,
                 std::vector<std::optional<double>> gaps,
                 std::vector<std::vector<search::tag>> grid) {
                return std::map<std::string, bool>{{"ok", !by_key.empty() || !gaps.empty() || !grid.empty()}};
              },
              {"by_key", "gaps", "grid"});
  app.command("anything", [](myapp::json::raw value, std::nullptr_t) { return value; },
              {"value", "nothing"});
  app.command("thumbnail", [](myapp::bytes image, std::vector<myapp::bytes> parts) {
                (void)parts;
                return image;
              },
              {"image", "parts"});
  app.command("export_all",
              [](myapp::channel<notes::progress> progress, myapp::channel<myapp::bytes> chunks,
                 myapp::cancel_token) { progress.close(); chunks.close(); },
              {"progress", "chunks"});
  app.command("notes.sync-all", [](bool force) { return force; }, {"force"});
  // A plugin's command: left out unless --include-plugins.
  app.command("plugin:notes|export_one", [](notes::progress p) { return p.done; }, {"sofar"});
  app.command("delete", [](std::uint64_t id) { return id; }, {"id"});

  app.declare_event<notes::progress>("notes/sync-progress");
  app.declare_event<std::string>("app:ready");
  app.declare_event<std::vector<notes::note>>("notes_changed");
  return app.run();
}
