// Senders outside the group (external commits with resync, external and
// new-member proposals, §12.1.8, §12.4.3.2) and resumption (resumption PSK
// proposals, ReInit, branching, §8.6, §11.2, §11.3): the working flows, and
// what each refuses, with a good operation after every refusal.
#include <gtest/gtest.h>

#include "group_test_util.h"
#include "schedule/psk.h"

namespace mls::test {
namespace {

// Everyone in `to` processes a commit and merges it.
void deliver_to(const std::vector<Client*>& to, const Bytes& commit) {
  for (Client* c : to) {
    auto got = c->g().process(commit);
    ASSERT_TRUE(got) << c->name << ": " << got.error().describe();
    auto* staged = std::get_if<StagedCommit>(&*got);
    ASSERT_NE(staged, nullptr) << c->name;
    ASSERT_OK(c->g().merge(std::move(*staged)));
  }
}

// erin, who joined by external commit, takes her group; the trio processes
// the commit; all four agree.
void admit(Trio& t, Client& erin, ExternalJoin&& joined) {
  erin.group.emplace(std::move(joined.group));
  deliver_to({&t.alice, &t.bob, &t.carol}, joined.commit.commit);
  expect_agreement({&t.alice, &t.bob, &t.carol, &erin});
}

// A trio whose members all hold the external PSK "psk-1".
void make_trio_with_psk(Trio& t) {
  auto store = std::make_shared<schedule::InMemoryPskStore>();
  store->add_external(to_bytes("psk-1"), SecretBytes(Bytes(32, 0x42)));
  t.config = test_config();
  t.config.psks = store;
  make_trio(t);
}

// --- external commits (§12.4.3.2) ---------------------------------------------------------

TEST(ExternalJoin, JoinsFromAGroupInfoAndEveryoneAgrees) {
  Trio t = trio_clients();
  make_trio(t);
  Client erin = Client::make(1, "erin");
  UNWRAP(gi, t.alice.g().group_info());
  UNWRAP(joined, Group::join_external(erin.identity, gi, t.config));
  EXPECT_EQ(joined.group.epoch(), 2u);
  EXPECT_TRUE(joined.commit.effects.has_path);
  EXPECT_EQ(joined.commit.effects.committer, 3u);
  EXPECT_TRUE(joined.commit.effects.external);
  UNWRAP(at_bob, t.bob.g().process(joined.commit.commit));
  EXPECT_TRUE(std::get<StagedCommit>(at_bob).effects().external);
  EXPECT_EQ(std::get<StagedCommit>(at_bob).effects().committer, 3u);
  erin.group.emplace(std::move(joined.group));
  deliver_to({&t.alice, &t.bob, &t.carol}, joined.commit.commit);
  std::vector<Client*> all{&t.alice, &t.bob, &t.carol, &erin};
  expect_agreement(all);
  expect_message(erin, all, "hello from erin");
  expect_message(t.bob, all, "welcome erin");
  // The new member commits like any other.
  UNWRAP(out, erin.g().commit());
  ASSERT_TRUE(deliver_commit(erin, {&t.alice, &t.bob, &t.carol}, out.commit));
  expect_agreement(all);
}

TEST(ExternalJoin, TreeOutOfBandAndAGroupInfoWithoutExternalPub) {
  Trio t = trio_clients();
  make_trio(t);
  Client erin = Client::make(1, "erin");
  UNWRAP(no_pub, t.alice.g().group_info(true, false));
  expect_error(status_of(Group::join_external(erin.identity, no_pub, t.config)),
               ErrorCode::invalid_group_info, "external_pub");
  UNWRAP(no_tree, t.alice.g().group_info(false, true));
  expect_error(status_of(Group::join_external(erin.identity, no_tree, t.config)),
               ErrorCode::invalid_group_info, "no ratchet tree");
  ExternalJoinOptions o;
  o.ratchet_tree = t.alice.g().ratchet_tree();
  o.ratchet_tree_in_group_info = false;
  UNWRAP(joined, Group::join_external(erin.identity, no_tree, t.config, o));
  ASSERT_TRUE(joined.commit.ratchet_tree);
  admit(t, erin, std::move(joined));
}

// A commit returns the new epoch's GroupInfo only when asked (it is the O(N)
// part of a commit): with external_pub, with the tree inline or beside it.
TEST(ExternalJoin, FromTheGroupInfoACommitReturns) {
  Trio t = trio_clients();
  make_trio(t);
  UNWRAP(plain, t.alice.g().commit());
  EXPECT_FALSE(plain.group_info);
  EXPECT_FALSE(plain.ratchet_tree);
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, plain.commit));

