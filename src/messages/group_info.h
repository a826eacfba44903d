// GroupInfo (RFC 9420 §12.4.3).
#pragma once

#include "codec/codec.h"
#include "crypto/cipher_suite.h"
#include "messages/extension.h"
#include "messages/group_context.h"

namespace mls {

// struct {
//     GroupContext group_context;
//     Extension extensions<V>;
//     MAC confirmation_tag;
//     uint32 signer;
//     /* SignWithLabel(., "GroupInfoTBS", GroupInfoTBS) */
//     opaque signature<V>;
// } GroupInfo;
//
// struct {
//     GroupContext group_context;
//     Extension extensions<V>;
//     MAC confirmation_tag;
//     uint32 signer;
// } GroupInfoTBS;                                                 (§12.4.3)
//
// MAC is opaque<V> (§5.1).
struct GroupInfo {
  GroupContext group_context;
  ExtensionList extensions;
  Bytes confirmation_tag;
  uint32_t signer = 0;  // leaf index of the member who signed
  Bytes signature;

  static constexpr auto tls_fields() {
    return std::tuple{&GroupInfo::group_context, &GroupInfo::extensions,
                      &GroupInfo::confirmation_tag, &GroupInfo::signer, &GroupInfo::signature};
  }

  // The encoded GroupInfoTBS.
  Bytes to_be_signed() const;
  // Sets `signature` with SignWithLabel(., "GroupInfoTBS", GroupInfoTBS);
  // `signer` must already name the signing member's leaf.
  [[nodiscard]] Status sign(const crypto::Signer& signer_key);
  // bad_signature unless `signature` verifies under `signer_public_key` (the
  // signature key of leaf `signer` in the group's tree, which the caller
  // looks up).
  [[nodiscard]] Status verify(const crypto::CipherSuite& suite, BytesView signer_public_key) const;

  bool operator==(const GroupInfo&) const = default;
};

}  // namespace mls
