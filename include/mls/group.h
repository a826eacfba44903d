// The MLS group (RFC 9420 §10-§12): what applications program against.
//
//   auto alice = mls::Identity::generate(suite, mls::Credential::basic(to_bytes("alice")));
//   auto group = mls::Group::create(*alice, config);
//   auto bob_kp = bob->make_key_package();                        // bob, elsewhere
//   auto out = group->commit({.add = {bob_kp->key_package}});     // staged, not applied
//   group->merge_pending_commit();                                // now epoch 1
//   auto bob_group = mls::Group::join(*bob, *bob_kp, *out->welcome, config);
//
// Every message in and out is an encoded MLSMessage (§6). Every fallible call
// returns mls::Result; a call that fails leaves the group exactly as it was
// (a PrivateMessage that fails after its sender data opened has used up its
// ratchet key, as §9.2 demands, and nothing else).
//
// The wire structs a caller builds or inspects (Credential, KeyPackage,
// LeafNode, Proposal, GroupContext, PreSharedKeyID) and the CipherSuite and
// Signer interfaces come from the layers below; this header is the group API.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "crypto/cipher_suite.h"
#include "messages/credential.h"
#include "messages/group_context.h"
#include "messages/key_package.h"
#include "messages/proposal.h"
#include "mls/bytes.h"
#include "mls/error.h"
#include "schedule/psk.h"
#include "tree/node.h"

namespace mls {

// The application's authentication service (§5.3.1): called for every leaf the
// group accepts (joining, Add, Update, commit paths). Must be thread-safe.
using CredentialValidator = tree::CredentialValidator;
// Accepts every credential: for tests and demos only.
using AcceptAllCredentials = tree::AcceptAllCredentials;

// A client: its cipher suite, signature key (behind a Signer, so it may live
// in an HSM) and credential. One identity may make many KeyPackages and be
// in many groups; it is shared, immutable.
class Identity {
 public:
  // A fresh signature key pair for `suite` (§17.1 id). unsupported_cipher_suite.
  [[nodiscard]] static Result<Identity> generate(uint16_t suite, Credential credential);
  // Around an existing Signer; usage if it is null.
  [[nodiscard]] static Result<Identity> from_signer(uint16_t suite,
                                                    std::shared_ptr<const crypto::Signer> signer,
                                                    Credential credential);

  const crypto::CipherSuite& suite() const { return suite_; }
  const crypto::Signer& signer() const { return *signer_; }
  const Credential& credential() const { return credential_; }
  const Bytes& signature_key() const { return signer_->public_key(); }

  // A signed KeyPackage (§10) with fresh init and leaf keys; the bundle keeps
  // their private halves for Group::join. `lifetime` defaults to one hour
  // back to 90 days ahead (§7.2).
  // With `last_resort`, the KeyPackage carries the last_resort extension
  // (RFC 9420 §17.3 registry, RFC 9420 §16.8): a delivery service may hand it
  // out more than once when it has no other KeyPackage of this client.
  [[nodiscard]] Result<KeyPackageBundle> make_key_package(
      std::optional<Lifetime> lifetime = std::nullopt, bool last_resort = false) const;

  // The capabilities this library announces in leaves it makes (§7.2).
  Capabilities capabilities() const;

