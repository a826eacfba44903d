#include "codec/codec.h"

namespace mls::codec {

void Writer::varint(uint64_t v) {
  // RFC 9420 §2.1.2: the two high bits of the first byte give the length.
  if (v < (1u << 6)) {
    u8(static_cast<uint8_t>(v));
  } else if (v < (1u << 14)) {
    u16(static_cast<uint16_t>(0x4000 | v));
  } else if (v <= kMaxVarint) {
    u32(static_cast<uint32_t>(0x80000000u | v));
  } else {
    throw std::length_error("mls: value too large for a variable-length header");
  }
}

tl::unexpected<Error> Reader::error(ErrorCode code, const std::string& what) const {
  return tl::unexpected<Error>(Error(code, what + " at offset " + std::to_string(offset())));
}

Result<uint64_t> Reader::be(int n) {
  if (remaining() < static_cast<size_t>(n)) {
    return error(ErrorCode::truncated,
                 "need " + std::to_string(n) + " bytes, " + std::to_string(remaining()) + " left");
  }
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | data_[pos_ + i];
  pos_ += n;
  return v;
}

Result<uint8_t> Reader::u8() { return be(1).map([](uint64_t v) { return static_cast<uint8_t>(v); }); }
Result<uint16_t> Reader::u16() {
  return be(2).map([](uint64_t v) { return static_cast<uint16_t>(v); });
}
Result<uint32_t> Reader::u32() {
  return be(4).map([](uint64_t v) { return static_cast<uint32_t>(v); });
}
Result<uint64_t> Reader::u64() { return be(8); }

Result<BytesView> Reader::raw(size_t n) {
  if (remaining() < n) {
    return error(ErrorCode::truncated,
                 "need " + std::to_string(n) + " bytes, " + std::to_string(remaining()) + " left");
  }
  BytesView out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

Result<uint64_t> Reader::varint() {
  size_t start = pos_;
  if (empty()) return error(ErrorCode::truncated, "missing variable-length header");
  uint8_t first = data_[pos_];
  uint8_t prefix = first >> 6;
  if (prefix == 3) return error(ErrorCode::invalid_varint, "reserved 0b11 length prefix");
  int len = 1 << prefix;  // 1, 2 or 4 bytes
  uint64_t v = MLS_TRY(be(len));
  v &= (len == 1) ? 0x3f : (len == 2) ? 0x3fff : 0x3fffffff;
  // RFC 9420 §2.1.2: the encoding MUST be the minimum number of bytes.
  bool minimal = (len == 1) || (len == 2 && v >= (1u << 6)) || (len == 4 && v >= (1u << 14));
  if (!minimal) {
    pos_ = start;
    return error(ErrorCode::non_minimal_varint, "length header not minimally encoded");
  }
  return v;
}

Result<BytesView> Reader::opaque() {
  uint64_t len = MLS_TRY(varint());
  if (len > remaining()) {
    return error(ErrorCode::truncated, "vector of " + std::to_string(len) + " bytes, only " +
                                           std::to_string(remaining()) + " left");
  }
  return raw(static_cast<size_t>(len));
}

Result<Reader> Reader::vector() {
  BytesView body = MLS_TRY(opaque());
  return Reader(body, offset() - body.size());
}

Status Reader::finish() const {
  if (!empty()) {
    return error(ErrorCode::trailing_data, std::to_string(remaining()) + " bytes left over");
  }
  return {};
}

}  // namespace mls::codec
