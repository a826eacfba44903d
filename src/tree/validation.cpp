#include "tree/validation.h"

#include <algorithm>
#include <mutex>

#include "tree/parallel.h"

namespace mls::tree {

namespace {

template <typename T>
bool contains(const std::vector<T>& v, T x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool in_subtree(LeafIndex leaf, NodeIndex x) {
  uint32_t n = NodeIndex(leaf).value;
  return n >= subtree_first(x) && n <= subtree_last(x);
}

tl::unexpected<Error> leaf_error(ErrorCode code, LeafIndex i, const std::string& what) {
  return make_error(code, "leaf " + std::to_string(i.value) + ": " + what);
}

}  // namespace

Status verify_leaf(const crypto::CipherSuite& suite, const LeafNode& leaf, LeafIndex index,
                   const TreeValidationParams& params,
                   std::span<const uint16_t> credential_types_in_use) {
  const Capabilities& caps = leaf.capabilities;
  if (!contains(caps.versions, kMls10)) {
    return leaf_error(ErrorCode::unsupported_capability, index, "does not support mls10");
  }
  if (!contains(caps.cipher_suites, suite.id())) {
    return leaf_error(ErrorCode::unsupported_capability, index,
                      "does not support cipher suite " + std::to_string(suite.id()));
  }
  if (!params.required.supported_by(caps)) {
    return leaf_error(ErrorCode::unsupported_capability, index,
                      "does not support the group's required capabilities");
  }
  for (uint16_t t : credential_types_in_use) {
    if (!contains(caps.credentials, t)) {
      return leaf_error(ErrorCode::unsupported_capability, index,
                        "does not support credential type " + std::to_string(t) + " in use");
    }
  }
  for (const auto& ext : leaf.extensions.entries) {
    if (!extension_type::is_default(ext.extension_type) &&
        !contains(caps.extensions, ext.extension_type)) {
      return leaf_error(ErrorCode::invalid_leaf_node, index,
                        "carries extension " + std::to_string(ext.extension_type) +
                            " its capabilities do not list");
    }
  }
  if (leaf.extensions.has_duplicates()) {
    return leaf_error(ErrorCode::invalid_leaf_node, index, "two extensions of one type");
  }
  if (params.now && leaf.leaf_node_source == LeafNodeSource::key_package) {
    Lifetime lt = leaf.lifetime.value_or(Lifetime{});
    if (*params.now < lt.not_before || *params.now > lt.not_after) {
      return leaf_error(ErrorCode::invalid_leaf_node, index, "outside its lifetime");
    }
  }
  if (params.credentials == nullptr) {
    return make_error(ErrorCode::usage, "tree validation needs a credential validator");
  }
  MLS_CHECK(params.credentials->validate(leaf.credential, leaf.signature_key));
  if (auto s = leaf.verify(suite, params.group_id, index.value); !s) {
    return leaf_error(s.error().code, index, s.error().message);
  }
  return {};
}

Status verify_unmerged_leaves(const TreeView& tree) {
  uint32_t width = tree.width();
  for (uint32_t x = 1; x < width; x += 2) {
    const ParentNode* p = tree.parent_node(NodeIndex(x));
    if (p == nullptr) continue;
    const auto& u = p->unmerged_leaves;
    for (size_t k = 0; k < u.size(); ++k) {
      std::string where =
          "node " + std::to_string(x) + " unmerged leaf " + std::to_string(u[k].value);
      if (k > 0 && !(u[k - 1] < u[k])) {
        return make_error(ErrorCode::invalid_unmerged_leaves, where + ": not in increasing order");
      }
      if (u[k].value >= tree.leaf_count().value || !in_subtree(u[k], NodeIndex(x))) {
        return make_error(ErrorCode::invalid_unmerged_leaves, where + ": not below the node");
      }
      if (tree.leaf_node(u[k]) == nullptr) {
        return make_error(ErrorCode::invalid_unmerged_leaves, where + ": a blank leaf");
      }
    }
  }
  // Every non-blank node between an unmerged leaf and its parent node lists
  // it too (lists are sorted now, so a binary search suffices).
  for (uint32_t x = 1; x < width; x += 2) {
    const ParentNode* p = tree.parent_node(NodeIndex(x));
    if (p == nullptr) continue;
    for (LeafIndex leaf : p->unmerged_leaves) {
      for (auto a = parent(NodeIndex(leaf), tree.leaf_count()); a && a->value != x;
           a = parent(*a, tree.leaf_count())) {
        const ParentNode* mid = tree.parent_node(*a);
        if (mid != nullptr &&
            !std::binary_search(mid->unmerged_leaves.begin(), mid->unmerged_leaves.end(), leaf)) {
          return make_error(ErrorCode::invalid_unmerged_leaves,
                            "leaf " + std::to_string(leaf.value) + " unmerged at node " +
                                std::to_string(x) + " but not at node " + std::to_string(a->value));
        }
      }
    }
  }
  return {};
}

Status verify_parent_hashes(const TreeView& tree) {
  // Top down (§7.9.2): each non-blank parent P has exactly one descendant D
  // whose parent_hash is P's parent hash with D's side as the path, where D
  // and the unmerged leaves of P on that side make up the whole resolution.
  std::vector<NodeIndex> unmerged, res;
  for (uint32_t x = 1; x < tree.width(); x += 2) {
    NodeIndex px(x);
    const ParentNode* p = tree.parent_node(px);
    if (p == nullptr) continue;
    int matches = 0;
    for (int side = 0; side < 2; ++side) {
      NodeIndex c = side == 0 ? *left(px) : *right(px);
      NodeIndex s = side == 0 ? *right(px) : *left(px);
      unmerged.clear();
      for (LeafIndex u : p->unmerged_leaves) {
        if (in_subtree(u, c)) unmerged.push_back(NodeIndex(u));
      }
      res.clear();
      if (!tree.resolution_at_most(c, unmerged.size() + 1, res)) continue;
      if (res.size() != unmerged.size() + 1) continue;
      std::optional<NodeIndex> d;
      bool unique = true;
      for (NodeIndex r : res) {
        // `unmerged` is sorted, as unmerged_leaves are (checked above).
        if (std::binary_search(unmerged.begin(), unmerged.end(), r)) continue;
        if (d) unique = false;
        d = r;
      }
      if (!unique || !d) continue;
      const Bytes* field = nullptr;
      if (d->is_leaf()) {
        const LeafNode* l = tree.leaf_node(d->leaf());
        if (l != nullptr && l->leaf_node_source == LeafNodeSource::commit) field = &l->parent_hash;
      } else if (const ParentNode* dp = tree.parent_node(*d)) {
        field = &dp->parent_hash;
      }
      if (field == nullptr) continue;
      Bytes expected = parent_hash(tree.suite(), p->encryption_key, p->parent_hash,
                                   tree.original_tree_hash(s, p->unmerged_leaves));
      if (*field == expected) ++matches;
    }
    if (matches != 1) {
      return make_error(ErrorCode::parent_hash_mismatch,
                        "parent node " + std::to_string(x) + " is not parent-hash valid (" +
                            std::to_string(matches) + " matching descendants)");
    }
  }
  return {};
}

Status validate_tree(const RatchetTree& tree, const TreeValidationParams& params) {
  if (params.credentials == nullptr) {
    return make_error(ErrorCode::usage, "tree validation needs a credential validator");
  }
  if (params.expected_tree_hash && tree.root_hash() != *params.expected_tree_hash) {
    return make_error(ErrorCode::tree_hash_mismatch, "tree hash " + to_hex(tree.root_hash()) +
                                                         ", GroupContext says " +
                                                         to_hex(*params.expected_tree_hash));
  }
  if (tree.member_count() == 0) return make_error(ErrorCode::invalid_tree, "tree has no member");
  MLS_CHECK(verify_unmerged_leaves(tree));
  if (auto dup = tree.duplicate_key()) {
    return make_error(ErrorCode::duplicate_key, "nodes " + std::to_string(dup->first.value) +
                                                    " and " + std::to_string(dup->second.value) +
                                                    " share a public key");
  }

  // Credential types in use: a handful, collected once.
  std::vector<uint16_t> in_use;
  uint32_t n = tree.leaf_count().value;
  for (uint32_t i = 0; i < n; ++i) {
    const LeafNode* l = tree.leaf_node(LeafIndex(i));
    auto t = l != nullptr ? static_cast<uint16_t>(l->credential.type()) : uint16_t(0);
    if (l != nullptr && !contains(in_use, t)) in_use.push_back(t);
  }

  // Per-leaf checks on every core; the error of the lowest leaf wins, so
  // the result does not depend on scheduling.
  std::mutex mu;
  std::optional<std::pair<uint32_t, Error>> first;
  detail::parallel_ranges(n, params.threads, [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) {
      LeafIndex li{static_cast<uint32_t>(i)};
      const LeafNode* l = tree.leaf_node(li);
      if (l == nullptr) continue;
      Status s = verify_leaf(tree.suite(), *l, li, params, in_use);
      if (!s) {
        std::lock_guard lock(mu);
        if (!first || first->first > i) first = std::pair{uint32_t(i), s.error()};
        return;
      }
    }
  });
  if (first) return tl::unexpected(first->second);
  return verify_parent_hashes(tree);
}

}  // namespace mls::tree
