// Content authentication (RFC 9420 §6.1): what a sender and a receiver need
// to know about the epoch, whose key signs which content, and signing and
// verifying FramedContentTBS.
#pragma once

#include <optional>
#include <vector>

#include "crypto/cipher_suite.h"
#include "framing/content.h"

namespace mls::framing {

// The epoch a message is protected for or checked against. Views: the group
// layer owns the bytes and keeps them alive for the call.
struct EpochView {
  crypto::CipherSuite suite;
  BytesView group_id;
  uint64_t epoch = 0;
  BytesView group_context;  // the encoded GroupContext of this epoch
};

// How a receiver finds a sender's signature key (§6.1). The group layer
// implements it over its ratchet tree and GroupContext extensions.
class SenderKeys {
 public:
  virtual ~SenderKeys() = default;
  // The signature key of the member at `leaf`: nullopt when the leaf is
  // blank or outside the tree.
  virtual std::optional<BytesView> member_signature_key(tree::LeafIndex leaf) const = 0;
  // The signature_key of entry `index` of the external_senders extension
  // (§12.1.8.1): nullopt when the group has no such entry.
  virtual std::optional<BytesView> external_signature_key(uint32_t index) const = 0;
  // The receiver's own leaf, if it is a member: a PrivateMessage from it is
  // refused (usage) before its key is looked up, since the receiver deleted
  // that key when it sent the message (§9.2).
  virtual std::optional<tree::LeafIndex> own_leaf() const { return std::nullopt; }
};

// SenderKeys over plain lists, for tests and tools; an empty entry is a
// blank leaf.
class SenderKeyList final : public SenderKeys {
 public:
  std::vector<std::optional<Bytes>> members;
  std::vector<Bytes> externals;

  std::optional<BytesView> member_signature_key(tree::LeafIndex leaf) const override {
    if (leaf.value >= members.size() || !members[leaf.value]) return std::nullopt;
    return BytesView(*members[leaf.value]);
  }
  std::optional<BytesView> external_signature_key(uint32_t index) const override {
    if (index >= externals.size()) return std::nullopt;
    return BytesView(externals[index]);
  }
};

// Whether an `external` sender may send a proposal of this type (§12.1.8).
bool external_sender_may_propose(ProposalType type);

// The key that must have signed `content` (§6.1):
//   member:              the member's leaf (unknown_sender if blank or absent);
//   external:            the external_senders entry (unknown_sender if none);
//                        only proposals of the types above (invalid_sender);
//   new_member_proposal: the LeafNode of the proposal's KeyPackage; only an
//                        Add proposal (invalid_sender);
//   new_member_commit:   the LeafNode of the commit's path; only a commit
//                        (invalid_sender) with a path (invalid_commit).
[[nodiscard]] Result<BytesView> sender_signature_key(const FramedContent& content,
                                                     const SenderKeys& keys);

// Signs `content` for `wire_format`: auth.signature =
// SignWithLabel(., "FramedContentTBS", FramedContentTBS). The confirmation
// tag of a commit is left empty; the group sets it once the next epoch's
// confirmation key is known. usage if the content names another group or
// epoch than `epoch`, or is application data for a PublicMessage (§6).
[[nodiscard]] Result<AuthenticatedContent> sign_content(const EpochView& epoch,
                                                        WireFormat wire_format,
                                                        FramedContent content,
                                                        const crypto::Signer& signer);

// bad_signature unless auth.signature verifies under `signature_key` (§6.1).
[[nodiscard]] Status verify_content_signature(const EpochView& epoch,
                                              const AuthenticatedContent& content,
                                              BytesView signature_key);

// The group_id and epoch checks every received message gets first (§6):
// wrong_group, then wrong_epoch (past and future alike; a group that keeps
// older epochs' secrets looks those up before calling in).
[[nodiscard]] Status check_group_and_epoch(const EpochView& epoch, BytesView group_id,
                                           uint64_t message_epoch);

}  // namespace mls::framing
