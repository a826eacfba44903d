#include "tree/ratchet_tree.h"

#include "tree/parallel.h"
#include "tree/tree_diff.h"

namespace mls::tree {

namespace {
std::string_view key_view(BytesView key) {
  return {reinterpret_cast<const char*>(key.data()), key.size()};
}
}  // namespace

Result<RatchetTree> RatchetTree::create(crypto::CipherSuite suite, LeafNode creator) {
  std::vector<std::optional<Node>> nodes;
  nodes.emplace_back(Node{std::move(creator)});
  return from_nodes(std::move(suite), std::move(nodes));
}

Result<RatchetTree> RatchetTree::decode(crypto::CipherSuite suite, BytesView data) {
  auto nodes = MLS_TRY(codec::decode_all<std::vector<std::optional<Node>>>(data));
  return from_nodes(std::move(suite), std::move(nodes));
}

Result<RatchetTree> RatchetTree::from_nodes(crypto::CipherSuite suite,
                                            std::vector<std::optional<Node>> nodes) {
  // §12.4.3.3: the last node MUST be non-blank; the receiver pads the tree
  // with the fewest blank nodes that make it full.
  if (nodes.empty()) return make_error(ErrorCode::invalid_tree, "ratchet tree has no node");
  if (!nodes.back()) {
    return make_error(ErrorCode::invalid_tree, "ratchet tree ends in a blank node");
  }
  if (nodes.size() > (size_t(1) << 31)) {
    return make_error(ErrorCode::invalid_tree, "ratchet tree too large");
  }
  RatchetTree tree(std::move(suite));
  // The fewest leaves whose width 2L-1 covers every node given.
  tree.resize(LeafCount::full(uint32_t((nodes.size() + 2) / 2)));
  for (size_t x = 0; x < nodes.size(); ++x) {
    if (!nodes[x]) continue;
    bool leaf_position = (x & 1) == 0;
    if (leaf_position != (nodes[x]->type() == NodeType::leaf)) {
      return make_error(ErrorCode::invalid_tree,
                        "node " + std::to_string(x) + " is a " +
                            (leaf_position ? "parent node at a leaf position"
                                           : "leaf node at a parent position"));
    }
    if (leaf_position) {
      tree.leaves_[x / 2] = std::move(std::get<LeafNode>(nodes[x]->value));
    } else {
      tree.parents_[x / 2] = std::move(std::get<ParentNode>(nodes[x]->value));
    }
    tree.index_keys(NodeIndex(uint32_t(x)));
  }
  tree.compute_all();
  return tree;
}

const LeafNode* RatchetTree::leaf_node(LeafIndex i) const {
  if (i.value >= leaves_.size() || !leaves_[i.value]) return nullptr;
  return &*leaves_[i.value];
}

const ParentNode* RatchetTree::parent_node(NodeIndex x) const {
  size_t k = x.value / 2;
  if (x.is_leaf() || k >= parents_.size() || !parents_[k]) return nullptr;
  return &*parents_[k];
}

void RatchetTree::resize(LeafCount n) {
  leaves_.resize(n.value);
  parents_.resize(n.value);  // node 2k+1 for k < n-1; the last slot stays unused
  uint32_t w = node_width(n);
  hashes_.resize(w);
  nodes_below_.resize(w, 0);
  leaves_below_.resize(w, 0);
}

void RatchetTree::recount(NodeIndex x) {
  uint32_t own = is_blank(x) ? 0 : 1;
  if (x.is_leaf()) {
    nodes_below_[x.value] = own;
    leaves_below_[x.value] = own;
  } else {
    uint32_t l = left(x)->value, r = right(x)->value;
    nodes_below_[x.value] = own + nodes_below_[l] + nodes_below_[r];
    leaves_below_[x.value] = leaves_below_[l] + leaves_below_[r];
  }
}

void RatchetTree::compute_all() {
  uint32_t n = leaf_count().value;
  // Leaf hashes dominate (each encodes a LeafNode); they are independent.
  detail::parallel_ranges(n, 0, [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) {
      LeafIndex li{static_cast<uint32_t>(i)};
      hashes_[2 * i] = leaf_tree_hash(suite(), li, leaf_node(li));
    }
  });
  for (uint32_t i = 0; i < n; ++i) recount(NodeIndex(LeafIndex(i)));
  // Parents level by level, so both children are always ready.
  for (uint32_t k = 1; (1u << k) <= n; ++k) {
    uint32_t step = 1u << (k + 1);
    for (uint32_t x = (1u << k) - 1; x < width(); x += step) {
      recount(NodeIndex(x));
      hashes_[x] = compute_node_hash(NodeIndex(x));
    }
  }
}

