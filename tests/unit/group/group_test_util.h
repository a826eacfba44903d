// Internal access and shared fixtures for the group's validation tests:
// a three-member group, a snapshot that proves a group did not move, and
// error expectations.
#pragma once

#include <gtest/gtest.h>

#include "group/state.h"
#include "helpers.h"

namespace mls::group_detail {
struct TestAccess {
  static GroupState& state(Group& g) { return *g.state_; }
};
}  // namespace mls::group_detail

namespace mls::test {

using group_detail::ResolvedProposal;
using group_detail::TestAccess;

// alice (leaf 0), bob (1), carol (2), in one suite.
struct Trio {
  Client alice, bob, carol;
  GroupConfig config;
  std::vector<Client*> all() { return {&alice, &bob, &carol}; }
};

inline void make_trio(Trio& t, uint16_t suite = 1,
               HandshakeFormat format = HandshakeFormat::public_message) {
  t.config = t.config.credentials ? t.config : test_config(format);
  UNWRAP(created, Group::create(t.alice.identity, t.config));
  t.alice.group.emplace(std::move(created));
  CommitOptions add;
  add.add = {t.bob.new_key_package(), t.carol.new_key_package()};
  UNWRAP(out, t.alice.g().commit(add));
  ASSERT_OK(t.alice.g().merge_pending_commit());
  for (Client* c : {&t.bob, &t.carol}) {
    UNWRAP(joined, Group::join(c->identity, *c->key_package, *out.welcome, t.config));
    c->group.emplace(std::move(joined));
  }
  (void)suite;
}

inline Trio trio_clients(uint16_t suite = 1) {
  return Trio{Client::make(suite, "alice"), Client::make(suite, "bob"),
              Client::make(suite, "carol"), GroupConfig{}};
}

// The group did not move: same epoch, authenticator, no pending commit.
struct Snapshot {
  uint64_t epoch;
  Bytes authenticator;
  bool pending;
  size_t members;
  explicit Snapshot(const Group& g)
      : epoch(g.epoch()),
        authenticator(g.epoch_authenticator().expose()),
        pending(g.has_pending_commit()),
        members(g.members().size()) {}
  void expect_same(const Group& g) const {
    EXPECT_EQ(g.epoch(), epoch);
    EXPECT_EQ(g.epoch_authenticator().expose(), authenticator);
    EXPECT_EQ(g.has_pending_commit(), pending);
    EXPECT_EQ(g.members().size(), members);
  }
};

inline void expect_error(const Status& s, ErrorCode code, const std::string& fragment = "") {
  ASSERT_FALSE(s.has_value()) << "expected " << to_string(code);
  EXPECT_EQ(s.error().code, code) << s.error().describe();
  if (!fragment.empty()) {
    EXPECT_NE(s.error().message.find(fragment), std::string::npos) << s.error().describe();
  }
}

template <typename T>
Status status_of(const Result<T>& r) {
  if (r) return {};
  return tl::unexpected(r.error());
}

}  // namespace mls::test
