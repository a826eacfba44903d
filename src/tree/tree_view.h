// Read access to a ratchet tree (RFC 9420 §4, §7), and every algorithm that
// only reads: resolution, filtered direct path, tree and parent hashes, the
// ratchet_tree encoding. Two kinds of tree implement it: RatchetTree, which
// owns all N nodes, and TreeDiff, an overlay of the O(log N) nodes a commit
// changes on top of a RatchetTree. The algorithms are written once, here.
//
// Threads: a RatchetTree keeps every cache up to date on each merge, so its
// const functions may run concurrently; a TreeDiff hashes lazily and is for
// one thread.
//
// Cost: each node caches its tree hash and the number of non-blank nodes and
// leaves below it, so a resolution costs O(size of the answer x log N), a
// filtered direct path O(log N), and finding a free leaf O(log N).
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "crypto/cipher_suite.h"
#include "tree/node.h"
#include "tree/tree_math.h"

namespace mls::tree {

class TreeView {
 public:
  explicit TreeView(crypto::CipherSuite suite) : suite_(std::move(suite)) {}
  virtual ~TreeView() = default;

  const crypto::CipherSuite& suite() const { return suite_; }

  // --- what an implementation provides -------------------------------------
  virtual LeafCount leaf_count() const = 0;
  // nullptr when the leaf is blank (or outside the tree).
  virtual const LeafNode* leaf_node(LeafIndex i) const = 0;
  // nullptr when the parent node is blank (or outside the tree).
  virtual const ParentNode* parent_node(NodeIndex x) const = 0;
  // How many non-blank nodes, and non-blank leaves, the subtree under x holds.
  virtual uint32_t occupied_nodes(NodeIndex x) const = 0;
  virtual uint32_t occupied_leaves(NodeIndex x) const = 0;
  // The tree hash of the subtree under x (§7.8). The reference is valid
  // until the tree (or diff) next changes.
  virtual const Bytes& tree_hash(NodeIndex x) const = 0;

  // --- derived -----------------------------------------------------------------
  uint32_t width() const { return node_width(leaf_count()); }
  NodeIndex root() const { return tree::root(leaf_count()); }
  const Bytes& root_hash() const { return tree_hash(root()); }
  // Members: non-blank leaves.
  uint32_t member_count() const { return occupied_leaves(root()); }
  bool is_blank(NodeIndex x) const;
  // The HPKE public key of a node; nullptr if blank.
  const Bytes* encryption_key(NodeIndex x) const;
  // A copy of a node, as the ratchet_tree extension carries it.
  std::optional<Node> node(NodeIndex x) const;

  // Resolution (§4.1.1): the non-blank nodes covering the subtree under x,
  // left to right, each non-blank parent followed by its unmerged leaves.
  std::vector<NodeIndex> resolution(NodeIndex x) const;
  // The same, giving up (false) as soon as it would exceed `limit` entries.
  bool resolution_at_most(NodeIndex x, size_t limit, std::vector<NodeIndex>& out) const;

  // One step of a filtered direct path: a node on it and its child on the
  // copath (the child the path secret is encrypted to).
  struct PathStep {
    NodeIndex node;
    NodeIndex copath_child;
  };
  // The filtered direct path of a leaf (§4.1.2): its direct path without the
  // nodes whose copath child has an empty resolution. Leaf to root.
  std::vector<PathStep> filtered_direct_path(LeafIndex leaf) const;

  // The leftmost blank leaf, where an Add goes (§12.1.1); nullopt if full.
  std::optional<LeafIndex> leftmost_blank_leaf() const;
  // The rightmost non-blank leaf; nullopt if there is none.
  std::optional<LeafIndex> rightmost_occupied_leaf() const;

  // The tree hash of the subtree under x in the tree where each leaf of
  // `removed` is blanked and dropped from every unmerged_leaves list: the
  // original_sibling_tree_hash of §7.9. Only the paths to removed leaves
  // are re-hashed; the rest comes from the cache. `removed` must be sorted
  // (as unmerged_leaves are, §7.1).
  Bytes original_tree_hash(NodeIndex x, std::span<const LeafIndex> removed) const;

  // optional<Node> ratchet_tree<V> (§12.4.3.3), trailing blank nodes left out.
  Bytes encode() const;

 protected:
  // The hash of x's TreeHashInput, given its children's cached hashes.
  Bytes compute_node_hash(NodeIndex x) const;

 private:
  crypto::CipherSuite suite_;
};

// struct {
//     uint32 leaf_index;
//     optional<LeafNode> leaf_node;
// } LeafNodeHashInput;                                            (§7.8)
// Hash(TreeHashInput) for a leaf (node_type leaf, then LeafNodeHashInput).
Bytes leaf_tree_hash(const crypto::CipherSuite& suite, LeafIndex index, const LeafNode* leaf);

// struct {
//     optional<ParentNode> parent_node;
//     opaque left_hash<V>;
//     opaque right_hash<V>;
// } ParentNodeHashInput;                                          (§7.8)
// Hash(TreeHashInput) for a parent (node_type parent, then ParentNodeHashInput).
Bytes parent_tree_hash(const crypto::CipherSuite& suite, const ParentNode* parent,
                       BytesView left_hash, BytesView right_hash);

// struct {
//     HPKEPublicKey encryption_key;
//     opaque parent_hash<V>;
//     opaque original_sibling_tree_hash<V>;
// } ParentHashInput;                                              (§7.9)
// The parent hash of a node P: Hash(ParentHashInput).
Bytes parent_hash(const crypto::CipherSuite& suite, BytesView encryption_key,
                  BytesView parent_hash_of_p, BytesView original_sibling_tree_hash);

}  // namespace mls::tree