  CommitOptions without_pub;
  without_pub.group_info = true;
  UNWRAP(out, t.bob.g().commit(without_pub));
  ASSERT_TRUE(out.group_info);
  EXPECT_FALSE(out.ratchet_tree);
  ASSERT_TRUE(deliver_commit(t.bob, {&t.alice, &t.carol}, out.commit));
  Client erin = Client::make(1, "erin");
  expect_error(status_of(Group::join_external(erin.identity, *out.group_info, t.config)),
               ErrorCode::invalid_group_info, "external_pub");

  CommitOptions with_pub;
  with_pub.external_pub = true;
  with_pub.ratchet_tree_in_welcome = false;
  UNWRAP(out2, t.carol.g().commit(with_pub));
  ASSERT_TRUE(out2.group_info);
  ASSERT_TRUE(out2.ratchet_tree);
  EXPECT_FALSE(out2.welcome);
  ASSERT_TRUE(deliver_commit(t.carol, {&t.alice, &t.bob}, out2.commit));
  expect_error(status_of(Group::join_external(erin.identity, *out2.group_info, t.config)),
               ErrorCode::invalid_group_info, "no ratchet tree");
  ExternalJoinOptions o;
  o.ratchet_tree = *out2.ratchet_tree;
  UNWRAP(joined, Group::join_external(erin.identity, *out2.group_info, t.config, o));
  EXPECT_EQ(joined.group.epoch(), 5u);
  admit(t, erin, std::move(joined));
}

TEST(ExternalJoin, ResyncRemovesTheOldLeaf) {
  Trio t = trio_clients();
  make_trio(t);
  // bob lost his state and rejoins, removing his old leaf (1).
  UNWRAP(gi, t.alice.g().group_info());
  ExternalJoinOptions o;
  o.remove_prior = 1;
  UNWRAP(joined, Group::join_external(t.bob.identity, gi, t.config, o));
  ASSERT_EQ(joined.commit.effects.removed.size(), 1u);
  EXPECT_EQ(joined.commit.effects.removed[0].leaf_index, 1u);
  EXPECT_EQ(joined.group.own_leaf(), 1u);  // the leftmost blank leaf, now free
  t.bob.group.emplace(std::move(joined.group));
  deliver_to({&t.alice, &t.carol}, joined.commit.commit);
  expect_agreement(t.all());
  expect_message(t.bob, t.all(), "bob is back");
}

TEST(ExternalJoin, ResyncOfAnotherClientsLeafIsRefused) {
  Trio t = trio_clients();
  make_trio(t);
  Client erin = Client::make(1, "erin");
  UNWRAP(gi, t.alice.g().group_info());
  ExternalJoinOptions o;
  o.remove_prior = 1;  // bob's
  expect_error(status_of(Group::join_external(erin.identity, gi, t.config, o)), ErrorCode::usage,
               "another client");
}

TEST(ExternalJoin, WithAnExternalPsk) {
  Trio t = trio_clients();
  make_trio_with_psk(t);
  Client erin = Client::make(1, "erin");
  UNWRAP(gi, t.alice.g().group_info());
  ExternalJoinOptions o;
  o.external_psks = {to_bytes("psk-1")};
  UNWRAP(joined, Group::join_external(erin.identity, gi, t.config, o));
  EXPECT_EQ(joined.commit.effects.psks.size(), 1u);
  admit(t, erin, std::move(joined));
}

