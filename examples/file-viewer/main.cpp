// file-viewer — browse folders and stream files of any size to the page as bytes, with progress.
//
// What it shows:
//   - a directory scope: the app's `read-files` permission (permissions/files.json) lists the
//     folders a page may read and the ones it may not ($HOME, minus ~/.ssh and ~/.gnupg);
//     every command checks the canonical path (symlinks and `..` resolved) against it, in C++;
//   - a channel carrying a file as binary frames of 256 KiB, interleaved with progress frames,
//     with flow control (the reader waits while the page is behind) and cancellation.
#include <myapp/app.hpp>
#include <myapp/desktop.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace viewer {

namespace fs = std::filesystem;

// One entry of the scope: `{"path": glob}` (absolute, or starting with $HOME or $TEMP).
struct path_rule {
  std::string path;
};
MYAPP_STRUCT(path_rule, path)

struct entry {
  std::string name;
  std::string kind;  // "folder", "file" or "other"
  std::int64_t size = 0;
};
MYAPP_STRUCT(entry, name, kind, size)

struct listing {
  std::string path;                   // canonical
  std::optional<std::string> parent;  // absent at / and when the parent is outside the scope
  std::vector<entry> entries;         // folders first, then by name
  bool truncated = false;             // more than MAX_ENTRIES entries
};
MYAPP_STRUCT(listing, path, parent, entries, truncated)

// A progress frame; the file's bytes travel in the same channel as binary frames.
struct progress {
  std::int64_t done = 0;
  std::int64_t total = 0;
};
MYAPP_STRUCT(progress, done, total)

struct summary {
  std::string path;
  std::int64_t size = 0;
  std::int64_t chunks = 0;
};
MYAPP_STRUCT(summary, path, size, chunks)

inline constexpr std::size_t MAX_ENTRIES = 10'000;
inline constexpr std::size_t CHUNK = 256 * 1024;

using scope = myapp::scope<path_rule>;

bool in_scope(const scope& s, const std::string& path) {
  return s.permits([&](const path_rule& r) { return myapp::desktop::path_matches(r.path, path); });
}

// The canonical form of `path` when the scope allows it; otherwise a `viewer.*` error that
// names the path.
std::string allowed_path(const scope& s, const std::string& path) {
  auto c = myapp::desktop::canonical_path(path);
  if (!c.has_value()) {
    const auto& e = c.error_value();
    throw myapp::error(e.code() == "opener.not_found" ? "viewer.not_found" : "viewer.invalid_path",
                       e.message());
  }
  std::string canonical = std::move(c).value();
  if (!in_scope(s, canonical)) {
    throw myapp::error("viewer.denied",
                       "`" + canonical + "` is outside the folders this window may read " +
                           "(the scope of the `read-files` permission, permissions/files.json)");
  }
  return canonical;
}

listing list_folder(const scope& s, const std::string& path) {
  listing out;
  out.path = allowed_path(s, path);
  std::error_code ec;
  if (!fs::is_directory(out.path, ec)) {
    throw myapp::error("viewer.not_a_folder", "`" + out.path + "` is not a folder");
  }
  const fs::path here(out.path);
  if (here.has_parent_path() && here != here.root_path() && in_scope(s, here.parent_path())) {
    out.parent = here.parent_path().string();
  }
  fs::directory_iterator it(here, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw myapp::error("viewer.unreadable", "`" + out.path + "`: " + ec.message());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) throw myapp::error("viewer.unreadable", "`" + out.path + "`: " + ec.message());
    if (out.entries.size() == MAX_ENTRIES) {
      out.truncated = true;
      break;
    }
    entry e;
    e.name = it->path().filename().string();
    std::error_code sec;
    const auto st = it->status(sec);  // follows symlinks: a link shows what it points to
    if (fs::is_directory(st)) {
      e.kind = "folder";
    } else if (fs::is_regular_file(st)) {
      e.kind = "file";
      e.size = static_cast<std::int64_t>(it->file_size(sec));
    } else {
      e.kind = "other";
    }
    out.entries.push_back(std::move(e));
  }
  std::sort(out.entries.begin(), out.entries.end(), [](const entry& a, const entry& b) {
    if ((a.kind == "folder") != (b.kind == "folder")) return a.kind == "folder";
    return a.name < b.name;
  });
  return out;
}

// Closes a file descriptor on every way out.
struct fd_guard {
  int fd;
  ~fd_guard() {
    if (fd >= 0) ::close(fd);
  }
};

// Streams the file into `ch`: binary frames of CHUNK bytes, each followed by a progress frame.
// `send_bytes` waits while the page has 512 frames unconsumed, so a slow page slows the reader
// instead of filling memory; it returns false once the page is gone.
summary read_file(const scope& s, const myapp::cancel_token& cancel, const std::string& path,
                  const myapp::channel<progress>& ch) {
  summary out;
  out.path = allowed_path(s, path);
  // O_NONBLOCK: opening a FIFO would otherwise wait for a writer (reads of regular files are
  // not affected); fstat then refuses anything but a regular file.
  fd_guard f{::open(out.path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (f.fd < 0) {
    throw myapp::error("viewer.unreadable", "`" + out.path + "`: " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    throw myapp::error("viewer.not_a_file", "`" + out.path + "` is not a regular file");
  }
  const std::int64_t total = st.st_size;
  while (!cancel.cancelled()) {
    std::vector<std::byte> chunk(CHUNK);
    const ssize_t n = ::read(f.fd, chunk.data(), chunk.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw myapp::error("viewer.unreadable", "`" + out.path + "`: " + std::strerror(errno));
    }
    if (n == 0) break;
    chunk.resize(static_cast<std::size_t>(n));
    out.size += n;
    ++out.chunks;
    if (!ch.send_bytes(myapp::bytes(std::move(chunk)))) break;  // the page went away
    ch.send(progress{out.size, std::max(total, out.size)});
  }
  if (cancel.cancelled()) {
    throw myapp::error("viewer.cancelled", "reading `" + out.path + "` was cancelled");
  }
  return out;
}

}  // namespace viewer

int main(int argc, char** argv) {
  myapp::app app(argc, argv, {.name = "file-viewer"});

  // Where the page starts: the folder given on the command line, or the home folder.
  std::string start = argc > 1 ? argv[1] : "";
  if (start.empty()) {
    const char* home = std::getenv("HOME");
    start = home != nullptr ? home : "/";
  }
  app.command("start_folder", [start] { return start; });
  app.command("list_folder", [](viewer::scope s, std::string path) {
    return viewer::list_folder(s, path);
  }, {"path"});
  app.command("read_file", [](viewer::scope s, myapp::cancel_token cancel, std::string path,
                              myapp::channel<viewer::progress> ch) {
    return viewer::read_file(s, cancel, path, ch);
  }, {"path", "channel"});

  app.window({.label = "main", .title = "File viewer", .url = "index.html", .width = 900,
              .height = 640});
  return app.run();
}
