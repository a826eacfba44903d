// Validation of a ratchet tree received from someone else (RFC 9420 §7.3,
// §7.9.2, §12.4.3.1): the one place where the protocol asks for O(N) work.
// It is done in one pass per kind of check, the per-leaf part (signature,
// credential, capabilities, hash) on every core.
#pragma once

#include <optional>
#include <vector>

#include "messages/group_extensions.h"
#include "tree/ratchet_tree.h"
#include "tree/verified.h"

namespace mls::tree {

struct TreeValidationParams {
  // The group the tree belongs to: leaf signatures of update and commit
  // leaves cover it with their leaf index (§7.2).
  Bytes group_id;
  // What every member must support (§11.1): the group's
  // required_capabilities, with the types of the GroupContext extensions
  // added to extension_types by the caller.
  RequiredCapabilities required;
  // Seconds since the Unix epoch; when set, key_package leaves must be
  // within their lifetime (§7.3 RECOMMENDS it for received trees).
  std::optional<uint64_t> now;
  // The GroupContext's tree_hash, when the tree comes with one (§12.4.3.1).
  std::optional<Bytes> expected_tree_hash;
  // The application's authentication service; must be set.
  const CredentialValidator* credentials = nullptr;
  // Threads for the per-leaf checks; 0 for one per core.
  unsigned threads = 0;
};

// Every check of a received tree, each failure its own code:
//   tree_hash_mismatch       the root hash is not expected_tree_hash
//   invalid_unmerged_leaves  an unmerged leaf unsorted, out of range, blank,
//                            not below its parent, or missing from a
//                            non-blank node in between (§12.4.3.1)
//   duplicate_key            two nodes with one encryption key, or two leaves
//                            with one signature key (§7.3, §12.4.3.1)
//   unsupported_capability   a leaf not supporting the suite, version,
//                            required capabilities or a credential type in
//                            use (§7.2, §7.3)
//   invalid_leaf_node        a leaf carrying extensions its capabilities do
//                            not list, or out of its lifetime
//   bad_signature            a leaf signature that does not verify (§7.2)
//   invalid_credential       (or the validator's code) a rejected credential
//   parent_hash_mismatch     a non-blank parent not parent-hash valid (§7.9.2)
//   usage                    no credential validator
[[nodiscard]] Status validate_tree(const RatchetTree& tree, const TreeValidationParams& params);

// The parts, for callers that check a tree or a leaf piecemeal.
[[nodiscard]] Status verify_unmerged_leaves(const TreeView& tree);
// Expects verify_unmerged_leaves to have passed (it relies on sorted lists).
[[nodiscard]] Status verify_parent_hashes(const TreeView& tree);
// One leaf as §7.3 asks, except uniqueness of keys and the credential types
// of the other members (tree-wide checks), given the credential types in use.
[[nodiscard]] Status verify_leaf(const crypto::CipherSuite& suite, const LeafNode& leaf,
                                 LeafIndex index, const TreeValidationParams& params,
                                 std::span<const uint16_t> credential_types_in_use);

}  // namespace mls::tree

namespace mls {

// The only way to a Verified<RatchetTree>: validate_tree passed.
template <>
struct Verifier<tree::RatchetTree> {
  [[nodiscard]] static Result<Verified<tree::RatchetTree>> verify(
      tree::RatchetTree tree, const tree::TreeValidationParams& params) {
    MLS_CHECK(tree::validate_tree(tree, params));
    return Verified<tree::RatchetTree>(std::move(tree));
  }
};

}  // namespace mls
