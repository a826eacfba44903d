// mls::Group, mls::Identity and mls::StagedCommit: the public facade over
// group_detail (state.h).
#include <ctime>

#include "crypto/labeled.h"
#include "crypto/random.h"
#include "group/state.h"
#include "schedule/key_schedule.h"
#include "schedule/transcript.h"

namespace mls::group_detail {

// Checks a proposal of ours as a receiver would, sends it, caches it.
Result<Bytes> send_proposal(GroupState& g, Proposal p,
                            std::optional<crypto::HpkeKeyPair> update_keys) {
  MLS_CHECK(g.check_active());
  const framing::Sender me = framing::Sender::member(g.own());
  MLS_CHECK(validate_proposal(g, p, me));
  MLS_CHECK(run_policy(g, p, me, true));
  Bytes ref;
  Bytes out = MLS_TRY(send_handshake(g, p, {}, &ref));
  g.proposals.push_back(CachedEntry{std::move(p), me, std::move(ref), std::move(update_keys)});
  return out;
}

}  // namespace mls::group_detail

namespace mls {

using group_detail::GroupState;
using group_detail::StagedState;

// --- StagedCommit -------------------------------------------------------------------------

StagedCommit::StagedCommit(std::unique_ptr<StagedState> s) : state_(std::move(s)) {}
StagedCommit::StagedCommit(StagedCommit&&) noexcept = default;
StagedCommit& StagedCommit::operator=(StagedCommit&&) noexcept = default;
StagedCommit::~StagedCommit() = default;
const CommitEffects& StagedCommit::effects() const { return state_->effects; }

// --- Group ----------------------------------------------------------------------------------

Group::Group(std::unique_ptr<GroupState> s) : state_(std::move(s)) {}
Group::Group(Group&&) noexcept = default;
Group& Group::operator=(Group&&) noexcept = default;
Group::~Group() = default;

Result<Group> Group::create(const Identity& me, GroupConfig config, Bytes group_id,
                            ExtensionList extensions) {
  return Group(MLS_TRY(group_detail::create_group(me, std::move(config), std::move(group_id),
                                                  std::move(extensions))));
}

Result<Group> Group::join(const Identity& me, const KeyPackageBundle& key_package,
                          BytesView welcome, GroupConfig config,
                          std::optional<BytesView> ratchet_tree, const Group* resumed_from) {
  const GroupState* prior = resumed_from != nullptr ? resumed_from->state_.get() : nullptr;
  return Group(MLS_TRY(
      group_detail::join_group(me, key_package, welcome, std::move(config), ratchet_tree, prior)));
}

Result<Bytes> Group::propose_add(const KeyPackage& key_package) {
  return group_detail::send_proposal(*state_, Add{key_package});
}

Result<Bytes> Group::propose_update() {
  GroupState& g = *state_;
  MLS_CHECK(g.check_active());
  const LeafNode* current = g.tree.leaf_node(g.own());
  if (current == nullptr) return make_error(ErrorCode::internal, "our leaf is blank");
  auto keys = MLS_TRY(g.suite().hpke_generate());
  LeafNode leaf = *current;
  leaf.encryption_key = keys.public_key;
  leaf.credential = g.me.credential();
  leaf.leaf_node_source = LeafNodeSource::update;
  leaf.lifetime.reset();
  leaf.parent_hash.clear();
  MLS_CHECK(leaf.sign(g.me.signer(), g.context.group_id, g.own().value));
  return group_detail::send_proposal(g, Update{std::move(leaf)}, std::move(keys));
}

Result<Bytes> Group::propose_remove(uint32_t leaf_index) {
  if (leaf_index == state_->own().value) {
    return make_error(ErrorCode::invalid_proposal, "a member cannot propose its own removal here");
  }
  return group_detail::send_proposal(*state_, Remove{leaf_index});
}

Result<Bytes> Group::propose_external_psk(BytesView psk_id) {
  MLS_CHECK(state_->check_active());
  Proposal p = MLS_TRY(group_detail::external_psk_proposal(*state_, psk_id));
  return group_detail::send_proposal(*state_, std::move(p));
}

Result<Bytes> Group::propose_group_context_extensions(ExtensionList extensions) {
  return group_detail::send_proposal(*state_, GroupContextExtensions{std::move(extensions)});
}

Result<CommitOutput> Group::commit(const CommitOptions& options) {
  return group_detail::create_commit(*state_, options);
}

Status Group::merge_pending_commit() {
  if (!state_->pending) return make_error(ErrorCode::usage, "no pending commit");
  // merge_staged drops the pending commit itself; move it out first.
  std::unique_ptr<StagedState> s = std::move(state_->pending);
  Status st = group_detail::merge_staged(*state_, std::move(*s));
  if (!st) state_->pending = std::move(s);
  return st;
}

void Group::discard_pending_commit() { state_->pending.reset(); }
bool Group::has_pending_commit() const { return state_->pending != nullptr; }

Result<ProcessedMessage> Group::process(BytesView message) {
  return group_detail::process_message(*state_, message);
}

Status Group::merge(StagedCommit&& staged) {
  if (!staged.state_) return make_error(ErrorCode::usage, "empty staged commit");
  return group_detail::merge_staged(*state_, std::move(*staged.state_));
}

Result<Bytes> Group::protect(BytesView plaintext, BytesView authenticated_data) {
  GroupState& g = *state_;
  MLS_CHECK(g.check_active());
  framing::FramedContent fc = group_detail::our_content(
      g, framing::ApplicationData{Bytes(plaintext.begin(), plaintext.end())}, authenticated_data);
  auto ac = MLS_TRY(framing::sign_content(g.view(), framing::WireFormat::private_message,
                                          std::move(fc), g.me.signer()));
  auto pm = MLS_TRY(framing::protect_private(g.view(), g.secrets.sender_data_secret, g.secret_tree,
                                             ac, {g.config.padding, {}}));
  return group_detail::encode_message(framing::MLSMessage(std::move(pm)));
}

Result<SecretBytes> Group::export_secret(std::string_view label, BytesView context,
                                         size_t length) const {
  MLS_CHECK(state_->check_active());
  return schedule::mls_exporter(suite(), state_->secrets.exporter_secret, label, context, length);
}

const SecretBytes& Group::epoch_authenticator() const {
  return state_->secrets.epoch_authenticator;
}
uint64_t Group::epoch() const { return state_->context.epoch; }
const Bytes& Group::group_id() const { return state_->context.group_id; }
const GroupContext& Group::context() const { return state_->context; }
const crypto::CipherSuite& Group::suite() const { return state_->suite(); }
uint32_t Group::own_leaf() const { return state_->own().value; }
bool Group::active() const { return state_->active; }

std::vector<Member> Group::members() const {
  std::vector<Member> out;
  const auto& t = state_->tree;
  for (uint32_t i = 0; i < t.leaf_count().value; ++i) {
    if (const LeafNode* leaf = t.leaf_node(tree::LeafIndex(i))) {
      out.push_back({i, leaf->credential, leaf->signature_key, leaf->encryption_key});
    }
  }
  return out;
}

Result<Bytes> Group::group_info(bool with_ratchet_tree, bool with_external_pub) const {
  const GroupState& g = *state_;
  MLS_CHECK(g.check_active());
  // The confirmation tag of the epoch's commit is what the interim hash was
  // built from; it is recomputed from the confirmation key (§6.1).
  Bytes tag = schedule::confirmation_tag(g.suite(), g.secrets.confirmation_key,
                                         g.context.confirmed_transcript_hash);
  auto gi = MLS_TRY(group_detail::make_group_info(g, g.tree, g.context, g.secrets, tag,
                                                  with_ratchet_tree, with_external_pub));
  return group_detail::encode_message(framing::MLSMessage(std::move(gi)));
}

Bytes Group::ratchet_tree() const { return state_->tree.encode(); }

}  // namespace mls
