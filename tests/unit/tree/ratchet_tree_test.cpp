// The public ratchet tree: shape, the ratchet_tree encoding, proposals
// applied through a TreeDiff, and what a diff costs (RFC 9420 §4, §7.7, §7.8,
// §12.1, §12.4.3.3).
#include <gtest/gtest.h>

#include "tree/tree_diff.h"
#include "tree_builder.h"

namespace mls::tree {
namespace {

crypto::CipherSuite suite1() { return crypto::CipherSuite::get(1).value(); }

LeafNode fresh_leaf(const crypto::CipherSuite& suite, uint32_t i) {
  auto enc = suite.hpke_generate().value();
  auto sig = suite.signature_generate().value();
  LeafNode leaf = testing::member_leaf(suite, i, enc.public_key, sig.public_key);
  leaf.leaf_node_source = LeafNodeSource::key_package;
  leaf.lifetime = Lifetime{0, ~uint64_t(0)};
  return leaf;
}

TEST(RatchetTree, CreateHasOneMember) {
  auto suite = suite1();
  auto tree = RatchetTree::create(suite, fresh_leaf(suite, 0)).value();
  EXPECT_EQ(tree.leaf_count().value, 1u);
  EXPECT_EQ(tree.member_count(), 1u);
  EXPECT_EQ(tree.root_hash().size(), suite.hash_size());
  EXPECT_EQ(tree.resolution(NodeIndex(0)), std::vector<NodeIndex>{NodeIndex(0)});
}

TEST(RatchetTree, EncodingStripsAndRestoresTrailingBlanks) {
  auto suite = suite1();
  auto built = testing::build_tree(suite, 5);  // 8 leaves, 3 blank at the end
  auto tree = testing::to_tree(suite, built);
  EXPECT_EQ(tree.leaf_count().value, 8u);
  Bytes wire = tree.encode();
  auto nodes = codec::decode_all<std::vector<std::optional<Node>>>(wire).value();
  EXPECT_EQ(nodes.size(), 9u);  // up to leaf 4, node 8
  ASSERT_TRUE(nodes.back().has_value());
  auto again = RatchetTree::decode(suite, wire).value();
  EXPECT_EQ(again.leaf_count().value, 8u);
  EXPECT_EQ(again.root_hash(), tree.root_hash());
  EXPECT_EQ(again.encode(), wire);
}

TEST(RatchetTree, RejectsMalformedEncodings) {
  auto suite = suite1();
  auto tree = testing::to_tree(suite, testing::build_tree(suite, 3));
  Bytes wire = tree.encode();

  Bytes truncated(wire.begin(), wire.end() - 1);
  EXPECT_EQ(RatchetTree::decode(suite, truncated).error().code, ErrorCode::truncated);

  Bytes overlong = wire;
  overlong.push_back(0);
  EXPECT_EQ(RatchetTree::decode(suite, overlong).error().code, ErrorCode::trailing_data);

  auto nodes = codec::decode_all<std::vector<std::optional<Node>>>(wire).value();
  auto ends_blank = nodes;
  ends_blank.emplace_back();
  ends_blank.emplace_back();
  EXPECT_EQ(RatchetTree::decode(suite, codec::encode(ends_blank)).error().code,
            ErrorCode::invalid_tree);

  auto swapped = nodes;
  std::swap(swapped[0], swapped[1]);  // a parent at a leaf position
  EXPECT_EQ(RatchetTree::decode(suite, codec::encode(swapped)).error().code,
            ErrorCode::invalid_tree);

  EXPECT_EQ(
      RatchetTree::decode(suite, codec::encode(std::vector<std::optional<Node>>{})).error().code,
      ErrorCode::invalid_tree);
}

TEST(RatchetTree, ATreeEndingInAParentIsPaddedToCoverIt) {
  auto suite = suite1();
  std::vector<std::optional<Node>> nodes(2);
  nodes[0] = Node{fresh_leaf(suite, 0)};
  nodes[1] = Node{ParentNode{suite.hpke_generate().value().public_key, {}, {}}};
  auto tree = RatchetTree::from_nodes(suite, nodes).value();
  EXPECT_EQ(tree.leaf_count().value, 2u);
  EXPECT_NE(tree.parent_node(NodeIndex(1)), nullptr);
  EXPECT_EQ(tree.encode(), codec::encode(nodes));
}

TEST(RatchetTree, ResolutionAndFilteredDirectPathFollowTheRfcExample) {
  // §4.1.2, Figure 6: A B _ _ E F G _, with T, X, Y and the root W set and
  // U, V, Z blank: leaves 0,1,4,5,6; parents 1 (T), 9 (X), 11 (Y), 7 (W).
  auto suite = suite1();
  std::vector<std::optional<Node>> nodes(15);
  for (uint32_t i : {0u, 1u, 4u, 5u, 6u}) nodes[2 * i] = Node{fresh_leaf(suite, i)};
  for (uint32_t x : {1u, 7u, 9u, 11u}) {
    nodes[x] = Node{ParentNode{suite.hpke_generate().value().public_key, {}, {}}};
  }
  nodes.resize(13);
  auto tree = RatchetTree::from_nodes(suite, nodes).value();
  auto path_nodes = [&](uint32_t leaf) {
    std::vector<uint32_t> out;
    for (auto s : tree.filtered_direct_path(LeafIndex(leaf))) out.push_back(s.node.value);
    return out;
  };
  EXPECT_EQ(path_nodes(0), (std::vector<uint32_t>{1, 7}));      // A: T, W
  EXPECT_EQ(path_nodes(4), (std::vector<uint32_t>{9, 11, 7}));  // E: X, Y, W
  EXPECT_EQ(path_nodes(6), (std::vector<uint32_t>{11, 7}));     // G: Y, W
  EXPECT_EQ(tree.resolution(NodeIndex(3)), (std::vector<NodeIndex>{NodeIndex(1)}));
  EXPECT_EQ(tree.resolution(NodeIndex(13)), (std::vector<NodeIndex>{NodeIndex(12)}));
  EXPECT_EQ(tree.resolution(NodeIndex(7)), (std::vector<NodeIndex>{NodeIndex(7)}));
  EXPECT_EQ(tree.resolution(NodeIndex(5)), std::vector<NodeIndex>{});
  EXPECT_EQ(tree.leftmost_blank_leaf(), LeafIndex(2));
  EXPECT_EQ(tree.rightmost_occupied_leaf(), LeafIndex(6));
}

TEST(TreeDiff, AddGoesLeftmostAndIsUnmergedAboveAndExtends) {
  auto suite = suite1();
  auto tree = testing::to_tree(suite, testing::build_tree(suite, 4));
  TreeDiff diff(tree);
  LeafIndex added = diff.add_leaf(fresh_leaf(suite, 4));
  EXPECT_EQ(added, LeafIndex(4));
  EXPECT_EQ(diff.leaf_count().value, 8u);  // extended
  // The new root is blank, so leaf 4 is unmerged nowhere yet.
  EXPECT_EQ(diff.parent_node(NodeIndex(7)), nullptr);
  ASSERT_TRUE(tree.merge(std::move(diff)));
  EXPECT_EQ(tree.leaf_count().value, 8u);
  EXPECT_EQ(tree.member_count(), 5u);

  auto again = RatchetTree::decode(suite, tree.encode()).value();
  EXPECT_EQ(again.root_hash(), tree.root_hash()) << "cached hashes equal a full rehash";
}

TEST(TreeDiff, AddedLeafIsUnmergedAtNonBlankAncestors) {
  // Five members in eight leaves: the root is set, nodes 9 and 11 blank.
  auto suite = suite1();
  auto tree = testing::to_tree(suite, testing::build_tree(suite, 5));
  ASSERT_NE(tree.parent_node(NodeIndex(7)), nullptr);
  TreeDiff diff(tree);
  EXPECT_EQ(diff.add_leaf(fresh_leaf(suite, 5)), LeafIndex(5));
  EXPECT_EQ(diff.add_leaf(fresh_leaf(suite, 6)), LeafIndex(6));
  EXPECT_EQ(diff.parent_node(NodeIndex(7))->unmerged_leaves,
            (std::vector<LeafIndex>{LeafIndex(5), LeafIndex(6)}));
  EXPECT_EQ(diff.resolution(NodeIndex(7)),
            (std::vector<NodeIndex>{NodeIndex(7), NodeIndex(10), NodeIndex(12)}));
  ASSERT_TRUE(tree.merge(std::move(diff)));
  auto again = RatchetTree::decode(suite, tree.encode()).value();
  EXPECT_EQ(again.root_hash(), tree.root_hash()) << "cached hashes equal a full rehash";
}

TEST(TreeDiff, RemoveTruncatesAndAddExtendsAgain) {
  auto suite = suite1();
  auto tree = testing::to_tree(suite, testing::build_tree(suite, 5));
  TreeDiff diff(tree);
  ASSERT_TRUE(diff.remove_leaf(LeafIndex(4)));
  EXPECT_EQ(diff.leaf_count().value, 4u);
  // Adding again extends; the discarded half must come back blank.
  EXPECT_EQ(diff.add_leaf(fresh_leaf(suite, 7)), LeafIndex(4));
  EXPECT_EQ(diff.leaf_count().value, 8u);
  EXPECT_EQ(diff.parent_node(NodeIndex(7)), nullptr);
  Bytes hash = diff.root_hash();
  ASSERT_TRUE(tree.merge(std::move(diff)));
  EXPECT_EQ(tree.root_hash(), hash);
  auto again = RatchetTree::decode(suite, tree.encode()).value();
  EXPECT_EQ(again.root_hash(), tree.root_hash());

  TreeDiff shrink(tree);
  ASSERT_TRUE(shrink.remove_leaf(LeafIndex(4)));
  ASSERT_TRUE(shrink.remove_leaf(LeafIndex(3)));
  EXPECT_EQ(shrink.leaf_count().value, 4u);
  ASSERT_TRUE(tree.merge(std::move(shrink)));
  EXPECT_EQ(tree.leaf_count().value, 4u);
  EXPECT_EQ(RatchetTree::decode(suite, tree.encode()).value().root_hash(), tree.root_hash());
}

TEST(TreeDiff, DroppingADiffChangesNothing) {
  auto suite = suite1();
  auto tree = testing::to_tree(suite, testing::build_tree(suite, 6));
  Bytes before = tree.root_hash();
  Bytes wire = tree.encode();
  {
    TreeDiff diff(tree);
    ASSERT_TRUE(diff.remove_leaf(LeafIndex(2)));
    diff.add_leaf(fresh_leaf(suite, 9));
    EXPECT_NE(diff.root_hash(), before);
  }
  EXPECT_EQ(tree.root_hash(), before);
  EXPECT_EQ(tree.encode(), wire);
}

TEST(TreeDiff, StaleDiffIsRefused) {
  auto suite = suite1();
  auto tree = testing::to_tree(suite, testing::build_tree(suite, 4));
  TreeDiff first(tree), second(tree);
  ASSERT_TRUE(first.remove_leaf(LeafIndex(3)));
  ASSERT_TRUE(second.remove_leaf(LeafIndex(2)));
  ASSERT_TRUE(tree.merge(std::move(first)));
  EXPECT_EQ(tree.merge(std::move(second)).error().code, ErrorCode::usage);
}

TEST(TreeDiff, RemovingABlankLeafIsRejected) {
  auto suite = suite1();
  auto tree = testing::to_tree(suite, testing::build_tree(suite, 3));
  TreeDiff diff(tree);
  EXPECT_EQ(diff.remove_leaf(LeafIndex(3)).error().code, ErrorCode::invalid_sender);
  EXPECT_EQ(diff.update_leaf(LeafIndex(3), fresh_leaf(suite, 3)).error().code,
            ErrorCode::invalid_sender);
}

TEST(TreeDiff, KeyLookupsSeeTheDiff) {
  auto suite = suite1();
  auto built = testing::build_tree(suite, 4);
  auto tree = testing::to_tree(suite, built);
  const Bytes& key2 = built.leaf_keys[2].public_key;
  EXPECT_EQ(tree.find_encryption_key(key2), NodeIndex(4));
  EXPECT_EQ(tree.find_signature_key(built.signature_keys[3].public_key), LeafIndex(3));
  TreeDiff diff(tree);
  ASSERT_TRUE(diff.remove_leaf(LeafIndex(2)));
  EXPECT_EQ(diff.find_encryption_key(key2), std::nullopt);
  LeafNode again = fresh_leaf(suite, 2);
  again.encryption_key = key2;
  diff.add_leaf(again);
  EXPECT_EQ(diff.find_encryption_key(key2), NodeIndex(4));
}

TEST(TreeDiff, AChangeTouchesOnlyItsPath) {
  // One Update on a tree of 1,024 members replaces one leaf and blanks ten
  // parents; the diff holds those and re-hashes only them (§7.8, O(log N)).
  auto suite = suite1();
  auto tree = testing::to_tree(suite, testing::build_tree(suite, 1024));
  TreeDiff diff(tree);
  ASSERT_TRUE(diff.update_leaf(LeafIndex(517), fresh_leaf(suite, 517)));
  EXPECT_EQ(diff.changed_nodes(), 11u);
  Bytes hash = diff.root_hash();
  ASSERT_TRUE(tree.merge(std::move(diff)));
  EXPECT_EQ(tree.root_hash(), hash);
  EXPECT_EQ(RatchetTree::decode(suite, tree.encode()).value().root_hash(), hash);
}

}  // namespace
}  // namespace mls::tree
