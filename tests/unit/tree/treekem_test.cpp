// TreeKEM (RFC 9420 §7.4–§7.7): members committing with UpdatePaths, every
// other member processing them, joiners implanting their path secret, and
// damaged UpdatePaths rejected with the tree left as it was.
#include "tree/treekem.h"

#include <gtest/gtest.h>

#include "crypto/labeled.h"
#include "tree/validation.h"
#include "tree_builder.h"

namespace mls::tree {
namespace {

using testing::context_for;

// A group's public tree and each member's private state, driven by the tree
// API alone, as the group layer will drive it.
class Group {
 public:
  explicit Group(crypto::CipherSuite suite) : suite_(std::move(suite)) {
    auto [leaf, enc, sig] = new_member(0);
    tree_.emplace(RatchetTree::create(suite_, leaf).value());
    members_.emplace(0u, Member{std::move(sig), PrivateTree(LeafIndex(0), std::move(enc))});
  }

  const RatchetTree& tree() const { return *tree_; }
  const crypto::CipherSuite& suite() const { return suite_; }
  const PrivateTree& priv(uint32_t i) const { return members_.at(i).priv; }
  const crypto::SignatureKeyPair& signature_key(uint32_t i) const { return members_.at(i).sig; }
  size_t size() const { return members_.size(); }

  // `committer` removes `removed`, adds `adds` new members and sends an
  // UpdatePath; everyone processes it. Returns the commit secret.
  SecretBytes commit(uint32_t committer, std::vector<uint32_t> removed, int adds) {
    struct Joiner {
      LeafNode leaf;
      crypto::HpkeKeyPair enc;
      crypto::SignatureKeyPair sig;
    };
    std::vector<Joiner> joiners;
    for (int k = 0; k < adds; ++k) {
      auto [leaf, enc, sig] = new_member(next_id_++);
      joiners.push_back({std::move(leaf), std::move(enc), std::move(sig)});
    }
    auto apply_proposals = [&](TreeDiff& diff) {
      for (uint32_t r : removed) EXPECT_TRUE(diff.remove_leaf(LeafIndex(r)));
      std::vector<LeafIndex> at;
      for (const auto& j : joiners) at.push_back(diff.add_leaf(j.leaf));
      return at;
    };

    TreeDiff diff(*tree_);
    std::vector<LeafIndex> joined = apply_proposals(diff);
    auto& me = members_.at(committer);
    crypto::PrivateKeySigner signer(suite_, {me.sig.private_key.clone(), me.sig.public_key});
    auto prepared =
        prepare_update_path(diff, LeafIndex(committer), fresh_leaf_secret(suite_).value(),
                            *tree_->leaf_node(LeafIndex(committer)), signer, group_id_)
            .value();
    Bytes ctx = context_for(diff.root_hash());
    UpdatePath path = prepared.encrypt(diff, ctx, joined).value();

    std::map<uint32_t, PathKeys> received;
    for (auto& [i, m] : members_) {
      if (i == committer || std::count(removed.begin(), removed.end(), i) != 0) continue;
      TreeDiff theirs(*tree_);
      apply_proposals(theirs);
      Status merged = merge_update_path(theirs, LeafIndex(committer), path);
      EXPECT_TRUE(merged) << merged.error().describe();
      EXPECT_EQ(theirs.root_hash(), diff.root_hash());
      auto got = decrypt_update_path(theirs, m.priv, LeafIndex(committer), path,
                                     context_for(theirs.root_hash()), joined);
      EXPECT_TRUE(got) << "member " << i << ": " << got.error().describe();
      if (!got) continue;
      EXPECT_EQ(got->commit_secret, prepared.commit_secret) << "member " << i;
      received.emplace(i, std::move(got->keys));
    }

    EXPECT_TRUE(tree_->merge(std::move(diff)));
    me.priv.merge(*tree_, std::move(prepared.keys));
    for (auto& [i, keys] : received) members_.at(i).priv.merge(*tree_, std::move(keys));
    for (uint32_t r : removed) members_.erase(r);
    for (size_t k = 0; k < joiners.size(); ++k) {
      PrivateTree priv(joined[k], std::move(joiners[k].enc));
      const SecretBytes* secret = prepared.path_secret_for(joined[k]);
      EXPECT_NE(secret, nullptr);
      NodeIndex lca = common_ancestor(NodeIndex(joined[k]), NodeIndex(LeafIndex(committer)));
      auto commit_secret = priv.implant(*tree_, lca, *secret);
      EXPECT_TRUE(commit_secret);
      EXPECT_EQ(*commit_secret, prepared.commit_secret);
      members_.emplace(joined[k].value, Member{std::move(joiners[k].sig), std::move(priv)});
    }
    return std::move(prepared.commit_secret);
  }

