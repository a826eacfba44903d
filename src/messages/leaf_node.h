// LeafNode and its parts (RFC 9420 §7.2).
#pragma once

#include <optional>
#include <vector>

#include "codec/codec.h"
#include "crypto/cipher_suite.h"
#include "messages/credential.h"
#include "messages/extension.h"

namespace mls {

// uint16 ProtocolVersion: reserved(0), mls10(1) (§6).
using ProtocolVersion = uint16_t;
inline constexpr ProtocolVersion kMls10 = 1;
using CipherSuiteId = uint16_t;
using ProposalType = uint16_t;

// struct {
//     ProtocolVersion versions<V>;
//     CipherSuite cipher_suites<V>;
//     ExtensionType extensions<V>;
//     ProposalType proposals<V>;
//     CredentialType credentials<V>;
// } Capabilities;                                                 (§7.2)
// Credential types are kept as raw uint16 here: capabilities may list types
// this library cannot decode, and unknown values MUST be ignored.
struct Capabilities {
  std::vector<ProtocolVersion> versions;
  std::vector<CipherSuiteId> cipher_suites;
  std::vector<ExtensionType> extensions;
  std::vector<ProposalType> proposals;
  std::vector<uint16_t> credentials;
  static constexpr auto tls_fields() {
    return std::tuple{&Capabilities::versions, &Capabilities::cipher_suites,
                      &Capabilities::extensions, &Capabilities::proposals,
                      &Capabilities::credentials};
  }
  bool operator==(const Capabilities&) const = default;
};

// struct { uint64 not_before; uint64 not_after; } Lifetime;       (§7.2)
struct Lifetime {
  uint64_t not_before = 0;
  uint64_t not_after = 0;
  static constexpr auto tls_fields() {
    return std::tuple{&Lifetime::not_before, &Lifetime::not_after};
  }
  bool operator==(const Lifetime&) const = default;
};

// enum { reserved(0), key_package(1), update(2), commit(3), (255) } LeafNodeSource;
enum class LeafNodeSource : uint8_t { key_package = 1, update = 2, commit = 3 };

// struct {
//     HPKEPublicKey encryption_key;
//     SignaturePublicKey signature_key;
//     Credential credential;
//     Capabilities capabilities;
//
//     LeafNodeSource leaf_node_source;
//     select (LeafNode.leaf_node_source) {
//         case key_package: Lifetime lifetime;
//         case update:      struct{};
//         case commit:      opaque parent_hash<V>;
//     };
//
//     Extension extensions<V>;
//     /* SignWithLabel(., "LeafNodeTBS", LeafNodeTBS) */
//     opaque signature<V>;
// } LeafNode;                                                     (§7.2)
struct LeafNode {
  Bytes encryption_key;
  Bytes signature_key;
  Credential credential;
  Capabilities capabilities;
  LeafNodeSource leaf_node_source = LeafNodeSource::key_package;
  std::optional<Lifetime> lifetime;  // set iff source is key_package
  Bytes parent_hash;                 // meaningful iff source is commit
  ExtensionList extensions;
  Bytes signature;

  // struct {
  //     ... the fields above up to and including extensions ...
  //     select (LeafNodeTBS.leaf_node_source) {
  //         case key_package: struct{};
  //         case update:      opaque group_id<V>; uint32 leaf_index;
  //         case commit:      opaque group_id<V>; uint32 leaf_index;
  //     };
  // } LeafNodeTBS;                                                (§7.2)
  // group_id and leaf_index are ignored for key_package leaves.
  Bytes to_be_signed(BytesView group_id, uint32_t leaf_index) const;

  // Sets `signature` with SignWithLabel(., "LeafNodeTBS", LeafNodeTBS).
  [[nodiscard]] Status sign(const crypto::Signer& signer, BytesView group_id = {},
                            uint32_t leaf_index = 0);
  // bad_signature unless `signature` verifies under signature_key.
  [[nodiscard]] Status verify(const crypto::CipherSuite& suite, BytesView group_id = {},
                              uint32_t leaf_index = 0) const;

  void tls_encode(codec::Writer& w) const;
  static Status tls_decode(codec::Reader& r, LeafNode& out);
  bool operator==(const LeafNode&) const = default;

 private:
  void encode_content(codec::Writer& w) const;  // everything up to extensions
};

// struct {
//     HPKEPublicKey encryption_key;
//     HPKECiphertext encrypted_path_secret<V>;
// } UpdatePathNode;                                               (§7.6)
struct UpdatePathNode {
  Bytes encryption_key;
  std::vector<crypto::HpkeCiphertext> encrypted_path_secret;
  static constexpr auto tls_fields() {
    return std::tuple{&UpdatePathNode::encryption_key, &UpdatePathNode::encrypted_path_secret};
  }
  bool operator==(const UpdatePathNode&) const = default;
};

// struct {
//     LeafNode leaf_node;
//     UpdatePathNode nodes<V>;
// } UpdatePath;                                                   (§7.6)
struct UpdatePath {
  LeafNode leaf_node;
  std::vector<UpdatePathNode> nodes;
  static constexpr auto tls_fields() {
    return std::tuple{&UpdatePath::leaf_node, &UpdatePath::nodes};
  }
  bool operator==(const UpdatePath&) const = default;
};

}  // namespace mls