TEST(ExternalJoin, TamperedExternalCommitThenTheGoodOne) {
  Trio t = trio_clients();
  make_trio(t);
  Client erin = Client::make(1, "erin");
  UNWRAP(gi, t.alice.g().group_info());
  UNWRAP(joined, Group::join_external(erin.identity, gi, t.config));
  Snapshot before(t.bob.g());
  Bytes bad = joined.commit.commit;
  bad[bad.size() - 10] ^= 0x01;  // inside the confirmation tag
  EXPECT_FALSE(t.bob.g().process(bad));
  before.expect_same(t.bob.g());
  admit(t, erin, std::move(joined));
}

// §12.2's rules for external commits, on the receiver's side.
class ExternalCommitRules : public ::testing::Test {
 protected:
  void SetUp() override { make_trio(t); }
  Status check(const std::vector<Proposal>& proposals, bool by_reference = false) {
    std::vector<ResolvedProposal> list;
    const auto sender = framing::Sender::new_member_commit();
    group_detail::CachedEntry cached{proposals[0], sender, {}, std::nullopt};
    for (const auto& p : proposals) list.push_back({&p, sender, by_reference ? &cached : nullptr});
    return group_detail::validate_proposal_list(TestAccess::state(t.bob.g()), list, sender);
  }
  Trio t = trio_clients();
};

TEST_F(ExternalCommitRules, ExactlyOneExternalInit) {
  EXPECT_TRUE(check({ExternalInit{Bytes(32, 1)}}));
  expect_error(check({Remove{1}}), ErrorCode::invalid_external_commit, "exactly one ExternalInit");
  expect_error(check({ExternalInit{Bytes(32, 1)}, ExternalInit{Bytes(32, 2)}}),
               ErrorCode::invalid_external_commit, "exactly one ExternalInit");
}

TEST_F(ExternalCommitRules, AtMostOneRemove) {
  EXPECT_TRUE(check({ExternalInit{Bytes(32, 1)}, Remove{1}}));
  expect_error(check({ExternalInit{Bytes(32, 1)}, Remove{1}, Remove{2}}),
               ErrorCode::invalid_external_commit, "at most one");
}

TEST_F(ExternalCommitRules, OnlyExternalInitRemoveAndPsk) {
  expect_error(check({ExternalInit{Bytes(32, 1)}, GroupContextExtensions{}}),
               ErrorCode::invalid_external_commit, "of type 7");
}

TEST_F(ExternalCommitRules, NothingByReference) {
  expect_error(check({ExternalInit{Bytes(32, 1)}}, true), ErrorCode::invalid_external_commit,
               "by reference");
}

// --- external senders and new members (§12.1.8) ------------------------------------------------

// Adds `ds` as external sender 0 of t's group, by a GroupContextExtensions commit.
void install_external_sender(Trio& t, const Client& ds) {
  ExtensionList ext;
  ext.set(external_senders_extension({&ds.identity}));
  UNWRAP(prop, t.alice.g().propose_group_context_extensions(ext));
  deliver_proposal({&t.bob, &t.carol}, prop);
  UNWRAP(out, t.alice.g().commit());
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
}