  // Every member's private state matches the tree, holds keys only on its
  // own direct path, and the tree validates as a joiner would check it.
  void expect_consistent() const {
    for (const auto& [i, m] : members_) {
      EXPECT_TRUE(m.priv.check_consistent(*tree_)) << "member " << i;
      EXPECT_LE(m.priv.size(),
                direct_path(NodeIndex(LeafIndex(i)), tree_->leaf_count()).size() + 1);
    }
    AcceptAllCredentials accept;
    TreeValidationParams params;
    params.group_id = group_id_;
    params.credentials = &accept;
    Status s = validate_tree(*tree_, params);
    EXPECT_TRUE(s) << s.error().describe();
    EXPECT_EQ(RatchetTree::decode(suite_, tree_->encode()).value().root_hash(), tree_->root_hash());
  }

 private:
  struct Member {
    crypto::SignatureKeyPair sig;
    PrivateTree priv;
  };
  std::tuple<LeafNode, crypto::HpkeKeyPair, crypto::SignatureKeyPair> new_member(uint32_t id) {
    auto enc = suite_.hpke_generate().value();
    auto sig = suite_.signature_generate().value();
    LeafNode leaf = testing::member_leaf(suite_, id, enc.public_key, sig.public_key);
    leaf.leaf_node_source = LeafNodeSource::key_package;
    leaf.lifetime = Lifetime{0, ~uint64_t(0)};
    crypto::PrivateKeySigner signer(suite_, {sig.private_key.clone(), sig.public_key});
    EXPECT_TRUE(leaf.sign(signer));
    return {std::move(leaf), std::move(enc), std::move(sig)};
  }

