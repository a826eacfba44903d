// Errors are values: every fallible operation returns mls::Result<T>.
// Hostile input is an ordinary event, so nothing here throws across the API.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

namespace mls {

// One code per kind of failure a caller may want to tell apart. The message
// says what and where; the code is what programs branch on.
enum class ErrorCode : uint16_t {
  // Decoding (RFC 9420 §2.1)
  truncated,           // input ended before the value did
  trailing_data,       // bytes left over after a complete value
  non_minimal_varint,  // a length header not in its shortest form
  invalid_varint,      // the reserved 0b11 length prefix
  invalid_value,       // a field holds a value the RFC does not allow
  unknown_value,       // an enum or select tag we do not know
  // Crypto
  unsupported_cipher_suite,
  crypto,              // a primitive failed (OpenSSL error, bad key)
  bad_signature,
  bad_membership_tag,
  bad_confirmation_tag,
  decryption_failed,   // AEAD or HPKE open failed
  invalid_key,         // a key that does not parse or is not on the curve
  // Tree (RFC 9420 §4, §7)
  invalid_tree,
  tree_hash_mismatch,
  parent_hash_mismatch,
  duplicate_key,
  invalid_leaf_node,
  invalid_unmerged_leaves,
  invalid_path,
  public_key_mismatch,
  // Key schedule, secret tree, framing (RFC 9420 §6, §8, §9)
  wrong_group,
  wrong_epoch,
  unknown_sender,
  generation_too_old,
  generation_too_far,
  key_already_used,
  bad_padding,
  invalid_sender,
  unknown_psk,
  // Group (RFC 9420 §10-§12)
  invalid_key_package,
  invalid_proposal,    // a proposal that is invalid on its own (§12.1)
  invalid_psk_proposal,        // §12.1.4: nonce not Nh bytes, reinit/branch usage misplaced
  invalid_reinit,              // §12.1.5: version below the group's; §11.2 mismatch
  invalid_resumption,          // §11.2, §11.3, §12.4.3.1: a Welcome that resumes a group
                               // (reinit/branch PSK) does not follow from it
  unsupported_capability,      // §7.2, §12.1.7, §12.2: a member lacks a required capability
  // §12.2 proposal list validation, one code per rule:
  update_by_committer,         // an Update from the committer
  remove_of_committer,         // a Remove of the committer
  conflicting_proposals,       // two Update/Remove for one leaf
  duplicate_add,               // two Adds of one client
  member_already_present,      // an Add of a client already in the group
  duplicate_psk,               // two PreSharedKey proposals for one PSK
  multiple_group_context_extensions,
  reinit_not_alone,            // a ReInit with any other proposal
  external_init_not_allowed,   // an ExternalInit in a regular commit
  proposal_not_allowed,        // a proposal type a sender may not send (§12.1.8, §12.4.3.2)
  invalid_external_commit,     // §12.2 external commit rules, §12.4.3.2
  missing_path,                // §12.4.2: a commit that needs a path has none
  invalid_commit,
  invalid_welcome,
  invalid_group_info,
  not_found,
  rejected_by_policy,
  invalid_credential,
  usage,               // the caller used the API wrongly
  internal,
};

std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;

  Error() = default;
  Error(ErrorCode c, std::string m) : code(c), message(std::move(m)) {}

  // "code: message", for logs and test failures.
  std::string describe() const;
};

template <typename T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

inline tl::unexpected<Error> make_error(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error(code, std::move(message)));
}

inline Status ok() { return {}; }

}  // namespace mls

// Early return on error, yielding the value otherwise (GNU statement
// expression; g++ and clang both accept it).
#define MLS_TRY(expr)                                                \
  ({                                                                 \
    auto&& mls_try_r_ = (expr);                                      \
    if (!mls_try_r_) return ::tl::unexpected(std::move(mls_try_r_).error()); \
    std::move(*mls_try_r_);                                          \
  })

// Early return on error for Result<void> / Status.
#define MLS_CHECK(expr)                                              \
  do {                                                               \
    auto&& mls_check_r_ = (expr);                                    \
    if (!mls_check_r_) return ::tl::unexpected(std::move(mls_check_r_).error()); \
  } while (0)
