// Sample values of every wire type of src/messages, for the codec tests.
// Signatures and keys are arbitrary bytes: these values are only encoded.
#pragma once

#include "messages/commit.h"
#include "messages/group_context.h"
#include "messages/group_extensions.h"
#include "messages/group_info.h"
#include "messages/key_package.h"
#include "messages/proposal.h"
#include "messages/psk_id.h"
#include "messages/welcome.h"

namespace mls::test {

inline Bytes filled(size_t n, uint8_t v) { return Bytes(n, v); }

inline LeafNode sample_leaf(LeafNodeSource source) {
  LeafNode leaf;
  leaf.encryption_key = filled(32, 0x11);
  leaf.signature_key = filled(32, 0x22);
  leaf.credential = Credential::basic(to_bytes("alice"));
  leaf.capabilities.versions = {kMls10};
  leaf.capabilities.cipher_suites = {1, 2};
  leaf.capabilities.extensions = {0x0a0a};
  leaf.capabilities.proposals = {0x1a1a};
  leaf.capabilities.credentials = {1};
  leaf.leaf_node_source = source;
  if (source == LeafNodeSource::key_package) leaf.lifetime = Lifetime{1, 2};
  if (source == LeafNodeSource::commit) leaf.parent_hash = filled(32, 0x33);
  leaf.extensions.entries.push_back(Extension{0x0a0a, filled(3, 0x44)});
  leaf.signature = filled(64, 0x55);
  return leaf;
}

inline KeyPackage sample_key_package() {
  KeyPackage kp;
  kp.cipher_suite = 1;
  kp.init_key = filled(32, 0x66);
  kp.leaf_node = sample_leaf(LeafNodeSource::key_package);
  kp.extensions.entries.push_back(Extension{0x1a1a, {}});
  kp.signature = filled(64, 0x77);
  return kp;
}

inline GroupContext sample_group_context() {
  GroupContext gc;
  gc.cipher_suite = 1;
  gc.group_id = to_bytes("group");
  gc.epoch = 0x0102030405060708ull;
  gc.tree_hash = filled(32, 0x88);
  gc.confirmed_transcript_hash = filled(32, 0x99);
  gc.extensions.entries.push_back(Extension{extension_type::application_id, to_bytes("app")});
  return gc;
}

inline PreSharedKeyID sample_external_psk() {
  return PreSharedKeyID::external(to_bytes("psk"), filled(32, 0xaa));
}

inline PreSharedKeyID sample_resumption_psk() {
  return PreSharedKeyID::resumption(ResumptionPSKUsage::reinit, to_bytes("group"), 7,
                                    filled(32, 0xbb));
}

inline ReInit sample_reinit() {
  ReInit r;
  r.group_id = to_bytes("new group");
  r.cipher_suite = 3;
  r.extensions.entries.push_back(Extension{0x0a0a, filled(2, 1)});
  return r;
}

inline GroupContextExtensions sample_gce() {
  GroupContextExtensions g;
  g.extensions.entries.push_back(Extension{extension_type::external_senders, filled(1, 0)});
  return g;
}

inline UpdatePath sample_update_path() {
  UpdatePath path;
  path.leaf_node = sample_leaf(LeafNodeSource::commit);
  UpdatePathNode node;
  node.encryption_key = filled(32, 0xcc);
  node.encrypted_path_secret.push_back(crypto::HpkeCiphertext{filled(32, 1), filled(48, 2)});
  path.nodes.push_back(node);
  return path;
}

inline Commit sample_commit(bool with_path) {
  Commit c;
  c.proposals.push_back(ProposalOrRef(Proposal(Add{sample_key_package()})));
  c.proposals.push_back(ProposalOrRef(Proposal(Remove{5})));
  c.proposals.push_back(ProposalOrRef::reference(filled(32, 0xdd)));
  if (with_path) c.path = sample_update_path();
  return c;
}

inline GroupInfo sample_group_info() {
  GroupInfo gi;
  gi.group_context = sample_group_context();
  gi.extensions.entries.push_back(Extension{extension_type::external_pub, filled(33, 0x32)});
  gi.confirmation_tag = filled(32, 0xee);
  gi.signer = 3;
  gi.signature = filled(64, 0xef);
  return gi;
}

inline GroupSecrets sample_group_secrets(bool with_path) {
  GroupSecrets gs;
  gs.joiner_secret = SecretBytes(filled(32, 0x01));
  if (with_path) gs.path_secret = PathSecret{SecretBytes(filled(32, 0x02))};
  gs.psks = {sample_external_psk(), sample_resumption_psk()};
  return gs;
}

inline Welcome sample_welcome() {
  Welcome w;
  w.cipher_suite = 1;
  w.secrets.push_back(EncryptedGroupSecrets{filled(32, 0x03),
                                            crypto::HpkeCiphertext{filled(32, 4), filled(80, 5)}});
  w.secrets.push_back(EncryptedGroupSecrets{filled(32, 0x06),
                                            crypto::HpkeCiphertext{filled(32, 7), filled(80, 8)}});
  w.encrypted_group_info = filled(200, 0x09);
  return w;
}

inline RequiredCapabilities sample_required_capabilities() {
  return RequiredCapabilities{{0x0a0a, extension_type::external_senders}, {0x1a1a}, {1, 2}};
}

inline ExternalSenders sample_external_senders() {
  ExternalSenders s;
  s.senders.push_back(ExternalSender{filled(32, 0x10), Credential::basic(to_bytes("ds"))});
  s.senders.push_back(ExternalSender{filled(32, 0x20), Credential::x509({Certificate{{1, 2, 3}}})});
  return s;
}

}  // namespace mls::test
