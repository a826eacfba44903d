// Fuzzes the TLS presentation-language primitives (RFC 9420 §2.1): the
// variable-length integer, opaque<V>, vectors, optionals and fixed arrays.
// The first input byte picks the type; the rest is decoded as one whole
// value. Anything that decodes must re-encode to exactly the input bytes,
// since every MLS encoding is canonical (minimal varints, 0/1 presence bytes).
#include <array>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <vector>

#include "codec/codec.h"

namespace {

using mls::Bytes;
using mls::BytesView;

template <typename T>
void round_trip(BytesView input) {
  auto decoded = mls::codec::decode_all<T>(input);
  if (!decoded) return;
  Bytes again = mls::codec::encode(*decoded);
  if (again.size() != input.size() || !std::equal(again.begin(), again.end(), input.begin())) {
    std::abort();
  }
}

void varint_round_trip(BytesView input) {
  mls::codec::Reader r(input);
  auto v = r.varint();
  if (!v) return;
  if (*v > mls::codec::kMaxVarint) std::abort();
  mls::codec::Writer w;
  w.varint(*v);
  if (!std::equal(w.bytes().begin(), w.bytes().end(), r.consumed().begin(), r.consumed().end())) {
    std::abort();
  }
}

void reader_walk(BytesView input) {
  // A reader driven by the input itself: every call either succeeds within
  // bounds or fails; none may read past the end.
  mls::codec::Reader r(input);
  while (!r.empty()) {
    auto tag = r.u8();
    if (!tag) return;
    switch (*tag % 6) {
      case 0:
        if (!r.u16()) return;
        break;
      case 1:
        if (!r.u32()) return;
        break;
      case 2:
        if (!r.u64()) return;
        break;
      case 3:
        if (!r.opaque()) return;
        break;
      case 4: {
        auto sub = r.vector();
        if (!sub) return;
        if (sub->remaining() > input.size()) std::abort();
        break;
      }
      default:
        if (!r.varint()) return;
        break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  BytesView input(data + 1, size - 1);
  switch (data[0] % 12) {
    case 0:
      varint_round_trip(input);
      break;
    case 1:
      round_trip<Bytes>(input);
      break;
    case 2:
      round_trip<std::vector<uint16_t>>(input);
      break;
    case 3:
      round_trip<std::vector<uint32_t>>(input);
      break;
    case 4:
      round_trip<std::vector<Bytes>>(input);
      break;
    case 5:
      round_trip<std::vector<std::vector<Bytes>>>(input);
      break;
    case 6:
      round_trip<std::optional<Bytes>>(input);
      break;
    case 7:
      round_trip<std::optional<uint32_t>>(input);
      break;
    case 8:
      round_trip<std::vector<std::optional<Bytes>>>(input);
      break;
    case 9:
      round_trip<std::array<uint8_t, 4>>(input);
      break;
    case 10:
      round_trip<bool>(input);
      break;
    default:
      reader_walk(input);
      break;
  }
  return 0;
}
