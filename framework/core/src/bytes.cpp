#include "myapp/bytes.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace myapp {

bytes::bytes(std::vector<std::byte> data) {
  if (data.empty()) return;
  auto owner = std::make_shared<std::vector<std::byte>>(std::move(data));
  data_ = owner->data();
  size_ = owner->size();
  owner_ = std::move(owner);
}

bytes::bytes(std::vector<std::uint8_t> data) {
  if (data.empty()) return;
  auto owner = std::make_shared<std::vector<std::uint8_t>>(std::move(data));
  data_ = reinterpret_cast<const std::byte*>(owner->data());
  size_ = owner->size();
  owner_ = std::move(owner);
}

bytes::bytes(std::string data) {
  if (data.empty()) return;
  auto owner = std::make_shared<std::string>(std::move(data));
  data_ = reinterpret_cast<const std::byte*>(owner->data());
  size_ = owner->size();
  owner_ = std::move(owner);
}

bytes bytes::copy_of(std::span<const std::byte> data) {
  return bytes(std::vector<std::byte>(data.begin(), data.end()));
}

bytes bytes::copy_of(std::string_view data) { return bytes(std::string(data)); }

bytes bytes::adopt(std::shared_ptr<const void> owner, const void* data, std::size_t size) noexcept {
  bytes b;
  if (size == 0) return b;
  b.owner_ = std::move(owner);
  b.data_ = static_cast<const std::byte*>(data);
  b.size_ = size;
  return b;
}

namespace {
struct mapping {
  void* address = nullptr;
  std::size_t size = 0;
  mapping(void* a, std::size_t s) : address(a), size(s) {}
  mapping(const mapping&) = delete;
  mapping& operator=(const mapping&) = delete;
  ~mapping() { ::munmap(address, size); }
};
}  // namespace

result<bytes> bytes::map_file(const std::string& path) {
  auto failure = [&](std::string_view what) {
    return error("io.failed", fmt::format("cannot map `{}`: {}: {}", path, what,
                                          std::strerror(errno)));
  };
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return failure("open");
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    auto e = failure("stat");
    ::close(fd);
    return e;
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return error("io.failed", fmt::format("cannot map `{}`: not a regular file", path));
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    return bytes();
  }
  void* address = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);  // the mapping keeps the file
  if (address == MAP_FAILED) return failure("mmap");
  ::madvise(address, size, MADV_SEQUENTIAL);
  auto owner = std::make_shared<mapping>(address, size);
  return adopt(owner, address, size);
}

bytes bytes::slice(std::size_t offset, std::size_t count) const noexcept {
  offset = std::min(offset, size_);
  count = std::min(count, size_ - offset);
  return adopt(owner_, data_ + offset, count);
}

bool operator==(const bytes& a, const bytes& b) noexcept {
  return a.size_ == b.size_ && (a.size_ == 0 || std::memcmp(a.data_, b.data_, a.size_) == 0);
}

// ---------------------------------------------------------------------------------------------
// base64

namespace {
constexpr char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int8_t, 256> decode_table() {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(ALPHABET[i])] = static_cast<std::int8_t>(i);
  return t;
}
constexpr auto DECODE = decode_table();
}  // namespace

void base64_encode_to(std::string& out, std::span<const std::byte> data) {
  const std::size_t start = out.size();
  out.resize(start + (data.size() + 2) / 3 * 4);
  char* o = out.data() + start;
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const std::uint32_t v = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
    *o++ = ALPHABET[(v >> 18) & 63];
    *o++ = ALPHABET[(v >> 12) & 63];
    *o++ = ALPHABET[(v >> 6) & 63];
    *o++ = ALPHABET[v & 63];
  }
  if (const std::size_t rest = data.size() - i; rest > 0) {
    std::uint32_t v = p[i] << 16;
    if (rest == 2) v |= p[i + 1] << 8;
    *o++ = ALPHABET[(v >> 18) & 63];
    *o++ = ALPHABET[(v >> 12) & 63];
    *o++ = rest == 2 ? ALPHABET[(v >> 6) & 63] : '=';
    *o++ = '=';
  }
}

std::string base64_encode(std::span<const std::byte> data) {
  std::string out;
  base64_encode_to(out, data);
  return out;
}

bool base64_decode(std::string_view text, std::vector<std::byte>& out) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return false;
  const std::size_t start = out.size();
  out.resize(start + text.size() * 3 / 4);
  std::byte* o = out.data() + start;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = DECODE[static_cast<unsigned char>(c)];
    if (v < 0) {
      out.resize(start);
      return false;
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      *o++ = static_cast<std::byte>((acc >> bits) & 0xff);
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// JSON

namespace {
// Reads `{"$bytes": index}` and finds the attachment; a base64 string when `allow_text`.
const bytes* read_reference(json::value& v, json::decoder& d) {
  json::type t{};
  if (!v.get_type(t, d)) return nullptr;
  if (t != json::type::object) {
    d.fail_type(json::codec<bytes>::expected(), v);
    return nullptr;
  }
  std::uint64_t index = 0;
  bool found = false;
  bool ok = v.for_each_field(d, [&](std::string_view key, json::value& field) {
    if (key != "$bytes") return field.skip(d);
    found = true;
    return field.read(index, d);
  });
  if (!ok) return nullptr;
  if (!found) {
    d.fail("expected bytes (a Uint8Array, ArrayBuffer or DataView), got an object");
    return nullptr;
  }
  const auto* list = d.attachments();
  if (list == nullptr || index >= list->size()) {
    d.fail(fmt::format("the message carries no binary attachment {}", index));
    return nullptr;
  }
  return &(*list)[index];
}
}  // namespace

bool json::codec<bytes>::read(value& v, bytes& out, decoder& d) {
  json::type t{};
  if (!v.get_type(t, d)) return false;
  if (t == json::type::string) {
    std::string_view text;
    if (!v.read(text, d)) return false;
    std::vector<std::byte> data;
    if (!base64_decode(text, data)) return d.fail("expected bytes as base64 text");
    out = bytes(std::move(data));
    return true;
  }
  const bytes* b = read_reference(v, d);
  if (b == nullptr) return false;
  out = *b;
  return true;
}

void json::codec<bytes>::write(writer& w, const bytes& b) {
  if (auto* list = w.attachments()) {
    w.begin_object();
    w.key("$bytes");
    w.number(static_cast<std::uint64_t>(list->size()));
    w.end_object();
    list->push_back(b);
    return;
  }
  std::string text;
  base64_encode_to(text, b.span());
  w.string(text);
}

bool json::codec<std::span<const std::byte>>::read(value& v, std::span<const std::byte>& out,
                                                    decoder& d) {
  const bytes* b = read_reference(v, d);
  if (b == nullptr) return false;
  out = b->span();
  return true;
}

}  // namespace myapp