 private:
  Identity(crypto::CipherSuite suite, std::shared_ptr<const crypto::Signer> signer,
           Credential credential)
      : suite_(std::move(suite)), signer_(std::move(signer)), credential_(std::move(credential)) {}
  crypto::CipherSuite suite_;
  std::shared_ptr<const crypto::Signer> signer_;
  Credential credential_;
};

// How handshake messages (proposals and commits) go on the wire (§6): as a
// signed PublicMessage with a membership tag, or encrypted as a
// PrivateMessage. Application messages are always PrivateMessages.
enum class HandshakeFormat { public_message, private_message };

// Who sent a proposal, for the policy hook.
struct ProposalOrigin {
  // The member's leaf; nullopt for senders outside the group.
  std::optional<uint32_t> sender_leaf;
  bool by_reference = false;  // cached from a proposal message, or inline in a commit
  // For a sender outside the group (§12.1.8): the index of the signer in
  // the group's external_senders extension, or, for a new_member_proposal
  // (an Add a client signs for itself), nullopt with new_member = true.
  std::optional<uint32_t> external_sender;
  bool new_member = false;
};

// The application's rules beyond the RFC's (§12.2 "an application may extend
// the above procedure"): return an error (ideally rejected_by_policy) to
// refuse a proposal. Called for each proposal received, and for each
// proposal of a commit made or processed.
using ProposalPolicy = std::function<Status(const Proposal&, const ProposalOrigin&)>;

struct GroupConfig {
  HandshakeFormat handshake = HandshakeFormat::public_message;
  // How many epochs before the current one keep their application secrets so
  // that late application messages still decrypt (§9.2); nothing older.
  uint32_t past_epochs = 2;
  // Out-of-order window of each receiving ratchet (§9.2): how far ahead a
  // generation may be, and how many skipped keys below the newest are kept.
  uint32_t max_forward_distance = 1000;
  uint32_t out_of_order_tolerance = 128;
  // Required: the authentication service. usage if null.
  std::shared_ptr<const CredentialValidator> credentials;
  // Optional: refuses proposals the application does not allow.
  ProposalPolicy proposal_policy;
  // Optional: where external PSKs come from (§8.4).
  std::shared_ptr<const schedule::PskStore> psks;
  // Include an UpdatePath in every commit, even where §12.4 lets it be left
  // out (it then provides post-compromise security for the committer).
  bool always_include_path = true;
  // Zero bytes appended to each PrivateMessage content (§6.3.1).
  size_t padding = 0;
  // Reject KeyPackage leaves outside their lifetime (§10.1, §7.3). Off only
  // to replay recorded traffic (test vectors made long ago).
  bool check_lifetimes = true;
  // Resumption PSKs of this group's own past epochs kept for PSK proposals
  // (§8.6): this many, newest first.
  uint32_t resumption_psks = 8;
};

// One member of the group (a non-blank leaf).
struct Member {
  uint32_t leaf_index = 0;
  Credential credential;
  Bytes signature_key;
  Bytes encryption_key;
};

// What a commit does, for the caller to inspect before merging (§12.3).
struct CommitEffects {
  uint32_t committer = 0;
  uint64_t new_epoch = 0;
  std::vector<uint32_t> added;    // leaf indices in the new tree, in Add order
  std::vector<uint32_t> updated;  // leaves whose Update proposals were applied
  struct Removed {
    uint32_t leaf_index = 0;
    LeafNode leaf;  // the leaf it had before the commit
  };
  std::vector<Removed> removed;
  std::vector<PreSharedKeyID> psks;  // mixed into the key schedule, in order
  bool has_path = false;
  bool removes_us = false;       // merging ends our membership
  bool external = false;         // an external commit (§12.4.3.2): `committer` is the new member
  std::optional<ReInit> reinit;  // the commit covers a ReInit: the group ends (§11.2)
};

namespace group_detail {
struct GroupState;
struct StagedState;
struct TestAccess;  // unit tests reach the internal state through it
}  // namespace group_detail

// A commit validated and computed but not applied: the next epoch's tree
// changes (a diff over the current tree), secrets and context. Group::merge
// applies it in one step; dropping it changes nothing.
class StagedCommit {
 public:
  StagedCommit(StagedCommit&&) noexcept;
  StagedCommit& operator=(StagedCommit&&) noexcept;
  ~StagedCommit();
  const CommitEffects& effects() const;

  // Internal: made by Group::process only (StagedState is not visible here).
  explicit StagedCommit(std::unique_ptr<group_detail::StagedState> s);

