// Members of test groups, and the check every scenario step ends with: all
// members agree on the epoch, the epoch authenticator and an exported secret.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "mls/group.h"

namespace mls::test {

#define ASSERT_OK(expr)                                                          \
  do {                                                                           \
    auto&& ok_r_ = (expr);                                                       \
    ASSERT_TRUE(ok_r_.has_value()) << #expr << ": " << ok_r_.error().describe(); \
  } while (0)

// Unwraps a Result in a test, failing it (and returning) on error.
#define UNWRAP(var, expr)                                                            \
  auto var##_r_ = (expr);                                                            \
  ASSERT_TRUE(var##_r_.has_value()) << #expr << ": " << var##_r_.error().describe(); \
  auto var = std::move(*var##_r_)

inline GroupConfig test_config(HandshakeFormat format = HandshakeFormat::public_message) {
  GroupConfig c;
  c.handshake = format;
  c.credentials = std::make_shared<AcceptAllCredentials>();
  return c;
}

struct Client {
  std::string name;
  Identity identity;
  std::optional<KeyPackageBundle> key_package;
  std::optional<Group> group;

  static Client make(uint16_t suite, std::string name) {
    auto id = Identity::generate(suite, Credential::basic(to_bytes(name)));
    EXPECT_TRUE(id) << id.error().describe();
    return Client{std::move(name), std::move(*id), std::nullopt, std::nullopt};
  }
  const KeyPackage& new_key_package() {
    auto kp = identity.make_key_package();
    EXPECT_TRUE(kp) << kp.error().describe();
    key_package.emplace(std::move(*kp));
    return key_package->key_package;
  }
  Group& g() { return *group; }
};

// Everyone in `members` is at the same epoch with the same secrets.
inline void expect_agreement(const std::vector<Client*>& members) {
  ASSERT_FALSE(members.empty());
  Group& first = members[0]->g();
  auto exported = first.export_secret("mlscpp test", to_bytes("context"), 32);
  ASSERT_TRUE(exported) << exported.error().describe();
  for (Client* c : members) {
    Group& g = c->g();
    EXPECT_TRUE(g.active()) << c->name;
    EXPECT_EQ(g.epoch(), first.epoch()) << c->name;
    EXPECT_EQ(g.epoch_authenticator(), first.epoch_authenticator()) << c->name;
    auto e = g.export_secret("mlscpp test", to_bytes("context"), 32);
    ASSERT_TRUE(e) << e.error().describe();
    EXPECT_EQ(*e, *exported) << c->name;
    EXPECT_EQ(g.context(), first.context()) << c->name;
    EXPECT_EQ(g.members().size(), members.size()) << c->name;
  }
}

// `from` sends a message; every other member of `to` decrypts it.
inline void expect_message(Client& from, const std::vector<Client*>& to, const std::string& text) {
  auto ct = from.g().protect(to_bytes(text), to_bytes("aad"));
  ASSERT_TRUE(ct) << ct.error().describe();
  for (Client* c : to) {
    if (c == &from) continue;
    auto got = c->g().process(*ct);
    ASSERT_TRUE(got) << c->name << ": " << got.error().describe();
    auto* app = std::get_if<ApplicationMessage>(&*got);
    ASSERT_NE(app, nullptr) << c->name;
    EXPECT_EQ(app->data, to_bytes(text));
    EXPECT_EQ(app->authenticated_data, to_bytes("aad"));
    EXPECT_EQ(app->sender, from.g().own_leaf());
  }
}

// Every member of `others` processes `msg` (a commit) and merges it; the
// committer merges its pending commit. Returns the effects the receivers saw.
inline std::optional<CommitEffects> deliver_commit(Client& committer,
                                                   const std::vector<Client*>& others,
                                                   const Bytes& msg) {
  std::optional<CommitEffects> effects;
  for (Client* c : others) {
    auto got = c->g().process(msg);
    EXPECT_TRUE(got) << c->name << ": " << got.error().describe();
    if (!got) return std::nullopt;
    auto* staged = std::get_if<StagedCommit>(&*got);
    EXPECT_NE(staged, nullptr);
    if (staged == nullptr) return std::nullopt;
    effects = staged->effects();
    auto merged = c->g().merge(std::move(*staged));
    EXPECT_TRUE(merged) << c->name << ": " << merged.error().describe();
  }
  auto merged = committer.g().merge_pending_commit();
  EXPECT_TRUE(merged) << merged.error().describe();
  return effects;
}

// Each member of `to` processes a proposal message and caches it.
inline void deliver_proposal(const std::vector<Client*>& to, const Bytes& msg) {
  for (Client* c : to) {
    auto got = c->g().process(msg);
    ASSERT_TRUE(got) << c->name << ": " << got.error().describe();
    ASSERT_NE(std::get_if<CachedProposal>(&*got), nullptr) << c->name;
  }
}

}  // namespace mls::test
