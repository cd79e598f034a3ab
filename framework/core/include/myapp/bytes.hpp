// myapp — bytes: binary data between C++ and the page without JSON.
//
// A handler returns `myapp::bytes` and the page's promise resolves to an `ArrayBuffer`; a
// `Uint8Array`, `ArrayBuffer` or `DataView` anywhere in `invoke`'s arguments arrives as a
// `myapp::bytes` (or `std::span<const std::byte>`) parameter:
//
//     app.command("thumbnail", [](myapp::bytes image, int size) -> myapp::bytes {
//       return myapp::bytes(make_thumbnail(image.span(), size));   // a std::vector<std::byte>
//     }, {"image", "size"});
//
//     const png = await invoke('thumbnail', { image: new Uint8Array(file), size: 128 });
//
// `bytes` is an immutable, reference-counted view of a buffer it keeps alive: copying one is
// cheap and never copies the data. It adopts a std::vector, a std::string or any owner without
// copying, and maps files. Which transport carries the data (inline in the batch, the ipc scheme,
// the bulk lane) is the runtime's choice; see docs/bytes.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "myapp/error.hpp"
#include "myapp/json.hpp"

namespace myapp {

class bytes {
 public:
  /// Empty.
  bytes() noexcept = default;
  /// Adopts the vector's storage (no copy).
  explicit bytes(std::vector<std::byte> data);
  explicit bytes(std::vector<std::uint8_t> data);
  /// Adopts the string's storage (no copy).
  explicit bytes(std::string data);

  /// Copies `data`.
  [[nodiscard]] static bytes copy_of(std::span<const std::byte> data);
  [[nodiscard]] static bytes copy_of(std::string_view data);
  /// Views `size` bytes at `data`, kept alive by `owner` (no copy): a mapping, a Qt buffer, a
  /// shared vector...
  [[nodiscard]] static bytes adopt(std::shared_ptr<const void> owner, const void* data,
                                   std::size_t size) noexcept;
  /// Maps the file read-only (no copy; pages are read as the data is sent). An error names
  /// the file and what failed.
  [[nodiscard]] static result<bytes> map_file(const std::string& path);

  [[nodiscard]] const std::byte* data() const noexcept { return data_; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] std::span<const std::byte> span() const noexcept { return {data_, size_}; }
  /// The bytes as characters (for text and for APIs taking a char buffer).
  [[nodiscard]] std::string_view view() const noexcept {
    return {reinterpret_cast<const char*>(data_), size_};
  }
  operator std::span<const std::byte>() const noexcept { return span(); }  // NOLINT
  /// The byte at `i` (unchecked).
  [[nodiscard]] std::byte operator[](std::size_t i) const noexcept { return data_[i]; }
  /// A view of part of this buffer sharing its owner; clamped to the buffer.
  [[nodiscard]] bytes slice(std::size_t offset, std::size_t count = SIZE_MAX) const noexcept;
  /// A copy as a vector.
  [[nodiscard]] std::vector<std::byte> to_vector() const { return {data_, data_ + size_}; }

  /// Same length and content.
  friend bool operator==(const bytes& a, const bytes& b) noexcept;

 private:
  std::shared_ptr<const void> owner_;
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

/// Standard base64 (RFC 4648, with padding).
[[nodiscard]] std::string base64_encode(std::span<const std::byte> data);
void base64_encode_to(std::string& out, std::span<const std::byte> data);
/// Decodes standard base64 (padding optional); false on any other character or a bad length.
[[nodiscard]] bool base64_decode(std::string_view text, std::vector<std::byte>& out);

/// In JSON, bytes are a reference to the message's binary attachments, `{"$bytes": index}`.
/// Where a document has no attachments (event payloads, `json::to_json`), they are written as
/// a base64 string, and read back from one.
template <>
struct json::codec<bytes> {
  static bool read(value& v, bytes& out, decoder& d);
  static void write(writer& w, const bytes& b);
  static std::string expected() { return "bytes (a Uint8Array, ArrayBuffer or DataView)"; }
};

/// A read-only view of bytes in the arguments, valid while the handler runs.
template <>
struct json::codec<std::span<const std::byte>> {
  static bool read(value& v, std::span<const std::byte>& out, decoder& d);
  static std::string expected() { return "bytes (a Uint8Array, ArrayBuffer or DataView)"; }
};

}  // namespace myapp
