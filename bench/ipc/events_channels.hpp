// Scenarios `events` and `channel` on the myapp side.
#pragma once

namespace myapp {
class app;
}

namespace bench {

/// Registers `emit_events {count}`, `stream {count, channel}` and
/// `stream_text {count, size, channel}`.
void register_events_channels(myapp::app& app);

}  // namespace bench