 private:
  friend class Group;
  std::unique_ptr<group_detail::StagedState> state_;
};

// An application message (§6.3) that decrypted and whose signature verified.
struct ApplicationMessage {
  uint32_t sender = 0;
  uint64_t epoch = 0;  // may be a past epoch, within GroupConfig::past_epochs
  Bytes data;
  Bytes authenticated_data;
};

// A proposal that was validated and cached for this epoch's commit.
struct CachedProposal {
  uint32_t sender = 0;  // the member's leaf, or the external sender's index
  ProposalType type = 0;
  Bytes ref;  // its ProposalRef (§5.2)
  ProposalOrigin origin;
};

// What Group::process found.
using ProcessedMessage = std::variant<ApplicationMessage, CachedProposal, StagedCommit>;

// What commit() produced. The commit is pending in the group until
// merge_pending_commit() (after the delivery service accepted it) or
// discard_pending_commit() (another commit won the epoch).
struct CommitOutput {
  Bytes commit;                  // MLSMessage: PublicMessage or PrivateMessage
  std::optional<Bytes> welcome;  // MLSMessage(Welcome), when the commit adds members
  // MLSMessage(GroupInfo) of the new epoch, signed, when CommitOptions asked
  // for it (group_info or external_pub).
  std::optional<Bytes> group_info;
  // The new tree (§12.4.3.3), when ratchet_tree_in_welcome is false and there
  // is a Welcome or a GroupInfo.
  std::optional<Bytes> ratchet_tree;
  CommitEffects effects;
};

struct CommitOptions {
  // Add proposals by value (§12.1.1), each KeyPackage validated (§10.1).
  std::vector<KeyPackage> add;
  // Remove proposals by value (§12.1.3), by leaf index.
  std::vector<uint32_t> remove;
  // PreSharedKey proposals by value (§12.1.4): external PSKs by psk_id (each
  // must be in GroupConfig::psks), this group's resumption PSKs by epoch
  // (the current one or one still kept). unknown_psk otherwise.
  std::vector<Bytes> external_psks;
  std::vector<uint64_t> resumption_psks;
  // A GroupContextExtensions proposal by value (§12.1.7).
  std::optional<ExtensionList> group_context_extensions;
  // A ReInit proposal by value (§12.1.5); it must be the commit's only
  // proposal (§12.2). After merging, see Group::pending_reinit().
  std::optional<ReInit> reinit;
  // Put the ratchet tree in the Welcome and GroupInfo as the ratchet_tree
  // extension; when false it is returned in CommitOutput::ratchet_tree for
  // the caller to hand over out of band.
  bool ratchet_tree_in_welcome = true;
  // Return the new epoch's GroupInfo in CommitOutput::group_info (for
  // external joiners, §12.4.3.2), with the tree unless ratchet_tree_in_welcome
  // is false. Off by default: the tree makes it O(N) work, and a commit
  // otherwise costs O(log N). Group::group_info() makes one at any time.
  bool group_info = false;
  // Return the GroupInfo with an external_pub extension (§12.4.3.2).
  bool external_pub = false;
  // Include an UpdatePath even where neither §12.4 nor
  // GroupConfig::always_include_path asks for one.
  bool force_path = false;
  Bytes authenticated_data;
};

// Joining by external commit (§12.4.3.2).
struct ExternalJoinOptions {
  // The ratchet tree, when the GroupInfo has no ratchet_tree extension.
  std::optional<Bytes> ratchet_tree;
  // Resync (§12.4.3.2): the leaf our previous membership holds, removed by
  // the same commit. Its credential must be ours (same identity).
  std::optional<uint32_t> remove_prior;
  // External PSKs to mix in (each must be in GroupConfig::psks).
  std::vector<Bytes> external_psks;
  // Put the tree in the GroupInfo we return (else CommitOutput::ratchet_tree).
  bool ratchet_tree_in_group_info = true;
  Bytes authenticated_data;
};

class Group;
struct ExternalJoin;

// The parameters of the group that replaces this one (§12.1.5): group_id,
// version, cipher_suite, extensions.
using ReInitParams = ReInit;

class Group {
 public:
  // A new group with the creator alone at leaf 0, epoch 0 (§11). An empty
  // `group_id` becomes Nh random bytes. usage without a credential validator;
  // invalid_value if an extension type repeats.
  [[nodiscard]] static Result<Group> create(const Identity& me, GroupConfig config,
                                            Bytes group_id = {}, ExtensionList extensions = {});

