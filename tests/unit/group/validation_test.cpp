// What a group rejects, and that a rejected operation leaves it exactly as it
// was: every test ends by showing the next good operation still works.
#include <gtest/gtest.h>

#include "group_test_util.h"

namespace mls::test {
namespace {

using group_detail::ResolvedProposal;
using group_detail::TestAccess;

// --- a bad message, then the good one -------------------------------------------------

TEST(GroupValidation, CorruptedCommitThenTheGoodOne) {
  Trio t = trio_clients();
  make_trio(t);
  UNWRAP(out, t.alice.g().commit());
  Snapshot before(t.bob.g());
  Bytes bad = out.commit;
  bad.back() ^= 0x01;  // the membership tag
  expect_error(status_of(t.bob.g().process(bad)), ErrorCode::bad_membership_tag);
  Bytes bad_sig = out.commit;
  bad_sig[bad_sig.size() - t.alice.g().suite().hash_size() - 20] ^= 0x01;
  EXPECT_FALSE(t.bob.g().process(bad_sig));
  before.expect_same(t.bob.g());
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
  expect_agreement(t.all());
}

TEST(GroupValidation, PrivateCommitFromAnotherEpochThenTheGoodOne) {
  Trio t = trio_clients();
  t.config = test_config(HandshakeFormat::private_message);
  make_trio(t, 1, HandshakeFormat::private_message);
  UNWRAP(first, t.alice.g().commit());
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, first.commit));
  UNWRAP(second, t.alice.g().commit());
  Snapshot before(t.bob.g());
  expect_error(status_of(t.bob.g().process(first.commit)), ErrorCode::wrong_epoch);
  before.expect_same(t.bob.g());
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, second.commit));
  expect_agreement(t.all());
}

TEST(GroupValidation, CommitReferencingAnUnknownProposalThenTheGoodOne) {
  Trio t = trio_clients();
  make_trio(t);
  UNWRAP(upd, t.bob.g().propose_update());
  deliver_proposal({&t.alice}, upd);
  UNWRAP(out, t.alice.g().commit());
  Snapshot before(t.carol.g());
  expect_error(status_of(t.carol.g().process(out.commit)), ErrorCode::not_found);
  before.expect_same(t.carol.g());
  deliver_proposal({&t.carol}, upd);
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
  expect_agreement(t.all());
}

TEST(GroupValidation, DroppedStagedCommitChangesNothing) {
  Trio t = trio_clients();
  make_trio(t);
  UNWRAP(out, t.alice.g().commit());
  Snapshot before(t.bob.g());
  {
    UNWRAP(got, t.bob.g().process(out.commit));
    ASSERT_NE(std::get_if<StagedCommit>(&got), nullptr);
  }  // dropped
  before.expect_same(t.bob.g());
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
  expect_agreement(t.all());
}

TEST(GroupValidation, CompetingCommitsTheLoserDiscardsItsOwn) {
  Trio t = trio_clients();
  make_trio(t);
  UNWRAP(a, t.alice.g().commit());
  UNWRAP(b, t.bob.g().commit());
  (void)b;
  EXPECT_TRUE(t.bob.g().has_pending_commit());
  // The delivery service ordered alice's first: bob merges it, dropping his.
  UNWRAP(got, t.bob.g().process(a.commit));
  ASSERT_OK(t.bob.g().merge(std::move(std::get<StagedCommit>(got))));
  EXPECT_FALSE(t.bob.g().has_pending_commit());
  ASSERT_TRUE(deliver_commit(t.alice, {&t.carol}, a.commit));
  expect_agreement(t.all());
}

TEST(GroupValidation, MergingAStagedCommitTwiceIsUsage) {
  Trio t = trio_clients();
  make_trio(t);
  UNWRAP(c1, t.alice.g().commit());
  UNWRAP(got, t.bob.g().process(c1.commit));
  ASSERT_OK(t.alice.g().merge_pending_commit());
  ASSERT_OK(t.bob.g().merge(std::move(std::get<StagedCommit>(got))));
  expect_error(t.bob.g().merge_pending_commit(), ErrorCode::usage);
}

// --- §12.4.2: commits no honest member sends -------------------------------------