TEST(ExternalProposals, AnExternalSendersAddRemoveAndPsk) {
  Trio t = trio_clients();
  make_trio_with_psk(t);
  Client ds = Client::make(1, "delivery service");
  install_external_sender(t, ds);
  Client dave = Client::make(1, "dave");
  const Bytes& gid = t.alice.g().group_id();

  UNWRAP(add, make_external_proposal(ds.identity, 0, gid, t.alice.g().epoch(),
                                     Add{dave.new_key_package()}));
  UNWRAP(remove, make_external_proposal(ds.identity, 0, gid, t.alice.g().epoch(), Remove{2}));
  UNWRAP(psk, make_external_proposal(
                  ds.identity, 0, gid, t.alice.g().epoch(),
                  PreSharedKey{PreSharedKeyID::external(to_bytes("psk-1"), Bytes(32, 9))}));
  for (Client* c : t.all()) {
    for (const Bytes* m : {&add, &remove, &psk}) {
      UNWRAP(got, c->g().process(*m));
      auto* cached = std::get_if<CachedProposal>(&got);
      ASSERT_NE(cached, nullptr);
      EXPECT_EQ(cached->origin.external_sender, std::optional<uint32_t>(0));
      EXPECT_FALSE(cached->origin.sender_leaf);
    }
  }
  UNWRAP(out, t.alice.g().commit());
  EXPECT_EQ(out.effects.added.size(), 1u);
  ASSERT_EQ(out.effects.removed.size(), 1u);
  EXPECT_EQ(out.effects.psks.size(), 1u);
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
  UNWRAP(joined, Group::join(dave.identity, *dave.key_package, *out.welcome, t.config));
  dave.group.emplace(std::move(joined));
  std::vector<Client*> now{&t.alice, &t.bob, &dave};
  expect_agreement(now);
  expect_message(dave, now, "dave, added by the delivery service");
}

TEST(ExternalProposals, UnknownExternalSenderAndDisallowedTypes) {
  Trio t = trio_clients();
  make_trio(t);
  Client ds = Client::make(1, "ds");
  // No external_senders extension yet: nobody to check the signature with.
  UNWRAP(early, make_external_proposal(ds.identity, 0, t.alice.g().group_id(), t.alice.g().epoch(),
                                       Remove{2}));
  Snapshot before(t.bob.g());
  expect_error(status_of(t.bob.g().process(early)), ErrorCode::unknown_sender);
  before.expect_same(t.bob.g());
  // An external sender may not send an Update (§12.1.8).
  LeafNode leaf = *TestAccess::state(t.bob.g()).tree.leaf_node(tree::LeafIndex(1));
  expect_error(
      status_of(make_external_proposal(ds.identity, 0, t.alice.g().group_id(), 1, Update{leaf})),
      ErrorCode::proposal_not_allowed);
  install_external_sender(t, ds);
  // Signed by someone else than external sender 0.
  Client mallory = Client::make(1, "mallory");
  UNWRAP(forged, make_external_proposal(mallory.identity, 0, t.alice.g().group_id(),
                                        t.alice.g().epoch(), Remove{2}));
  expect_error(status_of(t.bob.g().process(forged)), ErrorCode::bad_signature);
  UNWRAP(good, make_external_proposal(ds.identity, 0, t.alice.g().group_id(), t.alice.g().epoch(),
                                      Remove{2}));
  deliver_proposal({&t.alice, &t.bob}, good);
}

TEST(ExternalProposals, ANewMemberProposesItsOwnAdd) {
  Trio t = trio_clients();
  make_trio(t);
  Client dave = Client::make(1, "dave");
  const KeyPackage& kp = dave.new_key_package();
  Client eve = Client::make(1, "eve");
  expect_error(status_of(make_new_member_proposal(eve.identity, kp, t.alice.g().group_id(),
                                                  t.alice.g().epoch())),
               ErrorCode::usage);
  UNWRAP(prop,
         make_new_member_proposal(dave.identity, kp, t.alice.g().group_id(), t.alice.g().epoch()));
  for (Client* c : t.all()) {
    UNWRAP(got, c->g().process(prop));
    auto* cached = std::get_if<CachedProposal>(&got);
    ASSERT_NE(cached, nullptr);
    EXPECT_TRUE(cached->origin.new_member);
  }
  UNWRAP(out, t.bob.g().commit());
  ASSERT_TRUE(out.welcome);
  ASSERT_TRUE(deliver_commit(t.bob, {&t.alice, &t.carol}, out.commit));
  UNWRAP(joined, Group::join(dave.identity, *dave.key_package, *out.welcome, t.config));
  dave.group.emplace(std::move(joined));
  expect_agreement({&t.alice, &t.bob, &t.carol, &dave});
}

