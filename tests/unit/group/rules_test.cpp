// One negative test per validation rule of RFC 9420 §7.3 (leaf nodes),
// §7.9.2 (parent hashes), §10.1 (KeyPackages), §12.1-§12.2 (proposals and
// proposal lists), §12.4.2 (processing a commit) and §12.4.3.1 (joining),
// where validation_test.cpp and external_resume_test.cpp have none yet.
// docs/validation.md maps every rule to its check, its ErrorCode and its
// test.
//
// Messages are crafted as no honest member would send them: proposals go
// out through group_detail::send_handshake unchecked, and a real commit is
// decoded, changed and signed again (with a valid signature and membership
// tag; its confirmation tag is stale, but receivers check that last). Each
// receiver refuses the bad message with its own ErrorCode and does not move
// (Snapshot); then the honest message goes through.
#include <gtest/gtest.h>

#include <ctime>
#include <functional>

#include "crypto/random.h"
#include "group_test_util.h"
#include "messages/welcome.h"
#include "schedule/psk.h"

namespace mls::test {
namespace {

using group_detail::GroupState;

GroupState& st(Client& c) { return TestAccess::state(c.g()); }

uint64_t now() { return static_cast<uint64_t>(std::time(nullptr)); }

// --- crafting --------------------------------------------------------------------------

// `commit` (a PublicMessage), changed by `edit` and signed again by `signer`
// (by default the sender's own key) in `sender`'s epoch: a valid signature
// and membership tag over content no honest member sends.
Bytes recommit(Client& sender, const Bytes& commit, const std::function<void(Commit&)>& edit,
               const crypto::Signer* signer = nullptr) {
  auto msg = codec::decode_all<framing::MLSMessage>(commit);
  EXPECT_TRUE(msg);
  auto* pub = msg->get<framing::PublicMessage>();
  EXPECT_NE(pub, nullptr);
  framing::FramedContent fc = pub->content;
  edit(std::get<Commit>(fc.body));
  GroupState& g = st(sender);
  auto ac = framing::sign_content(g.view(), framing::WireFormat::public_message, std::move(fc),
                                  signer != nullptr ? *signer : sender.identity.signer());
  EXPECT_TRUE(ac) << ac.error().describe();
  ac->auth.confirmation_tag = pub->auth.confirmation_tag;
  auto pm = framing::protect_public(g.view(), g.secrets.membership_key, std::move(*ac));
  EXPECT_TRUE(pm) << pm.error().describe();
  return codec::encode(framing::MLSMessage(std::move(*pm)));
}

// The same for an external commit by `joiner`, in the epoch `member` is in.
Bytes reexternal(Client& member, const Identity& joiner, const Bytes& commit,
                 const std::function<void(Commit&)>& edit) {
  auto msg = codec::decode_all<framing::MLSMessage>(commit);
  EXPECT_TRUE(msg);
  auto* pub = msg->get<framing::PublicMessage>();
  EXPECT_NE(pub, nullptr);
  framing::FramedContent fc = pub->content;
  edit(std::get<Commit>(fc.body));
  GroupState& g = st(member);
  auto ac = framing::sign_content(g.view(), framing::WireFormat::public_message, std::move(fc),
                                  joiner.signer());
  EXPECT_TRUE(ac) << ac.error().describe();
  ac->auth.confirmation_tag = pub->auth.confirmation_tag;
  auto pm = framing::protect_public(g.view(), {}, std::move(*ac));
  EXPECT_TRUE(pm) << pm.error().describe();
  return codec::encode(framing::MLSMessage(std::move(*pm)));
}

// Each of `receivers` refuses `bad` with `code` and stays as it was; then
// alice's honest commit `good` goes through and everyone agrees.
// `joiner`, if any, joins from the good commit's `welcome`.
void refuse_then_accept(Trio& t, const Bytes& bad, ErrorCode code, const std::string& fragment,
                        const Bytes& good, std::vector<Client*> receivers = {},
                        Client* joiner = nullptr, const std::optional<Bytes>& welcome = {}) {
  if (receivers.empty()) receivers = {&t.bob, &t.carol};
  for (Client* c : receivers) {
    Snapshot before(c->g());
    expect_error(status_of(c->g().process(bad)), code, fragment);
    before.expect_same(c->g());
  }
  ASSERT_TRUE(deliver_commit(t.alice, receivers, good));
  receivers.insert(receivers.begin(), &t.alice);
  if (joiner != nullptr) {
    ASSERT_TRUE(welcome);
    UNWRAP(joined, Group::join(joiner->identity, *joiner->key_package, *welcome, t.config));
    joiner->group.emplace(std::move(joined));
    receivers.push_back(joiner);
  }
  expect_agreement(receivers);
}

// alice's commit (with `options`), changed by `edit` and signed again: the
// receivers refuse it with `code`, then take the genuine one
// (refuse_then_accept).
void refuse_edited_commit(Trio& t, ErrorCode code, const std::string& fragment,
                          const std::function<void(Commit&)>& edit,
                          const CommitOptions& options = {}, std::vector<Client*> receivers = {}) {
  UNWRAP(out, t.alice.g().commit(options));
  Bytes bad = recommit(t.alice, out.commit, edit);
  refuse_then_accept(t, bad, code, fragment, out.commit, std::move(receivers));
}

// `from` sends `p` unchecked; `to` refuses it with `code`, caches nothing and
// does not move; then `from`'s honest Update is cached.
void refuse_proposal(Client& from, Client& to, const Proposal& p, ErrorCode code,
                     const std::string& fragment = "") {
  UNWRAP(bad, group_detail::send_handshake(st(from), p, {}, nullptr));
  size_t cached = st(to).proposals.size();
  Snapshot before(to.g());
  expect_error(status_of(to.g().process(bad)), code, fragment);
  before.expect_same(to.g());
  EXPECT_EQ(st(to).proposals.size(), cached);
  UNWRAP(good, from.g().propose_update());
  deliver_proposal({&to}, good);
}

// A new KeyPackage of `c`, changed by `edit` and signed again with c's key.
KeyPackage changed_key_package(Client& c, const std::function<void(KeyPackage&)>& edit) {
  KeyPackage kp = c.new_key_package();
  edit(kp);
  EXPECT_TRUE(kp.leaf_node.sign(c.identity.signer()));
  EXPECT_TRUE(kp.sign(c.identity.signer()));
  return kp;
}

// A KeyPackage of `c` with its own capabilities and leaf extensions.
KeyPackage key_package_with(Client& c, Capabilities caps, ExtensionList leaf_extensions = {},
                            std::optional<Credential> credential = std::nullopt) {
  auto kp = make_key_package(c.identity.suite(), c.identity.signer(),
                             credential ? *credential : c.identity.credential(), std::move(caps),
                             Lifetime{now() - 60, now() + 3600}, std::move(leaf_extensions));
  EXPECT_TRUE(kp) << kp.error().describe();
  c.key_package.emplace(std::move(*kp));
  return c.key_package->key_package;
}

// c's current leaf as an Update would carry it: a new encryption key,
// source update, signed by `signer` (c's key by default) for c's leaf.
LeafNode update_leaf(Client& c, const std::function<void(LeafNode&)>& edit = {},
                     const crypto::Signer* signer = nullptr) {
  GroupState& g = st(c);
  LeafNode leaf = *g.tree.leaf_node(g.own());
  leaf.encryption_key = g.suite().hpke_generate()->public_key;
  leaf.leaf_node_source = LeafNodeSource::update;
  leaf.lifetime.reset();
  leaf.parent_hash.clear();
  if (edit) edit(leaf);
  EXPECT_TRUE(leaf.sign(signer != nullptr ? *signer : c.identity.signer(), c.g().group_id(),
                        c.g().own_leaf()));
  return leaf;
}

// The commit's path leaf, changed and signed again for the committer's leaf.
void resign_path_leaf(Commit& c, const crypto::Signer& signer, BytesView group_id, uint32_t leaf,
                      const std::function<void(LeafNode&)>& edit) {
  ASSERT_TRUE(c.path);
  edit(c.path->leaf_node);
  ASSERT_TRUE(c.path->leaf_node.sign(signer, group_id, leaf));
}

const Bytes& leaf_key(Client& c, uint32_t leaf) {
  return st(c).tree.leaf_node(tree::LeafIndex(leaf))->encryption_key;
}

// --- §7.3 leaf node validation, on leaves arriving in proposals ---------------------------

TEST(LeafRules, CredentialTheApplicationRejects) {
  struct RejectDave final : CredentialValidator {
    Status validate(const Credential& c, BytesView) const override {
      if (c.identity() && *c.identity() == to_bytes("dave")) {
        return make_error(ErrorCode::invalid_credential, "dave is not welcome");
      }
      return {};
    }
  };
  Trio t = trio_clients();
  make_trio(t);
  st(t.carol).config.credentials = std::make_shared<RejectDave>();
  Client dave = Client::make(1, "dave");
  refuse_proposal(t.bob, t.carol, Add{dave.new_key_package()}, ErrorCode::invalid_credential,
                  "dave is not welcome");
}

TEST(LeafRules, UpdateWithABadLeafSignature) {
  Trio t = trio_clients();
  make_trio(t);
  LeafNode leaf = update_leaf(t.bob);
  leaf.signature.back() ^= 0x01;
  refuse_proposal(t.bob, t.carol, Update{leaf}, ErrorCode::bad_signature);
}

TEST(LeafRules, AddLackingTheGroupsRequiredCapabilities) {
  Trio t = trio_clients();
  make_trio(t);
  // Everyone supports basic and x509 credentials; the group now requires both.
  RequiredCapabilities req;
  req.credential_types = {static_cast<uint16_t>(CredentialType::basic),
                          static_cast<uint16_t>(CredentialType::x509)};
  ExtensionList ext;
  ext.set(make_extension(extension_type::required_capabilities, req));
  UNWRAP(prop, t.alice.g().propose_group_context_extensions(ext));
  deliver_proposal({&t.bob, &t.carol}, prop);
  UNWRAP(out, t.alice.g().commit());
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
  Client dave = Client::make(1, "dave");
  Capabilities caps;
  caps.credentials = {static_cast<uint16_t>(CredentialType::basic)};
  refuse_proposal(t.bob, t.carol, Add{key_package_with(dave, caps)},
                  ErrorCode::unsupported_capability, "required capabilities");
}

TEST(LeafRules, AddOfACredentialTypeAMemberDoesNotSupport) {
  // carol supports basic credentials only.
  Trio t = trio_clients();
  t.config = test_config();
  UNWRAP(created, Group::create(t.alice.identity, t.config));
  t.alice.group.emplace(std::move(created));
  Capabilities basic_only;
  basic_only.credentials = {static_cast<uint16_t>(CredentialType::basic)};
  CommitOptions add;
  add.add = {t.bob.new_key_package(), key_package_with(t.carol, basic_only)};
  UNWRAP(out, t.alice.g().commit(add));
  ASSERT_OK(t.alice.g().merge_pending_commit());
  for (Client* c : {&t.bob, &t.carol}) {
    UNWRAP(joined, Group::join(c->identity, *c->key_package, *out.welcome, t.config));
    c->group.emplace(std::move(joined));
  }
  Client dave = Client::make(1, "dave");
  Capabilities caps;
  caps.credentials = {1, 2};
  KeyPackage x509 =
      key_package_with(dave, caps, {}, Credential::x509({Certificate{to_bytes("dave's cert")}}));
  refuse_proposal(t.alice, t.bob, Add{x509}, ErrorCode::unsupported_capability,
                  "a member does not support the leaf's credential type 2");
}

TEST(LeafRules, AddNotSupportingACredentialTypeInUse) {
  Trio t = trio_clients();
  make_trio(t);
  // dave joins with an x509 credential, which every member supports.
  Client dave = Client::make(1, "dave");
  Capabilities both;
  both.credentials = {1, 2};
  CommitOptions o;
  o.add = {key_package_with(dave, both, {}, Credential::x509({Certificate{to_bytes("cert")}}))};
  UNWRAP(out, t.alice.g().commit(o));
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
  // erin supports basic only: x509 is in use.
  Client erin = Client::make(1, "erin");
  Capabilities basic_only;
  basic_only.credentials = {1};
  refuse_proposal(t.bob, t.carol, Add{key_package_with(erin, basic_only)},
                  ErrorCode::unsupported_capability, "credential type 2, which a member uses");
}

TEST(LeafRules, AddWithALeafExtensionItsCapabilitiesDoNotList) {
  Trio t = trio_clients();
  make_trio(t);
  Client dave = Client::make(1, "dave");
  ExtensionList leaf_ext;
  leaf_ext.set(Extension{0x0a0b, {1}});
  KeyPackage kp = key_package_with(dave, dave.identity.capabilities(), leaf_ext);
  refuse_proposal(t.bob, t.carol, Add{kp}, ErrorCode::invalid_leaf_node,
                  "capabilities do not list");
}

TEST(LeafRules, UpdateWhoseLeafIsNotFromAnUpdate) {
  Trio t = trio_clients();
  make_trio(t);
  LeafNode leaf = update_leaf(t.bob, [&](LeafNode& l) {
    l.leaf_node_source = LeafNodeSource::key_package;
    l.lifetime = Lifetime{now() - 60, now() + 3600};
  });
  refuse_proposal(t.bob, t.carol, Update{leaf}, ErrorCode::invalid_leaf_node,
                  "leaf_node_source is not update");
}

TEST(LeafRules, UpdateKeepingItsEncryptionKey) {
  Trio t = trio_clients();
  make_trio(t);
  Bytes own_key = leaf_key(t.bob, 1);
  LeafNode leaf = update_leaf(t.bob, [&](LeafNode& l) { l.encryption_key = own_key; });
  refuse_proposal(t.bob, t.carol, Update{leaf}, ErrorCode::duplicate_key, "encryption key in use");
}

TEST(LeafRules, UpdateWithAnotherMembersSignatureKey) {
  Trio t = trio_clients();
  make_trio(t);
  // bob's leaf with carol's signature key, signed by carol's key.
  LeafNode leaf = update_leaf(
      t.bob, [&](LeafNode& l) { l.signature_key = t.carol.identity.signature_key(); },
      &t.carol.identity.signer());
  refuse_proposal(t.bob, t.alice, Update{leaf}, ErrorCode::duplicate_key,
                  "signature key of another member");
}

TEST(LeafRules, AddWithAMembersEncryptionKey) {
  Trio t = trio_clients();
  make_trio(t);
  Client dave = Client::make(1, "dave");
  Bytes carols = leaf_key(t.bob, 2);
  KeyPackage kp =
      changed_key_package(dave, [&](KeyPackage& k) { k.leaf_node.encryption_key = carols; });
  refuse_proposal(t.bob, t.alice, Add{kp}, ErrorCode::duplicate_key, "encryption key in use");
}

// --- §10.1 KeyPackage validation, on Adds received --------------------------------------

TEST(KeyPackageRules, AnotherProtocolVersion) {
  Trio t = trio_clients();
  make_trio(t);
  Client dave = Client::make(1, "dave");
  KeyPackage kp = dave.new_key_package();
  kp.version = 2;
  refuse_proposal(t.bob, t.carol, Add{kp}, ErrorCode::invalid_key_package, "version 2");
}

TEST(KeyPackageRules, AnotherCipherSuite) {
  Trio t = trio_clients();
  make_trio(t);
  Client dave = Client::make(3, "dave");
  refuse_proposal(t.bob, t.carol, Add{dave.new_key_package()}, ErrorCode::invalid_key_package,
                  "another cipher suite");
}

TEST(KeyPackageRules, LeafNotFromAKeyPackage) {
  Trio t = trio_clients();
  make_trio(t);
  Client dave = Client::make(1, "dave");
  KeyPackage kp = changed_key_package(dave, [](KeyPackage& k) {
    k.leaf_node.leaf_node_source = LeafNodeSource::update;
    k.leaf_node.lifetime.reset();
  });
  refuse_proposal(t.bob, t.carol, Add{kp}, ErrorCode::invalid_key_package,
                  "leaf node source is not key_package");
}

TEST(KeyPackageRules, BadKeyPackageSignature) {
  Trio t = trio_clients();
  make_trio(t);
  Client dave = Client::make(1, "dave");
  KeyPackage kp = dave.new_key_package();
  kp.signature.back() ^= 0x01;
  refuse_proposal(t.bob, t.carol, Add{kp}, ErrorCode::bad_signature);
}

TEST(KeyPackageRules, InitKeyIsTheLeafsEncryptionKey) {
  Trio t = trio_clients();
  make_trio(t);
  Client dave = Client::make(1, "dave");
  KeyPackage kp =
      changed_key_package(dave, [](KeyPackage& k) { k.init_key = k.leaf_node.encryption_key; });
  refuse_proposal(t.bob, t.carol, Add{kp}, ErrorCode::invalid_key_package, "init_key");
}

// --- §12.1 proposals invalid on their own, received ---------------------------------------

TEST(ProposalRules, ReInitToALowerVersion) {
  Trio t = trio_clients();
  make_trio(t);
  refuse_proposal(t.bob, t.carol, ReInit{to_bytes("g2"), 0, 1, {}}, ErrorCode::invalid_reinit,
                  "lower protocol version");
}

TEST(ProposalRules, GroupContextExtensionsAMemberDoesNotSupport) {
  Trio t = trio_clients();
  make_trio(t);
  ExtensionList unknown;
  unknown.set(Extension{0xff00, to_bytes("x")});
  refuse_proposal(t.bob, t.carol, GroupContextExtensions{unknown},
                  ErrorCode::unsupported_capability, "does not support extension 65280");
}

TEST(ProposalRules, ExternalInitOnItsOwn) {
  Trio t = trio_clients();
  make_trio(t);
  refuse_proposal(t.bob, t.carol, ExternalInit{Bytes(32, 1)}, ErrorCode::external_init_not_allowed,
                  "ExternalInit");
}

TEST(ProposalRules, RemoveOfABlankLeafByValue) {
  Trio t = trio_clients();
  make_trio(t);
  refuse_edited_commit(t, ErrorCode::invalid_proposal, "blank or absent leaf 7",
                       [](Commit& c) { c.proposals.emplace_back(Remove{7}); });
}

// --- §12.2 proposal list validation, in commits received ----------------------------------

TEST(ListRulesReceived, UpdateByValueFromTheCommitter) {
  Trio t = trio_clients();
  make_trio(t);
  Proposal update = Update{update_leaf(t.alice)};
  refuse_edited_commit(t, ErrorCode::update_by_committer, "Update from the committer",
                       [&](Commit& c) { c.proposals.emplace_back(update); });
}

TEST(ListRulesReceived, RemoveOfTheCommitter) {
  Trio t = trio_clients();
  make_trio(t);
  refuse_edited_commit(t, ErrorCode::remove_of_committer, "Remove of the committer",
                       [](Commit& c) { c.proposals.emplace_back(Remove{0}); });
}

TEST(ListRulesReceived, TwoRemovesOfOneLeaf) {
  Trio t = trio_clients();
  make_trio(t);
  CommitOptions o;
  o.remove = {2};
  refuse_edited_commit(t, ErrorCode::conflicting_proposals, "leaf 2",
                       [](Commit& c) { c.proposals.emplace_back(Remove{2}); }, o, {&t.bob});
}

TEST(ListRulesReceived, UpdateAndRemoveOfOneLeaf) {
  Trio t = trio_clients();
  make_trio(t);
  UNWRAP(upd, t.carol.g().propose_update());
  deliver_proposal({&t.alice, &t.bob}, upd);
  refuse_edited_commit(t, ErrorCode::conflicting_proposals, "leaf 2",
                       [](Commit& c) { c.proposals.emplace_back(Remove{2}); });
}

TEST(ListRulesReceived, TwoAddsOfOneClient) {
  Trio t = trio_clients();
  make_trio(t);
  Client dave = Client::make(1, "dave");
  CommitOptions o;
  o.add = {dave.new_key_package()};
  UNWRAP(out, t.alice.g().commit(o));
  UNWRAP(second, dave.identity.make_key_package());  // dave's other device state
  Proposal again = Add{second.key_package};
  Bytes bad = recommit(t.alice, out.commit, [&](Commit& c) { c.proposals.emplace_back(again); });
  refuse_then_accept(t, bad, ErrorCode::duplicate_add, "two Adds of one client", out.commit, {},
                     &dave, out.welcome);
}

TEST(ListRulesReceived, AddOfAClientAlreadyInTheGroup) {
  Trio t = trio_clients();
  make_trio(t);
  Proposal bob_again = Add{t.bob.new_key_package()};
  refuse_edited_commit(t, ErrorCode::member_already_present, "already in the group (leaf 1)",
                       [&](Commit& c) { c.proposals.emplace_back(bob_again); });
}

TEST(ListRulesReceived, AddOfAClientRemovedInTheSameCommitIsAllowed) {
  // §12.2's exception: bob is removed and re-added (a new device state).
  Trio t = trio_clients();
  make_trio(t);
  CommitOptions o;
  o.remove = {1};
  o.add = {t.bob.new_key_package()};
  UNWRAP(out, t.alice.g().commit(o));
  ASSERT_TRUE(out.welcome);
  ASSERT_TRUE(deliver_commit(t.alice, {&t.carol}, out.commit));
  UNWRAP(rejoined, Group::join(t.bob.identity, *t.bob.key_package, *out.welcome, t.config));
  t.bob.group.emplace(std::move(rejoined));
  expect_agreement(t.all());
}

TEST(ListRulesReceived, TwoPresharedKeyProposalsForOnePsk) {
  Trio t = trio_clients();
  make_trio(t);
  Proposal psk = PreSharedKey{PreSharedKeyID::external(to_bytes("psk"), Bytes(32, 7))};
  refuse_edited_commit(t, ErrorCode::duplicate_psk, "two PreSharedKey proposals", [&](Commit& c) {
    c.proposals.emplace_back(psk);
    c.proposals.emplace_back(psk);
  });
}

TEST(ListRulesReceived, TwoGroupContextExtensions) {
  Trio t = trio_clients();
  make_trio(t);
  refuse_edited_commit(t, ErrorCode::multiple_group_context_extensions,
                       "more than one GroupContextExtensions", [](Commit& c) {
                         c.proposals.emplace_back(GroupContextExtensions{});
                         c.proposals.emplace_back(GroupContextExtensions{});
                       });
}

TEST(ListRulesReceived, ReInitWithAnotherProposal) {
  Trio t = trio_clients();
  make_trio(t);
  refuse_edited_commit(t, ErrorCode::reinit_not_alone, "ReInit with other proposals",
                       [](Commit& c) {
                         c.proposals.emplace_back(ReInit{to_bytes("g2"), kMls10, 1, {}});
                         c.proposals.emplace_back(GroupContextExtensions{});
                       });
}

TEST(ListRulesReceived, ExternalInitInARegularCommit) {
  Trio t = trio_clients();
  make_trio(t);
  refuse_edited_commit(t, ErrorCode::external_init_not_allowed, "ExternalInit",
                       [](Commit& c) { c.proposals.emplace_back(ExternalInit{Bytes(32, 1)}); });
}

TEST(ListRulesReceived, AProposalTypeNoMemberSupports) {
  // Only the seven default types can be represented: any other is refused
  // when decoding (§12.2: a non-default type some member does not support).
  Trio t = trio_clients();
  make_trio(t);
  CommitOptions o;
  o.remove = {2};
  UNWRAP(out, t.alice.g().commit(o));
  // ProposalOrRef proposal(1), proposal_type remove(3), removed = 2.
  const Bytes remove = {0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02};
  Bytes bad = out.commit;
  auto at = std::search(bad.begin(), bad.end(), remove.begin(), remove.end());
  ASSERT_NE(at, bad.end());
  at[1] = 0x0a;
  at[2] = 0x0b;  // an unknown, non-GREASE type
  refuse_then_accept(t, bad, ErrorCode::unknown_value, "", out.commit, {&t.bob});
}

TEST(ListRulesReceived, TwoAddsWithOneEncryptionKeyLeaveAnInvalidTree) {
  Trio t = trio_clients();
  make_trio(t);
  Client dave = Client::make(1, "dave"), erin = Client::make(1, "erin");
  CommitOptions o;
  o.add = {dave.new_key_package()};
  UNWRAP(out, t.alice.g().commit(o));
  Bytes daves = o.add[0].leaf_node.encryption_key;
  Proposal twin =
      Add{changed_key_package(erin, [&](KeyPackage& k) { k.leaf_node.encryption_key = daves; })};
  Bytes bad = recommit(t.alice, out.commit, [&](Commit& c) { c.proposals.emplace_back(twin); });
  refuse_then_accept(t, bad, ErrorCode::duplicate_key, "encryption key already in the tree",
                     out.commit, {}, &dave, out.welcome);
}

// --- §12.4.2 processing a commit ---------------------------------------------------------

TEST(CommitRules, PublicCommitOfAnEarlierEpoch) {
  Trio t = trio_clients();
  make_trio(t);
  UNWRAP(first, t.alice.g().commit());
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, first.commit));
  UNWRAP(second, t.alice.g().commit());
  refuse_then_accept(t, first.commit, ErrorCode::wrong_epoch, "", second.commit);
}

