// tree-validation.json: resolutions and tree hashes of every node, parent
// hashes and leaf signatures (test-vectors.md, Tree Validation).
#include "tree/validation.h"
#include "vectors.h"

namespace mls::vectors {

Status check_tree_validation(const json& c) {
  auto suite = MLS_TRY(crypto::CipherSuite::get(c.at("cipher_suite").get<uint16_t>()));
  auto tree = MLS_TRY(tree::RatchetTree::decode(suite, hex_field(c, "tree")));
  const json& resolutions = c.at("resolutions");
  const json& hashes = c.at("tree_hashes");
  MLS_CHECK(expect_equal("node count", resolutions.size(), tree.width()));
  MLS_CHECK(expect_equal("tree_hashes count", hashes.size(), tree.width()));
  for (uint32_t x = 0; x < tree.width(); ++x) {
    std::string where = "[" + std::to_string(x) + "]";
    std::vector<uint32_t> got;
    for (auto n : tree.resolution(tree::NodeIndex(x))) got.push_back(n.value);
    auto want = resolutions[x].get<std::vector<uint32_t>>();
    MLS_CHECK(expect_true("resolutions" + where + " differ", got == want));
    Bytes want_hash = MLS_TRY(from_hex(hashes[x].get<std::string>()));
    MLS_CHECK(expect_equal("tree_hashes" + where, tree.tree_hash(tree::NodeIndex(x)), want_hash));
  }
  // The checks of joining: parent hashes and leaf signatures, with the rest
  // of §12.4.3.1 (keys, unmerged leaves, capabilities) on top.
  tree::AcceptAllCredentials accept;
  tree::TreeValidationParams params;
  params.group_id = hex_field(c, "group_id");
  params.credentials = &accept;
  return tree::validate_tree(tree, params);
}

}  // namespace mls::vectors
