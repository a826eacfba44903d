// deserialization.json: the variable-length header (RFC 9420 §2.1.2) decodes
// to the given length, and the length encodes back to the same header.
#include "codec/codec.h"
#include "vectors.h"

namespace mls::vectors {

Status check_deserialization(const json& c) {
  Bytes header = hex_field(c, "vlbytes_header");
  uint64_t length = c.at("length").get<uint64_t>();

  codec::Reader r(header);
  uint64_t decoded = MLS_TRY(r.varint());
  MLS_CHECK(r.finish());
  MLS_CHECK(expect_equal("decoded length", decoded, length));

  codec::Writer w;
  w.varint(length);
  MLS_CHECK(expect_equal("encoded header", w.bytes(), header));
  return {};
}

}  // namespace mls::vectors
