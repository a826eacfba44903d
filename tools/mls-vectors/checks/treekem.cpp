// treekem.json: private TreeKEM states, processing the given UpdatePaths,
// and generating a new one that every other member processes
// (test-vectors.md, TreeKEM).
#include "tree/treekem.h"

#include "messages/group_context.h"
#include "vectors.h"

namespace mls::vectors {

namespace {

struct Case {
  crypto::CipherSuite suite;
  Bytes group_id;
  uint64_t epoch;
  Bytes confirmed_transcript_hash;
};

// The provisional GroupContext: the case's values, the tree hash of the
// tree with the path merged, no extensions.
Bytes group_context(const Case& k, BytesView tree_hash) {
  GroupContext ctx;
  ctx.cipher_suite = k.suite.id();
  ctx.group_id = k.group_id;
  ctx.epoch = k.epoch;
  ctx.tree_hash = Bytes(tree_hash.begin(), tree_hash.end());
  ctx.confirmed_transcript_hash = k.confirmed_transcript_hash;
  return codec::encode(ctx);
}

Result<Bytes> optional_hex(const json& v) {
  if (v.is_null()) return Bytes{};
  return from_hex(v.get<std::string>());
}

}  // namespace

Status check_treekem(const json& c) {
  Case k{MLS_TRY(crypto::CipherSuite::get(c.at("cipher_suite").get<uint16_t>())),
         hex_field(c, "group_id"), c.at("epoch").get<uint64_t>(),
         hex_field(c, "confirmed_transcript_hash")};
  auto tree = MLS_TRY(tree::RatchetTree::decode(k.suite, hex_field(c, "ratchet_tree")));

  // The private states, each checked against the public tree.
  std::map<uint32_t, tree::PrivateTree> privs;
  std::map<uint32_t, Bytes> signature_keys;
  for (const auto& lp : c.at("leaves_private")) {
    tree::LeafIndex index(lp.at("index").get<uint32_t>());
    SecretBytes priv(hex_field(lp, "encryption_priv"));
    Bytes pub = MLS_TRY(k.suite.hpke_public_key(priv));
    tree::PrivateTree state(index, crypto::HpkeKeyPair{std::move(priv), std::move(pub)});
    for (const auto& ps : lp.at("path_secrets")) {
      MLS_CHECK(state.set_path_secret(tree, tree::NodeIndex(ps.at("node").get<uint32_t>()),
                                      hex_field(ps, "path_secret")));
    }
    MLS_CHECK(state.check_consistent(tree));
    signature_keys[index.value] = hex_field(lp, "signature_priv");
    privs.emplace(index.value, std::move(state));
  }

  for (const auto& up : c.at("update_paths")) {
    tree::LeafIndex sender(up.at("sender").get<uint32_t>());
    std::string who = "update_paths[sender " + std::to_string(sender.value) + "]";
    auto path = MLS_TRY(codec::decode_all<UpdatePath>(hex_field(up, "update_path")));
    Bytes want_commit = hex_field(up, "commit_secret");

    // Merge it (this checks the leaf's parent hash against the path) and
    // have every other member decrypt it.
    tree::TreeDiff diff(tree);
    MLS_CHECK(tree::merge_update_path(diff, sender, path));
    Bytes ctx = group_context(k, diff.root_hash());
    for (auto& [j, priv] : privs) {
      if (j == sender.value) continue;
      auto got = MLS_TRY(tree::decrypt_update_path(diff, priv, sender, path, ctx, {}));
      Bytes want_secret = MLS_TRY(optional_hex(up.at("path_secrets").at(j)));
      MLS_CHECK(expect_equal(who + " path_secret of leaf " + std::to_string(j),
                             got.path_secret.expose(), want_secret));
      MLS_CHECK(expect_equal(who + " commit_secret at leaf " + std::to_string(j),
                             got.commit_secret.expose(), want_commit));
    }
    MLS_CHECK(
        expect_equal(who + " tree_hash_after", diff.root_hash(), hex_field(up, "tree_hash_after")));

    // A fresh UpdatePath from the same leaf: everyone else agrees on its
    // commit secret.
    auto signer = MLS_TRY(
        crypto::PrivateKeySigner::from_private_key(k.suite, signature_keys.at(sender.value)));
    tree::TreeDiff fresh(tree);
    auto secret = MLS_TRY(tree::fresh_leaf_secret(k.suite));
    auto prepared = MLS_TRY(tree::prepare_update_path(fresh, sender, secret,
                                                      *tree.leaf_node(sender), signer, k.group_id));
    Bytes fresh_ctx = group_context(k, fresh.root_hash());
    auto new_path = MLS_TRY(prepared.encrypt(fresh, fresh_ctx, {}));
    for (auto& [j, priv] : privs) {
      if (j == sender.value) continue;
      tree::TreeDiff theirs(tree);
      MLS_CHECK(tree::merge_update_path(theirs, sender, new_path));
      MLS_CHECK(expect_equal(who + " new tree hash at leaf " + std::to_string(j),
                             theirs.root_hash(), fresh.root_hash()));
      auto got = MLS_TRY(tree::decrypt_update_path(theirs, priv, sender, new_path,
                                                   group_context(k, theirs.root_hash()), {}));
      MLS_CHECK(expect_equal(who + " new commit_secret at leaf " + std::to_string(j),
                             got.commit_secret.expose(), prepared.commit_secret.expose()));
    }
  }
  return {};
}

}  // namespace mls::vectors
