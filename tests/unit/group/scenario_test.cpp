// A group's life in every cipher suite and both handshake encodings: create,
// add two members in one commit, messages both ways, updates (by proposal and
// by an empty commit), a removal; after each step all members agree on the
// epoch authenticator and an exported secret.
#include <gtest/gtest.h>

#include "helpers.h"

namespace mls::test {
namespace {

struct Param {
  uint16_t suite;
  HandshakeFormat format;
};

class Scenario : public ::testing::TestWithParam<Param> {};

TEST_P(Scenario, CreateAddMessageUpdateRemove) {
  const auto [suite, format] = GetParam();
  GroupConfig config = test_config(format);
  Client alice = Client::make(suite, "alice");
  Client bob = Client::make(suite, "bob");
  Client carol = Client::make(suite, "carol");

  UNWRAP(created, Group::create(alice.identity, config));
  alice.group.emplace(std::move(created));
  EXPECT_EQ(alice.g().epoch(), 0u);
  EXPECT_EQ(alice.g().members().size(), 1u);

  // Two Adds in one commit, by value; one Welcome for both.
  CommitOptions add;
  add.add = {bob.new_key_package(), carol.new_key_package()};
  UNWRAP(out, alice.g().commit(add));
  ASSERT_TRUE(out.welcome);
  EXPECT_EQ(out.effects.added, (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(alice.g().epoch(), 0u);  // staged until merged
  ASSERT_OK(alice.g().merge_pending_commit());
  for (Client* c : {&bob, &carol}) {
    UNWRAP(joined, Group::join(c->identity, *c->key_package, *out.welcome, config));
    c->group.emplace(std::move(joined));
  }
  std::vector<Client*> all{&alice, &bob, &carol};
  expect_agreement(all);
  EXPECT_EQ(bob.g().own_leaf(), 1u);
  EXPECT_EQ(carol.g().own_leaf(), 2u);

  expect_message(alice, all, "hello from alice");
  expect_message(bob, all, "hello from bob");
  expect_message(carol, all, "hello from carol");

  // Bob proposes an Update; alice commits it by reference.
  UNWRAP(upd, bob.g().propose_update());
  deliver_proposal({&alice, &carol}, upd);
  UNWRAP(c2, alice.g().commit());
  auto effects = deliver_commit(alice, {&bob, &carol}, c2.commit);
  ASSERT_TRUE(effects);
  EXPECT_EQ(effects->updated, (std::vector<uint32_t>{1}));
  expect_agreement(all);
  expect_message(bob, all, "bob after his update");

  // Carol updates by committing with no proposals (a path only).
  UNWRAP(c3, carol.g().commit());
  EXPECT_TRUE(c3.effects.has_path);
  ASSERT_TRUE(deliver_commit(carol, {&alice, &bob}, c3.commit));
  expect_agreement(all);
  expect_message(alice, all, "epoch 3");

  // Bob proposes to remove carol; alice commits; carol learns she is out.
  UNWRAP(rm, bob.g().propose_remove(2));
  deliver_proposal({&alice, &carol}, rm);
  UNWRAP(c4, alice.g().commit());
  UNWRAP(at_carol, carol.g().process(c4.commit));
  auto* staged = std::get_if<StagedCommit>(&at_carol);
  ASSERT_NE(staged, nullptr);
  EXPECT_TRUE(staged->effects().removes_us);
  ASSERT_EQ(staged->effects().removed.size(), 1u);
  EXPECT_EQ(staged->effects().removed[0].leaf_index, 2u);
  ASSERT_OK(carol.g().merge(std::move(*staged)));
  EXPECT_FALSE(carol.g().active());
  ASSERT_TRUE(deliver_commit(alice, {&bob}, c4.commit));
  std::vector<Client*> remaining{&alice, &bob};
  expect_agreement(remaining);
  expect_message(bob, remaining, "carol is gone");
  expect_message(alice, remaining, "yes");
  EXPECT_EQ(alice.g().epoch(), 4u);
}

std::vector<Param> all_params() {
  std::vector<Param> out;
  for (uint16_t s : crypto::kAllCipherSuites) {
    out.push_back({s, HandshakeFormat::public_message});
    out.push_back({s, HandshakeFormat::private_message});
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(AllSuites, Scenario, ::testing::ValuesIn(all_params()), [](const auto& p) {
  return "suite" + std::to_string(p.param.suite) +
         (p.param.format == HandshakeFormat::public_message ? "_public" : "_private");
});

}  // namespace
}  // namespace mls::test