// alice sends a commit misbehaving as `hook` says; bob and carol refuse it
// with `code` and stay as they were; then alice's honest commit goes through.
void expect_receivers_refuse(Trio& t, ErrorCode code, const std::string& fragment,
                             const CommitOptions& options, void (*set)(group_detail::GroupState&)) {
  auto& alice = TestAccess::state(t.alice.g());
  set(alice);
  UNWRAP(bad, t.alice.g().commit(options));
  alice.test_hooks = {};
  t.alice.g().discard_pending_commit();
  for (Client* c : {&t.bob, &t.carol}) {
    Snapshot before(c->g());
    expect_error(status_of(c->g().process(bad.commit)), code, fragment);
    before.expect_same(c->g());
  }
  UNWRAP(good, t.alice.g().commit(options));
  std::vector<Client*> others;
  for (Client* c : {&t.bob, &t.carol}) {
    bool removed = std::ranges::find(options.remove, c->g().own_leaf()) != options.remove.end();
    if (!removed) others.push_back(c);
  }
  ASSERT_TRUE(deliver_commit(t.alice, others, good.commit));
  others.insert(others.begin(), &t.alice);
  expect_agreement(others);
}

TEST(CommitValidation, RemoveWithoutAPath) {
  Trio t = trio_clients();
  make_trio(t);
  CommitOptions o;
  o.remove = {2};
  // carol is removed by it: she need not refuse it, but bob must.
  auto& alice = TestAccess::state(t.alice.g());
  alice.test_hooks.omit_path = true;
  UNWRAP(bad, t.alice.g().commit(o));
  alice.test_hooks = {};
  t.alice.g().discard_pending_commit();
  Snapshot before(t.bob.g());
  expect_error(status_of(t.bob.g().process(bad.commit)), ErrorCode::missing_path, "needs a path");
  before.expect_same(t.bob.g());
  UNWRAP(good, t.alice.g().commit(o));
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob}, good.commit));
  expect_agreement({&t.alice, &t.bob});
}

TEST(CommitValidation, EmptyCommitWithoutAPath) {
  Trio t = trio_clients();
  make_trio(t);
  expect_receivers_refuse(t, ErrorCode::missing_path, "needs a path", {},
                          [](group_detail::GroupState& g) { g.test_hooks.omit_path = true; });
}

TEST(CommitValidation, WrongConfirmationTag) {
  Trio t = trio_clients();
  make_trio(t);
  expect_receivers_refuse(
      t, ErrorCode::bad_confirmation_tag, "", {},
      [](group_detail::GroupState& g) { g.test_hooks.bad_confirmation_tag = true; });
}

TEST(CommitValidation, WrongConfirmationTagInAPrivateMessage) {
  Trio t = trio_clients();
  t.config = test_config(HandshakeFormat::private_message);
  make_trio(t);
  expect_receivers_refuse(
      t, ErrorCode::bad_confirmation_tag, "", {},
      [](group_detail::GroupState& g) { g.test_hooks.bad_confirmation_tag = true; });
}

TEST(CommitValidation, AddWithoutAPathIsAllowed) {
  Trio t = trio_clients();
  make_trio(t);
  TestAccess::state(t.alice.g()).config.always_include_path = false;
  Client dave = Client::make(1, "dave");
  CommitOptions o;
  o.add = {dave.new_key_package()};
  UNWRAP(out, t.alice.g().commit(o));
  EXPECT_FALSE(out.effects.has_path);
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
  UNWRAP(joined, Group::join(dave.identity, *dave.key_package, *out.welcome, t.config));
  dave.group.emplace(std::move(joined));
  expect_agreement({&t.alice, &t.bob, &t.carol, &dave});
}

// --- §12.2 on the committer's side, through the API -----------------------------------

class CommitterRules : public ::testing::Test {
 protected:
  void SetUp() override { make_trio(t); }
  // The commit fails with `code` (and `fragment`), leaving alice unchanged; a
  // good commit follows.
  void expect_rejected(const CommitOptions& options, ErrorCode code,
                       const std::string& fragment = "") {
    Snapshot before(t.alice.g());
    expect_error(status_of(t.alice.g().commit(options)), code, fragment);
    before.expect_same(t.alice.g());
    UNWRAP(out, t.alice.g().commit());
    ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
    expect_agreement(t.all());
  }
  Trio t = trio_clients();
};

