// The TLS presentation language as MLS uses it (RFC 9420 §2.1 and RFC 8446 §3).
//
// Writer appends big-endian integers and variable-length vectors; Reader is a
// cursor over a BytesView that never copies and never reads past its end.
// Codec<T> says how a type goes on the wire; a struct names its fields once,
// in `tls_fields()`, and encode and decode follow from that list:
//
//   struct Foo {
//     uint16_t a; Bytes b;
//     static constexpr auto tls_fields() { return std::tuple{&Foo::a, &Foo::b}; }
//   };
//
// Types whose wire form depends on a tag (selects) define instead
//   void tls_encode(codec::Writer&) const;
//   static Status tls_decode(codec::Reader&, T& out);
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "mls/bytes.h"
#include "mls/error.h"

namespace mls::codec {

// Largest length the MLS variable-size header can carry (RFC 9420 §2.1.2).
inline constexpr uint64_t kMaxVarint = (1ull << 30) - 1;

class Writer {
 public:
  Writer() = default;

  void u8(uint8_t v) { buf_.push_back(v); }
  void u16(uint16_t v) { put_be(v, 2); }
  void u32(uint32_t v) { put_be(v, 4); }
  void u64(uint64_t v) { put_be(v, 8); }
  void raw(BytesView data) { buf_.insert(buf_.end(), data.begin(), data.end()); }

  // The minimal variable-length integer of RFC 9420 §2.1.2. Values above
  // 2^30-1 cannot be encoded; nothing the library builds comes near that
  // (1 GiB), and decoded values are bounded by the header itself.
  void varint(uint64_t v);

  // opaque<V>: a length header, then the bytes.
  void opaque(BytesView data) {
    varint(data.size());
    raw(data);
  }

  // T<V>: writes whatever `body` writes, preceded by its length in bytes.
  template <typename F>
  void vector(F&& body) {
    Writer inner;
    body(inner);
    opaque(inner.buf_);
  }

  size_t size() const { return buf_.size(); }
  const Bytes& bytes() const { return buf_; }
  Bytes take() { return std::move(buf_); }

 private:
  void put_be(uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) buf_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  Bytes buf_;
};

class Reader {
 public:
  explicit Reader(BytesView data, size_t base_offset = 0) : data_(data), base_(base_offset) {}

  Result<uint8_t> u8();
  Result<uint16_t> u16();
  Result<uint32_t> u32();
  Result<uint64_t> u64();
  // The next n bytes, without copying.
  Result<BytesView> raw(size_t n);
  // A variable-length integer, rejecting the 0b11 prefix and non-minimal forms.
  Result<uint64_t> varint();
  // opaque<V>: a view of exactly the bytes the header announces.
  Result<BytesView> opaque();
  // T<V>: a sub-reader over exactly the vector's bytes.
  Result<Reader> vector();

  bool empty() const { return pos_ == data_.size(); }
  size_t remaining() const { return data_.size() - pos_; }
  // Offset from the start of the outermost input, for error messages.
  size_t offset() const { return base_ + pos_; }
  BytesView rest() const { return data_.subspan(pos_); }
  // Everything read so far from this reader's start.
  BytesView consumed() const { return data_.first(pos_); }

  // Fails with trailing_data unless every byte was read.
  Status finish() const;

  tl::unexpected<Error> error(ErrorCode code, const std::string& what) const;

