// The group's internal state (behind mls::Group's pimpl) and a staged commit
// (behind mls::StagedCommit). Split by operation: create_join.cpp (§11,
// §12.4.3.1), proposals.cpp (§12.1-§12.3), commit.cpp (§12.4.1), process.cpp
// (§12.4.2 and receiving), application.cpp (§6.3), group.cpp (the facade).
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "framing/authenticate.h"
#include "framing/mls_message.h"
#include "mls/group.h"
#include "schedule/key_schedule.h"
#include "schedule/secret_tree.h"
#include "tree/treekem.h"
#include "tree/validation.h"

namespace mls::group_detail {

using tree::LeafIndex;

// The signature keys a commit replaced, by leaf: the old value (nullopt for a
// leaf that was blank). Past epochs look senders up through these, so they
// need no copy of the tree (O(changes) per commit, not O(N)).
using ChangedKeys = std::map<uint32_t, std::optional<Bytes>>;

// An epoch kept for late application messages (GroupConfig::past_epochs).
struct PastEpoch {
  uint64_t epoch = 0;
  Bytes group_context;
  SecretBytes sender_data_secret;
  schedule::SecretTree secret_tree;
  ChangedKeys changed;  // keys changed by every later commit, oldest value wins
};

// A proposal received (or sent) in this epoch, by reference (§12.4).
struct CachedEntry {
  Proposal proposal;
  framing::Sender sender;
  Bytes ref;
  // Our own Update: the private key of the leaf it proposes.
  std::optional<crypto::HpkeKeyPair> update_keys;
};

struct StagedState;

// What leaf validation (§7.3) needs from a group: its id, required
// capabilities (with the GroupContext's extension types), the current time
// for lifetimes, and the application's credential validator.
tree::TreeValidationParams leaf_params_for(const GroupContext& context, const GroupConfig& config);

// The credential types of the members' leaves and how many members support
// each type (§7.3: a new leaf must support every type in use, and its own
// type must be supported by every member). Kept up to date per commit in
// O(changed leaves), so no commit scans the whole tree.
struct CredentialCensus {
  uint32_t members = 0;
  std::map<uint16_t, uint32_t> in_use;     // credential type -> leaves with it
  std::map<uint16_t, uint32_t> supported;  // credential type -> leaves listing it
  void add(const LeafNode& leaf, int sign);
  std::vector<uint16_t> types_in_use() const;
  // unsupported_capability unless `leaf` supports every type in use and every
  // member supports its credential type (excluding `replacing`, the leaf it
  // replaces, if any).
  [[nodiscard]] Status check(const LeafNode& leaf, const LeafNode* replacing) const;
  static CredentialCensus of(const tree::RatchetTree& tree);
};
struct GroupState {
  GroupState(Identity me_, GroupConfig config_, GroupContext context_, tree::RatchetTree tree_,
             tree::PrivateTree priv_, schedule::EpochSecrets secrets_,
             schedule::SecretTree secret_tree_, Bytes interim_)
      : me(std::move(me_)),
        config(std::move(config_)),
        context(std::move(context_)),
        context_bytes(codec::encode(context)),
        tree(std::move(tree_)),
        priv(std::move(priv_)),
        secrets(std::move(secrets_)),
        secret_tree(std::move(secret_tree_)),
        interim_transcript_hash(std::move(interim_)),
        census(CredentialCensus::of(tree)) {}

  const crypto::CipherSuite& suite() const { return me.suite(); }
  LeafIndex own() const { return priv.leaf(); }
  framing::EpochView view() const {
    return {suite(), context.group_id, context.epoch, context_bytes};
  }
  schedule::RatchetConfig ratchet_config() const {
    return {config.max_forward_distance, config.out_of_order_tolerance};
  }
  tree::TreeValidationParams leaf_params() const;
  // Fails with usage once we were removed.
  [[nodiscard]] Status check_active() const;