TEST_F(CommitterRules, RemoveOfTheCommitter) {
  CommitOptions o;
  o.remove = {0};
  expect_rejected(o, ErrorCode::remove_of_committer, "Remove of the committer");
}

TEST_F(CommitterRules, TwoRemovesOfOneLeaf) {
  CommitOptions o;
  o.remove = {1, 1};
  expect_rejected(o, ErrorCode::conflicting_proposals, "two Update/Remove proposals for leaf 1");
}

TEST_F(CommitterRules, RemoveOfABlankLeaf) {
  CommitOptions o;
  o.remove = {7};
  expect_rejected(o, ErrorCode::invalid_proposal, "blank or absent leaf 7");
}

TEST_F(CommitterRules, TwoAddsOfOneClient) {
  Client dave = Client::make(1, "dave");
  CommitOptions o;
  o.add = {dave.new_key_package(), dave.new_key_package()};
  expect_rejected(o, ErrorCode::duplicate_add, "two Adds of one client");
}

TEST_F(CommitterRules, AddOfAClientAlreadyInTheGroup) {
  CommitOptions o;
  o.add = {t.bob.new_key_package()};  // bob's identity, a fresh KeyPackage
  expect_rejected(o, ErrorCode::member_already_present, "already in the group (leaf 1)");
}

TEST_F(CommitterRules, AddWithABadKeyPackageSignature) {
  Client dave = Client::make(1, "dave");
  KeyPackage kp = dave.new_key_package();
  kp.signature.back() ^= 0x01;
  CommitOptions o;
  o.add = {kp};
  expect_rejected(o, ErrorCode::bad_signature);
}

TEST_F(CommitterRules, AddOfAnotherCipherSuite) {
  Client dave = Client::make(3, "dave");
  CommitOptions o;
  o.add = {dave.new_key_package()};
  expect_rejected(o, ErrorCode::invalid_key_package, "another cipher suite");
}

TEST_F(CommitterRules, AddOfAnExpiredKeyPackage) {
  Client dave = Client::make(1, "dave");
  auto kp = dave.identity.make_key_package(Lifetime{1, 2});
  ASSERT_TRUE(kp);
  CommitOptions o;
  o.add = {kp->key_package};
  expect_rejected(o, ErrorCode::invalid_leaf_node, "lifetime");
}

TEST_F(CommitterRules, RefusedByThePolicyHook) {
  TestAccess::state(t.alice.g()).config.proposal_policy = [](const Proposal& p,
                                                             const ProposalOrigin&) -> Status {
    if (p.get<Remove>() != nullptr) return make_error(ErrorCode::rejected_by_policy, "no removes");
    return {};
  };
  CommitOptions o;
  o.remove = {2};
  expect_rejected(o, ErrorCode::rejected_by_policy, "no removes");
}

// --- §12.2 on the receiver's side: lists no honest committer here would make --------

class ListRules : public ::testing::Test {
 protected:
  void SetUp() override { make_trio(t); }
  static framing::Sender member(uint32_t leaf) {
    return framing::Sender::member(tree::LeafIndex(leaf));
  }
  Status check(const std::vector<Proposal>& proposals, std::vector<uint32_t> senders,
               uint32_t committer) {
    std::vector<ResolvedProposal> list;
    for (size_t i = 0; i < proposals.size(); ++i) {
      list.push_back({&proposals[i], member(senders[i]), nullptr});
    }
    return group_detail::validate_proposal_list(TestAccess::state(t.bob.g()), list,
                                                member(committer));
  }
  Update update_from(Client& c) {
    // A well-formed Update of c's leaf, as its propose_update would make.
    auto& g = TestAccess::state(c.g());
    LeafNode leaf = *g.tree.leaf_node(g.own());
    leaf.encryption_key = g.suite().hpke_generate()->public_key;
    leaf.leaf_node_source = LeafNodeSource::update;
    leaf.lifetime.reset();
    EXPECT_TRUE(leaf.sign(c.identity.signer(), c.g().group_id(), c.g().own_leaf()));
    return Update{leaf};
  }
  PreSharedKey psk(uint8_t id) {
    return PreSharedKey{PreSharedKeyID::external(Bytes{id}, Bytes(32, 0x07))};
  }
  Trio t = trio_clients();
};

