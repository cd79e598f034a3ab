// Scenarios `events` and `channel` on the myapp side: the commands (events_channels.hpp).
#include "events_channels.hpp"

#include <string>

#include "myapp/app.hpp"
#include "myapp/channel.hpp"

namespace bench {

void register_events_channels(myapp::app& app) {
  auto& router = app.get_router();
  // Handlers run on a worker thread: the events are emitted from there.
  app.command("emit_events", [&router](int count) {
    for (int i = 0; i < count; ++i) router.emit_event("bench:tick", i);
  }, {"count"});
  app.command("stream", [](int count, myapp::channel<int> channel) {
    for (int i = 0; i < count; ++i) {
      if (!channel.send(i)) return;
    }
    channel.close();
  }, {"count", "channel"});
  app.command("stream_text", [](int count, int size, myapp::channel<std::string> channel) {
    const std::string frame(static_cast<std::size_t>(size), 'x');
    for (int i = 0; i < count; ++i) {
      if (!channel.send(frame)) return;
    }
    channel.close();
  }, {"count", "size", "channel"});
}

}  // namespace bench
