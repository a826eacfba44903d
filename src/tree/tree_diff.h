// The changes a commit makes to the ratchet tree, staged over the current
// tree without copying it (docs/ARCHITECTURE.md, conventions 9 and 11): an
// overlay holding only the nodes that change, plus the tree hashes and
// occupancy counts of their ancestors. Every proposal and an UpdatePath touch
// O(log N) nodes, so a diff stays O(log N) in size and in hashing work.
//
// The base tree must stay alive and unchanged while the diff is used;
// RatchetTree::merge applies the diff, dropping it changes nothing.
#pragma once

#include <map>

#include "tree/ratchet_tree.h"

namespace mls::tree {

class TreeDiff final : public TreeView {
 public:
  explicit TreeDiff(const RatchetTree& base);

  LeafCount leaf_count() const override { return count_; }
  const LeafNode* leaf_node(LeafIndex i) const override;
  const ParentNode* parent_node(NodeIndex x) const override;
  uint32_t occupied_nodes(NodeIndex x) const override;
  uint32_t occupied_leaves(NodeIndex x) const override;
  // Re-hashes only the nodes the diff changed (and, after growing the tree,
  // the new blank half); everything else is the base tree's cache.
  const Bytes& tree_hash(NodeIndex x) const override;

  // --- proposals (§12.1) ---------------------------------------------------------
  // The leftmost blank leaf, extending the tree first if it is full: where
  // an Add or an external joiner goes (§12.1.1, §12.4.3.2).
  LeafIndex free_leaf();
  // Add: the leftmost blank leaf, extending the tree if it is full; the new
  // leaf becomes unmerged at every non-blank parent above it (§12.1.1).
  LeafIndex add_leaf(LeafNode leaf);
  // Update: replaces a member's leaf and blanks its direct path (§12.1.2).
  // invalid_sender if the leaf is blank.
  [[nodiscard]] Status update_leaf(LeafIndex i, LeafNode leaf);
  // Remove: blanks the leaf and its direct path, then truncates (§12.1.3).
  // invalid_sender if the leaf is blank.
  [[nodiscard]] Status remove_leaf(LeafIndex i);

  // --- building blocks ---------------------------------------------------------------
  // Blanks every node on the direct path of a leaf (§7.4, §7.5).
  void blank_path(LeafIndex i);
  void set_leaf(LeafIndex i, std::optional<LeafNode> leaf);
  void set_parent(NodeIndex x, std::optional<ParentNode> node);
  // Doubles the tree: the old tree becomes the left half of a new root (§7.7).
  void extend();
  // Halves the tree while its right half holds no member (§7.7).
  void truncate();

  // Key look-ups over the diff's view of the tree (O(log N)).
  std::optional<NodeIndex> find_encryption_key(BytesView key) const;
  std::optional<LeafIndex> find_signature_key(BytesView key) const;

  const RatchetTree& base() const { return *base_; }
  // Nodes whose content the diff replaced (a leaf as its node index).
  size_t changed_nodes() const { return leaves_.size() + parents_.size(); }

 private:
  friend class RatchetTree;
  // Marks x and its ancestors as changed: their counts are recomputed now,
  // their hashes on demand.
  void touch(NodeIndex x);
  // Whether the base's value of node x still shows through.
  bool from_base(uint32_t x) const { return x < base_limit_; }

  const RatchetTree* base_;
  uint64_t base_version_;
  LeafCount count_;
  // Nodes at or beyond this index are blank unless the diff set them: the
  // smallest width the tree had since the diff began (truncation discards).
  uint32_t base_limit_;
  std::map<uint32_t, std::optional<LeafNode>> leaves_;        // by leaf index
  std::map<uint32_t, std::optional<ParentNode>> parents_;     // by node index
  std::map<uint32_t, std::pair<uint32_t, uint32_t>> counts_;  // nodes, leaves below
  // Hashes the diff owns: changed nodes and their ancestors (empty until
  // computed), and nodes beyond the base's limit once computed.
  mutable std::map<uint32_t, Bytes> hashes_;
};

}  // namespace mls::tree