  // Joins from a Welcome (§12.4.3.1) with the KeyPackage it was made for:
  // decrypts the group secrets and GroupInfo, takes the ratchet tree from the
  // ratchet_tree extension or else from `ratchet_tree` (§12.4.3.3), validates
  // the whole tree (tree hash, parent hashes, every leaf, unmerged leaves,
  // unique keys, credentials), the GroupInfo signature, our own leaf, the
  // path secret, and the confirmation tag. Rejects: not_found (no entry for
  // us), invalid_welcome, decryption_failed, invalid_group_info (no tree, bad
  // signer), the tree's own codes (validation.h), public_key_mismatch,
  // bad_confirmation_tag, unknown_psk.
  //
  // A Welcome for a group that resumes an old one (ReInit §11.2, branch
  // §11.3) carries a resumption PSK of that group: pass the old group as
  // `resumed_from`. Then also checked (§12.4.3.1): epoch 1; for reinit, that
  // the old group's last commit had a ReInit matching the new group and that
  // every old member is in the new group; for branch, the same version and
  // suite and that every new member was in the old group (by credential).
  [[nodiscard]] static Result<Group> join(const Identity& me, const KeyPackageBundle& key_package,
                                          BytesView welcome, GroupConfig config,
                                          std::optional<BytesView> ratchet_tree = std::nullopt,
                                          const Group* resumed_from = nullptr);

  // Joins by external commit (§12.4.3.2) from a GroupInfo (MLSMessage) with
  // an external_pub extension: validates the GroupInfo and tree as join()
  // does, then builds the commit (ExternalInit, an optional resync Remove,
  // PSKs, a path) with sender new_member_commit. The returned group is
  // already in the new epoch; send ExternalJoin::commit to the members.
  [[nodiscard]] static Result<ExternalJoin> join_external(const Identity& me, BytesView group_info,
                                                          GroupConfig config,
                                                          const ExternalJoinOptions& options = {});

  Group(Group&&) noexcept;
  Group& operator=(Group&&) noexcept;
  ~Group();

  // --- proposals (§12.1), sent as messages and cached for this epoch ---------
  // Each returns the MLSMessage to send; our own proposal is cached at once,
  // so our next commit includes it by reference. Rejects what a receiver
  // would (the §12.1 checks of the proposal alone).
  [[nodiscard]] Result<Bytes> propose_add(const KeyPackage& key_package);
  // A fresh leaf (new encryption key) for our own leaf (§12.1.2); its private
  // key is used once a commit applies it.
  [[nodiscard]] Result<Bytes> propose_update();
  // invalid_proposal for a blank leaf or our own leaf.
  [[nodiscard]] Result<Bytes> propose_remove(uint32_t leaf_index);
  // A PreSharedKey proposal for an external PSK (§12.1.4) with a fresh
  // nonce; unknown_psk unless GroupConfig::psks holds it (every member must).
  [[nodiscard]] Result<Bytes> propose_external_psk(BytesView psk_id);
  // Replaces the GroupContext extensions (§12.1.7). invalid_proposal if a
  // type repeats, or a member does not support a non-default extension type
  // or the required_capabilities in it.
  [[nodiscard]] Result<Bytes> propose_group_context_extensions(ExtensionList extensions);
  // A resumption PSK (§8.6, usage application) of this group's epoch
  // `epoch` (the current one or one kept under GroupConfig::resumption_psks).
  [[nodiscard]] Result<Bytes> propose_resumption_psk(uint64_t epoch);
  // Reinitializes the group (§11.2, §12.1.5) with these parameters; version
  // below the group's is invalid_proposal. A commit covering it must hold
  // nothing else.
  [[nodiscard]] Result<Bytes> propose_reinit(ReInitParams params);

  // --- after a ReInit, and branching (§11.2, §11.3) ------------------------------------
  // Set once a commit covering a ReInit was merged: the group then refuses
  // every operation but reinit() and its use as join()'s `resumed_from`.
  const std::optional<ReInitParams>& pending_reinit() const;
  // Creates the group that replaces this one (§11.2 step 3), as `me` (an
  // identity of the new cipher suite), adding the members' new KeyPackages
  // with a resumption PSK of usage reinit. The new group is at epoch 1; the
  // members join with Group::join(..., resumed_from = their old group).
  [[nodiscard]] Result<std::pair<Group, CommitOutput>> reinit(
      const Identity& me, const std::vector<KeyPackage>& key_packages, GroupConfig config,
      const CommitOptions& options = {}) const;
  // Starts a subgroup (§11.3) of the same suite: a new group (a fresh id
  // unless `group_id` is given, with `extensions`) with these members'
  // new KeyPackages and a resumption PSK of usage branch from this epoch.
  [[nodiscard]] Result<std::pair<Group, CommitOutput>> branch(
      const std::vector<KeyPackage>& key_packages, GroupConfig config, Bytes group_id = {},
      ExtensionList extensions = {}, const CommitOptions& options = {}) const;

