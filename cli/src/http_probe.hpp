// Asking local servers over HTTP whether they answer: the dev server `myapp dev` waits for
// (build.devUrl) and the DevTools endpoint of the app `myapp test` starts.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace myapp::cli {

/// True when something answering HTTP is at `url` (http://host:port/path). For https, curl
/// asks when it is installed; otherwise an open port is all that can be told.
bool url_answers(const std::string& url);

/// A process listening on a TCP port of this machine.
struct listener {
  int pid = 0;              ///< 0 when the socket's owner cannot be seen (another user's)
  std::string command;      ///< its command line, as ps shows it
};
/// Who listens on TCP `port` (any local address, IPv4 or IPv6), from /proc/net/tcp{,6} and
/// /proc/<pid>/fd; empty when nothing does.
std::vector<listener> port_listeners(int port);

/// The port of an http(s) URL (its explicit port, or 80/443); 0 when the URL names none.
int url_port(const std::string& url);
/// True when `url`'s host is this machine (localhost, 127.x.y.z, [::1], 0.0.0.0).
bool url_is_local(const std::string& url);

/// A port on 127.0.0.1 that nothing listens on right now. Throws cli_error when it cannot bind.
int free_loopback_port();

/// One HTTP/1.1 GET to 127.0.0.1:`port`; the body when the answer is 200, otherwise nothing.
/// (HTTP/1.1: Chromium's DevTools server refuses 1.0.)
std::optional<std::string> http_get_loopback(int port, const std::string& path);

}  // namespace myapp::cli
