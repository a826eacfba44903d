#include "tree/treekem.h"

#include <algorithm>

#include "crypto/labeled.h"
#include "crypto/random.h"

namespace mls::tree {

namespace {

constexpr std::string_view kUpdatePathNode = "UpdatePathNode";

// node_priv, node_pub = KEM.DeriveKeyPair(DeriveSecret(path_secret, "node")) (§7.4)
Result<crypto::HpkeKeyPair> node_key_pair(const crypto::CipherSuite& suite, BytesView path_secret) {
  SecretBytes node_secret = MLS_TRY(crypto::derive_secret(suite, path_secret, "node"));
  return suite.hpke_derive(node_secret);
}

// path_secret[n] = DeriveSecret(path_secret[n-1], "path") (§7.4)
Result<SecretBytes> next_path_secret(const crypto::CipherSuite& suite, BytesView path_secret) {
  return crypto::derive_secret(suite, path_secret, "path");
}

// The parent_hash field of each node of a path, and of the leaf, for the
// given new public keys (§7.9): computed top down, each node's parent hash
// covering the next node up. Reads the tree only for the copath children,
// which the path does not change.
struct PathHashes {
  std::vector<Bytes> node_fields;  // parent_hash field per step
  Bytes leaf_field;
};
PathHashes path_parent_hashes(const TreeView& tree, const std::vector<TreeView::PathStep>& path,
                              const std::vector<const Bytes*>& keys) {
  PathHashes out;
  out.node_fields.resize(path.size());
  Bytes above;  // the topmost node has a zero-length parent_hash
  for (size_t i = path.size(); i-- > 0;) {
    out.node_fields[i] = above;
    // A freshly set node has no unmerged leaves, so the original sibling
    // tree hash is the sibling's current tree hash.
    above = parent_hash(tree.suite(), *keys[i], out.node_fields[i],
                        tree.tree_hash(path[i].copath_child));
  }
  out.leaf_field = std::move(above);
  return out;
}

// The resolution of a copath child without the leaves added by this commit.
std::vector<NodeIndex> encryption_targets(const TreeView& tree, NodeIndex copath_child,
                                          std::span<const LeafIndex> joiners) {
  std::vector<NodeIndex> res = tree.resolution(copath_child);
  std::erase_if(res, [&](NodeIndex r) {
    return r.is_leaf() && std::find(joiners.begin(), joiners.end(), r.leaf()) != joiners.end();
  });
  return res;
}

bool is_on_direct_path(NodeIndex x, LeafIndex leaf) {
  uint32_t n = NodeIndex(leaf).value;
  return n >= subtree_first(x) && n <= subtree_last(x);
}

}  // namespace

// --- PrivateTree ------------------------------------------------------------------

PrivateTree::PrivateTree(LeafIndex own, crypto::HpkeKeyPair leaf_keys) : own_(own) {
  keys_.emplace(NodeIndex(own).value, std::move(leaf_keys));
}

PrivateTree PrivateTree::clone() const {
  PrivateTree out(own_);
  for (const auto& [x, kp] : keys_) {
    out.keys_.emplace(x, crypto::HpkeKeyPair{kp.private_key.clone(), kp.public_key});
  }
  return out;
}

const crypto::HpkeKeyPair* PrivateTree::key_for(const TreeView& tree, NodeIndex x) const {
  auto it = keys_.find(x.value);
  if (it == keys_.end()) return nullptr;
  const Bytes* pub = tree.encryption_key(x);
  if (pub == nullptr || *pub != it->second.public_key) return nullptr;
  return &it->second;
}

Status PrivateTree::set_path_secret(const TreeView& tree, NodeIndex x, BytesView path_secret) {
  if (!is_on_direct_path(x, own_) || x.value >= tree.width()) {
    return make_error(ErrorCode::usage, "node " + std::to_string(x.value) +
                                            " is not on the direct path of leaf " +
                                            std::to_string(own_.value));
  }
  crypto::HpkeKeyPair kp = MLS_TRY(node_key_pair(tree.suite(), path_secret));
  const Bytes* pub = tree.encryption_key(x);
  if (pub == nullptr || *pub != kp.public_key) {
    return make_error(
        ErrorCode::public_key_mismatch,
        "path secret does not match the public key of node " + std::to_string(x.value));
  }
  keys_[x.value] = std::move(kp);
  return {};
}

Result<SecretBytes> PrivateTree::implant(const TreeView& tree, NodeIndex ancestor,
                                         BytesView path_secret) {
  if (!is_on_direct_path(ancestor, own_) || ancestor.value >= tree.width()) {
    return make_error(ErrorCode::usage, "node is not an ancestor of our leaf");
  }
  SecretBytes secret(path_secret);
  std::map<uint32_t, crypto::HpkeKeyPair> staged;
  for (std::optional<NodeIndex> x = ancestor; x; x = parent(*x, tree.leaf_count())) {
    if (tree.is_blank(*x)) continue;  // not on the committer's filtered path
    crypto::HpkeKeyPair kp = MLS_TRY(node_key_pair(tree.suite(), secret));
    const Bytes* pub = tree.encryption_key(*x);
    if (*pub != kp.public_key) {
      return make_error(ErrorCode::public_key_mismatch,
                        "path secret does not match node " + std::to_string(x->value));
    }
    staged[x->value] = std::move(kp);
    secret = MLS_TRY(next_path_secret(tree.suite(), secret));
  }
  for (auto& [x, kp] : staged) keys_[x] = std::move(kp);
  return secret;
}

Status PrivateTree::check_consistent(const TreeView& tree) const {
  for (const auto& [x, kp] : keys_) {
    const Bytes* pub = tree.encryption_key(NodeIndex(x));
    if (pub == nullptr || *pub != kp.public_key) {
      return make_error(ErrorCode::public_key_mismatch,
                        "private key for node " + std::to_string(x) + " does not match the tree");
    }
  }
  return {};
}

void PrivateTree::merge(const TreeView& tree_after, PathKeys&& staged) {
  for (auto& [x, kp] : staged.keys) keys_[x] = std::move(kp);
  staged.keys.clear();
  std::erase_if(keys_, [&](const auto& entry) {
    NodeIndex x(entry.first);
    const Bytes* pub = x.value < tree_after.width() ? tree_after.encryption_key(x) : nullptr;
    return pub == nullptr || *pub != entry.second.public_key || !is_on_direct_path(x, own_);
  });
}

// --- generating -------------------------------------------------------------------

Result<SecretBytes> fresh_leaf_secret(const crypto::CipherSuite& suite) {
  return crypto::random_secret(suite.hash_size());
}

Result<PreparedPath> prepare_update_path(TreeDiff& diff, LeafIndex from, BytesView leaf_secret,
                                         LeafNode leaf, const crypto::Signer& signer,
                                         BytesView group_id) {
  const crypto::CipherSuite& suite = diff.suite();
  if (from.value >= diff.leaf_count().value) {
    return make_error(ErrorCode::usage, "committer leaf outside the tree");
  }
  PreparedPath out;
  out.from = from;
  out.path = diff.filtered_direct_path(from);

  // Everything is derived before the diff changes, so a failure leaves it as it was.
  crypto::HpkeKeyPair leaf_keys = MLS_TRY(node_key_pair(suite, leaf_secret));
  SecretBytes secret = MLS_TRY(next_path_secret(suite, leaf_secret));
  std::vector<const Bytes*> pubs;
  for (const auto& step : out.path) {
    crypto::HpkeKeyPair kp = MLS_TRY(node_key_pair(suite, secret));
    SecretBytes next = MLS_TRY(next_path_secret(suite, secret));
    out.path_secrets.push_back(std::move(secret));
    secret = std::move(next);
    out.keys.keys[step.node.value] = std::move(kp);
  }
  out.commit_secret = std::move(secret);
  for (const auto& step : out.path) pubs.push_back(&out.keys.keys[step.node.value].public_key);
  PathHashes hashes = path_parent_hashes(diff, out.path, pubs);

  leaf.encryption_key = leaf_keys.public_key;
  leaf.leaf_node_source = LeafNodeSource::commit;
  leaf.lifetime.reset();
  leaf.parent_hash = hashes.leaf_field;
  MLS_CHECK(leaf.sign(signer, group_id, from.value));
  out.keys.keys[NodeIndex(from).value] = std::move(leaf_keys);

  diff.blank_path(from);
  for (size_t i = 0; i < out.path.size(); ++i) {
    diff.set_parent(out.path[i].node, ParentNode{*pubs[i], hashes.node_fields[i], {}});
  }
  diff.set_leaf(from, leaf);
  out.leaf_node = std::move(leaf);
  return out;
}

Result<UpdatePath> PreparedPath::encrypt(const TreeView& diff, BytesView group_context,
                                         std::span<const LeafIndex> joiners) const {
  UpdatePath up;
  up.leaf_node = leaf_node;
  for (size_t i = 0; i < path.size(); ++i) {
    UpdatePathNode node;
    node.encryption_key = keys.keys.at(path[i].node.value).public_key;
    for (NodeIndex r : encryption_targets(diff, path[i].copath_child, joiners)) {
      const Bytes* pub = diff.encryption_key(r);
      if (pub == nullptr) return make_error(ErrorCode::internal, "blank node in a resolution");
      node.encrypted_path_secret.push_back(MLS_TRY(crypto::encrypt_with_label(
          diff.suite(), *pub, kUpdatePathNode, group_context, path_secrets[i])));
    }
    up.nodes.push_back(std::move(node));
  }
  return up;
}

const SecretBytes* PreparedPath::path_secret_for(LeafIndex joiner) const {
  for (size_t i = 0; i < path.size(); ++i) {
    if (is_on_direct_path(path[i].copath_child, joiner)) return &path_secrets[i];
  }
  return nullptr;
}

// --- receiving ----------------------------------------------------------------------

Status merge_update_path(TreeDiff& diff, LeafIndex sender, const UpdatePath& path) {
  if (sender.value >= diff.leaf_count().value) {
    return make_error(ErrorCode::invalid_path, "sender leaf outside the tree");
  }
  if (path.leaf_node.leaf_node_source != LeafNodeSource::commit) {
    return make_error(ErrorCode::invalid_leaf_node, "UpdatePath leaf_node_source is not commit");
  }
  auto steps = diff.filtered_direct_path(sender);
  if (path.nodes.size() != steps.size()) {
    return make_error(ErrorCode::invalid_path,
                      "UpdatePath has " + std::to_string(path.nodes.size()) +
                          " nodes, the filtered direct path " + std::to_string(steps.size()));
  }
  // §12.4.2: no public key of the path may already be in the tree, and the
  // new leaf key differs from the current one.
  std::vector<const Bytes*> keys;
  keys.push_back(&path.leaf_node.encryption_key);
  for (const auto& node : path.nodes) keys.push_back(&node.encryption_key);
  for (size_t i = 0; i < keys.size(); ++i) {
    if (auto at = diff.find_encryption_key(*keys[i])) {
      return make_error(ErrorCode::duplicate_key,
                        "UpdatePath public key already at node " + std::to_string(at->value));
    }
    for (size_t j = 0; j < i; ++j) {
      if (*keys[j] == *keys[i]) {
        return make_error(ErrorCode::duplicate_key, "UpdatePath repeats a public key");
      }
    }
  }
  std::vector<const Bytes*> node_keys(keys.begin() + 1, keys.end());
  PathHashes hashes = path_parent_hashes(diff, steps, node_keys);
  if (path.leaf_node.parent_hash != hashes.leaf_field) {
    return make_error(ErrorCode::parent_hash_mismatch,
                      "UpdatePath leaf parent_hash " + to_hex(path.leaf_node.parent_hash) +
                          ", the path gives " + to_hex(hashes.leaf_field));
  }
  diff.blank_path(sender);
  for (size_t i = 0; i < steps.size(); ++i) {
    diff.set_parent(steps[i].node, ParentNode{*node_keys[i], hashes.node_fields[i], {}});
  }
  diff.set_leaf(sender, path.leaf_node);
  return {};
}

Result<DecryptedPath> decrypt_update_path(const TreeView& diff, const PrivateTree& priv,
                                          LeafIndex sender, const UpdatePath& path,
                                          BytesView group_context,
                                          std::span<const LeafIndex> joiners) {
  const crypto::CipherSuite& suite = diff.suite();
  if (priv.leaf() == sender) {
    return make_error(ErrorCode::usage, "decrypting our own UpdatePath");
  }
  auto steps = diff.filtered_direct_path(sender);
  if (path.nodes.size() != steps.size()) {
    return make_error(ErrorCode::invalid_path, "UpdatePath node count differs from the path");
  }
  // The step whose copath child holds our leaf: the common ancestor.
  size_t i = 0;
  while (i < steps.size() && !is_on_direct_path(steps[i].copath_child, priv.leaf())) ++i;
  if (i == steps.size()) {
    return make_error(ErrorCode::invalid_path, "our leaf is not under the sender's path");
  }
  auto targets = encryption_targets(diff, steps[i].copath_child, joiners);
  const auto& cts = path.nodes[i].encrypted_path_secret;
  if (cts.size() != targets.size()) {
    return make_error(ErrorCode::invalid_path, "node " + std::to_string(steps[i].node.value) +
                                                   " has " + std::to_string(cts.size()) +
                                                   " ciphertexts for a resolution of " +
                                                   std::to_string(targets.size()));
  }
  size_t j = 0;
  const crypto::HpkeKeyPair* key = nullptr;
  for (; j < targets.size() && key == nullptr; ++j) key = priv.key_for(diff, targets[j]);
  if (key == nullptr) {
    return make_error(ErrorCode::invalid_path, "no private key for the resolution of node " +
                                                   std::to_string(steps[i].copath_child.value));
  }
  --j;
  DecryptedPath out;
  out.node = steps[i].node;
  out.path_secret = MLS_TRY(
      crypto::decrypt_with_label(suite, key->private_key, kUpdatePathNode, group_context, cts[j]));
  if (out.path_secret.size() != suite.hash_size()) {
    return make_error(ErrorCode::invalid_path, "path secret of the wrong length");
  }
  SecretBytes secret = out.path_secret.clone();
  for (size_t k = i; k < steps.size(); ++k) {
    crypto::HpkeKeyPair kp = MLS_TRY(node_key_pair(suite, secret));
    if (kp.public_key != path.nodes[k].encryption_key) {
      return make_error(ErrorCode::public_key_mismatch, "derived public key differs at node " +
                                                            std::to_string(steps[k].node.value));
    }
    out.keys.keys[steps[k].node.value] = std::move(kp);
    secret = MLS_TRY(next_path_secret(suite, secret));
  }
  out.commit_secret = std::move(secret);
  return out;
}

}  // namespace mls::tree