TEST(CommitRules, PrivateCommitThatDoesNotDecrypt) {
  Trio t = trio_clients();
  t.config = test_config(HandshakeFormat::private_message);
  make_trio(t);
  UNWRAP(out, t.alice.g().commit());
  Bytes bad = out.commit;
  bad.back() ^= 0x01;  // the AEAD tag of the content
  refuse_then_accept(t, bad, ErrorCode::decryption_failed, "", out.commit);
}

TEST(CommitRules, SignedByAnotherMember) {
  Trio t = trio_clients();
  make_trio(t);
  UNWRAP(out, t.alice.g().commit());
  Bytes bad = recommit(
      t.alice, out.commit, [](Commit&) {}, &t.carol.identity.signer());
  refuse_then_accept(t, bad, ErrorCode::bad_signature, "", out.commit);
}

TEST(CommitRules, UpdateCommittedWithoutAPath) {
  Trio t = trio_clients();
  make_trio(t);
  UNWRAP(upd, t.bob.g().propose_update());
  deliver_proposal({&t.alice, &t.carol}, upd);
  st(t.alice).test_hooks.omit_path = true;
  UNWRAP(bad, t.alice.g().commit());
  st(t.alice).test_hooks = {};
  t.alice.g().discard_pending_commit();
  UNWRAP(good, t.alice.g().commit());
  refuse_then_accept(t, bad.commit, ErrorCode::missing_path, "needs a path", good.commit);
}

