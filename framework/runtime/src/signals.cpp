// SIGTERM and SIGINT to the event loop through a self-pipe.
#include "signals.hpp"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <fcntl.h>
#include <unistd.h>

#include <csignal>

#include "log.hpp"

namespace myapp::runtime {

namespace {
int quit_pipe[2] = {-1, -1};

extern "C" void on_quit_signal(int sig) {
  const unsigned char byte = static_cast<unsigned char>(sig);
  // Async-signal-safe: one write; a full pipe drops the byte (a quit is already on its way).
  [[maybe_unused]] const auto n = ::write(quit_pipe[1], &byte, 1);
}
}  // namespace

void watch_quit_signals(std::function<void(int)> on_signal) {
  if (quit_pipe[0] != -1) return;
  if (::pipe2(quit_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    log()->warn("SIGTERM and SIGINT will end the app without its exit hooks: no pipe for them");
    return;
  }
  auto* notifier = new QSocketNotifier(quit_pipe[0], QSocketNotifier::Read,
                                       QCoreApplication::instance());
  QObject::connect(notifier, &QSocketNotifier::activated, notifier,
                   [on_signal = std::move(on_signal)] {
                     unsigned char byte = 0;
                     while (::read(quit_pipe[0], &byte, 1) == 1) on_signal(byte);
                   });
  struct sigaction sa {};
  sa.sa_handler = on_quit_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
}

}  // namespace myapp::runtime