  Identity me;
  GroupConfig config;
  GroupContext context;
  Bytes context_bytes;
  tree::RatchetTree tree;
  tree::PrivateTree priv;
  schedule::EpochSecrets secrets;  // encryption_secret moved into secret_tree
  schedule::SecretTree secret_tree;
  Bytes interim_transcript_hash;
  CredentialCensus census;
  std::vector<CachedEntry> proposals;
  std::deque<PastEpoch> past;  // newest first
  // resumption_psk of past epochs (§8.6), newest first; the current one is
  // secrets.resumption_psk.
  std::deque<std::pair<uint64_t, SecretBytes>> resumption_psks;
  std::unique_ptr<StagedState> pending;
  bool active = true;
  // Set when a merged commit covered a ReInit (§11.2): the group is over.
  std::optional<ReInit> reinit;
  // A group made by reinit()/branch() resumes an older one (§11.2, §11.3):
  // the resumption PSK of that group's epoch, which its first commit uses.
  struct Prior {
    Bytes group_id;
    uint64_t epoch = 0;
    SecretBytes psk;
  };
  std::optional<Prior> prior;
  // Misbehaviour on demand, so tests can send what no honest member sends
  // and check that receivers refuse it. Only unit tests set these.
  struct {
    bool omit_path = false;             // even where §12.4 requires one
    bool bad_confirmation_tag = false;  // flip a bit of the commit's tag
  } test_hooks;
};

// The next epoch, computed but not applied.
struct StagedState {
  explicit StagedState(const GroupState& g) : group(&g), epoch(g.context.epoch), diff(g.tree) {}
  // Leaves whose LeafNode this commit replaces, adds or blanks (for the
  // credential census); the old node is read from the tree at merge time.
  std::vector<uint32_t> touched_leaves;
  std::optional<ReInit> reinit;  // the commit covers a ReInit

  const GroupState* group;
  uint64_t epoch;
  tree::TreeDiff diff;
  tree::PathKeys path_keys;
  CommitEffects effects;
  ChangedKeys changed;
  // Unset when the commit removes us: we cannot (and need not) derive it.
  struct Next {
    GroupContext context;
    schedule::EpochSecrets secrets;
    schedule::SecretTree secret_tree;
    Bytes interim_transcript_hash;
  };
  std::optional<Next> next;
};

// Applies a staged commit in one step (§12.4.2 "consider the new
// GroupContext ... the current state"). usage if the group changed since.
[[nodiscard]] Status merge_staged(GroupState& g, StagedState&& s);

// --- proposals (proposals.cpp) ----------------------------------------------------

// A proposal of a commit, with where it came from.
struct ResolvedProposal {
  const Proposal* proposal = nullptr;
  framing::Sender sender;
  const CachedEntry* cached = nullptr;  // nullptr: by value
};

// Whether `caps` supports what a GroupContext's `extensions` require: its
// required_capabilities and every non-default extension type (§11.1);
// unsupported_capability names `who`.
[[nodiscard]] Status supports_context(const Capabilities& caps, const ExtensionList& extensions,
                                      const std::string& who);

// Whether a GroupContext's extensions hold a GREASE type, which §13.5
// forbids there.
bool has_grease(const ExtensionList& extensions);

// The checks of one proposal alone (§12.1), before caching or committing it,
// including whether `sender` may send it (§12.1.8).
[[nodiscard]] Status validate_proposal(const GroupState& g, const Proposal& p,
                                       const framing::Sender& sender);

// The application's policy hook for one proposal, if it has one.
[[nodiscard]] Status run_policy(const GroupState& g, const Proposal& p,
                                const framing::Sender& sender, bool by_reference);

// §12.2 for a commit by `committer` (a member, or new_member_commit for an
// external commit, whose own rules apply too); each rule fails with its own
// ErrorCode. Also runs the application's policy.
[[nodiscard]] Status validate_proposal_list(const GroupState& g,
                                            const std::vector<ResolvedProposal>& list,
                                            const framing::Sender& committer);

// §12.3: applies a validated list to the staged diff, recording the effects
// (added, updated, removed, psks) and the old signature keys, and stages our
// own committed Update's leaf key. Returns the provisional GroupContext
// (next epoch, new extensions; tree hash not yet set) and the new members.
struct AppliedProposals {
  GroupContext provisional;
  std::vector<LeafIndex> joiners;
};
[[nodiscard]] Result<AppliedProposals> apply_proposal_list(
    const GroupState& g, StagedState& s, const std::vector<ResolvedProposal>& list);

// Whether a commit of these proposals must carry a path (§12.4).
bool path_required(const std::vector<ResolvedProposal>& list);

// psk_secret of the commit's PreSharedKey proposals (§8.4); empty when none.
[[nodiscard]] Result<SecretBytes> commit_psk_secret(const GroupState& g,
                                                    const std::vector<PreSharedKeyID>& psks);

// A PreSharedKey proposal with a fresh psk_nonce (§8.4): for an external PSK
// the PSK store holds, or for this group's resumption PSK of `epoch` (§8.6)
// while it is kept. unknown_psk otherwise.
[[nodiscard]] Result<Proposal> external_psk_proposal(const GroupState& g, BytesView psk_id);
[[nodiscard]] Result<Proposal> resumption_psk_proposal(const GroupState& g, uint64_t epoch);

// --- shared steps of commit.cpp and process.cpp --------------------------------------

// The signature keys of the group's members and external senders (§6.1).
class CurrentSenderKeys final : public framing::SenderKeys {
 public:
  explicit CurrentSenderKeys(const GroupState& g) : g_(g) {}
  std::optional<BytesView> member_signature_key(LeafIndex leaf) const override;
  std::optional<BytesView> external_signature_key(uint32_t index) const override;
  std::optional<LeafIndex> own_leaf() const override;