TEST(ExternalProposals, PolicyHookSeesTheExternalOrigin) {
  Trio t = trio_clients();
  make_trio(t);
  Client ds = Client::make(1, "ds");
  install_external_sender(t, ds);
  TestAccess::state(t.bob.g()).config.proposal_policy = [](const Proposal&,
                                                           const ProposalOrigin& o) -> Status {
    if (o.external_sender) return make_error(ErrorCode::rejected_by_policy, "no external removes");
    return {};
  };
  UNWRAP(rm, make_external_proposal(ds.identity, 0, t.alice.g().group_id(), t.alice.g().epoch(),
                                    Remove{2}));
  expect_error(status_of(t.bob.g().process(rm)), ErrorCode::rejected_by_policy);
  EXPECT_TRUE(t.alice.g().process(rm));
}

// --- resumption PSKs, ReInit, branch (§8.6, §11.2, §11.3) ----------------------------------

TEST(Resumption, ResumptionPskOfAnEarlierEpoch) {
  Trio t = trio_clients();
  make_trio(t);
  UNWRAP(c1, t.alice.g().commit());
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, c1.commit));
  expect_error(status_of(t.bob.g().propose_resumption_psk(77)), ErrorCode::unknown_psk);
  UNWRAP(prop, t.bob.g().propose_resumption_psk(1));
  deliver_proposal({&t.alice, &t.carol}, prop);
  UNWRAP(out, t.carol.g().commit());
  ASSERT_EQ(out.effects.psks.size(), 1u);
  EXPECT_EQ(out.effects.psks[0].psk_epoch, 1u);
  EXPECT_EQ(out.effects.psks[0].usage, ResumptionPSKUsage::application);
  ASSERT_TRUE(deliver_commit(t.carol, {&t.alice, &t.bob}, out.commit));
  expect_agreement(t.all());
}

// PSKs, GroupContextExtensions and ReInit by value (§12.1.4, §12.1.5,
// §12.1.7): the committer's CommitOptions, no proposal message first.
TEST(ByValue, PsksAndGroupContextExtensionsInTheCommit) {
  Trio t = trio_clients();
  make_trio_with_psk(t);
  UNWRAP(c1, t.alice.g().commit());
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, c1.commit));

  // Unknown PSKs are refused before anything is sent, and the group does not move.
  for (int bad = 0; bad < 2; ++bad) {
    CommitOptions options;
    if (bad == 0) options.external_psks = {to_bytes("no such psk")};
    if (bad == 1) options.resumption_psks = {77};
    Snapshot before(t.bob.g());
    expect_error(status_of(t.bob.g().commit(options)), ErrorCode::unknown_psk);
    before.expect_same(t.bob.g());
  }

  // An extension nobody supports is refused (§12.1.7), the group unmoved.
  CommitOptions unsupported;
  unsupported.group_context_extensions = ExtensionList{{Extension{0xF0A1, to_bytes("x")}}};
  Snapshot before(t.bob.g());
  expect_error(status_of(t.bob.g().commit(unsupported)), ErrorCode::unsupported_capability);
  before.expect_same(t.bob.g());

  RequiredCapabilities req;
  req.credential_types = {static_cast<uint16_t>(CredentialType::basic)};
  ExtensionList gce;
  gce.set(make_extension(extension_type::required_capabilities, req));
  CommitOptions options;
  options.external_psks = {to_bytes("psk-1")};
  options.resumption_psks = {1};
  options.group_context_extensions = gce;
  UNWRAP(out, t.bob.g().commit(options));
  ASSERT_EQ(out.effects.psks.size(), 2u);
  EXPECT_EQ(out.effects.psks[0].psktype, PSKType::external);
  EXPECT_EQ(out.effects.psks[0].psk_id, to_bytes("psk-1"));
  EXPECT_EQ(out.effects.psks[1].psktype, PSKType::resumption);
  EXPECT_EQ(out.effects.psks[1].psk_epoch, 1u);
  // GroupContextExtensions asks for a path (§12.4).
  EXPECT_TRUE(out.effects.has_path);
  auto got = deliver_commit(t.bob, {&t.alice, &t.carol}, out.commit);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->psks.size(), 2u);
  for (Client* c : t.all()) {
    EXPECT_EQ(c->g().context().extensions, gce) << c->name;
    EXPECT_EQ(c->g().epoch(), 3u) << c->name;
  }
  expect_agreement(t.all());

  // A member without "psk-1" in its store cannot follow the commit.
  Trio u = trio_clients();
  make_trio(u);  // no PSK store
  CommitOptions psk_only;
  psk_only.external_psks = {to_bytes("psk-1")};
  expect_error(status_of(u.alice.g().commit(psk_only)), ErrorCode::unknown_psk);
}

