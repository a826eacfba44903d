// GREASE (RFC 9420 §13.5): what we send carries GREASE values in every field
// §13.5 allows them in, what we receive ignores them; and last-resort
// KeyPackages (the last_resort extension, 0x000A), which may be used twice.
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <set>

#include "codec/codec.h"
#include "framing/mls_message.h"
#include "helpers.h"
#include "messages/key_package.h"
#include "tree/ratchet_tree.h"

namespace mls::test {
namespace {

constexpr uint16_t kSuite = 1;

size_t count_grease(const std::vector<uint16_t>& list) {
  return static_cast<size_t>(std::ranges::count_if(list, [](uint16_t v) { return is_grease(v); }));
}

std::vector<uint16_t> grease_types(const ExtensionList& list) {
  std::vector<uint16_t> out;
  for (const auto& e : list.entries) {
    if (is_grease(e.extension_type)) out.push_back(e.extension_type);
  }
  return out;
}

bool lists(const std::vector<uint16_t>& list, uint16_t v) {
  return std::ranges::find(list, v) != list.end();
}

// What §13.5 asks of a leaf we made: GREASE in the four capability lists
// (never in versions), a GREASE extension listed in its capabilities (§7.2),
// and a credential of a real type.
void expect_greased_leaf(const LeafNode& leaf, const std::string& who) {
  const Capabilities& caps = leaf.capabilities;
  EXPECT_GE(count_grease(caps.cipher_suites), 1u) << who;
  EXPECT_GE(count_grease(caps.extensions), 1u) << who;
  EXPECT_GE(count_grease(caps.proposals), 1u) << who;
  EXPECT_GE(count_grease(caps.credentials), 1u) << who;
  EXPECT_EQ(count_grease(caps.versions), 0u) << who;
  EXPECT_EQ(caps.versions, std::vector<uint16_t>{kMls10}) << who;
  // Each list names a value once.
  for (const auto* list :
       {&caps.cipher_suites, &caps.extensions, &caps.proposals, &caps.credentials}) {
    EXPECT_EQ(std::set<uint16_t>(list->begin(), list->end()).size(), list->size()) << who;
  }
  // The real values are still there.
  EXPECT_TRUE(lists(caps.cipher_suites, kSuite)) << who;
  EXPECT_TRUE(lists(caps.credentials, static_cast<uint16_t>(CredentialType::basic))) << who;
  EXPECT_FALSE(is_grease(static_cast<uint16_t>(leaf.credential.type()))) << who;

  auto types = grease_types(leaf.extensions);
  ASSERT_EQ(types.size(), 1u) << who;
  EXPECT_TRUE(lists(caps.extensions, types[0])) << who;
}

// The GREASE values a KeyPackage carries, for telling two apart.
std::vector<uint16_t> grease_fingerprint(const KeyPackage& kp) {
  std::vector<uint16_t> out;
  const Capabilities& c = kp.leaf_node.capabilities;
  for (const auto* list : {&c.cipher_suites, &c.extensions, &c.proposals, &c.credentials}) {
    for (uint16_t v : *list) {
      if (is_grease(v)) out.push_back(v);
    }
    out.push_back(0);  // separator
  }
  for (uint16_t t : grease_types(kp.leaf_node.extensions)) out.push_back(t);
  out.push_back(0);
  for (uint16_t t : grease_types(kp.extensions)) out.push_back(t);
  return out;
}

// The leaf at `index` of `g`'s tree as every member sees it.
std::optional<LeafNode> leaf_in_tree(const Group& g, uint32_t index) {
  auto t = tree::RatchetTree::decode(g.suite(), g.ratchet_tree());
  EXPECT_TRUE(t) << t.error().describe();
  if (!t) return std::nullopt;
  const LeafNode* leaf = t->leaf_node(tree::LeafIndex(index));
  EXPECT_NE(leaf, nullptr);
  if (leaf == nullptr) return std::nullopt;
  return *leaf;
}

// (a) The KeyPackages we make, decoded from the wire, carry GREASE in every
// list §13.5 names, and validate as a receiver checks them.
TEST(Grease, KeyPackagesWeMakeCarryGrease) {
  Client alice = Client::make(kSuite, "alice");
  UNWRAP(bundle, alice.identity.make_key_package());
  Bytes wire = codec::encode(framing::MLSMessage(bundle.key_package));
  UNWRAP(msg, codec::decode_all<framing::MLSMessage>(wire));
  const KeyPackage* kp = msg.get<KeyPackage>();
  ASSERT_NE(kp, nullptr);
  EXPECT_EQ(*kp, bundle.key_package);
  ASSERT_OK(kp->validate(alice.identity.suite()));

  expect_greased_leaf(kp->leaf_node, "key package leaf");
  auto kp_types = grease_types(kp->extensions);
  ASSERT_EQ(kp_types.size(), 1u);
  // §10: the KeyPackage's extensions are listed in the leaf's capabilities.
  EXPECT_TRUE(lists(kp->leaf_node.capabilities.extensions, kp_types[0]));
  EXPECT_FALSE(kp->extensions.has(extension_type::last_resort));

  // capabilities() itself carries GREASE in the four lists, not in versions.
  Capabilities caps = alice.identity.capabilities();
  EXPECT_GE(count_grease(caps.cipher_suites), 1u);
  EXPECT_GE(count_grease(caps.extensions), 1u);
  EXPECT_GE(count_grease(caps.proposals), 1u);
  EXPECT_GE(count_grease(caps.credentials), 1u);
  EXPECT_EQ(count_grease(caps.versions), 0u);
}

// (a) The choice is random: twenty KeyPackages do not all carry the same
// GREASE values (all equal by chance has probability far below 2^-60).
TEST(Grease, GreaseDiffersBetweenKeyPackages) {
  Client alice = Client::make(kSuite, "alice");
  std::set<std::vector<uint16_t>> seen;
  std::vector<Bytes> kp_data;
  for (int i = 0; i < 20; ++i) {
    UNWRAP(bundle, alice.identity.make_key_package());
    seen.insert(grease_fingerprint(bundle.key_package));
    const Extension* e =
        bundle.key_package.extensions.find(grease_types(bundle.key_package.extensions).at(0));
    ASSERT_NE(e, nullptr);
    kp_data.push_back(e->extension_data);
  }
  EXPECT_GT(seen.size(), 1u);
  // The extension data is random too (and of random length).
  EXPECT_TRUE(std::ranges::any_of(kp_data, [&](const Bytes& d) { return d != kp_data[0]; }));
}

// (a) and (b): a group of members whose KeyPackages carry GREASE lives
// through create, add, join, messages, an Update and a path commit; every
// leaf in the tree (key_package, update and commit leaves) still carries it.
TEST(Grease, GroupWithGreasedMembersWorks) {
  for (HandshakeFormat format :
       {HandshakeFormat::public_message, HandshakeFormat::private_message}) {
    SCOPED_TRACE(format == HandshakeFormat::public_message ? "public" : "private");
    GroupConfig config = test_config(format);
    Client alice = Client::make(kSuite, "alice");
    Client bob = Client::make(kSuite, "bob");
    Client carol = Client::make(kSuite, "carol");

    UNWRAP(created, Group::create(alice.identity, config));
    alice.group.emplace(std::move(created));
    auto creator_leaf = leaf_in_tree(alice.g(), 0);
    ASSERT_TRUE(creator_leaf);
    expect_greased_leaf(*creator_leaf, "creator");

    CommitOptions add;
    add.add = {bob.new_key_package(), carol.new_key_package()};
    expect_greased_leaf(bob.key_package->key_package.leaf_node, "bob's key package");
    UNWRAP(out, alice.g().commit(add));
    ASSERT_TRUE(out.welcome);
    ASSERT_OK(alice.g().merge_pending_commit());
    for (Client* c : {&bob, &carol}) {
      UNWRAP(joined, Group::join(c->identity, *c->key_package, *out.welcome, config));
      c->group.emplace(std::move(joined));
    }
    std::vector<Client*> all{&alice, &bob, &carol};
    expect_agreement(all);
    for (uint32_t i = 0; i < 3; ++i) {
      auto leaf = leaf_in_tree(bob.g(), i);
      ASSERT_TRUE(leaf);
      expect_greased_leaf(*leaf, "leaf " + std::to_string(i));
    }
    expect_message(alice, all, "hello");
    expect_message(carol, all, "hi");

    // Bob's Update proposal, committed by alice.
    UNWRAP(upd, bob.g().propose_update());
    deliver_proposal({&alice, &carol}, upd);
    UNWRAP(c2, alice.g().commit());
    auto effects = deliver_commit(alice, {&bob, &carol}, c2.commit);
    ASSERT_TRUE(effects);
    EXPECT_EQ(effects->updated, (std::vector<uint32_t>{1}));
    expect_agreement(all);
    auto bob_leaf = leaf_in_tree(carol.g(), 1);
    ASSERT_TRUE(bob_leaf);
    EXPECT_EQ(bob_leaf->leaf_node_source, LeafNodeSource::update);
    expect_greased_leaf(*bob_leaf, "bob after update");

    // Carol's path-only commit.
    UNWRAP(c3, carol.g().commit());
    EXPECT_TRUE(c3.effects.has_path);
    ASSERT_TRUE(deliver_commit(carol, {&alice, &bob}, c3.commit));
    expect_agreement(all);
    auto carol_leaf = leaf_in_tree(alice.g(), 2);
    ASSERT_TRUE(carol_leaf);
    EXPECT_EQ(carol_leaf->leaf_node_source, LeafNodeSource::commit);
    expect_greased_leaf(*carol_leaf, "carol after commit");
    expect_message(bob, all, "after the updates");
  }
}

// (c) A KeyPackage made by another client, with many GREASE values in every
// list §13.5 allows and GREASE extensions in both extension lists: the
// group adds it and the joiner joins.
TEST(Grease, ForeignKeyPackageWithGreaseIsAccepted) {
  GroupConfig config = test_config();
  Client alice = Client::make(kSuite, "alice");
  Client bob = Client::make(kSuite, "bob");
  UNWRAP(created, Group::create(alice.identity, config));
  alice.group.emplace(std::move(created));

  const std::vector<uint16_t> all_grease = {0x0A0A, 0x1A1A, 0x2A2A, 0x3A3A, 0x4A4A,
                                            0x5A5A, 0x6A6A, 0x7A7A, 0x8A8A, 0x9A9A,
                                            0xAAAA, 0xBABA, 0xCACA, 0xDADA, 0xEAEA};
  for (uint16_t v : all_grease) ASSERT_TRUE(is_grease(v)) << v;
  Capabilities caps;
  caps.versions = {kMls10};
  // GREASE before, between and after the real values.
  caps.cipher_suites = {0x2A2A, kSuite, 0xEAEA, 0x0A0A};
  caps.extensions = all_grease;
  caps.proposals = {0xBABA, 0x1A1A};
  caps.credentials = {0xCACA, static_cast<uint16_t>(CredentialType::basic), 0x9A9A};

  ExtensionList leaf_extensions;
  leaf_extensions.set(Extension{0x3A3A, to_bytes("leaf grease")});
  leaf_extensions.set(Extension{0x4A4A, {}});
  ExtensionList extensions;
  extensions.set(Extension{0x5A5A, Bytes(300, 0x5a)});
  extensions.set(Extension{0xEAEA, {}});
  uint64_t now = static_cast<uint64_t>(std::time(nullptr));
  UNWRAP(bundle,
         make_key_package(bob.identity.suite(), bob.identity.signer(), bob.identity.credential(),
                          caps, Lifetime{now - 60, now + 3600}, leaf_extensions, extensions));
  // make_key_package kept them all.
  EXPECT_EQ(bundle.key_package.leaf_node.capabilities.extensions, all_grease);
  EXPECT_EQ(bundle.key_package.extensions.entries.size(), 2u);
  EXPECT_EQ(bundle.key_package.leaf_node.extensions.entries.size(), 2u);
  ASSERT_OK(bundle.key_package.validate(bob.identity.suite()));

  // Through the wire, as a KeyPackage arrives from a delivery service.
  Bytes wire = codec::encode(framing::MLSMessage(bundle.key_package));
  UNWRAP(msg, codec::decode_all<framing::MLSMessage>(wire));
  ASSERT_NE(msg.get<KeyPackage>(), nullptr);
  EXPECT_EQ(*msg.get<KeyPackage>(), bundle.key_package);

  CommitOptions add;
  add.add = {*msg.get<KeyPackage>()};
  UNWRAP(out, alice.g().commit(add));
  ASSERT_TRUE(out.welcome);
  EXPECT_EQ(out.effects.added, (std::vector<uint32_t>{1}));
  ASSERT_OK(alice.g().merge_pending_commit());
  UNWRAP(joined, Group::join(bob.identity, bundle, *out.welcome, config));
  bob.group.emplace(std::move(joined));
  std::vector<Client*> both{&alice, &bob};
  expect_agreement(both);
  expect_message(bob, both, "greased and in");

  // Bob's leaf in the tree is his KeyPackage's, GREASE and all.
  auto bob_leaf = leaf_in_tree(alice.g(), 1);
  ASSERT_TRUE(bob_leaf);
  EXPECT_EQ(*bob_leaf, bundle.key_package.leaf_node);

  // A member can still add and commit around him (his GREASE-laden leaf is
  // checked again in every later validation).
  Client carol = Client::make(kSuite, "carol");
  CommitOptions add2;
  add2.add = {carol.new_key_package()};
  UNWRAP(out2, bob.g().commit(add2));
  ASSERT_TRUE(out2.welcome);
  ASSERT_TRUE(deliver_commit(bob, {&alice}, out2.commit));
  UNWRAP(joined2, Group::join(carol.identity, *carol.key_package, *out2.welcome, config));
  carol.group.emplace(std::move(joined2));
  std::vector<Client*> all{&alice, &bob, &carol};
  expect_agreement(all);
}

// (c) Also by proposal: a greased KeyPackage in an Add proposal is cached by
// the other members and committed by reference.
TEST(Grease, GreasedKeyPackageInAddProposal) {
  GroupConfig config = test_config();
  Client alice = Client::make(kSuite, "alice");
  Client bob = Client::make(kSuite, "bob");
  Client carol = Client::make(kSuite, "carol");
  UNWRAP(created, Group::create(alice.identity, config));
  alice.group.emplace(std::move(created));
  CommitOptions add;
  add.add = {bob.new_key_package()};
  UNWRAP(out, alice.g().commit(add));
  ASSERT_OK(alice.g().merge_pending_commit());
  UNWRAP(joined, Group::join(bob.identity, *bob.key_package, *out.welcome, config));
  bob.group.emplace(std::move(joined));

  UNWRAP(prop, bob.g().propose_add(carol.new_key_package()));
  EXPECT_GE(grease_types(carol.key_package->key_package.extensions).size(), 1u);
  deliver_proposal({&alice}, prop);
  UNWRAP(c, alice.g().commit());
  ASSERT_TRUE(c.welcome);
  ASSERT_TRUE(deliver_commit(alice, {&bob}, c.commit));
  UNWRAP(joined2, Group::join(carol.identity, *carol.key_package, *c.welcome, config));
  carol.group.emplace(std::move(joined2));
  expect_agreement({&alice, &bob, &carol});
}

// What we receive: GREASE extensions in a GroupInfo (§12.4.3: unknown
// GroupInfo extensions are ignored) do not stop an external join.
TEST(Grease, GroupInfoWithGreaseExtensionsIsAccepted) {
  GroupConfig config = test_config();
  Client alice = Client::make(kSuite, "alice");
  Client bob = Client::make(kSuite, "bob");
  UNWRAP(created, Group::create(alice.identity, config));
  alice.group.emplace(std::move(created));

  UNWRAP(gi_bytes, alice.g().group_info());
  UNWRAP(msg, codec::decode_all<framing::MLSMessage>(gi_bytes));
  GroupInfo* gi = msg.get<GroupInfo>();
  ASSERT_NE(gi, nullptr);
  size_t before = gi->extensions.entries.size();
  // Three GREASE types the GroupInfo does not carry yet (its own GREASE
  // extension has a random type).
  std::vector<uint16_t> unused;
  for (uint8_t r = 0; r < 15 && unused.size() < 3; ++r) {
    if (gi->extensions.find(grease_value(r)) == nullptr) unused.push_back(grease_value(r));
  }
  ASSERT_EQ(unused.size(), 3u);
  // At the front and at the back of the list, one empty, one with data.
  gi->extensions.entries.insert(gi->extensions.entries.begin(), Extension{unused[0], {}});
  gi->extensions.set(Extension{unused[1], Bytes(64, 0xda)});
  ASSERT_EQ(gi->extensions.entries.size(), before + 2);
  ASSERT_OK(gi->sign(alice.identity.signer()));  // alice is leaf 0, the signer
  Bytes greased = codec::encode(msg);
  ASSERT_NE(greased, gi_bytes);

  UNWRAP(ext, Group::join_external(bob.identity, greased, config));
  bob.group.emplace(std::move(ext.group));
  auto got = alice.g().process(ext.commit.commit);
  ASSERT_TRUE(got) << got.error().describe();
  auto* staged = std::get_if<StagedCommit>(&*got);
  ASSERT_NE(staged, nullptr);
  ASSERT_OK(alice.g().merge(std::move(*staged)));
  std::vector<Client*> both{&alice, &bob};
  expect_agreement(both);
  expect_message(alice, both, "welcome by GroupInfo");

  // The signature still guards it: a GroupInfo changed after signing fails.
  gi->extensions.set(Extension{unused[2], {}});
  Client carol = Client::make(kSuite, "carol");
  EXPECT_FALSE(Group::join_external(carol.identity, codec::encode(msg), config));
}

// (d) last_resort: marked on request only, listed in the leaf's
// capabilities (§10), with the usual GREASE beside it.
TEST(LastResort, ExtensionOnlyWhenAsked) {
  Client bob = Client::make(kSuite, "bob");
  UNWRAP(plain, bob.identity.make_key_package());
  UNWRAP(last, bob.identity.make_key_package(std::nullopt, /*last_resort=*/true));
  EXPECT_FALSE(plain.key_package.extensions.has(extension_type::last_resort));
  EXPECT_FALSE(
      lists(plain.key_package.leaf_node.capabilities.extensions, extension_type::last_resort));

  // Through the wire.
  UNWRAP(decoded, codec::decode_all<KeyPackage>(codec::encode(last.key_package)));
  const Extension* e = decoded.extensions.find(extension_type::last_resort);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->extension_type, 0x000A);
  EXPECT_TRUE(e->extension_data.empty());
  EXPECT_TRUE(lists(decoded.leaf_node.capabilities.extensions, extension_type::last_resort));
  EXPECT_EQ(grease_types(decoded.extensions).size(), 1u);
  ASSERT_OK(decoded.validate(bob.identity.suite()));
}

// (d) A last-resort KeyPackage is added to two groups, and its owner joins
// both with the one KeyPackageBundle.
TEST(LastResort, SameKeyPackageJoinsTwoGroups) {
  GroupConfig config = test_config();
  Client alice = Client::make(kSuite, "alice");
  Client dave = Client::make(kSuite, "dave");
  Client bob = Client::make(kSuite, "bob");
  Client bob2 = Client{"bob (second group)", bob.identity, std::nullopt, std::nullopt};
  UNWRAP(bundle, bob.identity.make_key_package(std::nullopt, /*last_resort=*/true));
  ASSERT_TRUE(bundle.key_package.extensions.has(extension_type::last_resort));

  UNWRAP(g1, Group::create(alice.identity, config));
  alice.group.emplace(std::move(g1));
  UNWRAP(g2, Group::create(dave.identity, config));
  dave.group.emplace(std::move(g2));
  ASSERT_NE(alice.g().group_id(), dave.g().group_id());

  CommitOptions add;
  add.add = {bundle.key_package};
  UNWRAP(out1, alice.g().commit(add));
  ASSERT_OK(alice.g().merge_pending_commit());
  UNWRAP(out2, dave.g().commit(add));
  ASSERT_OK(dave.g().merge_pending_commit());
  ASSERT_TRUE(out1.welcome);
  ASSERT_TRUE(out2.welcome);

  UNWRAP(joined1, Group::join(bob.identity, bundle, *out1.welcome, config));
  bob.group.emplace(std::move(joined1));
  UNWRAP(joined2, Group::join(bob2.identity, bundle, *out2.welcome, config));
  bob2.group.emplace(std::move(joined2));

  expect_agreement({&alice, &bob});
  expect_agreement({&dave, &bob2});
  EXPECT_NE(bob.g().group_id(), bob2.g().group_id());
  EXPECT_NE(bob.g().epoch_authenticator(), bob2.g().epoch_authenticator());
  expect_message(bob, {&alice, &bob}, "in group one");
  expect_message(bob2, {&dave, &bob2}, "in group two");

  // Both groups move on independently: each member's first path commit
  // replaces the shared leaf key in its own group.
  UNWRAP(c1, bob.g().commit());
  ASSERT_TRUE(deliver_commit(bob, {&alice}, c1.commit));
  UNWRAP(c2, bob2.g().commit());
  ASSERT_TRUE(deliver_commit(bob2, {&dave}, c2.commit));
  expect_agreement({&alice, &bob});
  expect_agreement({&dave, &bob2});
}

}  // namespace
}  // namespace mls::test
