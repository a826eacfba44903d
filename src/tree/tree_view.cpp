#include "tree/tree_view.h"

#include <algorithm>

namespace mls::tree {

Bytes leaf_tree_hash(const crypto::CipherSuite& suite, LeafIndex index, const LeafNode* leaf) {
  codec::Writer w;
  codec::encode(w, NodeType::leaf);
  w.u32(index.value);
  w.u8(leaf != nullptr ? 1 : 0);
  if (leaf != nullptr) codec::encode(w, *leaf);
  return suite.hash(w.bytes());
}

Bytes parent_tree_hash(const crypto::CipherSuite& suite, const ParentNode* parent,
                       BytesView left_hash, BytesView right_hash) {
  codec::Writer w;
  codec::encode(w, NodeType::parent);
  w.u8(parent != nullptr ? 1 : 0);
  if (parent != nullptr) codec::encode(w, *parent);
  w.opaque(left_hash);
  w.opaque(right_hash);
  return suite.hash(w.bytes());
}

Bytes parent_hash(const crypto::CipherSuite& suite, BytesView encryption_key,
                  BytesView parent_hash_of_p, BytesView original_sibling_tree_hash) {
  codec::Writer w;
  w.opaque(encryption_key);
  w.opaque(parent_hash_of_p);
  w.opaque(original_sibling_tree_hash);
  return suite.hash(w.bytes());
}

bool TreeView::is_blank(NodeIndex x) const {
  return x.is_leaf() ? leaf_node(x.leaf()) == nullptr : parent_node(x) == nullptr;
}

const Bytes* TreeView::encryption_key(NodeIndex x) const {
  if (x.is_leaf()) {
    const LeafNode* l = leaf_node(x.leaf());
    return l != nullptr ? &l->encryption_key : nullptr;
  }
  const ParentNode* p = parent_node(x);
  return p != nullptr ? &p->encryption_key : nullptr;
}

std::optional<Node> TreeView::node(NodeIndex x) const {
  if (x.is_leaf()) {
    if (const LeafNode* l = leaf_node(x.leaf())) return Node{*l};
  } else if (const ParentNode* p = parent_node(x)) {
    return Node{*p};
  }
  return std::nullopt;
}

bool TreeView::resolution_at_most(NodeIndex x, size_t limit, std::vector<NodeIndex>& out) const {
  if (occupied_nodes(x) == 0) return true;  // empty subtree: nothing to add
  if (x.is_leaf()) {
    out.push_back(x);
    return out.size() <= limit;
  }
  if (const ParentNode* p = parent_node(x)) {
    out.push_back(x);
    for (LeafIndex u : p->unmerged_leaves) out.push_back(NodeIndex(u));
    return out.size() <= limit;
  }
  return resolution_at_most(*left(x), limit, out) && resolution_at_most(*right(x), limit, out);
}

std::vector<NodeIndex> TreeView::resolution(NodeIndex x) const {
  std::vector<NodeIndex> out;
  resolution_at_most(x, SIZE_MAX, out);
  return out;
}

std::vector<TreeView::PathStep> TreeView::filtered_direct_path(LeafIndex leaf) const {
  std::vector<PathStep> out;
  LeafCount n = leaf_count();
  NodeIndex child(leaf);
  for (auto p = parent(child, n); p; child = *p, p = parent(*p, n)) {
    NodeIndex copath_child = child < *p ? *right(*p) : *left(*p);
    if (occupied_nodes(copath_child) != 0) out.push_back({*p, copath_child});
  }
  return out;
}

std::optional<LeafIndex> TreeView::leftmost_blank_leaf() const {
  if (leaf_count().value == 0 || member_count() == leaf_count().value) return std::nullopt;
  NodeIndex x = root();
  while (!x.is_leaf()) {
    NodeIndex l = *left(x);
    uint32_t capacity = 1u << level(l);
    x = occupied_leaves(l) < capacity ? l : *right(x);
  }
  return x.leaf();
}

std::optional<LeafIndex> TreeView::rightmost_occupied_leaf() const {
  if (leaf_count().value == 0 || member_count() == 0) return std::nullopt;
  NodeIndex x = root();
  while (!x.is_leaf()) x = occupied_leaves(*right(x)) != 0 ? *right(x) : *left(x);
  return x.leaf();
}

Bytes TreeView::compute_node_hash(NodeIndex x) const {
  if (x.is_leaf()) return leaf_tree_hash(suite_, x.leaf(), leaf_node(x.leaf()));
  return parent_tree_hash(suite_, parent_node(x), tree_hash(*left(x)), tree_hash(*right(x)));
}

Bytes TreeView::original_tree_hash(NodeIndex x, std::span<const LeafIndex> removed) const {
  // `removed` is sorted (validation checks unmerged_leaves first), so each
  // step is a binary search: a hostile list of thousands of leaves costs
  // O(k log N) node visits, not O(k^2).
  auto first = std::lower_bound(removed.begin(), removed.end(), LeafIndex(subtree_first(x) / 2));
  bool touches = first != removed.end() && first->value <= subtree_last(x) / 2;
  if (!touches) return tree_hash(x);
  if (x.is_leaf()) return leaf_tree_hash(suite_, x.leaf(), nullptr);
  const ParentNode* p = parent_node(x);
  std::optional<ParentNode> filtered;
  if (p != nullptr) {
    filtered = *p;
    std::erase_if(filtered->unmerged_leaves, [&](LeafIndex u) {
      return std::binary_search(removed.begin(), removed.end(), u);
    });
  }
  return parent_tree_hash(suite_, filtered ? &*filtered : nullptr,
                          original_tree_hash(*left(x), removed),
                          original_tree_hash(*right(x), removed));
}

Bytes TreeView::encode() const {
  // The sender MUST NOT include blank nodes after the last non-blank one.
  uint32_t end = 0;
  if (auto last_leaf = rightmost_occupied_leaf()) end = NodeIndex(*last_leaf).value + 1;
  // A non-blank parent right of the last leaf only exists in a malformed
  // tree; look for one anyway so that encoding never drops data.
  for (uint32_t x = width(); x > end; --x) {
    if (!is_blank(NodeIndex(x - 1))) {
      end = x;
      break;
    }
  }
  codec::Writer w;
  w.vector([&](codec::Writer& inner) {
    for (uint32_t x = 0; x < end; ++x) {
      NodeIndex n(x);
      if (n.is_leaf()) {
        const LeafNode* l = leaf_node(n.leaf());
        inner.u8(l != nullptr ? 1 : 0);
        if (l != nullptr) {
          codec::encode(inner, NodeType::leaf);
          codec::encode(inner, *l);
        }
      } else {
        const ParentNode* p = parent_node(n);
        inner.u8(p != nullptr ? 1 : 0);
        if (p != nullptr) {
          codec::encode(inner, NodeType::parent);
          codec::encode(inner, *p);
        }
      }
    }
  });
  return w.take();
}

}  // namespace mls::tree
