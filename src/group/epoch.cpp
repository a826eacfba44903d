// Moving from one epoch to the next (RFC 9420 §8, §8.2, §12.4.2): the key
// schedule, transcript hashes and merging a staged commit; the GroupInfo of
// an epoch (§12.4.3) and sender look-ups (§6.1).
#include <algorithm>

#include "crypto/labeled.h"
#include "crypto/random.h"
#include "group/state.h"
#include "messages/group_extensions.h"
#include "schedule/transcript.h"

namespace mls::group_detail {

std::optional<BytesView> CurrentSenderKeys::member_signature_key(LeafIndex leaf) const {
  const LeafNode* node = g_.tree.leaf_node(leaf);
  if (node == nullptr) return std::nullopt;
  return BytesView(node->signature_key);
}

std::optional<LeafIndex> CurrentSenderKeys::own_leaf() const { return g_.own(); }

std::optional<BytesView> CurrentSenderKeys::external_signature_key(uint32_t index) const {
  if (!externals_) {
    auto got = g_.context.extensions.get<ExternalSenders>(extension_type::external_senders);
    externals_ = (got && *got) ? std::move(**got) : ExternalSenders{};
  }
  if (index >= externals_->senders.size()) return std::nullopt;
  return BytesView(externals_->senders[index].signature_key);
}

Result<EpochResult> derive_next_epoch(const GroupState& g, StagedState& s, GroupContext provisional,
                                      BytesView confirmed_input, BytesView commit_secret,
                                      BytesView psk_secret, const SecretBytes* init_secret) {
  const auto& suite = g.suite();
  GroupContext ctx = std::move(provisional);
  ctx.confirmed_transcript_hash =
      schedule::confirmed_transcript_hash(suite, g.interim_transcript_hash, confirmed_input);
  Bytes ctx_bytes = codec::encode(ctx);
  const SecretBytes& init = init_secret != nullptr ? *init_secret : g.secrets.init_secret;
  auto ks = MLS_TRY(schedule::derive_epoch(suite, init, commit_secret, psk_secret, ctx_bytes));
  Bytes tag =
      schedule::confirmation_tag(suite, ks.epoch.confirmation_key, ctx.confirmed_transcript_hash);
  Bytes interim = schedule::interim_transcript_hash(suite, ctx.confirmed_transcript_hash, tag);
  auto secret_tree = MLS_TRY(schedule::SecretTree::create(
      suite, std::move(ks.epoch.encryption_secret), s.diff.leaf_count(), g.ratchet_config()));
  s.next.emplace(StagedState::Next{std::move(ctx), std::move(ks.epoch), std::move(secret_tree),
                                   std::move(interim)});
  return EpochResult{std::move(tag), std::move(ks.joiner_secret), SecretBytes(psk_secret)};
}

Result<GroupInfo> make_group_info(const GroupState& g, const tree::TreeView& tree,
                                  const GroupContext& context,
                                  const schedule::EpochSecrets& secrets, BytesView confirmation_tag,
                                  bool with_tree, bool with_external_pub) {
  GroupInfo gi;
  gi.group_context = context;
  if (with_tree) gi.extensions.set(Extension{extension_type::ratchet_tree, tree.encode()});
  if (with_external_pub) {
    auto kp = MLS_TRY(schedule::external_key_pair(g.suite(), secrets.external_secret));
    gi.extensions.set(make_extension(extension_type::external_pub, ExternalPub{kp.public_key}));
  }
  // §13.5: a GREASE extension, which receivers ignore.
  uint8_t r = MLS_TRY(crypto::random_bytes(1))[0];
  gi.extensions.set(Extension{grease_value(r), {}});
  gi.confirmation_tag.assign(confirmation_tag.begin(), confirmation_tag.end());
  gi.signer = g.own().value;
  MLS_CHECK(gi.sign(g.me.signer()));
  return gi;
}

Bytes encode_message(framing::MLSMessage msg) { return codec::encode(msg); }

Status merge_staged(GroupState& g, StagedState&& s) {
  if (s.group != &g || s.epoch != g.context.epoch) {
    return make_error(ErrorCode::usage, "staged commit is for another group or epoch");
  }
  // The credential census follows the leaves the commit changed (§7.3).
  CredentialCensus census = g.census;
  // std::unique, not std::ranges::unique: clang 14 cannot use libstdc++ 12's subrange.
  std::sort(s.touched_leaves.begin(), s.touched_leaves.end());
  s.touched_leaves.erase(std::unique(s.touched_leaves.begin(), s.touched_leaves.end()),
                         s.touched_leaves.end());
  for (uint32_t leaf : s.touched_leaves) {
    if (const LeafNode* old = g.tree.leaf_node(LeafIndex(leaf))) census.add(*old, -1);
    if (const LeafNode* now = s.diff.leaf_node(LeafIndex(leaf))) census.add(*now, +1);
  }
  // The one step that can refuse (a diff over an older tree) comes first.
  MLS_CHECK(g.tree.merge(std::move(s.diff)));
  g.census = std::move(census);
  g.priv.merge(g.tree, std::move(s.path_keys));
  g.proposals.clear();
  if (!s.next) {
    // Removed: nothing of the next epoch is ours (§12.4.2).
    g.active = false;
    g.past.clear();
    g.pending.reset();
    return {};
  }
  // The epoch that ends is kept for late application messages (§9.2).
  for (auto& p : g.past) {
    for (const auto& [leaf, key] : s.changed) p.changed.try_emplace(leaf, key);
  }
  if (g.config.past_epochs > 0) {
    g.past.push_front(PastEpoch{g.context.epoch, std::move(g.context_bytes),
                                std::move(g.secrets.sender_data_secret), std::move(g.secret_tree),
                                std::move(s.changed)});
  }
  while (g.past.size() > g.config.past_epochs) g.past.pop_back();

  if (g.config.resumption_psks > 0) {
    g.resumption_psks.emplace_front(g.context.epoch, std::move(g.secrets.resumption_psk));
  }
  while (g.resumption_psks.size() > g.config.resumption_psks) g.resumption_psks.pop_back();

  auto& n = *s.next;
  g.context = std::move(n.context);
  g.context_bytes = codec::encode(g.context);
  g.secrets = std::move(n.secrets);
  g.secret_tree = std::move(n.secret_tree);
  g.interim_transcript_hash = std::move(n.interim_transcript_hash);
  g.proposals.clear();
  // §11.2: after a ReInit the group is over; the proposals it may still
  // see are of no use.
  if (s.reinit) g.reinit = std::move(s.reinit);
  g.pending.reset();  // after this line `s` may be gone, if it was the pending commit
  return {};
}

}  // namespace mls::group_detail
