// The public ratchet tree (RFC 9420 §4, §7): an array of optional nodes in
// the order of Appendix C, with every node's tree hash and occupancy counts
// cached, and an index of the public keys in it.
//
// A RatchetTree changes only by merging a TreeDiff (tree_diff.h), so every
// change a commit makes is staged first and applied in one O(log N) step;
// dropping the diff instead changes nothing.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "tree/tree_view.h"

namespace mls::tree {

class TreeDiff;

class RatchetTree final : public TreeView {
 public:
  // The tree of a new group: its creator alone, at leaf 0 (§11).
  [[nodiscard]] static Result<RatchetTree> create(crypto::CipherSuite suite, LeafNode creator);
  // From the ratchet_tree extension (§12.4.3.3): rejects a malformed
  // encoding (truncated, trailing_data, ...) and a malformed shape
  // (invalid_tree: empty, ends in a blank, a leaf where a parent belongs...),
  // and pads the trailing blank nodes back. Not validated: see
  // validation.h before trusting a tree received from someone else.
  [[nodiscard]] static Result<RatchetTree> decode(crypto::CipherSuite suite, BytesView data);
  // The same from decoded nodes (entry i is node i).
  [[nodiscard]] static Result<RatchetTree> from_nodes(crypto::CipherSuite suite,
                                                      std::vector<std::optional<Node>> nodes);

  LeafCount leaf_count() const override { return LeafCount(uint32_t(leaves_.size())); }
  const LeafNode* leaf_node(LeafIndex i) const override;
  const ParentNode* parent_node(NodeIndex x) const override;
  uint32_t occupied_nodes(NodeIndex x) const override { return nodes_below_[x.value]; }
  uint32_t occupied_leaves(NodeIndex x) const override { return leaves_below_[x.value]; }
  const Bytes& tree_hash(NodeIndex x) const override { return hashes_[x.value]; }

  // The node holding an HPKE public key, and the leaf holding a signature
  // key (O(1)). With duplicates (only in a tree not yet validated) one of them.
  std::optional<NodeIndex> find_encryption_key(BytesView key) const;
  std::optional<LeafIndex> find_signature_key(BytesView key) const;
  // Two nodes holding the same encryption key or two leaves holding the same
  // signature key, if the tree has any (§7.3, §12.4.3.1).
  std::optional<std::pair<NodeIndex, NodeIndex>> duplicate_key() const;

  // Applies a diff made over this tree, in O(size of the diff): usage error
  // if the tree changed since the diff was made.
  [[nodiscard]] Status merge(TreeDiff&& diff);

  // Bumped by every merge; a diff remembers the version it was made over.
  uint64_t version() const { return version_; }

 private:
  friend class TreeDiff;
  explicit RatchetTree(crypto::CipherSuite suite) : TreeView(std::move(suite)) {}
  void resize(LeafCount n);
  void recount(NodeIndex x);
  void index_keys(NodeIndex x);
  void unindex_keys(NodeIndex x);
  // Hashes and counts of every node, bottom up (O(N), leaves in parallel).
  void compute_all();

  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using KeyIndex = std::unordered_map<std::string, uint32_t, KeyHash, std::equal_to<>>;

  std::vector<std::optional<LeafNode>> leaves_;     // by leaf index
  std::vector<std::optional<ParentNode>> parents_;  // node 2k+1 at k
  std::vector<Bytes> hashes_;                       // by node index
  std::vector<uint32_t> nodes_below_, leaves_below_;
  KeyIndex encryption_keys_;  // key -> node index
  KeyIndex signature_keys_;   // key -> leaf index
  std::optional<std::pair<NodeIndex, NodeIndex>> duplicate_;
  uint64_t version_ = 0;
};

}  // namespace mls::tree
