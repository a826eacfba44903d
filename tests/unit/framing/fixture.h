// A small group for the framing tests: four leaves, leaf 2 blank, one
// external sender, and the epoch secrets both directions of §6 need.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "../messages/samples.h"
#include "crypto/random.h"
#include "framing/mls_message.h"
#include "messages/group_context.h"
#include "schedule/secret_tree.h"

namespace mls::test {

using framing::AuthenticatedContent;
using framing::ContentBody;
using framing::FramedContent;
using framing::Sender;
using framing::WireFormat;
using tree::LeafIndex;

inline crypto::PrivateKeySigner new_signer(const crypto::CipherSuite& suite) {
  auto keys = suite.signature_generate();
  EXPECT_TRUE(keys) << keys.error().describe();
  return crypto::PrivateKeySigner(suite, std::move(*keys));
}

inline Bytes random_bytes(size_t n) {
  auto out = crypto::random_bytes(n);
  EXPECT_TRUE(out) << out.error().describe();
  return out ? std::move(*out) : Bytes(n);
}

class Group {
 public:
  explicit Group(uint16_t suite_id = 1, uint64_t epoch_number = 7)
      : suite(*crypto::CipherSuite::get(suite_id)),
        group_id(to_bytes("framing test group")),
        epoch(epoch_number),
        membership_key(random_bytes(suite.hash_size())),
        sender_data_secret(random_bytes(suite.hash_size())),
        encryption_secret(random_bytes(suite.hash_size())) {
    GroupContext gc;
    gc.cipher_suite = suite_id;
    gc.group_id = group_id;
    gc.epoch = epoch_number;
    gc.tree_hash = Bytes(suite.hash_size(), 0x01);
    gc.confirmed_transcript_hash = Bytes(suite.hash_size(), 0x02);
    group_context = codec::encode(gc);
    for (int i = 0; i < 4; ++i) signers.push_back(new_signer(suite));
    external_signer.emplace(new_signer(suite));
    for (int i = 0; i < 4; ++i) {
      if (i == kBlank) {
        keys.members.emplace_back();
      } else {
        keys.members.emplace_back(signers[i].public_key());
      }
    }
    keys.externals.push_back(external_signer->public_key());
  }

  static constexpr int kBlank = 2;

  framing::EpochView view() const { return {suite, group_id, epoch, group_context}; }

  schedule::SecretTree secret_tree(schedule::RatchetConfig config = {}) const {
    auto t = schedule::SecretTree::create(suite, SecretBytes(encryption_secret), tree::LeafCount(4),
                                          config);
    EXPECT_TRUE(t) << t.error().describe();
    return std::move(*t);
  }

  FramedContent framed(ContentBody body, Sender sender = Sender::member(LeafIndex(0))) const {
    return FramedContent{group_id, epoch, sender, to_bytes("aad"), std::move(body)};
  }

  // Signed content with, for a commit, some confirmation tag (the group
  // computes the real one; framing only carries it).
  AuthenticatedContent sign(WireFormat wf, FramedContent content,
                            const crypto::Signer& signer) const {
    auto ac = framing::sign_content(view(), wf, std::move(content), signer);
    EXPECT_TRUE(ac) << ac.error().describe();
    if (ac->content.commit() != nullptr) ac->auth.confirmation_tag = Bytes(suite.hash_size(), 0xcc);
    return std::move(*ac);
  }
  AuthenticatedContent sign(WireFormat wf, FramedContent content, int leaf = 0) const {
    return sign(wf, std::move(content), signers[leaf]);
  }

  framing::PublicMessage public_message(ContentBody body, int leaf = 0) const {
    auto ac = sign(WireFormat::public_message,
                   framed(std::move(body), Sender::member(LeafIndex(leaf))), leaf);
    auto pm = framing::protect_public(view(), membership_key, std::move(ac));
    EXPECT_TRUE(pm) << pm.error().describe();
    return std::move(*pm);
  }

  framing::PrivateMessage private_message(schedule::SecretTree& tree, ContentBody body,
                                          int leaf = 0, size_t padding = 0) const {
    auto ac = sign(WireFormat::private_message,
                   framed(std::move(body), Sender::member(LeafIndex(leaf))), leaf);
    auto pm = framing::protect_private(view(), sender_data_secret, tree, ac,
                                       {.padding = padding, .reuse_guard = {}});
    EXPECT_TRUE(pm) << pm.error().describe();
    return std::move(*pm);
  }

  crypto::CipherSuite suite;
  Bytes group_id;
  uint64_t epoch;
  Bytes group_context;
  Bytes membership_key;
  Bytes sender_data_secret;
  Bytes encryption_secret;
  std::vector<crypto::PrivateKeySigner> signers;
  std::optional<crypto::PrivateKeySigner> external_signer;
  framing::SenderKeyList keys;
};

inline ContentBody app(std::string_view text) { return framing::ApplicationData{to_bytes(text)}; }
inline ContentBody remove_proposal(uint32_t leaf = 3) { return Proposal(Remove{leaf}); }
inline ContentBody empty_commit() { return Commit{}; }

// The code of a failed result, or nullopt when it succeeded.
template <typename T>
std::optional<ErrorCode> code_of(const Result<T>& r) {
  if (r) return std::nullopt;
  return r.error().code;
}

}  // namespace mls::test