  crypto::CipherSuite suite_;
  Bytes group_id_ = to_bytes("treekem test group");
  std::optional<RatchetTree> tree_;
  std::map<uint32_t, Member> members_;
  uint32_t next_id_ = 1;
};

class TreeKemAllSuites : public ::testing::TestWithParam<uint16_t> {};

TEST_P(TreeKemAllSuites, MembersAgreeThroughAddsUpdatesAndRemoves) {
  Group g(crypto::CipherSuite::get(GetParam()).value());
  g.commit(0, {}, 1);  // 0 adds 1
  g.expect_consistent();
  g.commit(1, {}, 2);  // 1 adds 2, 3
  g.expect_consistent();
  g.commit(2, {}, 0);  // 2 updates its path
  g.expect_consistent();
  g.commit(0, {3}, 3);  // 0 removes 3, adds three (one at leaf 3, two extend)
  g.expect_consistent();
  g.commit(5, {}, 0);
  g.expect_consistent();
  g.commit(4, {1, 2}, 1);  // leaves blanks inside, unmerged leaves above
  g.expect_consistent();
  g.commit(3, {}, 0);
  g.expect_consistent();
  EXPECT_EQ(g.size(), 5u);
}

INSTANTIATE_TEST_SUITE_P(Suites, TreeKemAllSuites, ::testing::Values(1, 2, 3, 4, 5, 6, 7));

TEST(TreeKem, GrowingGroupLikeTheVectorTrees) {
  // get_tree(n) of test-vectors.md: leaf i commits adding member i+1.
  Group g(crypto::CipherSuite::get(1).value());
  for (uint32_t i = 0; i < 12; ++i) g.commit(i, {}, 1);
  g.expect_consistent();
  EXPECT_EQ(g.tree().leaf_count().value, 16u);
}

TEST(TreeKem, OldKeysAreDroppedWhenReplaced) {
  Group g(crypto::CipherSuite::get(1).value());
  g.commit(0, {}, 3);
  Bytes old_root_key = *g.tree().encryption_key(g.tree().root());
  ASSERT_NE(g.priv(3).key_for(g.tree(), g.tree().root()), nullptr);
  g.commit(1, {}, 0);
  EXPECT_NE(*g.tree().encryption_key(g.tree().root()), old_root_key);
  const auto* kp = g.priv(3).key_for(g.tree(), g.tree().root());
  ASSERT_NE(kp, nullptr);
  EXPECT_EQ(kp->public_key, *g.tree().encryption_key(g.tree().root()));
  // Leaf 3 never holds node 1's key: node 1 is not its ancestor.
  EXPECT_EQ(g.priv(3).key_for(g.tree(), NodeIndex(1)), nullptr);
  g.expect_consistent();
}

// --- damaged UpdatePaths ------------------------------------------------------------

class BadPath : public ::testing::Test {
 protected:
  void SetUp() override {
    suite_ = crypto::CipherSuite::get(1).value();
    built_ = testing::build_tree(*suite_, 8);
    tree_.emplace(testing::to_tree(*suite_, built_));
    // Leaf 0 commits; leaf 1 (its sibling) decrypts at node 1, leaf 5 at the root.
    TreeDiff diff(*tree_);
    crypto::PrivateKeySigner signer(*suite_, {built_.signature_keys[0].private_key.clone(),
                                              built_.signature_keys[0].public_key});
    prepared_.emplace(prepare_update_path(diff, LeafIndex(0), fresh_leaf_secret(*suite_).value(),
                                          *tree_->leaf_node(LeafIndex(0)), signer, built_.group_id)
                          .value());
    ctx_ = context_for(diff.root_hash());
    path_ = prepared_->encrypt(diff, ctx_, {}).value();
    hash_before_ = tree_->root_hash();
  }
  PrivateTree member(uint32_t i) {
    PrivateTree priv(LeafIndex(i),
                     {built_.leaf_keys[i].private_key.clone(), built_.leaf_keys[i].public_key});
    PathKeys keys;
    for (NodeIndex x : direct_path(NodeIndex(LeafIndex(i)), tree_->leaf_count())) {
      const auto& kp = built_.parent_keys.at(x.value);
      keys.keys[x.value] = {kp.private_key.clone(), kp.public_key};
    }
    priv.merge(*tree_, std::move(keys));
    return priv;
  }
  // Processes `path` as leaf i would; the caller's tree must not change.
  ErrorCode process(const UpdatePath& path, uint32_t i) {
    TreeDiff diff(*tree_);
    PrivateTree priv = member(i);
    size_t keys_before = priv.size();
    ErrorCode code = ErrorCode::internal;
    if (Status s = merge_update_path(diff, LeafIndex(0), path); !s) {
      code = s.error().code;
      EXPECT_EQ(diff.changed_nodes(), 0u) << "a rejected path leaves the diff as it was";
    } else if (auto d = decrypt_update_path(diff, priv, LeafIndex(0), path,
                                            context_for(diff.root_hash()), {});
               !d) {
      code = d.error().code;
    }
    EXPECT_EQ(tree_->root_hash(), hash_before_);
    EXPECT_EQ(tree_->version(), 0u);
    EXPECT_EQ(priv.size(), keys_before);
    return code;
  }

