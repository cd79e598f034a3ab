// Asking local servers over HTTP whether they answer: the dev server `myapp dev` waits for
// (build.devUrl) and the DevTools endpoint of the app `myapp test` starts.
#pragma once

#include <optional>
#include <string>

namespace myapp::cli {

/// True when something answering HTTP is at `url` (http://host:port/path). For https, curl
/// asks when it is installed; otherwise an open port is all that can be told.
bool url_answers(const std::string& url);

/// A port on 127.0.0.1 that nothing listens on right now. Throws cli_error when it cannot bind.
int free_loopback_port();

/// One HTTP/1.1 GET to 127.0.0.1:`port`; the body when the answer is 200, otherwise nothing.
/// (HTTP/1.1: Chromium's DevTools server refuses 1.0.)
std::optional<std::string> http_get_loopback(int port, const std::string& path);

}  // namespace myapp::cli
