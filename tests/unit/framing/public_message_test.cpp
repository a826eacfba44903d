// PublicMessage (RFC 9420 §6.2): protect and unprotect in every suite, and
// each receive-side check rejecting with its own error.
#include "fixture.h"

namespace mls::test {
namespace {

using framing::unprotect_public;

class PublicMessageSuites : public ::testing::TestWithParam<uint16_t> {};

TEST_P(PublicMessageSuites, ProposalAndCommitRoundTrip) {
  Group g(GetParam());
  for (const ContentBody& body : {remove_proposal(), empty_commit()}) {
    auto pm = g.public_message(body, 1);
    ASSERT_TRUE(pm.membership_tag);
    // Through the wire and back.
    Bytes wire = codec::encode(framing::MLSMessage(pm));
    auto decoded = codec::decode_all<framing::MLSMessage>(wire);
    ASSERT_TRUE(decoded) << decoded.error().describe();
    ASSERT_EQ(decoded->wire_format(), WireFormat::public_message);
    auto verified = unprotect_public(g.view(), g.membership_key, g.keys,
                                     *decoded->get<framing::PublicMessage>());
    ASSERT_TRUE(verified) << verified.error().describe();
    EXPECT_EQ(verified->get().wire_format, WireFormat::public_message);
    EXPECT_EQ(verified->get().content.sender, Sender::member(LeafIndex(1)));
    EXPECT_TRUE(verified->get().content.body == body);
    EXPECT_EQ(verified->get().content.authenticated_data, to_bytes("aad"));
  }
}

INSTANTIATE_TEST_SUITE_P(AllSuites, PublicMessageSuites,
                         ::testing::ValuesIn(crypto::kAllCipherSuites));

class PublicMessageChecks : public ::testing::Test {
 protected:
  Group g;
  std::optional<ErrorCode> receive(const framing::PublicMessage& pm) const {
    return code_of(unprotect_public(g.view(), g.membership_key, g.keys, pm));
  }
};

TEST_F(PublicMessageChecks, WrongGroup) {
  auto pm = g.public_message(remove_proposal());
  pm.content.group_id = to_bytes("another group");
  EXPECT_EQ(receive(pm), ErrorCode::wrong_group);
}

TEST_F(PublicMessageChecks, PastAndFutureEpoch) {
  auto pm = g.public_message(remove_proposal());
  for (uint64_t epoch : {g.epoch - 1, g.epoch + 1, uint64_t{0}, ~uint64_t{0}}) {
    auto other = pm;
    other.content.epoch = epoch;
    EXPECT_EQ(receive(other), ErrorCode::wrong_epoch) << epoch;
  }
}

TEST_F(PublicMessageChecks, BadMembershipTag) {
  auto pm = g.public_message(remove_proposal());
  pm.membership_tag->at(0) ^= 1;
  EXPECT_EQ(receive(pm), ErrorCode::bad_membership_tag);
  // A tag under another membership key.
  auto other = g.public_message(remove_proposal());
  EXPECT_EQ(code_of(unprotect_public(g.view(), random_bytes(g.suite.hash_size()), g.keys, other)),
            ErrorCode::bad_membership_tag);
  // Any change to the tagged content, here its authenticated data.
  auto changed = g.public_message(remove_proposal());
  changed.content.authenticated_data.push_back(0);
  EXPECT_EQ(receive(changed), ErrorCode::bad_membership_tag);
}

TEST_F(PublicMessageChecks, MissingMembershipTag) {
  auto pm = g.public_message(remove_proposal());
  pm.membership_tag.reset();
  EXPECT_EQ(receive(pm), ErrorCode::bad_membership_tag);
}

TEST_F(PublicMessageChecks, BadSignature) {
  // Signed by leaf 3, claiming leaf 0; tagged correctly, so only the
  // signature is wrong.
  auto ac = g.sign(WireFormat::public_message, g.framed(remove_proposal()), 3);
  auto pm = framing::protect_public(g.view(), g.membership_key, ac);
  ASSERT_TRUE(pm);
  EXPECT_EQ(receive(*pm), ErrorCode::bad_signature);

  // A flipped bit in the signature itself.
  ac = g.sign(WireFormat::public_message, g.framed(remove_proposal()), 0);
  ac.auth.signature.back() ^= 0x80;
  pm = framing::protect_public(g.view(), g.membership_key, ac);
  ASSERT_TRUE(pm);
  EXPECT_EQ(receive(*pm), ErrorCode::bad_signature);
}

TEST_F(PublicMessageChecks, SignatureCoversWireFormat) {
  // Content signed for a PrivateMessage does not verify as a PublicMessage.
  auto ac = g.sign(WireFormat::private_message, g.framed(remove_proposal()));
  ac.wire_format = WireFormat::public_message;
  auto pm = framing::protect_public(g.view(), g.membership_key, ac);
  ASSERT_TRUE(pm);
  EXPECT_EQ(receive(*pm), ErrorCode::bad_signature);
}

TEST_F(PublicMessageChecks, SignatureCoversGroupContext) {
  // Same group and epoch, another GroupContext (say, another tree hash).
  Bytes other_context = g.group_context;
  other_context.back() ^= 1;
  framing::EpochView other = g.view();
  other.group_context = other_context;

  // Signed and tagged under the other context: the tag fails first.
  auto ac = framing::sign_content(other, WireFormat::public_message, g.framed(remove_proposal()),
                                  g.signers[0]);
  ASSERT_TRUE(ac);
  auto pm = framing::protect_public(other, g.membership_key, *ac);
  ASSERT_TRUE(pm);
  EXPECT_EQ(receive(*pm), ErrorCode::bad_membership_tag);
  // Signed under the other context, tagged under ours: the signature fails.
  pm = framing::protect_public(g.view(), g.membership_key, *ac);
  ASSERT_TRUE(pm);
  EXPECT_EQ(receive(*pm), ErrorCode::bad_signature);
}

TEST_F(PublicMessageChecks, BlankOrAbsentLeaf) {
  for (int leaf : {Group::kBlank, 4, 1000}) {
    auto ac = g.sign(WireFormat::public_message,
                     g.framed(remove_proposal(), Sender::member(LeafIndex(leaf))), 0);
    auto pm = framing::protect_public(g.view(), g.membership_key, ac);
    ASSERT_TRUE(pm);
    EXPECT_EQ(receive(*pm), ErrorCode::unknown_sender) << leaf;
  }
}

TEST_F(PublicMessageChecks, ApplicationDataRefused) {
  auto signed_app = framing::sign_content(g.view(), WireFormat::public_message, g.framed(app("hi")),
                                          g.signers[0]);
  EXPECT_EQ(code_of(signed_app), ErrorCode::usage);
  // One built by hand anyway is rejected on receipt.
  framing::PublicMessage pm;
  pm.content = g.framed(app("hi"));
  pm.membership_tag = Bytes(32, 0);
  EXPECT_EQ(receive(pm), ErrorCode::invalid_value);
}

TEST_F(PublicMessageChecks, ProtectRefusesInconsistentContent) {
  auto commit = g.sign(WireFormat::public_message, g.framed(empty_commit()));
  commit.auth.confirmation_tag.reset();
  EXPECT_EQ(code_of(framing::protect_public(g.view(), g.membership_key, commit)), ErrorCode::usage);
  auto priv = g.sign(WireFormat::private_message, g.framed(remove_proposal()));
  EXPECT_EQ(code_of(framing::protect_public(g.view(), g.membership_key, priv)), ErrorCode::usage);
  auto wrong_epoch = g.framed(remove_proposal());
  wrong_epoch.epoch += 1;
  EXPECT_EQ(code_of(framing::sign_content(g.view(), WireFormat::public_message, wrong_epoch,
                                          g.signers[0])),
            ErrorCode::usage);
}

// --- senders that are not members (§6.1) ----------------------------------------

TEST_F(PublicMessageChecks, ExternalSender) {
  auto ac = g.sign(WireFormat::public_message, g.framed(remove_proposal(), Sender::external(0)),
                   *g.external_signer);
  auto pm = framing::protect_public(g.view(), g.membership_key, ac);
  ASSERT_TRUE(pm);
  EXPECT_FALSE(pm->membership_tag);
  auto verified = unprotect_public(g.view(), g.membership_key, g.keys, *pm);
  ASSERT_TRUE(verified) << verified.error().describe();
  EXPECT_EQ(verified->get().content.sender, Sender::external(0));

  // No external sender 1.
  auto unknown = g.sign(WireFormat::public_message,
                        g.framed(remove_proposal(), Sender::external(1)), *g.external_signer);
  EXPECT_EQ(receive(*framing::protect_public(g.view(), g.membership_key, unknown)),
            ErrorCode::unknown_sender);
  // An external sender may not send Update, nor commits (§12.1.8).
  auto update =
      g.sign(WireFormat::public_message,
             g.framed(Proposal(Update{sample_leaf(LeafNodeSource::update)}), Sender::external(0)),
             *g.external_signer);
  EXPECT_EQ(receive(*framing::protect_public(g.view(), g.membership_key, update)),
            ErrorCode::invalid_sender);
  auto commit = g.sign(WireFormat::public_message, g.framed(empty_commit(), Sender::external(0)),
                       *g.external_signer);
  EXPECT_EQ(receive(*framing::protect_public(g.view(), g.membership_key, commit)),
            ErrorCode::invalid_sender);
}

TEST_F(PublicMessageChecks, NewMemberProposal) {
  auto joiner = new_signer(g.suite);
  KeyPackage kp = sample_key_package();
  kp.leaf_node.signature_key = joiner.public_key();
  auto ac = g.sign(WireFormat::public_message,
                   g.framed(Proposal(Add{kp}), Sender::new_member_proposal()), joiner);
  auto pm = framing::protect_public(g.view(), g.membership_key, ac);
  ASSERT_TRUE(pm);
  EXPECT_FALSE(pm->membership_tag);
  EXPECT_TRUE(unprotect_public(g.view(), g.membership_key, g.keys, *pm));

  // Signed by someone else than the KeyPackage's owner.
  auto forged = g.sign(WireFormat::public_message,
                       g.framed(Proposal(Add{kp}), Sender::new_member_proposal()), 0);
  EXPECT_EQ(receive(*framing::protect_public(g.view(), g.membership_key, forged)),
            ErrorCode::bad_signature);
  // Only Add.
  auto remove = g.sign(WireFormat::public_message,
                       g.framed(remove_proposal(), Sender::new_member_proposal()), joiner);
  EXPECT_EQ(receive(*framing::protect_public(g.view(), g.membership_key, remove)),
            ErrorCode::invalid_sender);
}

TEST_F(PublicMessageChecks, NewMemberCommit) {
  auto joiner = new_signer(g.suite);
  Commit commit;
  commit.path = sample_update_path();
  commit.path->leaf_node.signature_key = joiner.public_key();
  auto ac =
      g.sign(WireFormat::public_message, g.framed(commit, Sender::new_member_commit()), joiner);
  auto pm = framing::protect_public(g.view(), g.membership_key, ac);
  ASSERT_TRUE(pm);
  EXPECT_TRUE(unprotect_public(g.view(), g.membership_key, g.keys, *pm));

  auto no_path = g.sign(WireFormat::public_message,
                        g.framed(empty_commit(), Sender::new_member_commit()), joiner);
  EXPECT_EQ(receive(*framing::protect_public(g.view(), g.membership_key, no_path)),
            ErrorCode::invalid_commit);
  auto proposal = g.sign(WireFormat::public_message,
                         g.framed(remove_proposal(), Sender::new_member_commit()), joiner);
  EXPECT_EQ(receive(*framing::protect_public(g.view(), g.membership_key, proposal)),
            ErrorCode::invalid_sender);
}

TEST(Verified, OnlyTheVerifiersMakeOne) {
  static_assert(!std::is_constructible_v<Verified<AuthenticatedContent>, AuthenticatedContent>);
  static_assert(!std::is_default_constructible_v<Verified<AuthenticatedContent>>);
}

}  // namespace
}  // namespace mls::test