  std::optional<crypto::CipherSuite> suite_;
  testing::BuiltTree built_;
  std::optional<RatchetTree> tree_;
  std::optional<PreparedPath> prepared_;
  Bytes ctx_, hash_before_;
  UpdatePath path_;
};

TEST_F(BadPath, TheUndamagedPathIsAccepted) {
  EXPECT_EQ(process(path_, 1), ErrorCode::internal);  // i.e. no error
  EXPECT_EQ(process(path_, 5), ErrorCode::internal);
}

TEST_F(BadPath, WrongNumberOfNodes) {
  UpdatePath fewer = path_;
  fewer.nodes.pop_back();
  EXPECT_EQ(process(fewer, 5), ErrorCode::invalid_path);
  UpdatePath more = path_;
  more.nodes.push_back(more.nodes.back());
  EXPECT_EQ(process(more, 5), ErrorCode::invalid_path);
}

TEST_F(BadPath, CiphertextCountNotTheResolutionSize) {
  UpdatePath extra = path_;
  extra.nodes[0].encrypted_path_secret.push_back(extra.nodes[0].encrypted_path_secret[0]);
  EXPECT_EQ(process(extra, 1), ErrorCode::invalid_path);
}

TEST_F(BadPath, CiphertextForTheWrongNode) {
  // Node 1's ciphertext (to leaf 1) put where the root's (to node 11) goes.
  UpdatePath swapped = path_;
  std::swap(swapped.nodes[0].encrypted_path_secret, swapped.nodes[2].encrypted_path_secret);
  EXPECT_EQ(process(swapped, 5), ErrorCode::decryption_failed);
  EXPECT_EQ(process(swapped, 1), ErrorCode::decryption_failed);
}

TEST_F(BadPath, PathSecretNotMatchingThePublicKeys) {
  // A committer that encrypts another secret than the one its keys come from.
  UpdatePath lying = path_;
  SecretBytes other = fresh_leaf_secret(*suite_).value();
  lying.nodes[0].encrypted_path_secret[0] =
      crypto::encrypt_with_label(*suite_, built_.leaf_keys[1].public_key, "UpdatePathNode", ctx_,
                                 other)
          .value();
  EXPECT_EQ(process(lying, 1), ErrorCode::public_key_mismatch);
}

TEST_F(BadPath, PublicKeyChangedBreaksTheLeafParentHash) {
  UpdatePath changed = path_;
  changed.nodes[1].encryption_key = suite_->hpke_generate().value().public_key;
  EXPECT_EQ(process(changed, 5), ErrorCode::parent_hash_mismatch);
}

TEST_F(BadPath, LeafNotFromACommit) {
  UpdatePath wrong = path_;
  wrong.leaf_node.leaf_node_source = LeafNodeSource::update;
  EXPECT_EQ(process(wrong, 5), ErrorCode::invalid_leaf_node);
}

TEST_F(BadPath, PublicKeyAlreadyInTheTree) {
  UpdatePath reused = path_;
  reused.nodes[2].encryption_key = built_.parent_keys.at(11).public_key;
  EXPECT_EQ(process(reused, 5), ErrorCode::duplicate_key);
  UpdatePath same_leaf_key = path_;
  same_leaf_key.leaf_node.encryption_key = built_.leaf_keys[0].public_key;
  EXPECT_EQ(process(same_leaf_key, 5), ErrorCode::duplicate_key);
}

TEST_F(BadPath, GeneratingTouchesOnlyThePath) {
  TreeDiff diff(*tree_);
  crypto::PrivateKeySigner signer(
      *suite_, {built_.signature_keys[6].private_key.clone(), built_.signature_keys[6].public_key});
  auto p = prepare_update_path(diff, LeafIndex(6), fresh_leaf_secret(*suite_).value(),
                               *tree_->leaf_node(LeafIndex(6)), signer, built_.group_id);
  ASSERT_TRUE(p);
  EXPECT_EQ(diff.changed_nodes(), 4u);  // the leaf and three parents
  EXPECT_EQ(p->keys.keys.size(), 4u);
  EXPECT_EQ(tree_->root_hash(), hash_before_);
}

}  // namespace
}  // namespace mls::tree