  // --- commits (§12.4) ----------------------------------------------------------
  // Commits every cached proposal by reference and `options` by value, after
  // validating the whole list (§12.2); includes an UpdatePath when §12.4
  // requires it or GroupConfig::always_include_path. The commit is staged as
  // pending: usage if one is pending already.
  [[nodiscard]] Result<CommitOutput> commit(const CommitOptions& options = {});
  // Applies our pending commit: the group moves to the next epoch.
  [[nodiscard]] Status merge_pending_commit();
  void discard_pending_commit();
  bool has_pending_commit() const;

  // --- receiving (§6, §12) ------------------------------------------------------------
  // Any MLSMessage for this group: an application message is decrypted; a
  // proposal is validated (§12.1) and cached; a commit is fully validated
  // (§12.4.2) and returned staged, not applied. Rejects: decode errors,
  // wrong_group, wrong_epoch (handshake from another epoch, application from
  // an epoch no longer kept), the framing's codes, invalid_proposal,
  // invalid_commit, not_found (a proposal reference not cached), the tree's
  // codes for a bad path, bad_confirmation_tag, rejected_by_policy, usage
  // (our own message, a Welcome/GroupInfo/KeyPackage).
  [[nodiscard]] Result<ProcessedMessage> process(BytesView message);
  // Applies a commit staged by process(); drops our pending commit and the
  // proposal cache. usage if the group changed since it was staged.
  [[nodiscard]] Status merge(StagedCommit&& staged);

  // --- application messages (§6.3) ------------------------------------------------
  [[nodiscard]] Result<Bytes> protect(BytesView plaintext, BytesView authenticated_data = {});

  // --- state -----------------------------------------------------------------------
  // MLS-Exporter(label, context, length) of the current epoch (§8.5).
  [[nodiscard]] Result<SecretBytes> export_secret(std::string_view label, BytesView context,
                                                  size_t length) const;
  // The epoch authenticator (§8.7): equal for all members of an epoch.
  const SecretBytes& epoch_authenticator() const;
  uint64_t epoch() const;
  const Bytes& group_id() const;
  const GroupContext& context() const;
  const crypto::CipherSuite& suite() const;
  uint32_t own_leaf() const;
  std::vector<Member> members() const;
  // False once a commit removing us was merged: every call then fails (usage).
  bool active() const;
  // A signed GroupInfo of the current epoch (§12.4.3), as an MLSMessage.
  [[nodiscard]] Result<Bytes> group_info(bool with_ratchet_tree = true,
                                         bool with_external_pub = true) const;
  // The encoded ratchet tree (§12.4.3.3).
  Bytes ratchet_tree() const;
  // The resumption PSK of the current epoch (§8), for resuming this group.
  const SecretBytes& resumption_psk() const;

 private:
  friend struct group_detail::TestAccess;
  explicit Group(std::unique_ptr<group_detail::GroupState> s);
  std::unique_ptr<group_detail::GroupState> state_;
};

// What Group::join_external produced.
struct ExternalJoin {
  Group group;  // in the new epoch already
  CommitOutput commit;
};

// --- senders outside the group (§12.1.8) -----------------------------------------------
// A proposal signed by the external sender at `sender_index` of the group's
// external_senders extension, as a PublicMessage for epoch `epoch` of the
// group. Such senders may propose Add, Remove, PreSharedKey, ReInit and
// GroupContextExtensions.
[[nodiscard]] Result<Bytes> make_external_proposal(const Identity& sender, uint32_t sender_index,
                                                   BytesView group_id, uint64_t epoch,
                                                   const Proposal& proposal,
                                                   BytesView authenticated_data = {});
// A client's own Add (sender new_member_proposal), signed with the key of its
// KeyPackage's leaf.
[[nodiscard]] Result<Bytes> make_new_member_proposal(const Identity& joiner,
                                                     const KeyPackage& key_package,
                                                     BytesView group_id, uint64_t epoch,
                                                     BytesView authenticated_data = {});
// The external_senders extension (§12.1.8.1) naming these signers, for
// Group::create or a GroupContextExtensions proposal.
[[nodiscard]] Extension external_senders_extension(const std::vector<const Identity*>& senders);

}  // namespace mls