TEST(CommitRules, GroupContextExtensionsCommittedWithoutAPath) {
  Trio t = trio_clients();
  make_trio(t);
  ExtensionList ext;
  RequiredCapabilities req;
  req.credential_types = {static_cast<uint16_t>(CredentialType::basic)};
  ext.set(make_extension(extension_type::required_capabilities, req));
  UNWRAP(prop, t.alice.g().propose_group_context_extensions(ext));
  deliver_proposal({&t.bob, &t.carol}, prop);
  st(t.alice).test_hooks.omit_path = true;
  UNWRAP(bad, t.alice.g().commit());
  st(t.alice).test_hooks = {};
  t.alice.g().discard_pending_commit();
  UNWRAP(good, t.alice.g().commit());
  refuse_then_accept(t, bad.commit, ErrorCode::missing_path, "needs a path", good.commit);
}

TEST(CommitRules, PathLeafNotFromACommit) {
  Trio t = trio_clients();
  make_trio(t);
  Bytes gid = t.alice.g().group_id();
  refuse_edited_commit(t, ErrorCode::invalid_leaf_node, "not commit", [&](Commit& c) {
    resign_path_leaf(c, t.alice.identity.signer(), gid, 0,
                     [](LeafNode& l) { l.leaf_node_source = LeafNodeSource::update; });
  });
}