namespace mls::tree {
namespace {

TEST_F(BadPath, OwnPendingUpdateNeedsTheNewLeafKey) {
  // Leaf 5 sent an Update; leaf 0 commits it with a path. Leaf 5's new leaf
  // key is the only one left under it (the Update blanked its path), so it
  // decrypts with a staged private state that holds the new key.
  auto enc = suite_->hpke_generate().value();
  LeafNode updated = *tree_->leaf_node(LeafIndex(5));
  updated.encryption_key = enc.public_key;
  updated.leaf_node_source = LeafNodeSource::update;

  TreeDiff committer(*tree_);
  ASSERT_TRUE(committer.update_leaf(LeafIndex(5), updated));
  crypto::PrivateKeySigner signer(
      *suite_, {built_.signature_keys[0].private_key.clone(), built_.signature_keys[0].public_key});
  auto prepared = prepare_update_path(committer, LeafIndex(0), fresh_leaf_secret(*suite_).value(),
                                      *tree_->leaf_node(LeafIndex(0)), signer, built_.group_id)
                      .value();
  auto path = prepared.encrypt(committer, context_for(committer.root_hash()), {}).value();

  TreeDiff theirs(*tree_);
  ASSERT_TRUE(theirs.update_leaf(LeafIndex(5), updated));
  ASSERT_TRUE(merge_update_path(theirs, LeafIndex(0), path));
  Bytes ctx = context_for(theirs.root_hash());
  PrivateTree old_state = member(5);
  EXPECT_EQ(decrypt_update_path(theirs, old_state, LeafIndex(0), path, ctx, {}).error().code,
            ErrorCode::invalid_path);
  PrivateTree staged = old_state.clone();
  PathKeys new_leaf;
  new_leaf.keys[NodeIndex(LeafIndex(5)).value] = {enc.private_key.clone(), enc.public_key};
  staged.merge(theirs, std::move(new_leaf));
  auto got = decrypt_update_path(theirs, staged, LeafIndex(0), path, ctx, {});
  ASSERT_TRUE(got) << got.error().describe();
  EXPECT_EQ(got->commit_secret, prepared.commit_secret);
  EXPECT_GT(old_state.size(), staged.size()) << "the staged state dropped the blanked path";
}

TEST_F(BadPath, ExternalJoinerCommitsFromTheFreeLeaf) {
  // A full tree: the joiner's leaf comes from extending it (§12.4.3.2).
  auto sig = suite_->signature_generate().value();
  crypto::PrivateKeySigner signer(*suite_, {sig.private_key.clone(), sig.public_key});
  TreeDiff joiner(*tree_);
  LeafIndex at = joiner.free_leaf();
  EXPECT_EQ(at, LeafIndex(8));
  auto prepared = prepare_update_path(joiner, at, fresh_leaf_secret(*suite_).value(),
                                      testing::member_leaf(*suite_, 8, {}, sig.public_key), signer,
                                      built_.group_id)
                      .value();
  auto path = prepared.encrypt(joiner, context_for(joiner.root_hash()), {}).value();
  ASSERT_EQ(path.nodes.size(), 1u);  // only the new root has a non-empty copath child

  TreeDiff member_view(*tree_);
  ASSERT_EQ(member_view.free_leaf(), at);
  ASSERT_TRUE(merge_update_path(member_view, at, path));
  EXPECT_EQ(member_view.root_hash(), joiner.root_hash());
  auto got = decrypt_update_path(member_view, member(3), at, path,
                                 context_for(member_view.root_hash()), {});
  ASSERT_TRUE(got) << got.error().describe();
  EXPECT_EQ(got->commit_secret, prepared.commit_secret);
}

TEST(TreeKem, ManyUnmergedLeavesStayValidAndCheap) {
  // 65 members in 128 leaves, then 63 more added without a path: each new
  // leaf is unmerged at the root, whose parent-hash check must still pass.
  auto suite = crypto::CipherSuite::get(1).value();
  auto built = testing::build_tree(suite, 65);
  auto tree = testing::to_tree(suite, built);
  TreeDiff diff(tree);
  for (uint32_t i = 65; i < 128; ++i) {
    auto enc = suite.hpke_generate().value();
    auto sig = suite.signature_generate().value();
    LeafNode leaf = testing::member_leaf(suite, i, enc.public_key, sig.public_key);
    leaf.leaf_node_source = LeafNodeSource::key_package;
    leaf.lifetime = Lifetime{0, ~uint64_t(0)};
    leaf.signature =
        crypto::sign_with_label(suite, sig.private_key, "LeafNodeTBS", leaf.to_be_signed({}, 0))
            .value();
    ASSERT_EQ(diff.add_leaf(std::move(leaf)), LeafIndex(i));
  }
  ASSERT_TRUE(tree.merge(std::move(diff)));
  EXPECT_EQ(tree.parent_node(tree.root())->unmerged_leaves.size(), 63u);
  EXPECT_EQ(tree.resolution(NodeIndex(191)).size(), 64u);
  AcceptAllCredentials accept;
  TreeValidationParams params;
  params.group_id = built.group_id;
  params.credentials = &accept;
  Status s = validate_tree(RatchetTree::decode(suite, tree.encode()).value(), params);
  EXPECT_TRUE(s) << s.error().describe();
}

}  // namespace
}  // namespace mls::tree