void RatchetTree::index_keys(NodeIndex x) {
  auto add = [&](KeyIndex& index, BytesView key, uint32_t value, bool leaf) {
    auto [it, inserted] = index.emplace(std::string(key_view(key)), value);
    if (!inserted && it->second != value && !duplicate_) {
      NodeIndex other = leaf ? NodeIndex(LeafIndex(it->second)) : NodeIndex(it->second);
      duplicate_ = std::pair{other, x};
    }
  };
  if (x.is_leaf()) {
    const LeafNode* l = leaf_node(x.leaf());
    if (l == nullptr) return;
    add(encryption_keys_, l->encryption_key, x.value, false);
    add(signature_keys_, l->signature_key, x.leaf().value, true);
  } else if (const ParentNode* p = parent_node(x)) {
    add(encryption_keys_, p->encryption_key, x.value, false);
  }
}

void RatchetTree::unindex_keys(NodeIndex x) {
  auto remove = [](KeyIndex& index, BytesView key, uint32_t value) {
    auto it = index.find(key_view(key));
    if (it != index.end() && it->second == value) index.erase(it);
  };
  if (x.is_leaf()) {
    const LeafNode* l = leaf_node(x.leaf());
    if (l == nullptr) return;
    remove(encryption_keys_, l->encryption_key, x.value);
    remove(signature_keys_, l->signature_key, x.leaf().value);
  } else if (const ParentNode* p = parent_node(x)) {
    remove(encryption_keys_, p->encryption_key, x.value);
  }
}

std::optional<NodeIndex> RatchetTree::find_encryption_key(BytesView key) const {
  auto it = encryption_keys_.find(key_view(key));
  if (it == encryption_keys_.end()) return std::nullopt;
  return NodeIndex(it->second);
}

std::optional<LeafIndex> RatchetTree::find_signature_key(BytesView key) const {
  auto it = signature_keys_.find(key_view(key));
  if (it == signature_keys_.end()) return std::nullopt;
  return LeafIndex(it->second);
}

std::optional<std::pair<NodeIndex, NodeIndex>> RatchetTree::duplicate_key() const {
  return duplicate_;
}

Status RatchetTree::merge(TreeDiff&& diff) {
  if (diff.base_ != this || diff.base_version_ != version_) {
    return make_error(ErrorCode::usage, "tree diff was made over another tree or version");
  }
  (void)diff.root_hash();  // every hash the diff owns is now computed
  uint32_t old_width = width(), new_width = diff.width(), limit = diff.base_limit_;

  // Keys leaving the tree: nodes the diff replaces or discards.
  for (uint32_t x = limit; x < old_width; ++x) unindex_keys(NodeIndex(x));
  for (const auto& [i, leaf] : diff.leaves_) {
    if (2 * i < limit) unindex_keys(NodeIndex(LeafIndex(i)));
  }
  for (const auto& [x, parent] : diff.parents_) {
    if (x < limit) unindex_keys(NodeIndex(x));
  }

  resize(diff.count_);
  for (uint32_t x = limit; x < std::min(old_width, new_width); ++x) {
    if ((x & 1) == 0) {
      leaves_[x / 2].reset();
    } else {
      parents_[x / 2].reset();
    }
    nodes_below_[x] = leaves_below_[x] = 0;
  }
  for (auto& [i, leaf] : diff.leaves_) {
    leaves_[i] = std::move(leaf);
    index_keys(NodeIndex(LeafIndex(i)));
  }
  for (auto& [x, parent] : diff.parents_) {
    parents_[x / 2] = std::move(parent);
    index_keys(NodeIndex(x));
  }
  for (auto& [x, hash] : diff.hashes_) {
    if (x < new_width) hashes_[x] = std::move(hash);
  }
  for (const auto& [x, counts] : diff.counts_) {
    if (x < new_width) std::tie(nodes_below_[x], leaves_below_[x]) = counts;
  }
  ++version_;
  diff.leaves_.clear();
  diff.parents_.clear();
  diff.hashes_.clear();
  diff.counts_.clear();
  return {};
}

}  // namespace mls::tree