TEST(CommitRules, PathLeafWithABadSignature) {
  Trio t = trio_clients();
  make_trio(t);
  refuse_edited_commit(t, ErrorCode::bad_signature, "leaf 0",
                       [](Commit& c) { c.path->leaf_node.signature.back() ^= 0x01; });
}

TEST(CommitRules, PathLeafWithAnotherMembersSignatureKey) {
  Trio t = trio_clients();
  make_trio(t);
  Bytes gid = t.alice.g().group_id();
  Bytes carols = t.carol.identity.signature_key();
  refuse_edited_commit(t, ErrorCode::duplicate_key, "signature key of another member",
                       [&](Commit& c) {
                         resign_path_leaf(c, t.carol.identity.signer(), gid, 0,
                                          [&](LeafNode& l) { l.signature_key = carols; });
                       });
}

TEST(CommitRules, PathLeafKeepsTheCommittersEncryptionKey) {
  Trio t = trio_clients();
  make_trio(t);
  Bytes gid = t.alice.g().group_id();
  Bytes current = leaf_key(t.bob, 0);
  refuse_edited_commit(t, ErrorCode::duplicate_key, "already at node 0", [&](Commit& c) {
    resign_path_leaf(c, t.alice.identity.signer(), gid, 0,
                     [&](LeafNode& l) { l.encryption_key = current; });
  });
}