TEST_F(ListRules, AGoodListPasses) {
  EXPECT_TRUE(check({update_from(t.carol), Remove{1}}, {2, 0}, 0));
}

TEST_F(ListRules, UpdateFromTheCommitter) {
  expect_error(check({update_from(t.alice)}, {0}, 0), ErrorCode::update_by_committer,
               "Update from the committer");
}

TEST_F(ListRules, RemoveOfTheCommitter) {
  expect_error(check({Remove{2}}, {0}, 2), ErrorCode::remove_of_committer,
               "Remove of the committer");
}

TEST_F(ListRules, UpdateAndRemoveOfOneLeaf) {
  expect_error(check({update_from(t.carol), Remove{2}}, {2, 0}, 0),
               ErrorCode::conflicting_proposals, "two Update/Remove proposals for leaf 2");
}

TEST_F(ListRules, TwoPresharedKeyProposalsForOnePsk) {
  expect_error(check({psk(1), psk(1)}, {0, 0}, 0), ErrorCode::duplicate_psk,
               "two PreSharedKey proposals");
}

TEST_F(ListRules, TwoGroupContextExtensions) {
  expect_error(check({GroupContextExtensions{}, GroupContextExtensions{}}, {0, 0}, 0),
               ErrorCode::multiple_group_context_extensions, "more than one GroupContextExtensions");
}

TEST_F(ListRules, ReInitWithOtherProposals) {
  Proposal reinit = ReInit{to_bytes("new group"), kMls10, 1, {}};
  EXPECT_TRUE(check({reinit}, {1}, 0));
  expect_error(check({reinit, Remove{1}}, {1, 0}, 0), ErrorCode::reinit_not_alone,
               "ReInit with other proposals");
}

TEST_F(ListRules, ExternalInitInARegularCommit) {
  expect_error(check({ExternalInit{Bytes(32, 1)}}, {0}, 0), ErrorCode::external_init_not_allowed,
               "ExternalInit");
}

TEST_F(ListRules, PskNonceOfTheWrongLength) {
  PreSharedKey p{PreSharedKeyID::external(Bytes{1}, Bytes(5, 0))};
  expect_error(check({p}, {0}, 0), ErrorCode::invalid_psk_proposal, "psk_nonce");
}

TEST_F(ListRules, UpdateWithAKeyAlreadyInTheTree) {
  Update u = update_from(t.carol);
  u.leaf_node.encryption_key =
      TestAccess::state(t.bob.g()).tree.leaf_node(tree::LeafIndex(1))->encryption_key;
  ASSERT_TRUE(u.leaf_node.sign(t.carol.identity.signer(), t.carol.g().group_id(), 2));
  expect_error(check({u}, {2}, 0), ErrorCode::duplicate_key);
}

TEST_F(ListRules, UpdateSignedForAnotherLeaf) {
  Update u = update_from(t.carol);
  expect_error(check({u}, {1}, 0), ErrorCode::bad_signature);
}

// --- receiving proposals ---------------------------------------------------------------------

TEST(GroupValidation, ProposalOfARemovedLeafIsRejectedThenAGoodOneCached) {
  Trio t = trio_clients();
  make_trio(t);
  // carol's Remove of leaf 5 does not exist: bob would reject the proposal.
  auto& carol = TestAccess::state(t.carol.g());
  Bytes ref;
  UNWRAP(bad, group_detail::send_handshake(carol, Proposal(Remove{5}), {}, &ref));
  expect_error(status_of(t.bob.g().process(bad)), ErrorCode::invalid_proposal, "leaf 5");
  UNWRAP(good, t.carol.g().propose_update());
  deliver_proposal({&t.bob, &t.alice}, good);
}

// --- application messages of past epochs ---------------------------------------------------

