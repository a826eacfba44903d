// KeyPackage (RFC 9420 §10).
#pragma once

#include "codec/codec.h"
#include "crypto/cipher_suite.h"
#include "messages/extension.h"
#include "messages/leaf_node.h"

namespace mls {

// opaque HashReference<V>; HashReference KeyPackageRef;           (§5.2)
using KeyPackageRef = Bytes;

// struct {
//     ProtocolVersion version;
//     CipherSuite cipher_suite;
//     HPKEPublicKey init_key;
//     LeafNode leaf_node;
//     Extension extensions<V>;
//     /* SignWithLabel(., "KeyPackageTBS", KeyPackageTBS) */
//     opaque signature<V>;
// } KeyPackage;
//
// struct {
//     ProtocolVersion version;
//     CipherSuite cipher_suite;
//     HPKEPublicKey init_key;
//     LeafNode leaf_node;
//     Extension extensions<V>;
// } KeyPackageTBS;                                                (§10)
struct KeyPackage {
  ProtocolVersion version = kMls10;
  CipherSuiteId cipher_suite = 0;
  Bytes init_key;
  LeafNode leaf_node;
  ExtensionList extensions;
  Bytes signature;

  static constexpr auto tls_fields() {
    return std::tuple{&KeyPackage::version,   &KeyPackage::cipher_suite, &KeyPackage::init_key,
                      &KeyPackage::leaf_node, &KeyPackage::extensions,   &KeyPackage::signature};
  }

  // The encoded KeyPackageTBS.
  Bytes to_be_signed() const;
  // Sets `signature` with SignWithLabel(., "KeyPackageTBS", KeyPackageTBS),
  // signing with the leaf's signature key (§10).
  [[nodiscard]] Status sign(const crypto::Signer& signer);
  // bad_signature unless `signature` verifies under leaf_node.signature_key.
  [[nodiscard]] Status verify(const crypto::CipherSuite& suite) const;
  // The checks of §10.1 that need nothing but the KeyPackage itself: the
  // version is mls10, the suite is `suite`, the leaf node's source is
  // key_package and its signature verifies, init_key differs from the leaf's
  // encryption_key, no extension type is repeated, and the KeyPackage
  // signature verifies. Lifetime, capabilities against the group and
  // credential acceptance are the caller's (group layer) checks.
  // invalid_key_package or bad_signature.
  [[nodiscard]] Status validate(const crypto::CipherSuite& suite) const;
  // MakeKeyPackageRef(value) = RefHash("MLS 1.0 KeyPackage Reference",
  // KeyPackage) (§5.2).
  KeyPackageRef ref(const crypto::CipherSuite& suite) const;

  bool operator==(const KeyPackage&) const = default;
};

// A new KeyPackage and the private keys behind it.
struct KeyPackageBundle {
  KeyPackage key_package;
  SecretBytes init_private_key;        // for the Welcome (§12.4.3.1)
  SecretBytes encryption_private_key;  // for the leaf once in the tree
};

// Builds and signs a KeyPackage for `signer` (§10): fresh HPKE init and
// encryption key pairs, a key_package leaf node with `credential`,
// `capabilities` and `lifetime`. Capabilities are completed with what §7.2
// requires of them: mls10, `suite`, and the credential's type are added when
// not listed.
[[nodiscard]] Result<KeyPackageBundle> make_key_package(
    const crypto::CipherSuite& suite, const crypto::Signer& signer, Credential credential,
    Capabilities capabilities, Lifetime lifetime, ExtensionList leaf_extensions = {},
    ExtensionList extensions = {});

}  // namespace mls