TEST(CommitRules, PathNodeKeyAlreadyInTheTree) {
  Trio t = trio_clients();
  make_trio(t);
  Bytes bobs = leaf_key(t.bob, 1);
  refuse_edited_commit(t, ErrorCode::duplicate_key, "already at node 2",
                       [&](Commit& c) { c.path->nodes[0].encryption_key = bobs; });
}

TEST(CommitRules, PathWhoseLeafParentHashDoesNotMatch) {
  // §7.9.2: the receiver recomputes the leaf's parent_hash from the path.
  Trio t = trio_clients();
  make_trio(t);
  Bytes fresh = st(t.alice).suite().hpke_generate()->public_key;
  refuse_edited_commit(t, ErrorCode::parent_hash_mismatch, "parent_hash",
                       [&](Commit& c) { c.path->nodes.back().encryption_key = fresh; });
}

TEST(CommitRules, PathWithTooFewNodes) {
  Trio t = trio_clients();
  make_trio(t);
  refuse_edited_commit(t, ErrorCode::invalid_path, "filtered direct path",
                       [](Commit& c) { c.path->nodes.pop_back(); });
}

TEST(CommitRules, PathSecretsThatDoNotDecrypt) {
  Trio t = trio_clients();
  make_trio(t);
  refuse_edited_commit(t, ErrorCode::decryption_failed, "", [](Commit& c) {
    for (auto& node : c.path->nodes) {
      for (auto& ct : node.encrypted_path_secret) ct.ciphertext.back() ^= 0x01;
    }
  });
}

