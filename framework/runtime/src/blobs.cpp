// The blobs pages fetch from the app scheme: made for one page, fetched once or dropped with it.
#include "blobs.hpp"

#include <fmt/format.h>

#include "secret.hpp"

namespace myapp::runtime {

std::string blob_store::put(const void* owner, std::string origin, bytes data) {
  std::string token = random_secret();
  std::lock_guard lock(mutex_);
  total_ += data.size();
  blobs_.insert_or_assign(token, entry{owner, std::move(origin), std::move(data)});
  return token;
}

std::optional<bytes> blob_store::take(std::string_view token, std::string_view initiator_origin,
                                      std::string& why) {
  std::lock_guard lock(mutex_);
  auto it = blobs_.find(std::string(token));
  if (it == blobs_.end()) {
    why = "no such blob (never made, already fetched, or its page went away)";
    return std::nullopt;
  }
  if (it->second.origin != initiator_origin) {
    // Left in place: the page it belongs to may still fetch it.
    why = fmt::format("the blob belongs to a page at {}, the request came from {}",
                      it->second.origin, initiator_origin.empty() ? "(no origin)" : initiator_origin);
    return std::nullopt;
  }
  bytes data = std::move(it->second.data);
  total_ -= data.size();
  blobs_.erase(it);
  return data;
}

std::size_t blob_store::drop(const void* owner) {
  std::lock_guard lock(mutex_);
  std::size_t freed = 0;
  std::erase_if(blobs_, [&](const auto& kv) {
    if (kv.second.owner != owner) return false;
    freed += kv.second.data.size();
    return true;
  });
  total_ -= freed;
  return freed;
}

std::size_t blob_store::forget(const void* owner, std::string_view token) {
  bytes data;  // freed outside the lock
  std::lock_guard lock(mutex_);
  auto it = blobs_.find(std::string(token));
  if (it == blobs_.end() || it->second.owner != owner) return 0;
  data = std::move(it->second.data);
  total_ -= data.size();
  blobs_.erase(it);
  return data.size();
}

std::size_t blob_store::count() const {
  std::lock_guard lock(mutex_);
  return blobs_.size();
}

std::size_t blob_store::total_bytes() const {
  std::lock_guard lock(mutex_);
  return total_;
}

blob_store& blobs() {
  static blob_store store;
  return store;
}

}  // namespace myapp::runtime