TEST(ByValue, ReInitInTheCommit) {
  Trio t = trio_clients();
  make_trio(t);
  ReInitParams params{to_bytes("renewed"), kMls10, 1, {}};
  CommitOptions with_add;
  with_add.reinit = params;
  with_add.remove = {2};
  Snapshot before(t.alice.g());
  expect_error(status_of(t.alice.g().commit(with_add)), ErrorCode::reinit_not_alone);
  before.expect_same(t.alice.g());

  CommitOptions options;
  options.reinit = params;
  UNWRAP(out, t.alice.g().commit(options));
  EXPECT_EQ(out.effects.reinit, std::optional<ReInit>(params));
  ASSERT_OK(t.alice.g().merge_pending_commit());
  for (Client* c : {&t.bob, &t.carol}) {
    auto got = c->g().process(out.commit);
    ASSERT_TRUE(got) << got.error().describe();
    auto* staged = std::get_if<StagedCommit>(&*got);
    ASSERT_NE(staged, nullptr);
    EXPECT_EQ(staged->effects().reinit, std::optional<ReInit>(params));
    ASSERT_OK(c->g().merge(std::move(*staged)));
  }
  for (Client* c : t.all()) {
    ASSERT_TRUE(c->g().pending_reinit()) << c->name;
    EXPECT_EQ(*c->g().pending_reinit(), params);
    EXPECT_EQ(c->g().epoch(), 2u);
    EXPECT_EQ(c->g().epoch_authenticator(), t.alice.g().epoch_authenticator()) << c->name;
  }
}

TEST(Resumption, ReinitOrBranchPskProposalsAreRefusedInRegularCommits) {
  Trio t = trio_clients();
  make_trio(t);
  for (auto usage : {ResumptionPSKUsage::reinit, ResumptionPSKUsage::branch}) {
    Proposal p =
        PreSharedKey{PreSharedKeyID::resumption(usage, t.alice.g().group_id(), 1, Bytes(32, 3))};
    expect_error(group_detail::validate_proposal(TestAccess::state(t.bob.g()), p,
                                                 framing::Sender::member(tree::LeafIndex(0))),
                 ErrorCode::invalid_psk_proposal, "reinit/branch");
  }
}