TEST(GroupValidation, LateApplicationMessagesWithinThePastEpochsKept) {
  Trio t = trio_clients();
  make_trio(t);
  UNWRAP(late, t.bob.g().protect(to_bytes("sent in epoch 1")));
  for (int i = 0; i < 2; ++i) {
    UNWRAP(out, t.alice.g().commit());
    ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
  }
  // Two epochs later (past_epochs = 2): still readable.
  UNWRAP(got, t.carol.g().process(late));
  EXPECT_EQ(std::get<ApplicationMessage>(got).epoch, 1u);
  EXPECT_EQ(std::get<ApplicationMessage>(got).data, to_bytes("sent in epoch 1"));
  UNWRAP(out, t.alice.g().commit());
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
  // Three epochs later: gone.
  expect_error(status_of(t.alice.g().process(late)), ErrorCode::wrong_epoch);
  expect_message(t.bob, t.all(), "the current epoch still works");
}

TEST(GroupValidation, LateMessageFromAMemberRemovedSince) {
  Trio t = trio_clients();
  make_trio(t);
  UNWRAP(late, t.carol.g().protect(to_bytes("carol, epoch 1")));
  CommitOptions o;
  o.remove = {2};
  UNWRAP(out, t.alice.g().commit(o));
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob}, out.commit));
  UNWRAP(got, t.bob.g().process(late));
  EXPECT_EQ(std::get<ApplicationMessage>(got).sender, 2u);
}

TEST(GroupValidation, NoPastEpochsKept) {
  Trio t = trio_clients();
  t.config = test_config();
  t.config.past_epochs = 0;
  make_trio(t);
  UNWRAP(late, t.bob.g().protect(to_bytes("x")));
  UNWRAP(out, t.alice.g().commit());
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
  expect_error(status_of(t.alice.g().process(late)), ErrorCode::wrong_epoch);
}

// --- joining ---------------------------------------------------------------------------------

TEST(GroupJoin, RatchetTreeOutOfBand) {
  Client alice = Client::make(2, "alice"), bob = Client::make(2, "bob");
  GroupConfig config = test_config();
  UNWRAP(g, Group::create(alice.identity, config));
  alice.group.emplace(std::move(g));
  CommitOptions o;
  o.add = {bob.new_key_package()};
  o.ratchet_tree_in_welcome = false;
  UNWRAP(out, alice.g().commit(o));
  ASSERT_TRUE(out.ratchet_tree);
  ASSERT_OK(alice.g().merge_pending_commit());
  expect_error(status_of(Group::join(bob.identity, *bob.key_package, *out.welcome, config)),
               ErrorCode::invalid_group_info, "no ratchet tree");
  Bytes damaged = *out.ratchet_tree;
  damaged[damaged.size() / 2] ^= 0x01;
  EXPECT_FALSE(
      Group::join(bob.identity, *bob.key_package, *out.welcome, config, BytesView(damaged)));
  UNWRAP(joined, Group::join(bob.identity, *bob.key_package, *out.welcome, config,
                             BytesView(*out.ratchet_tree)));
  bob.group.emplace(std::move(joined));
  expect_agreement({&alice, &bob});
}

TEST(GroupJoin, WelcomeForSomeoneElse) {
  Client alice = Client::make(1, "alice"), bob = Client::make(1, "bob");
  GroupConfig config = test_config();
  UNWRAP(g, Group::create(alice.identity, config));
  alice.group.emplace(std::move(g));
  CommitOptions o;
  o.add = {bob.new_key_package()};
  UNWRAP(out, alice.g().commit(o));
  Client eve = Client::make(1, "eve");
  eve.new_key_package();
  expect_error(status_of(Group::join(eve.identity, *eve.key_package, *out.welcome, config)),
               ErrorCode::not_found);
  expect_error(status_of(Group::join(bob.identity, *bob.key_package, out.commit, config)),
               ErrorCode::invalid_welcome);
}

TEST(GroupJoin, NeedsACredentialValidator) {
  Client alice = Client::make(1, "alice");
  expect_error(status_of(Group::create(alice.identity, GroupConfig{})), ErrorCode::usage);
}

