// Buffers waiting for a page to fetch them through the app scheme: binary results and channel
// frames too large to ride inline in a batch, and whole messages too large for the
// QWebChannel string path.
#pragma once

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "myapp/bytes.hpp"

namespace myapp::runtime {

/// The path prefix under the app origin that serves blobs: `myapp://localhost/__myapp/blob/`.
inline constexpr std::string_view BLOB_PATH = "/__myapp/blob/";

/// Every page's pending blobs. A blob is made for one page load (its owner) and its origin,
/// fetched once by that page (then forgotten), and dropped with its page. Thread-safe.
class blob_store {
 public:
  /// Keeps `data` for `owner`'s page at `origin`; returns the token that names it (128 random
  /// bits, hex).
  std::string put(const void* owner, std::string origin, bytes data);
  /// Takes the blob named by `token` if the request comes from its page's origin. nullopt
  /// (and `why` says why) otherwise; a blob is served at most once.
  std::optional<bytes> take(std::string_view token, std::string_view initiator_origin,
                            std::string& why);
  /// Drops everything `owner` left unfetched; returns the bytes freed.
  std::size_t drop(const void* owner);
  /// Drops one blob of `owner`'s that its page could not fetch; returns the bytes freed.
  std::size_t forget(const void* owner, std::string_view token);

  [[nodiscard]] std::size_t count() const;
  [[nodiscard]] std::size_t total_bytes() const;

 private:
  struct entry {
    const void* owner;
    std::string origin;
    bytes data;
  };
  mutable std::mutex mutex_;
  std::unordered_map<std::string, entry> blobs_;
  std::size_t total_ = 0;
};

/// The process's blob store (the app scheme serves from it).
blob_store& blobs();

}  // namespace myapp::runtime