TEST(Resumption, ReInitToAnotherSuiteAndGroupId) {
  Trio t = trio_clients();
  make_trio(t);
  ReInitParams params{to_bytes("the new group"), kMls10, 3, {}};
  ReInitParams lower = params;
  lower.version = 0;
  expect_error(status_of(t.alice.g().propose_reinit(lower)), ErrorCode::invalid_reinit);
  UNWRAP(prop, t.alice.g().propose_reinit(params));
  deliver_proposal({&t.bob, &t.carol}, prop);
  // A ReInit must be alone in its commit.
  CommitOptions with_remove;
  with_remove.remove = {2};
  Snapshot before(t.bob.g());
  expect_error(status_of(t.bob.g().commit(with_remove)), ErrorCode::reinit_not_alone);
  before.expect_same(t.bob.g());
  UNWRAP(out, t.bob.g().commit());
  EXPECT_EQ(out.effects.reinit, std::optional<ReInit>(params));
  EXPECT_FALSE(out.effects.external);
  ASSERT_TRUE(deliver_commit(t.bob, {&t.alice, &t.carol}, out.commit));
  for (Client* c : t.all()) {
    ASSERT_TRUE(c->g().pending_reinit());
    EXPECT_EQ(*c->g().pending_reinit(), params);
    expect_error(status_of(c->g().protect(to_bytes("x"))), ErrorCode::usage, "reinitialized");
  }

  // carol recreates the group in suite 3 with everyone's new KeyPackages.
  Client alice2 = Client::make(3, "alice");
  Client bob2 = Client::make(3, "bob");
  Client carol2 = Client::make(3, "carol");
  Client wrong_suite = Client::make(1, "carol");
  expect_error(status_of(t.carol.g().reinit(wrong_suite.identity, {}, t.config)), ErrorCode::usage);
  UNWRAP(made, t.carol.g().reinit(carol2.identity,
                                  {alice2.new_key_package(), bob2.new_key_package()}, t.config));
  carol2.group.emplace(std::move(made.first));
  const CommitOutput& re = made.second;
  ASSERT_TRUE(re.welcome);
  EXPECT_EQ(carol2.g().epoch(), 1u);
  EXPECT_EQ(carol2.g().group_id(), to_bytes("the new group"));
  EXPECT_EQ(carol2.g().suite().id(), 3);
  ASSERT_EQ(re.effects.psks.size(), 1u);
  EXPECT_EQ(re.effects.psks[0].usage, ResumptionPSKUsage::reinit);

  // Without the old group the Welcome cannot be checked (nor its PSK found).
  expect_error(status_of(Group::join(alice2.identity, *alice2.key_package, *re.welcome, t.config)),
               ErrorCode::invalid_resumption, "resumed_from");
  UNWRAP(a, Group::join(alice2.identity, *alice2.key_package, *re.welcome, t.config, std::nullopt,
                        &t.alice.g()));
  alice2.group.emplace(std::move(a));
  UNWRAP(b, Group::join(bob2.identity, *bob2.key_package, *re.welcome, t.config, std::nullopt,
                        &t.bob.g()));
  bob2.group.emplace(std::move(b));
  std::vector<Client*> all2{&alice2, &bob2, &carol2};
  expect_agreement(all2);
  expect_message(bob2, all2, "in the new group");
}

TEST(Resumption, ReInitWelcomeMustCoverEveryOldMember) {
  Trio t = trio_clients();
  make_trio(t);
  UNWRAP(prop, t.alice.g().propose_reinit(ReInitParams{to_bytes("g2"), kMls10, 1, {}}));
  deliver_proposal({&t.bob, &t.carol}, prop);
  UNWRAP(out, t.alice.g().commit());
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
  // alice leaves carol out of the new group: bob refuses the Welcome.
  Client bob2 = Client::make(1, "bob");
  UNWRAP(made, t.alice.g().reinit(t.alice.identity, {bob2.new_key_package()}, t.config));
  expect_error(status_of(Group::join(bob2.identity, *bob2.key_package, *made.second.welcome,
                                     t.config, std::nullopt, &t.bob.g())),
               ErrorCode::invalid_reinit, "missing");
}

TEST(Resumption, BranchIntoASubgroup) {
  Trio t = trio_clients();
  make_trio(t);
  Client bob2 = Client::make(1, "bob");
  Client dave = Client::make(1, "dave");
  UNWRAP(made, t.alice.g().branch({bob2.new_key_package()}, t.config, to_bytes("subgroup")));
  Client alice2{"alice2", t.alice.identity, std::nullopt, std::move(made.first)};
  ASSERT_TRUE(made.second.welcome);
  EXPECT_EQ(made.second.effects.psks[0].usage, ResumptionPSKUsage::branch);
  UNWRAP(b, Group::join(bob2.identity, *bob2.key_package, *made.second.welcome, t.config,
                        std::nullopt, &t.bob.g()));
  bob2.group.emplace(std::move(b));
  expect_agreement({&alice2, &bob2});
  // The old group goes on.
  expect_message(t.carol, t.all(), "the old group still works");

  // A branch with a member that was not in the old group is refused.
  UNWRAP(bad, t.alice.g().branch({dave.new_key_package()}, t.config));
  expect_error(status_of(Group::join(dave.identity, *dave.key_package, *bad.second.welcome,
                                     t.config, std::nullopt, &t.bob.g())),
               ErrorCode::invalid_resumption, "not in the old group");
}

