// The payloads of the extensions RFC 9420 defines (§13, §17.3), carried in an
// Extension's extension_data and read with ExtensionList::get<T>(type). The
// ratchet_tree extension's payload (a vector of optional<Node>) belongs to
// the tree layer.
#pragma once

#include <vector>

#include "codec/codec.h"
#include "messages/credential.h"
#include "messages/extension.h"
#include "messages/leaf_node.h"

namespace mls {

// opaque application_id<V>;                                      (§5.3.3)
// The extension_data of an application_id extension (a LeafNode extension);
// a one-field struct, so its encoding is that of the opaque<V>.
struct ApplicationId {
  Bytes application_id;
  static constexpr auto tls_fields() { return std::tuple{&ApplicationId::application_id}; }
  bool operator==(const ApplicationId&) const = default;
};

// struct {
//     ExtensionType extension_types<V>;
//     ProposalType proposal_types<V>;
//     CredentialType credential_types<V>;
// } RequiredCapabilities;                                         (§11.1)
// Credential types are raw uint16, as in Capabilities.
struct RequiredCapabilities {
  std::vector<ExtensionType> extension_types;
  std::vector<ProposalType> proposal_types;
  std::vector<uint16_t> credential_types;
  static constexpr auto tls_fields() {
    return std::tuple{&RequiredCapabilities::extension_types, &RequiredCapabilities::proposal_types,
                      &RequiredCapabilities::credential_types};
  }
  // Whether a member with `caps` supports every required type (§11.1).
  // Default extension and proposal types count as supported, as §7.2 says
  // capabilities do not list them.
  bool supported_by(const Capabilities& caps) const;
  bool operator==(const RequiredCapabilities&) const = default;
};

// struct {
//     HPKEPublicKey external_pub;
// } ExternalPub;                                                  (§12.4.3.2)
struct ExternalPub {
  Bytes external_pub;
  static constexpr auto tls_fields() { return std::tuple{&ExternalPub::external_pub}; }
  bool operator==(const ExternalPub&) const = default;
};

// struct {
//   SignaturePublicKey signature_key;
//   Credential credential;
// } ExternalSender;
//
// ExternalSender external_senders<V>;                             (§12.1.8.1)
struct ExternalSender {
  Bytes signature_key;
  Credential credential;
  static constexpr auto tls_fields() {
    return std::tuple{&ExternalSender::signature_key, &ExternalSender::credential};
  }
  bool operator==(const ExternalSender&) const = default;
};

struct ExternalSenders {
  std::vector<ExternalSender> senders;
  void tls_encode(codec::Writer& w) const { codec::encode(w, senders); }
  static Status tls_decode(codec::Reader& r, ExternalSenders& out) {
    return codec::decode(r, out.senders);
  }
  bool operator==(const ExternalSenders&) const = default;
};

// Builds an Extension of `type` holding the encoding of `payload`.
template <typename T>
Extension make_extension(ExtensionType type, const T& payload) {
  return Extension{type, codec::encode(payload)};
}

}  // namespace mls
