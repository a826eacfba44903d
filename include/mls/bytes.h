// Byte strings: Bytes for public data, SecretBytes for key material.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mls/error.h"

namespace mls {

using Bytes = std::vector<uint8_t>;
using BytesView = std::span<const uint8_t>;

// Wipes memory in a way the optimiser may not remove (OPENSSL_cleanse).
void secure_wipe(void* p, size_t n) noexcept;

// Constant-time equality of two byte strings; lengths are not secret.
bool constant_time_equal(BytesView a, BytesView b) noexcept;

// Allocator that cleanses every block it gives back, so a vector that grows
// (and so reallocates) leaves no copy of the secret behind.
template <typename T>
struct WipingAllocator {
  using value_type = T;
  WipingAllocator() noexcept = default;
  template <typename U>
  WipingAllocator(const WipingAllocator<U>&) noexcept {}
  T* allocate(size_t n) { return std::allocator<T>{}.allocate(n); }
  void deallocate(T* p, size_t n) noexcept {
    secure_wipe(p, n * sizeof(T));
    std::allocator<T>{}.deallocate(p, n);
  }
  template <typename U>
  bool operator==(const WipingAllocator<U>&) const noexcept {
    return true;
  }
};

// Key material. Move-only (copying a secret must be explicit: clone()),
// wiped when destroyed, compared in constant time, never printed.
class SecretBytes {
 public:
  using Storage = std::vector<uint8_t, WipingAllocator<uint8_t>>;

  SecretBytes() = default;
  explicit SecretBytes(size_t size) : data_(size, 0) {}
  explicit SecretBytes(BytesView view) : data_(view.begin(), view.end()) {}
  SecretBytes(std::initializer_list<uint8_t> init) : data_(init) {}
  // Takes a public buffer over and wipes the source.
  static SecretBytes take(Bytes&& plain);

  SecretBytes(SecretBytes&&) noexcept = default;
  SecretBytes& operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
      wipe();
      data_ = std::move(other.data_);
    }
    return *this;
  }
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes() = default;  // the allocator wipes

  SecretBytes clone() const { return SecretBytes(view()); }

  BytesView view() const { return {data_.data(), data_.size()}; }
  operator BytesView() const { return view(); }  // NOLINT: secrets flow into crypto calls
  uint8_t* data() { return data_.data(); }
  const uint8_t* data() const { return data_.data(); }
  size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  void resize(size_t n) { data_.resize(n); }
  void clear() { wipe(); data_.clear(); }
  uint8_t& operator[](size_t i) { return data_[i]; }
  uint8_t operator[](size_t i) const { return data_[i]; }

  // Deliberately leaves the secret domain, e.g. to put it on the wire
  // (GroupSecrets) or into a test comparison.
  Bytes expose() const { return Bytes(data_.begin(), data_.end()); }

  bool operator==(const SecretBytes& other) const {
    return constant_time_equal(view(), other.view());
  }

 private:
  void wipe() noexcept { secure_wipe(data_.data(), data_.size()); }
  Storage data_;
};

std::ostream& operator<<(std::ostream& os, const SecretBytes&);

// Lowercase hex, as the test vectors use.
std::string to_hex(BytesView data);
Result<Bytes> from_hex(std::string_view hex);

inline BytesView as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline Bytes to_bytes(std::string_view s) {
  auto v = as_bytes(s);
  return Bytes(v.begin(), v.end());
}

}  // namespace mls