TEST(GroupJoin, AddByReferenceFromAnotherMember) {
  Trio t = trio_clients();
  make_trio(t);
  Client dave = Client::make(1, "dave");
  UNWRAP(prop, t.bob.g().propose_add(dave.new_key_package()));
  deliver_proposal({&t.alice, &t.carol}, prop);
  UNWRAP(out, t.alice.g().commit());
  ASSERT_TRUE(out.welcome);
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
  UNWRAP(joined, Group::join(dave.identity, *dave.key_package, *out.welcome, t.config));
  dave.group.emplace(std::move(joined));
  expect_agreement({&t.alice, &t.bob, &t.carol, &dave});
  expect_message(dave, {&t.alice, &t.bob, &t.carol, &dave}, "hi, I'm dave");
}

}  // namespace
}  // namespace mls::test

namespace mls::test {
namespace {

// --- PSK and GroupContextExtensions proposals ------------------------------------------

TEST(GroupProposals, ExternalPskMixedIntoTheKeySchedule) {
  auto store = std::make_shared<schedule::InMemoryPskStore>();
  store->add_external(to_bytes("shared psk"), SecretBytes(Bytes(32, 0x42)));
  Trio t = trio_clients();
  t.config = test_config();
  t.config.psks = store;
  make_trio(t);
  expect_error(status_of(t.bob.g().propose_external_psk(to_bytes("unknown"))),
               ErrorCode::unknown_psk);
  UNWRAP(prop, t.bob.g().propose_external_psk(to_bytes("shared psk")));
  deliver_proposal({&t.alice, &t.carol}, prop);
  UNWRAP(out, t.alice.g().commit());
  ASSERT_EQ(out.effects.psks.size(), 1u);
  EXPECT_EQ(out.effects.psks[0].psk_id, to_bytes("shared psk"));
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
  expect_agreement(t.all());
}

TEST(GroupProposals, PskTheReceiverLacksIsRefused) {
  auto store = std::make_shared<schedule::InMemoryPskStore>();
  store->add_external(to_bytes("alice and bob only"), SecretBytes(Bytes(32, 0x42)));
  Trio t = trio_clients();
  t.config = test_config();
  make_trio(t);
  TestAccess::state(t.alice.g()).config.psks = store;
  TestAccess::state(t.bob.g()).config.psks = store;
  UNWRAP(prop, t.alice.g().propose_external_psk(to_bytes("alice and bob only")));
  deliver_proposal({&t.bob, &t.carol}, prop);
  UNWRAP(out, t.alice.g().commit());
  Snapshot before(t.carol.g());
  expect_error(status_of(t.carol.g().process(out.commit)), ErrorCode::unknown_psk);
  before.expect_same(t.carol.g());
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob}, out.commit));
  EXPECT_EQ(t.alice.g().epoch_authenticator(), t.bob.g().epoch_authenticator());
}

TEST(GroupProposals, GroupContextExtensions) {
  Trio t = trio_clients();
  make_trio(t);
  ExtensionList ext;
  RequiredCapabilities req;
  req.credential_types = {static_cast<uint16_t>(CredentialType::basic)};
  ext.set(make_extension(extension_type::required_capabilities, req));
  UNWRAP(prop, t.carol.g().propose_group_context_extensions(ext));
  deliver_proposal({&t.alice, &t.bob}, prop);
  UNWRAP(out, t.alice.g().commit());
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
  expect_agreement(t.all());
  EXPECT_TRUE(t.bob.g().context().extensions.has(extension_type::required_capabilities));

  // An extension type no member supports, and a capability no one has.
  ExtensionList unknown;
  unknown.set(Extension{0xff00, to_bytes("x")});
  expect_error(status_of(t.alice.g().propose_group_context_extensions(unknown)),
               ErrorCode::unsupported_capability, "does not support extension 65280");
  RequiredCapabilities too_much;
  too_much.proposal_types = {0xff01};
  ExtensionList strict;
  strict.set(make_extension(extension_type::required_capabilities, too_much));
  expect_error(status_of(t.alice.g().propose_group_context_extensions(strict)),
               ErrorCode::unsupported_capability, "lacks a required capability");
}

}  // namespace
}  // namespace mls::test
