// SIGTERM and SIGINT end the app like a quit: the signal is carried from its handler to the
// event loop through a pipe, and the app asks to exit there (hooks and plugin teardown run).
#pragma once

#include <functional>

namespace myapp::runtime {

/// From now on, SIGTERM and SIGINT call `on_signal(signal number)` on the GUI thread, once per
/// signal received. GUI thread, after the QApplication exists; the first call wins.
void watch_quit_signals(std::function<void(int)> on_signal);

}  // namespace myapp::runtime
