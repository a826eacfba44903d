// Pre-shared key identifiers (RFC 9420 §8.4). Defined here, in the messages
// layer, because the PreSharedKey proposal and GroupSecrets carry them; the
// key schedule (src/schedule, above this layer) computes psk_secret from them.
#pragma once

#include <cstdint>

#include "codec/codec.h"

namespace mls {

// enum { reserved(0), external(1), resumption(2), (255) } PSKType;   (§8.4)
enum class PSKType : uint8_t { external = 1, resumption = 2 };

// enum {
//   reserved(0), application(1), reinit(2), branch(3), (255)
// } ResumptionPSKUsage;                                              (§8.4)
enum class ResumptionPSKUsage : uint8_t { application = 1, reinit = 2, branch = 3 };

// struct {
//   PSKType psktype;
//   select (PreSharedKeyID.psktype) {
//     case external:
//       opaque psk_id<V>;
//
//     case resumption:
//       ResumptionPSKUsage usage;
//       opaque psk_group_id<V>;
//       uint64 psk_epoch;
//   };
//   opaque psk_nonce<V>;
// } PreSharedKeyID;                                                  (§8.4)
//
// The fields of the case not selected by `psktype` are ignored on encode and
// cleared on decode. Decoding rejects unknown PSK types and usages
// (unknown_value): the RFC gives no generic body for them.
struct PreSharedKeyID {
  PSKType psktype = PSKType::external;
  // external
  Bytes psk_id;
  // resumption
  ResumptionPSKUsage usage = ResumptionPSKUsage::application;
  Bytes psk_group_id;
  uint64_t psk_epoch = 0;
  // both
  Bytes psk_nonce;

  static PreSharedKeyID external(Bytes id, Bytes nonce) {
    PreSharedKeyID p;
    p.psktype = PSKType::external;
    p.psk_id = std::move(id);
    p.psk_nonce = std::move(nonce);
    return p;
  }
  static PreSharedKeyID resumption(ResumptionPSKUsage usage, Bytes group_id, uint64_t epoch,
                                   Bytes nonce) {
    PreSharedKeyID p;
    p.psktype = PSKType::resumption;
    p.usage = usage;
    p.psk_group_id = std::move(group_id);
    p.psk_epoch = epoch;
    p.psk_nonce = std::move(nonce);
    return p;
  }

  void tls_encode(codec::Writer& w) const;
  static Status tls_decode(codec::Reader& r, PreSharedKeyID& out);
  // Compares only the fields the wire form carries.
  bool operator==(const PreSharedKeyID& other) const;
};

}  // namespace mls