 private:
  const GroupState& g_;
  mutable std::optional<ExternalSenders> externals_;
};

// From the commit's confirmed transcript input on: the new GroupContext,
// key schedule (§8) and interim transcript hash. Fills s.next, returns the
// confirmation tag and (for a Welcome) the joiner secret.
struct EpochResult {
  Bytes confirmation_tag;
  SecretBytes joiner_secret;
  SecretBytes psk_secret;
};
// `init_secret` replaces the current epoch's for an external commit (§8.3).
[[nodiscard]] Result<EpochResult> derive_next_epoch(const GroupState& g, StagedState& s,
                                                    GroupContext provisional,
                                                    BytesView confirmed_input,
                                                    BytesView commit_secret, BytesView psk_secret,
                                                    const SecretBytes* init_secret = nullptr);

// A GroupInfo (§12.4.3) for a context, signed by us.
[[nodiscard]] Result<GroupInfo> make_group_info(const GroupState& g, const tree::TreeView& tree,
                                                const GroupContext& context,
                                                const schedule::EpochSecrets& secrets,
                                                BytesView confirmation_tag, bool with_tree,
                                                bool with_external_pub);

Bytes encode_message(framing::MLSMessage msg);

framing::WireFormat handshake_wire_format(const GroupState& g);
// FramedContent from us in the current epoch (§6).
framing::FramedContent our_content(const GroupState& g, framing::ContentBody body,
                                   BytesView authenticated_data);
// Signs and protects handshake content from us in the configured format;
// sets *ref_out to the ProposalRef of the AuthenticatedContent if asked.
[[nodiscard]] Result<Bytes> send_handshake(GroupState& g, framing::ContentBody body,
                                           BytesView authenticated_data, Bytes* ref_out);

// Checks a proposal of ours as a receiver would, sends it, caches it
// (group.cpp); `update_keys` for our own Update.
[[nodiscard]] Result<Bytes> send_proposal(
    GroupState& g, Proposal p, std::optional<crypto::HpkeKeyPair> update_keys = std::nullopt);

// Group creation and joining (create_join.cpp).
// §12.4.3.1: the GroupInfo's suite, its ratchet tree (inline, else
// `ratchet_tree`) validated whole against the context, and its signature.
[[nodiscard]] Result<tree::RatchetTree> verify_group_info(const crypto::CipherSuite& suite,
                                                          const GroupInfo& gi,
                                                          const GroupConfig& config,
                                                          std::optional<BytesView> ratchet_tree);
[[nodiscard]] Result<std::unique_ptr<GroupState>> create_group(const Identity& me,
                                                               GroupConfig config, Bytes group_id,
                                                               ExtensionList extensions);
// `prior`: the group a reinit/branch Welcome resumes (§11.2, §11.3).
[[nodiscard]] Result<std::unique_ptr<GroupState>> join_group(const Identity& me,
                                                             const KeyPackageBundle& key_package,
                                                             BytesView welcome, GroupConfig config,
                                                             std::optional<BytesView> ratchet_tree,
                                                             const GroupState* prior = nullptr);

// Joining by external commit (external.cpp, §12.4.3.2): the new member's
// state, already merged into the new epoch, and the commit for the others.
[[nodiscard]] Result<std::pair<std::unique_ptr<GroupState>, CommitOutput>> external_join(
    const Identity& me, BytesView group_info, GroupConfig config,
    const ExternalJoinOptions& options);

// Commit creation (commit.cpp) and processing (process.cpp).
// `extra`: proposals by value ahead of the options' (reinit()/branch() put
// their resumption PSK there).
[[nodiscard]] Result<CommitOutput> create_commit(GroupState& g, const CommitOptions& options,
                                                 const std::vector<Proposal>& extra = {});
[[nodiscard]] Result<ProcessedMessage> process_message(GroupState& g, BytesView bytes);
[[nodiscard]] Result<std::unique_ptr<StagedState>> stage_commit(
    GroupState& g, const framing::AuthenticatedContent& content);

}  // namespace mls::group_detail