// --- §12.2 and §12.4.3.2: external commits received ---------------------------------------

// `receivers` refuse `bad`, a changed copy of `joined`'s external commit;
// then the real one goes through and the joiner agrees with them.
void refuse_external_then_admit(Client& joiner, ExternalJoin&& joined, const Bytes& bad,
                                ErrorCode code, const std::string& fragment,
                                std::vector<Client*> receivers) {
  for (Client* c : receivers) {
    Snapshot before(c->g());
    expect_error(status_of(c->g().process(bad)), code, fragment);
    before.expect_same(c->g());
  }
  for (Client* c : receivers) {
    UNWRAP(got, c->g().process(joined.commit.commit));
    ASSERT_OK(c->g().merge(std::move(std::get<StagedCommit>(got))));
  }
  joiner.group.emplace(std::move(joined.group));
  receivers.push_back(&joiner);
  expect_agreement(receivers);
}

TEST(ExternalRulesReceived, AProposalTypeExternalCommitsMayNotCarry) {
  Trio t = trio_clients();
  make_trio(t);
  Client erin = Client::make(1, "erin");
  UNWRAP(gi, t.alice.g().group_info());
  UNWRAP(joined, Group::join_external(erin.identity, gi, t.config));
  Bytes bad = reexternal(t.bob, erin.identity, joined.commit.commit,
                         [](Commit& c) { c.proposals.emplace_back(GroupContextExtensions{}); });
  refuse_external_then_admit(erin, std::move(joined), bad, ErrorCode::invalid_external_commit,
                             "of type 7", t.all());
}

TEST(ExternalRulesReceived, ResyncRemovingAnotherClientsLeaf) {
  Trio t = trio_clients();
  make_trio(t);
  Client erin = Client::make(1, "erin");
  UNWRAP(gi, t.alice.g().group_info());
  UNWRAP(joined, Group::join_external(erin.identity, gi, t.config));
  Bytes gid = t.alice.g().group_id();
  // erin removes bob's leaf (1) and takes it: her leaf is signed for leaf 1.
  Bytes bad = reexternal(t.bob, erin.identity, joined.commit.commit, [&](Commit& c) {
    c.proposals.emplace_back(Remove{1});
    resign_path_leaf(c, erin.identity.signer(), gid, 1, [](LeafNode&) {});
  });
  refuse_external_then_admit(erin, std::move(joined), bad, ErrorCode::invalid_external_commit,
                             "another client", t.all());
}

