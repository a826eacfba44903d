#include "mls/error.h"

namespace mls {

std::string_view to_string(ErrorCode code) {
  switch (code) {
#define MLS_ERROR_NAME(x) \
  case ErrorCode::x:      \
    return #x;
    MLS_ERROR_NAME(truncated)
    MLS_ERROR_NAME(trailing_data)
    MLS_ERROR_NAME(non_minimal_varint)
    MLS_ERROR_NAME(invalid_varint)
    MLS_ERROR_NAME(invalid_value)
    MLS_ERROR_NAME(unknown_value)
    MLS_ERROR_NAME(unsupported_cipher_suite)
    MLS_ERROR_NAME(crypto)
    MLS_ERROR_NAME(bad_signature)
    MLS_ERROR_NAME(bad_membership_tag)
    MLS_ERROR_NAME(bad_confirmation_tag)
    MLS_ERROR_NAME(decryption_failed)
    MLS_ERROR_NAME(invalid_key)
    MLS_ERROR_NAME(invalid_tree)
    MLS_ERROR_NAME(tree_hash_mismatch)
    MLS_ERROR_NAME(parent_hash_mismatch)
    MLS_ERROR_NAME(duplicate_key)
    MLS_ERROR_NAME(invalid_leaf_node)
    MLS_ERROR_NAME(invalid_unmerged_leaves)
    MLS_ERROR_NAME(invalid_path)
    MLS_ERROR_NAME(public_key_mismatch)
    MLS_ERROR_NAME(wrong_group)
    MLS_ERROR_NAME(wrong_epoch)
    MLS_ERROR_NAME(unknown_sender)
    MLS_ERROR_NAME(generation_too_old)
    MLS_ERROR_NAME(generation_too_far)
    MLS_ERROR_NAME(key_already_used)
    MLS_ERROR_NAME(bad_padding)
    MLS_ERROR_NAME(invalid_sender)
    MLS_ERROR_NAME(unknown_psk)
    MLS_ERROR_NAME(invalid_key_package)
    MLS_ERROR_NAME(invalid_proposal)
    MLS_ERROR_NAME(invalid_psk_proposal)
    MLS_ERROR_NAME(invalid_reinit)
    MLS_ERROR_NAME(invalid_resumption)
    MLS_ERROR_NAME(unsupported_capability)
    MLS_ERROR_NAME(update_by_committer)
    MLS_ERROR_NAME(remove_of_committer)
    MLS_ERROR_NAME(conflicting_proposals)
    MLS_ERROR_NAME(duplicate_add)
    MLS_ERROR_NAME(member_already_present)
    MLS_ERROR_NAME(duplicate_psk)
    MLS_ERROR_NAME(multiple_group_context_extensions)
    MLS_ERROR_NAME(reinit_not_alone)
    MLS_ERROR_NAME(external_init_not_allowed)
    MLS_ERROR_NAME(proposal_not_allowed)
    MLS_ERROR_NAME(invalid_external_commit)
    MLS_ERROR_NAME(missing_path)
    MLS_ERROR_NAME(invalid_commit)
    MLS_ERROR_NAME(invalid_welcome)
    MLS_ERROR_NAME(invalid_group_info)
    MLS_ERROR_NAME(not_found)
    MLS_ERROR_NAME(rejected_by_policy)
    MLS_ERROR_NAME(invalid_credential)
    MLS_ERROR_NAME(usage)
    MLS_ERROR_NAME(internal)
#undef MLS_ERROR_NAME
  }
  return "unknown";
}

std::string Error::describe() const {
  std::string out(to_string(code));
  out += ": ";
  out += message;
  return out;
}

}  // namespace mls
