// GroupContext (RFC 9420 §8.1).
#pragma once

#include "codec/codec.h"
#include "messages/extension.h"
#include "messages/leaf_node.h"

namespace mls {

// struct {
//     ProtocolVersion version = mls10;
//     CipherSuite cipher_suite;
//     opaque group_id<V>;
//     uint64 epoch;
//     opaque tree_hash<V>;
//     opaque confirmed_transcript_hash<V>;
//     Extension extensions<V>;
// } GroupContext;                                                 (§8.1)
struct GroupContext {
  ProtocolVersion version = kMls10;
  CipherSuiteId cipher_suite = 0;
  Bytes group_id;
  uint64_t epoch = 0;
  Bytes tree_hash;
  Bytes confirmed_transcript_hash;
  ExtensionList extensions;

  static constexpr auto tls_fields() {
    return std::tuple{&GroupContext::version,   &GroupContext::cipher_suite,
                      &GroupContext::group_id,  &GroupContext::epoch,
                      &GroupContext::tree_hash, &GroupContext::confirmed_transcript_hash,
                      &GroupContext::extensions};
  }
  bool operator==(const GroupContext&) const = default;
};

}  // namespace mls
