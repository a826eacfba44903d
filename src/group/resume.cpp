// Resumption (RFC 9420 §8.6): resumption PSK proposals, reinitializing a
// group (§11.2, §12.1.5) and branching a subgroup (§11.3).
#include "crypto/random.h"
#include "group/state.h"

namespace mls {

using group_detail::GroupState;

namespace {

// A new group `me` creates to resume `old` (reinit or branch): epoch 0 with
// the old group's resumption PSK at hand, then the first commit adding the
// members with the PSK by value (§11.2 step 3, §11.3 step 2), merged at once:
// nobody but the joiners (from the Welcome) sees it.
Result<std::pair<std::unique_ptr<GroupState>, CommitOutput>> resume(
    const GroupState& old, ResumptionPSKUsage usage, const Identity& me, GroupConfig config,
    Bytes group_id, ExtensionList extensions, const std::vector<KeyPackage>& key_packages,
    const CommitOptions& options) {
  auto g = MLS_TRY(group_detail::create_group(me, std::move(config), std::move(group_id),
                                              std::move(extensions)));
  g->prior = GroupState::Prior{old.context.group_id, old.context.epoch,
                               old.secrets.resumption_psk.clone()};
  // psk_nonce: Nh fresh random bytes, against key reuse (§11.3).
  Bytes nonce = MLS_TRY(crypto::random_bytes(g->suite().hash_size()));
  std::vector<Proposal> extra;
  extra.emplace_back(PreSharedKey{PreSharedKeyID::resumption(usage, old.context.group_id,
                                                             old.context.epoch, std::move(nonce))});
  CommitOptions opts = options;
  opts.add.insert(opts.add.end(), key_packages.begin(), key_packages.end());
  auto out = MLS_TRY(group_detail::create_commit(*g, opts, extra));
  std::unique_ptr<group_detail::StagedState> s = std::move(g->pending);
  MLS_CHECK(group_detail::merge_staged(*g, std::move(*s)));
  // The resumption PSK was for this first commit only.
  g->prior.reset();
  return std::pair{std::move(g), std::move(out)};
}

}  // namespace

Result<Bytes> Group::propose_resumption_psk(uint64_t epoch) {
  MLS_CHECK(state_->check_active());
  Proposal p = MLS_TRY(group_detail::resumption_psk_proposal(*state_, epoch));
  return group_detail::send_proposal(*state_, std::move(p));
}

Result<Bytes> Group::propose_reinit(ReInitParams params) {
  return group_detail::send_proposal(*state_, Proposal(std::move(params)));
}

const std::optional<ReInitParams>& Group::pending_reinit() const { return state_->reinit; }

Result<std::pair<Group, CommitOutput>> Group::reinit(const Identity& me,
                                                     const std::vector<KeyPackage>& key_packages,
                                                     GroupConfig config,
                                                     const CommitOptions& options) const {
  const GroupState& g = *state_;
  if (!g.reinit) return make_error(ErrorCode::usage, "no ReInit was committed in this group");
  const ReInit& ri = *g.reinit;
  if (me.suite().id() != ri.cipher_suite) {
    return make_error(ErrorCode::usage, "the identity is not of the ReInit's cipher suite");
  }
  auto [state, out] = MLS_TRY(resume(g, ResumptionPSKUsage::reinit, me, std::move(config),
                                     ri.group_id, ri.extensions, key_packages, options));
  return std::pair{Group(std::move(state)), std::move(out)};
}

Result<std::pair<Group, CommitOutput>> Group::branch(const std::vector<KeyPackage>& key_packages,
                                                     GroupConfig config, Bytes group_id,
                                                     ExtensionList extensions,
                                                     const CommitOptions& options) const {
  const GroupState& g = *state_;
  MLS_CHECK(g.check_active());
  auto [state, out] =
      MLS_TRY(resume(g, ResumptionPSKUsage::branch, g.me, std::move(config), std::move(group_id),
                     std::move(extensions), key_packages, options));
  return std::pair{Group(std::move(state)), std::move(out)};
}

const SecretBytes& Group::resumption_psk() const { return state_->secrets.resumption_psk; }

}  // namespace mls
