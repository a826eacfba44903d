#include "tree/tree_diff.h"

#include <algorithm>

namespace mls::tree {

TreeDiff::TreeDiff(const RatchetTree& base)
    : TreeView(base.suite()),
      base_(&base),
      base_version_(base.version()),
      count_(base.leaf_count()),
      base_limit_(base.width()) {}

const LeafNode* TreeDiff::leaf_node(LeafIndex i) const {
  if (i.value >= count_.value) return nullptr;
  if (auto it = leaves_.find(i.value); it != leaves_.end()) {
    return it->second ? &*it->second : nullptr;
  }
  return from_base(2 * i.value) ? base_->leaf_node(i) : nullptr;
}

const ParentNode* TreeDiff::parent_node(NodeIndex x) const {
  if (x.is_leaf() || x.value >= width()) return nullptr;
  if (auto it = parents_.find(x.value); it != parents_.end()) {
    return it->second ? &*it->second : nullptr;
  }
  return from_base(x.value) ? base_->parent_node(x) : nullptr;
}

uint32_t TreeDiff::occupied_nodes(NodeIndex x) const {
  if (auto it = counts_.find(x.value); it != counts_.end()) return it->second.first;
  return from_base(x.value) ? base_->occupied_nodes(x) : 0;
}

uint32_t TreeDiff::occupied_leaves(NodeIndex x) const {
  if (auto it = counts_.find(x.value); it != counts_.end()) return it->second.second;
  return from_base(x.value) ? base_->occupied_leaves(x) : 0;
}

const Bytes& TreeDiff::tree_hash(NodeIndex x) const {
  auto it = hashes_.find(x.value);
  if (it != hashes_.end() && !it->second.empty()) return it->second;
  if (it == hashes_.end() && from_base(x.value)) return base_->tree_hash(x);
  // Changed below, or beyond what the base covers: hash it here. The
  // recursion stops at the first unchanged node on each side.
  Bytes h = compute_node_hash(x);
  Bytes& slot = hashes_[x.value];
  slot = std::move(h);
  return slot;
}

void TreeDiff::touch(NodeIndex x) {
  for (std::optional<NodeIndex> a = x; a; a = parent(*a, count_)) {
    uint32_t own = is_blank(*a) ? 0 : 1;
    std::pair<uint32_t, uint32_t> c{own, a->is_leaf() ? own : 0};
    if (!a->is_leaf()) {
      c.first += occupied_nodes(*left(*a)) + occupied_nodes(*right(*a));
      c.second += occupied_leaves(*left(*a)) + occupied_leaves(*right(*a));
    }
    counts_[a->value] = c;
    hashes_[a->value].clear();
  }
}

void TreeDiff::set_leaf(LeafIndex i, std::optional<LeafNode> leaf) {
  leaves_[i.value] = std::move(leaf);
  touch(NodeIndex(i));
}

void TreeDiff::set_parent(NodeIndex x, std::optional<ParentNode> node) {
  parents_[x.value] = std::move(node);
  touch(x);
}

void TreeDiff::blank_path(LeafIndex i) {
  for (NodeIndex p : direct_path(NodeIndex(i), count_)) {
    if (parent_node(p) != nullptr) set_parent(p, std::nullopt);
  }
}

void TreeDiff::extend() {
  NodeIndex old_root = root();
  count_ = LeafCount(count_.value == 0 ? 1 : 2 * count_.value);
  touch(old_root);  // the new root above it gets its counts and a fresh hash
}

void TreeDiff::truncate() {
  while (count_.value > 1 && occupied_leaves(*right(root())) == 0) {
    count_ = LeafCount(count_.value / 2);
    uint32_t w = width();
    base_limit_ = std::min(base_limit_, w);
    leaves_.erase(leaves_.lower_bound(count_.value), leaves_.end());
    parents_.erase(parents_.lower_bound(w), parents_.end());
    counts_.erase(counts_.lower_bound(w), counts_.end());
    hashes_.erase(hashes_.lower_bound(w), hashes_.end());
  }
}

LeafIndex TreeDiff::free_leaf() {
  if (auto free = leftmost_blank_leaf()) return *free;
  extend();
  return *leftmost_blank_leaf();
}

LeafIndex TreeDiff::add_leaf(LeafNode leaf) {
  LeafIndex i = free_leaf();
  set_leaf(i, std::move(leaf));
  for (NodeIndex p : direct_path(NodeIndex(i), count_)) {
    const ParentNode* node = parent_node(p);
    if (node == nullptr) continue;
    ParentNode changed = *node;
    auto& u = changed.unmerged_leaves;
    u.insert(std::upper_bound(u.begin(), u.end(), i), i);  // kept sorted (§7.1)
    set_parent(p, std::move(changed));
  }
  return i;
}

Status TreeDiff::update_leaf(LeafIndex i, LeafNode leaf) {
  if (leaf_node(i) == nullptr) {
    return make_error(ErrorCode::invalid_sender, "update of blank leaf " + std::to_string(i.value));
  }
  set_leaf(i, std::move(leaf));
  blank_path(i);
  return {};
}

Status TreeDiff::remove_leaf(LeafIndex i) {
  if (leaf_node(i) == nullptr) {
    return make_error(ErrorCode::invalid_sender, "remove of blank leaf " + std::to_string(i.value));
  }
  set_leaf(i, std::nullopt);
  blank_path(i);
  truncate();
  return {};
}

std::optional<NodeIndex> TreeDiff::find_encryption_key(BytesView key) const {
  auto same = [&](const Bytes& k) {
    return std::equal(k.begin(), k.end(), key.begin(), key.end());
  };
  for (const auto& [i, leaf] : leaves_) {
    if (leaf && same(leaf->encryption_key)) return NodeIndex(LeafIndex(i));
  }
  for (const auto& [x, node] : parents_) {
    if (node && same(node->encryption_key)) return NodeIndex(x);
  }
  auto found = base_->find_encryption_key(key);
  if (!found || !from_base(found->value)) return std::nullopt;
  bool replaced = found->is_leaf() ? leaves_.count(found->leaf().value) != 0
                                   : parents_.count(found->value) != 0;
  if (replaced) return std::nullopt;
  return found;
}

std::optional<LeafIndex> TreeDiff::find_signature_key(BytesView key) const {
  for (const auto& [i, leaf] : leaves_) {
    if (leaf && std::equal(leaf->signature_key.begin(), leaf->signature_key.end(), key.begin(),
                           key.end())) {
      return LeafIndex(i);
    }
  }
  auto found = base_->find_signature_key(key);
  if (!found || !from_base(NodeIndex(*found).value) || leaves_.count(found->value) != 0) {
    return std::nullopt;
  }
  return found;
}

}  // namespace mls::tree
