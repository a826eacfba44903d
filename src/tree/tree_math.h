// Tree math for the array representation of a left-balanced binary tree
// (RFC 9420 §4.1, §7.1 and Appendix C). Leaves sit at even node indices, and
// the tree is always full: its leaf count is a power of two (§7.7 doubles it
// on growth and halves it on truncation). Everything is constexpr, loop-free
// or bounded by the tree's depth (at most 32 levels), never recursive.
#pragma once

#include <bit>
#include <compare>
#include <cstdint>
#include <optional>
#include <tuple>
#include <vector>

namespace mls::tree {

// Distinct index types, so a leaf index is never used as a node index.
struct LeafIndex {
  uint32_t value = 0;
  constexpr LeafIndex() = default;
  constexpr explicit LeafIndex(uint32_t v) : value(v) {}
  constexpr auto operator<=>(const LeafIndex&) const = default;
  // On the wire a leaf index is a uint32 (e.g. ParentNode.unmerged_leaves, §7.1).
  static constexpr auto tls_fields() { return std::tuple{&LeafIndex::value}; }
};

struct NodeIndex {
  uint32_t value = 0;
  constexpr NodeIndex() = default;
  constexpr explicit NodeIndex(uint32_t v) : value(v) {}
  constexpr explicit NodeIndex(LeafIndex leaf) : value(2 * leaf.value) {}
  constexpr auto operator<=>(const NodeIndex&) const = default;
  constexpr bool is_leaf() const { return (value & 1) == 0; }
  constexpr LeafIndex leaf() const { return LeafIndex(value / 2); }
};

// The number of leaves in a tree: a power of two (or zero).
struct LeafCount {
  uint32_t value = 0;
  constexpr LeafCount() = default;
  constexpr explicit LeafCount(uint32_t v) : value(v) {}
  constexpr auto operator<=>(const LeafCount&) const = default;
  // The smallest full tree that holds n leaves.
  static constexpr LeafCount full(uint32_t n) { return LeafCount(n <= 1 ? n : std::bit_ceil(n)); }
};

// The exponent of the largest power of two not above x (0 for x == 0).
constexpr uint32_t log2_floor(uint32_t x) { return x == 0 ? 0 : std::bit_width(x) - 1; }

// Leaves are level 0; a parent is one above its highest child.
constexpr uint32_t level(NodeIndex x) { return std::countr_one(x.value); }

// The number of nodes in a tree of n leaves.
constexpr uint32_t node_width(LeafCount n) { return n.value == 0 ? 0 : 2 * (n.value - 1) + 1; }

constexpr NodeIndex root(LeafCount n) {
  uint32_t w = node_width(n);
  return NodeIndex((1u << log2_floor(w)) - 1);
}

// Children of a parent node; nullopt for a leaf.
constexpr std::optional<NodeIndex> left(NodeIndex x) {
  uint32_t k = level(x);
  if (k == 0) return std::nullopt;
  return NodeIndex(x.value ^ (1u << (k - 1)));
}
constexpr std::optional<NodeIndex> right(NodeIndex x) {
  uint32_t k = level(x);
  if (k == 0) return std::nullopt;
  return NodeIndex(x.value ^ (3u << (k - 1)));
}

// The parent of x in a tree of n leaves; nullopt for the root and for nodes
// outside the tree.
constexpr std::optional<NodeIndex> parent(NodeIndex x, LeafCount n) {
  if (x.value >= node_width(n) || x == root(n)) return std::nullopt;
  uint32_t k = level(x);
  uint32_t b = (x.value >> (k + 1)) & 1;
  return NodeIndex((x.value | (1u << k)) ^ (b << (k + 1)));
}

// The other child of x's parent; nullopt for the root.
constexpr std::optional<NodeIndex> sibling(NodeIndex x, LeafCount n) {
  auto p = parent(x, n);
  if (!p) return std::nullopt;
  return x < *p ? right(*p) : left(*p);
}

// Whether `ancestor` is x itself or above it (in a full tree, the ancestor's
// subtree is the index range [a - 2^k + 1, a + 2^k - 1] for its level k).
constexpr bool is_in_subtree(NodeIndex x, NodeIndex ancestor) {
  uint32_t k = level(ancestor);
  uint64_t lo = uint64_t(ancestor.value) + 1 - (uint64_t(1) << k);
  uint64_t hi = uint64_t(ancestor.value) + (uint64_t(1) << k) - 1;
  return x.value >= lo && x.value <= hi;
}

// The lowest node whose subtree holds both x and y.
constexpr NodeIndex common_ancestor(NodeIndex x, NodeIndex y) {
  uint32_t lx = level(x) + 1, ly = level(y) + 1;
  if (lx <= ly && (x.value >> ly) == (y.value >> ly)) return y;
  if (ly <= lx && (x.value >> lx) == (y.value >> lx)) return x;
  uint32_t xn = x.value, yn = y.value, k = 0;
  while (xn != yn) {
    xn >>= 1;
    yn >>= 1;
    ++k;
  }
  return NodeIndex((xn << k) + (1u << (k - 1)) - 1);
}

// The lowest and highest node index under x (x included): a full subtree is
// the contiguous range [x - 2^k + 1, x + 2^k - 1] for x's level k.
constexpr uint32_t subtree_first(NodeIndex x) { return x.value + 1 - (1u << level(x)); }
constexpr uint32_t subtree_last(NodeIndex x) { return x.value + (1u << level(x)) - 1; }

// The direct path of x, from its parent up to the root (§4.1).
inline std::vector<NodeIndex> direct_path(NodeIndex x, LeafCount n) {
  std::vector<NodeIndex> out;
  out.reserve(32);
  for (auto p = parent(x, n); p; p = parent(*p, n)) out.push_back(*p);
  return out;
}

// The copath of x: the siblings of x and of every node on its direct path
// below the root (§4.1).
inline std::vector<NodeIndex> copath(NodeIndex x, LeafCount n) {
  std::vector<NodeIndex> out;
  out.reserve(32);
  for (NodeIndex cur = x;;) {
    auto s = sibling(cur, n);
    if (!s) break;
    out.push_back(*s);
    cur = *parent(cur, n);
  }
  return out;
}

}  // namespace mls::tree
