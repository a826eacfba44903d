// Builds a valid ratchet tree of n members directly, as if every member had
// joined and then each, from leaf 0 to leaf n-1, had sent a full commit:
// every parent above two non-empty subtrees is set, its chain of parent
// hashes goes down its right edge, and every leaf is signed over its place.
// Real and unique keys throughout. O(n) instead of n commits, so the tests
// and the benchmarks (bench/tree_bench.cpp) get trees of 50,000 members.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "crypto/labeled.h"
#include "tree/parallel.h"
#include "tree/ratchet_tree.h"
#include "tree/treekem.h"

namespace mls::tree::testing {

struct BuiltTree {
  std::vector<std::optional<Node>> nodes;  // node i at i, trailing blanks left out
  std::vector<crypto::HpkeKeyPair> leaf_keys;
  std::vector<crypto::SignatureKeyPair> signature_keys;
  std::map<uint32_t, crypto::HpkeKeyPair> parent_keys;  // by node index
  Bytes group_id;
};

inline LeafNode member_leaf(const crypto::CipherSuite& suite, uint32_t i, Bytes encryption_key,
                            Bytes signature_key) {
  LeafNode leaf;
  leaf.encryption_key = std::move(encryption_key);
  leaf.signature_key = std::move(signature_key);
  leaf.credential = Credential::basic(to_bytes("member-" + std::to_string(i)));
  leaf.capabilities.versions = {kMls10};
  leaf.capabilities.cipher_suites = {suite.id()};
  leaf.capabilities.credentials = {static_cast<uint16_t>(CredentialType::basic)};
  leaf.leaf_node_source = LeafNodeSource::commit;
  return leaf;
}

namespace detail_builder {

struct Builder {
  const crypto::CipherSuite& suite;
  uint32_t members;
  LeafCount count;
  BuiltTree& out;

  bool empty(NodeIndex x) const { return subtree_first(x) / 2 >= members; }

  // Fills the subtree under x given x's parent_hash field; returns its tree hash.
  Bytes build(NodeIndex x, Bytes parent_hash_field) {
    if (x.is_leaf()) {
      uint32_t i = x.leaf().value;
      if (i >= members) return leaf_tree_hash(suite, x.leaf(), nullptr);
      LeafNode leaf =
          member_leaf(suite, i, out.leaf_keys[i].public_key, out.signature_keys[i].public_key);
      leaf.parent_hash = std::move(parent_hash_field);
      leaf.signature = crypto::sign_with_label(suite, out.signature_keys[i].private_key,
                                               "LeafNodeTBS", leaf.to_be_signed(out.group_id, i))
                           .value();
      Bytes h = leaf_tree_hash(suite, x.leaf(), &leaf);
      out.nodes[x.value] = Node{std::move(leaf)};
      return h;
    }
    NodeIndex l = *left(x), r = *right(x);
    if (empty(r)) {
      // The last committer below x filtered x out: x is blank and the
      // chain passes through it.
      Bytes lh = build(l, std::move(parent_hash_field));
      Bytes rh = build(r, {});
      return parent_tree_hash(suite, nullptr, lh, rh);
    }
    ParentNode node{out.parent_keys.at(x.value).public_key, std::move(parent_hash_field), {}};
    // The left child was last set by an older commit: a stale link.
    Bytes lh = build(l, suite.hash(to_bytes("stale link " + std::to_string(l.value))));
    Bytes ph = parent_hash(suite, node.encryption_key, node.parent_hash, lh);
    Bytes rh = build(r, std::move(ph));
    Bytes h = parent_tree_hash(suite, &node, lh, rh);
    out.nodes[x.value] = Node{std::move(node)};
    return h;
  }
};

}  // namespace detail_builder

inline BuiltTree build_tree(const crypto::CipherSuite& suite, uint32_t members,
                            Bytes group_id = to_bytes("group")) {
  BuiltTree out;
  out.group_id = std::move(group_id);
  LeafCount count = LeafCount::full(members);
  out.leaf_keys.resize(members);
  out.signature_keys.resize(members);
  // Key generation dominates; it is independent per member.
  std::vector<uint32_t> parents;
  for (uint32_t x = 1; x < node_width(count); x += 2) {
    NodeIndex p(x);
    if (subtree_first(*right(p)) / 2 < members) parents.push_back(x);
  }
  std::vector<crypto::HpkeKeyPair> parent_keys(parents.size());
  mls::tree::detail::parallel_ranges(members + parents.size(), 0, [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) {
      if (i < members) {
        out.leaf_keys[i] = suite.hpke_generate().value();
        out.signature_keys[i] = suite.signature_generate().value();
      } else {
        parent_keys[i - members] = suite.hpke_generate().value();
      }
    }
  });
  for (size_t k = 0; k < parents.size(); ++k) {
    out.parent_keys.emplace(parents[k], std::move(parent_keys[k]));
  }
  out.nodes.resize(node_width(count));
  detail_builder::Builder b{suite, members, count, out};
  b.build(root(count), {});
  while (!out.nodes.empty() && !out.nodes.back()) out.nodes.pop_back();
  return out;
}

// Stands in for the encoded provisional GroupContext when only the tree
// layer is exercised: what matters is that it covers the new tree hash.
inline Bytes context_for(BytesView tree_hash) {
  codec::Writer w;
  w.opaque(as_bytes("provisional group context"));
  w.opaque(tree_hash);
  return w.take();
}

inline RatchetTree to_tree(const crypto::CipherSuite& suite, const BuiltTree& built) {
  return RatchetTree::from_nodes(suite, built.nodes).value();
}

// The private view (§4.2) of member `leaf` of a built tree: its leaf key and
// the keys of the parents on its direct path.
inline PrivateTree private_tree(const BuiltTree& built, const RatchetTree& tree, LeafIndex leaf) {
  const auto& own = built.leaf_keys[leaf.value];
  PrivateTree priv(leaf, {own.private_key.clone(), own.public_key});
  PathKeys keys;
  for (NodeIndex x : direct_path(NodeIndex(leaf), tree.leaf_count())) {
    auto it = built.parent_keys.find(x.value);
    if (it == built.parent_keys.end()) continue;
    keys.keys[x.value] = {it->second.private_key.clone(), it->second.public_key};
  }
  priv.merge(tree, std::move(keys));
  return priv;
}

}  // namespace mls::tree::testing
