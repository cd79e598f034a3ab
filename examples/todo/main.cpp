// todo — state, events and two windows kept in sync. The list lives in C++ as managed state;
// every change is broadcast as a `todos-changed` event, so each window shows the same list
// whichever window made the change (or whether a window reloads).
#include <myapp/app.hpp>

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace todo {

struct item {
  std::int64_t id = 0;
  std::string text;
  bool done = false;
};
MYAPP_STRUCT(item, id, text, done)

// What every window renders. `revision` grows with each change, so a page that gets a
// snapshot older than the one it shows (an answer overtaken by an event) can ignore it.
struct snapshot {
  std::int64_t revision = 0;
  std::vector<item> items;
};
MYAPP_STRUCT(snapshot, revision, items)

inline constexpr std::size_t MAX_TEXT = 500;
inline constexpr std::size_t MAX_ITEMS = 1000;

// Handlers run on worker threads, concurrently: every access holds the mutex.
class store {
 public:
  explicit store(myapp::app& app) : app_(app) {}

  snapshot list() {
    std::lock_guard lock(m_);
    return {revision_, items_};
  }

  item add(std::string text) {
    if (text.empty()) throw myapp::error("todo.empty", "Write what needs doing first.");
    if (text.size() > MAX_TEXT) {
      throw myapp::error("todo.too_long",
                         "A todo is at most " + std::to_string(MAX_TEXT) + " bytes long.");
    }
    std::lock_guard lock(m_);
    if (items_.size() >= MAX_ITEMS) {
      throw myapp::error("todo.full", "The list holds " + std::to_string(MAX_ITEMS) + " todos at most.");
    }
    items_.push_back({next_id_++, std::move(text), false});
    item added = items_.back();
    changed();
    return added;
  }

  item set_done(std::int64_t id, bool done) {
    std::lock_guard lock(m_);
    item& it = find(id);
    it.done = done;
    item out = it;
    changed();
    return out;
  }

  void remove(std::int64_t id) {
    std::lock_guard lock(m_);
    find(id);
    std::erase_if(items_, [id](const item& i) { return i.id == id; });
    changed();
  }

  std::size_t clear_done() {
    std::lock_guard lock(m_);
    const auto removed = std::erase_if(items_, [](const item& i) { return i.done; });
    if (removed > 0) changed();
    return removed;
  }

 private:
  item& find(std::int64_t id) {
    for (auto& i : items_) {
      if (i.id == id) return i;
    }
    throw myapp::error("todo.not_found", "There is no todo " + std::to_string(id) + ".");
  }

  // Broadcast under the lock, so that the events leave in the order of the changes.
  void changed() {
    ++revision_;
    app_.emit_event("todos-changed", snapshot{revision_, items_});
  }

  myapp::app& app_;
  std::mutex m_;
  std::int64_t next_id_ = 1;
  std::int64_t revision_ = 0;
  std::vector<item> items_;
};

}  // namespace todo

int main(int argc, char** argv) {
  myapp::app app(argc, argv, {.name = "todo"});
  app.manage(std::make_shared<todo::store>(app));

  using store = myapp::state<todo::store>;
  app.command("list_todos", [](store s) { return s->list(); });
  app.command("add_todo", [](store s, std::string text) { return s->add(std::move(text)); },
              {"text"});
  app.command("set_done", [](store s, std::int64_t id, bool done) { return s->set_done(id, done); },
              {"id", "done"});
  app.command("remove_todo", [](store s, std::int64_t id) { s->remove(id); }, {"id"});
  app.command("clear_done", [](store s) { return s->clear_done(); });

  // Two windows on the same page; each learns its label from the handshake.
  app.window({.label = "main", .title = "Todo", .url = "index.html", .width = 480, .height = 560});
  app.window({.label = "second", .title = "Todo (second window)", .url = "index.html",
              .width = 480, .height = 560});
  return app.run();
}