TEST(ExternalRulesReceived, ResyncKeepingTheRemovedLeafsEncryptionKey) {
  Trio t = trio_clients();
  make_trio(t);
  UNWRAP(gi, t.alice.g().group_info());
  ExternalJoinOptions o;
  o.remove_prior = 1;
  UNWRAP(joined, Group::join_external(t.bob.identity, gi, t.config, o));
  Bytes gid = t.alice.g().group_id();
  Bytes old_key = leaf_key(t.alice, 1);
  Bytes bad = reexternal(t.alice, t.bob.identity, joined.commit.commit, [&](Commit& c) {
    resign_path_leaf(c, t.bob.identity.signer(), gid, 1,
                     [&](LeafNode& l) { l.encryption_key = old_key; });
  });
  refuse_external_then_admit(t.bob, std::move(joined), bad, ErrorCode::duplicate_key,
                             "removed leaf's encryption key", {&t.alice, &t.carol});
}

// --- §12.4.3.1 joining by Welcome ---------------------------------------------------------

// A Welcome of `gi` for `joiner`'s KeyPackage, made with a random joiner
// secret: it opens, and the checks after it are what the tests exercise.
Bytes craft_welcome(const GroupInfo& gi, Client& joiner,
                    const std::vector<PreSharedKeyID>& psks = {}, BytesView psk_secret = {},
                    const SecretBytes* path_secret = nullptr) {
  const auto& suite = joiner.identity.suite();
  auto joiner_secret = crypto::random_bytes(suite.hash_size());
  EXPECT_TRUE(joiner_secret);
  auto w = make_welcome(suite, *joiner_secret, psk_secret, psks, gi,
                        {{&joiner.key_package->key_package, path_secret}});
  EXPECT_TRUE(w) << w.error().describe();
  return codec::encode(framing::MLSMessage(std::move(*w)));
}

GroupInfo decode_group_info(const Bytes& bytes) {
  auto msg = codec::decode_all<framing::MLSMessage>(bytes);
  EXPECT_TRUE(msg);
  const GroupInfo* gi = msg->get<GroupInfo>();
  EXPECT_NE(gi, nullptr);
  return *gi;
}

// alice adds dave; `bad` is refused with `code`, then the real Welcome works.
class JoinRules : public ::testing::Test {
 protected:
  void SetUp() override {
    make_trio(t);
    CommitOptions o;
    o.add = {dave.new_key_package()};
    o.group_info = true;
    auto out = t.alice.g().commit(o);
    ASSERT_TRUE(out) << out.error().describe();
    commit = std::move(*out);
    ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, commit.commit));
    ASSERT_TRUE(commit.group_info);
    gi = decode_group_info(*commit.group_info);
  }
  void expect_refused_then_joined(const Bytes& bad, ErrorCode code,
                                  const std::string& fragment = "") {
    expect_error(status_of(Group::join(dave.identity, *dave.key_package, bad, t.config)), code,
                 fragment);
    UNWRAP(joined, Group::join(dave.identity, *dave.key_package, *commit.welcome, t.config));
    dave.group.emplace(std::move(joined));
    expect_agreement({&t.alice, &t.bob, &t.carol, &dave});
  }
  Trio t = trio_clients();
  Client dave = Client::make(1, "dave");
  CommitOutput commit;
  GroupInfo gi;
};

TEST_F(JoinRules, TheCraftedWelcomeOpensAndFailsOnlyAtTheConfirmationTag) {
  // The real GroupInfo, the wrong joiner secret: every check before the
  // confirmation tag passes (the tests below each break one of them).
  expect_refused_then_joined(craft_welcome(gi, dave), ErrorCode::bad_confirmation_tag);
}

TEST_F(JoinRules, WelcomeOfAnotherCipherSuite) {
  Client dave3 = Client::make(3, "dave");
  dave3.new_key_package();
  expect_error(
      status_of(Group::join(dave3.identity, *dave3.key_package, *commit.welcome, t.config)),
      ErrorCode::invalid_welcome, "Welcome of cipher suite");
  expect_refused_then_joined(commit.commit, ErrorCode::invalid_welcome, "not a Welcome");
}

TEST_F(JoinRules, PskTheJoinerLacks) {
  PreSharedKeyID id = PreSharedKeyID::external(to_bytes("unknown psk"), Bytes(32, 1));
  expect_refused_then_joined(craft_welcome(gi, dave, {id}, Bytes(32, 2)), ErrorCode::unknown_psk);
}

TEST_F(JoinRules, TwoReinitOrBranchPsks) {
  std::vector<PreSharedKeyID> ids = {
      PreSharedKeyID::resumption(ResumptionPSKUsage::reinit, to_bytes("a"), 1, Bytes(32, 1)),
      PreSharedKeyID::resumption(ResumptionPSKUsage::branch, to_bytes("b"), 1, Bytes(32, 2))};
  expect_refused_then_joined(craft_welcome(gi, dave, ids, Bytes(32, 3)), ErrorCode::invalid_welcome,
                             "more than one reinit/branch");
}

TEST_F(JoinRules, GroupInfoOfAnotherCipherSuite) {
  GroupInfo other = gi;
  other.group_context.cipher_suite = 3;
  expect_refused_then_joined(craft_welcome(other, dave), ErrorCode::invalid_welcome, "GroupInfo");
}

TEST_F(JoinRules, GroupInfoSignedByABlankLeaf) {
  GroupInfo other = gi;
  other.signer = 9;
  expect_refused_then_joined(craft_welcome(other, dave), ErrorCode::invalid_group_info,
                             "blank leaf");
}

TEST_F(JoinRules, GroupInfoWithABadSignature) {
  GroupInfo other = gi;
  other.signature.back() ^= 0x01;
  expect_refused_then_joined(craft_welcome(other, dave), ErrorCode::bad_signature);
}

TEST_F(JoinRules, TreeHashNotTheGroupInfos) {
  GroupInfo other = gi;
  other.group_context.tree_hash[0] ^= 0x01;
  expect_refused_then_joined(craft_welcome(other, dave), ErrorCode::tree_hash_mismatch);
}