// --- capabilities -----------------------------------------------------------------------------

TEST(Capabilities, CreationChecksTheCreatorSupportsTheGroupsRequirements) {
  Client alice = Client::make(1, "alice");
  RequiredCapabilities req;
  req.extension_types = {0xff00};
  ExtensionList ext;
  ext.set(make_extension(extension_type::required_capabilities, req));
  expect_error(status_of(Group::create(alice.identity, test_config(), {}, ext)),
               ErrorCode::unsupported_capability, "the creator");
  EXPECT_TRUE(Group::create(alice.identity, test_config()));
}

TEST(Capabilities, AddsAreCheckedAgainstAGroupContextExtensionsOfTheSameCommit) {
  Trio t = trio_clients();
  make_trio(t);
  // dave supports only basic credentials; the new requirements ask for x509 too.
  Client dave = Client::make(1, "dave");
  Capabilities caps;
  caps.credentials = {static_cast<uint16_t>(CredentialType::basic)};
  uint64_t now = static_cast<uint64_t>(std::time(nullptr));
  UNWRAP(kp, make_key_package(dave.identity.suite(), dave.identity.signer(),
                              dave.identity.credential(), caps, Lifetime{now - 60, now + 3600}));
  RequiredCapabilities req;
  req.credential_types = {static_cast<uint16_t>(CredentialType::basic),
                          static_cast<uint16_t>(CredentialType::x509)};
  ExtensionList ext;
  ext.set(make_extension(extension_type::required_capabilities, req));
  UNWRAP(prop, t.alice.g().propose_group_context_extensions(ext));
  deliver_proposal({&t.bob, &t.carol}, prop);
  CommitOptions o;
  o.add = {kp.key_package};
  expect_error(status_of(t.alice.g().commit(o)), ErrorCode::unsupported_capability,
               "an added member");
  UNWRAP(out, t.alice.g().commit());
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
  expect_agreement(t.all());
}

TEST(Capabilities, GreaseIsRefusedInGroupContextExtensions) {
  // §13.5: GREASE MUST NOT be sent in GroupContext(Extensions) extensions.
  Client alice = Client::make(1, "alice");
  ExtensionList ext;
  ext.set(Extension{0x1a1a, {}});
  expect_error(status_of(Group::create(alice.identity, test_config(), {}, ext)),
               ErrorCode::invalid_value, "GREASE");
  Trio t = trio_clients();
  make_trio(t);
  expect_error(status_of(t.alice.g().propose_group_context_extensions(ext)),
               ErrorCode::invalid_proposal, "GREASE");
  expect_error(status_of(t.alice.g().propose_reinit(ReInitParams{to_bytes("g"), kMls10, 1, ext})),
               ErrorCode::invalid_reinit, "GREASE");
  // What we send in a GroupInfo carries one (§13.5), and joiners ignore it.
  UNWRAP(gi_bytes, t.alice.g().group_info());
  UNWRAP(msg, codec::decode_all<framing::MLSMessage>(gi_bytes));
  const GroupInfo* gi = msg.get<GroupInfo>();
  ASSERT_NE(gi, nullptr);
  EXPECT_TRUE(std::ranges::any_of(gi->extensions.entries,
                                  [](const Extension& e) { return is_grease(e.extension_type); }));
}

}  // namespace
}  // namespace mls::test