 private:
  Result<uint64_t> be(int n);
  BytesView data_;
  size_t pos_ = 0;
  size_t base_ = 0;
};

template <typename T, typename Enable = void>
struct Codec;

// --- concepts -------------------------------------------------------------

template <typename T>
concept HasTlsFields = requires { T::tls_fields(); };

template <typename T>
concept HasTlsMethods = requires(const T& t, Writer& w, Reader& r, T& out) {
  t.tls_encode(w);
  { T::tls_decode(r, out) } -> std::same_as<Status>;
};

template <typename T>
concept Encodable = requires(Writer& w, const T& t) { Codec<T>::encode(w, t); };

// --- free functions -----------------------------------------------------------

template <typename T>
void encode(Writer& w, const T& value) {
  Codec<T>::encode(w, value);
}

template <typename T>
[[nodiscard]] Status decode(Reader& r, T& out) {
  return Codec<T>::decode(r, out);
}

// The whole encoding of one value.
template <typename T>
Bytes encode(const T& value) {
  Writer w;
  Codec<T>::encode(w, value);
  return w.take();
}

// Decodes one value that must take up all of `data` (RFC 9420 §2.1: a
// message with bytes left over is malformed).
template <typename T>
[[nodiscard]] Result<T> decode_all(BytesView data) {
  Reader r(data);
  T out{};
  MLS_CHECK(Codec<T>::decode(r, out));
  MLS_CHECK(r.finish());
  return out;
}

// --- integers and enums ---------------------------------------------------------

template <typename T>
struct Codec<T, std::enable_if_t<std::is_integral_v<T> && std::is_unsigned_v<T>>> {
  static void encode(Writer& w, T v) {
    if constexpr (sizeof(T) == 1) w.u8(v);
    else if constexpr (sizeof(T) == 2) w.u16(v);
    else if constexpr (sizeof(T) == 4) w.u32(v);
    else w.u64(v);
  }
  static Status decode(Reader& r, T& out) {
    if constexpr (sizeof(T) == 1) out = MLS_TRY(r.u8());
    else if constexpr (sizeof(T) == 2) out = MLS_TRY(r.u16());
    else if constexpr (sizeof(T) == 4) out = MLS_TRY(r.u32());
    else out = MLS_TRY(r.u64());
    return {};
  }
};

// Enums go on the wire as their underlying integer. Range checks belong to
// the type that knows which values are valid (unknown values are often
// allowed, e.g. GREASE, RFC 9420 §13.5).
template <typename T>
struct Codec<T, std::enable_if_t<std::is_enum_v<T>>> {
  using U = std::underlying_type_t<T>;
  static void encode(Writer& w, T v) { Codec<U>::encode(w, static_cast<U>(v)); }
  static Status decode(Reader& r, T& out) {
    U u{};
    MLS_CHECK(Codec<U>::decode(r, u));
    out = static_cast<T>(u);
    return {};
  }
};

template <>
struct Codec<bool> {
  static void encode(Writer& w, bool v) { w.u8(v ? 1 : 0); }
  static Status decode(Reader& r, bool& out) {
    uint8_t b = MLS_TRY(r.u8());
    if (b > 1) return r.error(ErrorCode::invalid_value, "boolean not 0 or 1");
    out = b == 1;
    return {};
  }
};

// --- byte strings -----------------------------------------------------------------

// opaque<V>
template <>
struct Codec<Bytes> {
  static void encode(Writer& w, const Bytes& v) { w.opaque(v); }
  static Status decode(Reader& r, Bytes& out) {
    BytesView v = MLS_TRY(r.opaque());
    out.assign(v.begin(), v.end());
    return {};
  }
};

template <>
struct Codec<SecretBytes> {
  static void encode(Writer& w, const SecretBytes& v) { w.opaque(v.view()); }
  static Status decode(Reader& r, SecretBytes& out) {
    BytesView v = MLS_TRY(r.opaque());
    out = SecretBytes(v);
    return {};
  }
};

// opaque[N]: fixed size, no header.
template <size_t N>
struct Codec<std::array<uint8_t, N>> {
  static void encode(Writer& w, const std::array<uint8_t, N>& v) { w.raw(v); }
  static Status decode(Reader& r, std::array<uint8_t, N>& out) {
    BytesView v = MLS_TRY(r.raw(N));
    std::copy(v.begin(), v.end(), out.begin());
    return {};
  }
};

// --- vectors and optionals ------------------------------------------------------------

// T<V>: a length header in bytes, then the elements back to back.
template <typename T>
struct Codec<std::vector<T>, std::enable_if_t<!std::is_same_v<T, uint8_t>>> {
  static void encode(Writer& w, const std::vector<T>& v) {
    w.vector([&](Writer& inner) {
      for (const auto& item : v) Codec<T>::encode(inner, item);
    });
  }
  static Status decode(Reader& r, std::vector<T>& out) {
    Reader sub = MLS_TRY(r.vector());
    out.clear();
    while (!sub.empty()) {
      size_t before = sub.remaining();
      T item{};
      MLS_CHECK(Codec<T>::decode(sub, item));
      // Every wire type takes at least one byte; this guards the loop anyway.
      if (sub.remaining() == before) return sub.error(ErrorCode::invalid_value, "empty vector element");
      out.push_back(std::move(item));
    }
    return {};
  }
};

// optional<T>: a presence byte (0 or 1), then the value if present.
template <typename T>
struct Codec<std::optional<T>> {
  static void encode(Writer& w, const std::optional<T>& v) {
    w.u8(v.has_value() ? 1 : 0);
    if (v) Codec<T>::encode(w, *v);
  }
  static Status decode(Reader& r, std::optional<T>& out) {
    uint8_t present = MLS_TRY(r.u8());
    if (present > 1) return r.error(ErrorCode::invalid_value, "optional presence byte not 0 or 1");
    if (present == 0) {
      out.reset();
      return {};
    }
    T value{};
    MLS_CHECK(Codec<T>::decode(r, value));
    out = std::move(value);
    return {};
  }
};

// --- structs ------------------------------------------------------------------------------

template <HasTlsFields T>
struct Codec<T> {
  static void encode(Writer& w, const T& v) {
    std::apply([&](auto... fields) { (codec::encode(w, v.*fields), ...); }, T::tls_fields());
  }
  static Status decode(Reader& r, T& out) {
    Status status;
    std::apply(
        [&](auto... fields) {
          // Stops at the first field that fails.
          (void)((status = codec::decode(r, out.*fields)).has_value() && ...);
        },
        T::tls_fields());
    return status;
  }
};

template <HasTlsMethods T>
  requires(!HasTlsFields<T>)
struct Codec<T> {
  static void encode(Writer& w, const T& v) { v.tls_encode(w); }
  static Status decode(Reader& r, T& out) { return T::tls_decode(r, out); }
};

}  // namespace mls::codec