TEST_F(JoinRules, TreeNotParentHashValid) {
  // §7.9.2 on joining: a parent node's key changed (and the GroupInfo's
  // tree hash and signature made to fit, as an insider could).
  auto nodes = codec::decode_all<std::vector<std::optional<tree::Node>>>(
      gi.extensions.find(extension_type::ratchet_tree)->extension_data);
  ASSERT_TRUE(nodes);
  bool changed = false;
  for (auto& n : *nodes) {
    if (n && std::holds_alternative<tree::ParentNode>(n->value) && !changed) {
      std::get<tree::ParentNode>(n->value).encryption_key =
          st(t.alice).suite().hpke_generate()->public_key;
      changed = true;
    }
  }
  ASSERT_TRUE(changed);
  GroupInfo other = gi;
  Bytes encoded = codec::encode(*nodes);
  other.extensions.set(Extension{extension_type::ratchet_tree, encoded});
  auto tree = tree::RatchetTree::decode(st(t.alice).suite(), encoded);
  ASSERT_TRUE(tree);
  other.group_context.tree_hash = tree->root_hash();
  ASSERT_OK(other.sign(t.alice.identity.signer()));
  expect_refused_then_joined(craft_welcome(other, dave), ErrorCode::parent_hash_mismatch);
}

TEST_F(JoinRules, OurLeafIsNotInTheTree) {
  // A validly signed GroupInfo and tree, which do not hold eve's leaf.
  Client eve = Client::make(1, "eve");
  eve.new_key_package();
  expect_error(
      status_of(Group::join(eve.identity, *eve.key_package, craft_welcome(gi, eve), t.config)),
      ErrorCode::invalid_welcome, "our KeyPackage's leaf is not in the tree");
  UNWRAP(joined, Group::join(dave.identity, *dave.key_package, *commit.welcome, t.config));
  dave.group.emplace(std::move(joined));
  expect_agreement({&t.alice, &t.bob, &t.carol, &dave});
}

TEST_F(JoinRules, PathSecretNotMatchingTheTree) {
  SecretBytes wrong(Bytes(32, 0x5a));
  expect_refused_then_joined(craft_welcome(gi, dave, {}, {}, &wrong),
                             ErrorCode::public_key_mismatch);
}

// §12.4.3.1 on resumption: Welcomes with a reinit or branch PSK of the old
// group (bob's), checked against it.
class ResumedJoinRules : public ::testing::Test {
 protected:
  void SetUp() override { make_trio(t); }
  // psk_secret of one resumption PSK of t's group at `epoch`, in `suite`.
  static Bytes secret_of(const crypto::CipherSuite& suite, const PreSharedKeyID& id,
                         const SecretBytes& psk) {
    std::vector<SecretBytes> psks;
    psks.push_back(psk.clone());
    auto s = schedule::psk_secret(suite, std::span(&id, 1), psks);
    EXPECT_TRUE(s);
    return s->expose();
  }
  Status join_resumed(Client& joiner, const GroupInfo& info, ResumptionPSKUsage usage,
                      uint64_t epoch) {
    PreSharedKeyID id =
        PreSharedKeyID::resumption(usage, t.bob.g().group_id(), epoch, Bytes(32, 9));
    Bytes secret = secret_of(joiner.identity.suite(), id, t.bob.g().resumption_psk());
    Bytes welcome = craft_welcome(info, joiner, {id}, secret);
    return status_of(Group::join(joiner.identity, *joiner.key_package, welcome, t.config,
                                 std::nullopt, &t.bob.g()));
  }
  Trio t = trio_clients();
};

TEST_F(ResumedJoinRules, NotAtEpochOne) {
  UNWRAP(out, t.alice.g().commit());
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
  Client dave = Client::make(1, "dave");
  dave.new_key_package();
  UNWRAP(info, t.alice.g().group_info());  // epoch 2
  expect_error(join_resumed(dave, decode_group_info(info), ResumptionPSKUsage::branch, 2),
               ErrorCode::invalid_resumption, "epoch 1");
}

TEST_F(ResumedJoinRules, ReinitPskWithoutAReInit) {
  Client dave = Client::make(1, "dave");
  dave.new_key_package();
  UNWRAP(info, t.alice.g().group_info());  // epoch 1, no ReInit committed
  expect_error(join_resumed(dave, decode_group_info(info), ResumptionPSKUsage::reinit, 1),
               ErrorCode::invalid_resumption, "had no ReInit");
}

TEST_F(ResumedJoinRules, NewGroupNotMatchingTheReInit) {
  UNWRAP(prop, t.alice.g().propose_reinit(ReInitParams{to_bytes("g2"), kMls10, 1, {}}));
  deliver_proposal({&t.bob, &t.carol}, prop);
  UNWRAP(out, t.alice.g().commit());
  ASSERT_TRUE(deliver_commit(t.alice, {&t.bob, &t.carol}, out.commit));
  // Another group at epoch 1, whose id is not "g2".
  Trio other = trio_clients();
  make_trio(other);
  Client dave = Client::make(1, "dave");
  dave.new_key_package();
  UNWRAP(info, other.alice.g().group_info());
  expect_error(join_resumed(dave, decode_group_info(info), ResumptionPSKUsage::reinit, 2),
               ErrorCode::invalid_reinit, "does not match the ReInit");
}

TEST_F(ResumedJoinRules, BranchIntoAnotherCipherSuite) {
  Trio other = trio_clients(3);
  make_trio(other);
  Client dave = Client::make(3, "dave");
  dave.new_key_package();
  UNWRAP(info, other.alice.g().group_info());
  expect_error(join_resumed(dave, decode_group_info(info), ResumptionPSKUsage::branch, 1),
               ErrorCode::invalid_resumption, "another version or cipher suite");
}

}  // namespace
}  // namespace mls::test
