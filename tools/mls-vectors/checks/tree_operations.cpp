// tree-operations.json: apply one Add, Update or Remove to a tree and compare
// the resulting tree and both tree hashes (test-vectors.md, Tree Operations).
#include "messages/proposal.h"
#include "tree/tree_diff.h"
#include "vectors.h"

namespace mls::vectors {

Status check_tree_operations(const json& c) {
  auto suite = MLS_TRY(crypto::CipherSuite::get(c.at("cipher_suite").get<uint16_t>()));
  auto tree = MLS_TRY(tree::RatchetTree::decode(suite, hex_field(c, "tree_before")));
  MLS_CHECK(expect_equal("tree_hash_before", tree.root_hash(), hex_field(c, "tree_hash_before")));

  auto proposal = MLS_TRY(codec::decode_all<Proposal>(hex_field(c, "proposal")));
  tree::LeafIndex sender(c.at("proposal_sender").get<uint32_t>());
  tree::TreeDiff diff(tree);
  if (const auto* add = proposal.get<Add>()) {
    diff.add_leaf(add->key_package.leaf_node);
  } else if (const auto* update = proposal.get<Update>()) {
    MLS_CHECK(diff.update_leaf(sender, update->leaf_node));
  } else if (const auto* remove = proposal.get<Remove>()) {
    MLS_CHECK(diff.remove_leaf(tree::LeafIndex(remove->removed)));
  } else {
    return make_error(ErrorCode::invalid_value, "proposal is not add, update or remove");
  }
  MLS_CHECK(tree.merge(std::move(diff)));
  MLS_CHECK(expect_equal("tree_after", tree.encode(), hex_field(c, "tree_after")));
  return expect_equal("tree_hash_after", tree.root_hash(), hex_field(c, "tree_hash_after"));
}

}  // namespace mls::vectors
