// Tree math against an independent, naive model: a full binary tree built
// explicitly, with left/right/parent found by walking it.
#include <gtest/gtest.h>

#include <map>

#include "tree/tree_math.h"

namespace mls::tree {
namespace {

// The in-order (array) index layout, built recursively: a subtree over
// leaves [lo, hi) is rooted at node lo + hi - 1 (in node indices 2*lo ..
// 2*hi - 2). Independent of the bit tricks under test.
struct Model {
  std::map<uint32_t, uint32_t> left, right, parent;
  uint32_t root = 0;
  uint32_t build(uint32_t lo, uint32_t hi) {  // leaves [lo, hi)
    if (hi - lo == 1) return 2 * lo;
    uint32_t mid = (lo + hi) / 2;
    uint32_t l = build(lo, mid), r = build(mid, hi);
    uint32_t me = (2 * lo + 2 * hi - 2) / 2;
    left[me] = l;
    right[me] = r;
    parent[l] = me;
    parent[r] = me;
    return me;
  }
  explicit Model(uint32_t n) { root = build(0, n); }
};

class TreeMathExhaustive : public ::testing::TestWithParam<uint32_t> {};

TEST_P(TreeMathExhaustive, MatchesModel) {
  uint32_t n_leaves = GetParam();
  LeafCount n(n_leaves);
  Model m(n_leaves);
  ASSERT_EQ(node_width(n), 2 * n_leaves - 1);
  ASSERT_EQ(root(n).value, m.root);
  for (uint32_t i = 0; i < node_width(n); ++i) {
    NodeIndex x(i);
    if (m.left.count(i)) {
      EXPECT_EQ(left(x)->value, m.left[i]);
      EXPECT_EQ(right(x)->value, m.right[i]);
    } else {
      EXPECT_FALSE(left(x));
      EXPECT_FALSE(right(x));
      EXPECT_TRUE(x.is_leaf());
    }
    if (m.parent.count(i)) {
      uint32_t p = m.parent[i];
      EXPECT_EQ(parent(x, n)->value, p);
      uint32_t sib = m.left[p] == i ? m.right[p] : m.left[p];
      EXPECT_EQ(sibling(x, n)->value, sib);
    } else {
      EXPECT_FALSE(parent(x, n));
      EXPECT_FALSE(sibling(x, n));
    }
    // Direct path and copath, leaf to root.
    auto dp = direct_path(x, n);
    auto cp = copath(x, n);
    ASSERT_EQ(dp.size(), cp.size());
    uint32_t cur = i;
    for (size_t k = 0; k < dp.size(); ++k) {
      uint32_t p = m.parent[cur];
      EXPECT_EQ(dp[k].value, p);
      EXPECT_EQ(cp[k].value, m.left[p] == cur ? m.right[p] : m.left[p]);
      EXPECT_TRUE(is_in_subtree(x, dp[k]));
      cur = p;
    }
    EXPECT_EQ(cur, m.root);
  }
  // The common ancestor of two leaves is the first shared node of their paths.
  for (uint32_t a = 0; a < n_leaves; ++a) {
    for (uint32_t b = 0; b < n_leaves; ++b) {
      NodeIndex xa(LeafIndex{a}), xb(LeafIndex{b});
      auto pa = direct_path(xa, n);
      pa.insert(pa.begin(), xa);
      NodeIndex want = xa;
      for (auto node : pa) {
        if (is_in_subtree(xb, node)) {
          want = node;
          break;
        }
      }
      EXPECT_EQ(common_ancestor(xa, xb), want) << a << "," << b;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(FullTrees, TreeMathExhaustive,
                         ::testing::Values(1u, 2u, 4u, 8u, 16u, 32u, 64u));

TEST(TreeMath, OutsideTheTreeHasNoParent) {
  EXPECT_FALSE(parent(NodeIndex(7), LeafCount(4)));
  EXPECT_FALSE(sibling(NodeIndex(100), LeafCount(4)));
}

TEST(TreeMath, FullRoundsUpToPowersOfTwo) {
  EXPECT_EQ(LeafCount::full(0).value, 0u);
  EXPECT_EQ(LeafCount::full(1).value, 1u);
  EXPECT_EQ(LeafCount::full(3).value, 4u);
  EXPECT_EQ(LeafCount::full(50000).value, 65536u);
}

TEST(TreeMath, LargeTreesStayInRange) {
  LeafCount n(1u << 20);
  NodeIndex last_leaf(LeafIndex((1u << 20) - 1));
  auto dp = direct_path(last_leaf, n);
  EXPECT_EQ(dp.size(), 20u);
  EXPECT_EQ(dp.back(), root(n));
}

}  // namespace
}  // namespace mls::tree
