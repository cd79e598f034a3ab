// Asking local servers over HTTP whether they answer, over plain non-blocking sockets.
#include "http_probe.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>

#include "exit.hpp"
#include "process.hpp"
#include "util.hpp"

namespace myapp::cli {

namespace {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// A TCP socket (non-blocking) connected to `addr` within a second; -1 when it is not.
int connect_to(int family, int protocol, const sockaddr* addr, socklen_t addr_len) {
  const int s = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
  if (s < 0) return -1;
  int r = ::connect(s, addr, addr_len);
  if (r != 0 && errno == EINPROGRESS) {
    pollfd p{s, POLLOUT, 0};
    int err = 0;
    socklen_t len = sizeof err;
    if (::poll(&p, 1, 1000) == 1 && ::getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
        err == 0) {
      r = 0;
    }
  }
  if (r != 0) {
    ::close(s);
    return -1;
  }
  return s;
}

// True when all of `request` went out on `s`.
bool send_all(int s, const std::string& request) {
  return ::send(s, request.data(), request.size(), MSG_NOSIGNAL) ==
         static_cast<ssize_t>(request.size());
}

sockaddr_in loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  return addr;
}

struct url_parts {
  std::string scheme, host, port, path;
};

url_parts parse_url(const std::string& url) {
  url_parts u;
  const auto sep = url.find("://");
  u.scheme = url.substr(0, sep);
  std::string rest = url.substr(sep + 3);
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  u.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (!authority.empty() && authority.front() == '[') {  // [::1]:port
    const auto close = authority.find(']');
    u.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') u.port = authority.substr(close + 2);
  } else {
    const auto colon = authority.rfind(':');
    u.host = authority.substr(0, colon);
    if (colon != std::string::npos) u.port = authority.substr(colon + 1);
  }
  if (u.port.empty()) u.port = u.scheme == "https" ? "443" : "80";
  return u;
}

// One HTTP GET over a plain socket: true when anything answering HTTP is there.
bool http_answers(const url_parts& u) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (::getaddrinfo(u.host.c_str(), u.port.c_str(), &hints, &res) != 0) return false;
  bool ok = false;
  for (addrinfo* a = res; a != nullptr && !ok; a = a->ai_next) {
    const int s = connect_to(a->ai_family, a->ai_protocol, a->ai_addr, a->ai_addrlen);
    if (s < 0) continue;
    if (u.scheme == "https") {
      ok = true;  // the port is open; without curl, that is all we can tell
    } else if (send_all(s, fmt::format("GET {} HTTP/1.0\r\nHost: {}:{}\r\nConnection: close\r\n\r\n",
                                       u.path, u.host, u.port))) {
      pollfd p{s, POLLIN, 0};
      char buf[16] = {};
      if (::poll(&p, 1, 2000) == 1 && ::recv(s, buf, 5, 0) == 5) ok = std::string_view(buf, 5) == "HTTP/";
    }
    ::close(s);
  }
  ::freeaddrinfo(res);
  return ok;
}

// True once `answer` holds the head and as many body bytes as its Content-Length says.
bool complete(const std::string& answer) {
  const auto head_end = answer.find("\r\n\r\n");
  if (head_end == std::string::npos) return false;
  std::string head = answer.substr(0, head_end);
  std::transform(head.begin(), head.end(), head.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto at = head.find("\r\ncontent-length:");
  if (at == std::string::npos) return false;  // read until the server closes
  const auto length = std::strtoull(head.c_str() + at + 17, nullptr, 10);
  return answer.size() - (head_end + 4) >= length;
}

}  // namespace

bool url_answers(const std::string& url) {
  const auto u = parse_url(url);
  if (u.scheme == "https" && !which("curl").empty()) {
    return run({"curl", "-s", "-k", "-o", "/dev/null", "--max-time", "2", url}, quietly()) == 0;
  }
  return http_answers(u);
}

int url_port(const std::string& url) {
  if (url.find("://") == std::string::npos) return 0;
  const auto u = parse_url(url);
  return std::atoi(u.port.c_str());
}

bool url_is_local(const std::string& url) {
  if (url.find("://") == std::string::npos) return false;
  const auto u = parse_url(url);
  return u.host == "localhost" || u.host.rfind("127.", 0) == 0 || u.host == "::1" ||
         u.host == "0.0.0.0" || u.host.empty();
}

std::vector<listener> port_listeners(int port) {
  // The inodes of the listening sockets on that port.
  std::vector<std::string> inodes;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    const auto text = read_file(table);
    if (!text) continue;
    for (const auto& line : split(*text, "\n")) {
      const auto f = split(line, " ");
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      if (f.size() < 10 || f[3] != "0A") continue;
      const auto colon = f[1].rfind(':');
      if (colon == std::string::npos) continue;
      if (std::strtol(f[1].c_str() + colon + 1, nullptr, 16) != port) continue;
      inodes.push_back("socket:[" + f[9] + "]");
    }
  }
  std::vector<listener> out;
  if (inodes.empty()) return out;
  std::error_code ec;
  for (const auto& proc : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string pid = proc.path().filename().string();
    if (pid.empty() || !std::isdigit(static_cast<unsigned char>(pid[0]))) continue;
    std::error_code fd_ec;
    for (const auto& fd : std::filesystem::directory_iterator(proc.path() / "fd", fd_ec)) {
      std::error_code link_ec;
      const auto target = std::filesystem::read_symlink(fd.path(), link_ec).string();
      if (link_ec || std::find(inodes.begin(), inodes.end(), target) == inodes.end()) continue;
      std::string cmd = read_file(proc.path() / "cmdline").value_or("");
      std::replace(cmd.begin(), cmd.end(), '\0', ' ');
      out.push_back({std::atoi(pid.c_str()), trim(cmd)});
      break;
    }
  }
  if (out.empty()) out.push_back({0, ""});  // a socket whose owner we may not see
  return out;
}

int free_loopback_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) throw cli_error(outcome::internal, "cannot create a socket");
  sockaddr_in addr = loopback(0);
  socklen_t len = sizeof addr;
  if (::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(s);
    throw cli_error(outcome::internal,
                    fmt::format("cannot bind a port on 127.0.0.1: {}", std::strerror(errno)));
  }
  ::close(s);
  return ntohs(addr.sin_port);
}

std::optional<std::string> http_get_loopback(int port, const std::string& path) {
  const sockaddr_in addr = loopback(port);
  const int s = connect_to(AF_INET, 0, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  if (s < 0) return std::nullopt;
  std::optional<std::string> body;
  if (send_all(s, fmt::format("GET {} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
                              path, port))) {
    std::string answer;
    const auto deadline = clock::now() + milliseconds(2000);
    char buf[4096];
    while (clock::now() < deadline) {
      pollfd p{s, POLLIN, 0};
      if (::poll(&p, 1, 200) != 1) continue;
      const ssize_t n = ::recv(s, buf, sizeof buf, 0);
      if (n <= 0) break;
      answer.append(buf, static_cast<std::size_t>(n));
      if (complete(answer)) break;
    }
    const auto head_end = answer.find("\r\n\r\n");
    if (answer.rfind("HTTP/1.", 0) == 0 && answer.size() > 12 && answer.compare(9, 3, "200") == 0 &&
        head_end != std::string::npos) {
      body = answer.substr(head_end + 4);
    }
  }
  ::close(s);
  return body;
}

}  // namespace myapp::cli
