// Senders outside the group: joining by external commit (RFC 9420
// §12.4.3.2, with the resync case) and proposals from external senders and
// new members (§12.1.8).
#include "crypto/labeled.h"
#include "crypto/random.h"
#include "group/state.h"
#include "messages/group_extensions.h"
#include "schedule/transcript.h"

namespace mls::group_detail {

Result<std::pair<std::unique_ptr<GroupState>, CommitOutput>> external_join(
    const Identity& me, BytesView group_info_bytes, GroupConfig config,
    const ExternalJoinOptions& options) {
  if (!config.credentials) {
    return make_error(ErrorCode::usage, "GroupConfig needs a credential validator");
  }
  const auto& suite = me.suite();
  auto msg = MLS_TRY(codec::decode_all<framing::MLSMessage>(group_info_bytes));
  const GroupInfo* gi = msg.get<GroupInfo>();
  if (gi == nullptr) return make_error(ErrorCode::invalid_group_info, "not a GroupInfo message");
  std::optional<BytesView> given_tree;
  if (options.ratchet_tree) given_tree = BytesView(*options.ratchet_tree);
  tree::RatchetTree tree = MLS_TRY(verify_group_info(suite, *gi, config, given_tree));
  const GroupContext& ctx = gi->group_context;

  // §12.4.3.2: the external_pub of the GroupInfo gives the new init secret.
  auto ext = gi->extensions.get<ExternalPub>(extension_type::external_pub);
  if (!ext) return make_error(ErrorCode::invalid_group_info, "malformed external_pub");
  if (!*ext) return make_error(ErrorCode::invalid_group_info, "GroupInfo without external_pub");
  auto exported = MLS_TRY(schedule::external_init_sender(suite, (*ext)->external_pub));

  if (options.remove_prior) {
    const LeafNode* prior = tree.leaf_node(LeafIndex(*options.remove_prior));
    if (prior == nullptr) {
      return make_error(ErrorCode::usage, "remove_prior names a blank or absent leaf");
    }
    if (prior->credential != me.credential()) {
      return make_error(ErrorCode::usage, "remove_prior names another client's leaf");
    }
  }

  // The state the commit is made against: the GroupInfo's epoch, with the
  // external init secret in place of the init secret we cannot know. Its
  // other secrets are never used; merging replaces them.
  schedule::EpochSecrets secrets;
  secrets.init_secret = std::move(exported.secret);
  auto unused = MLS_TRY(crypto::random_secret(suite.hash_size()));
  auto secret_tree = MLS_TRY(
      schedule::SecretTree::create(suite, std::move(unused), tree.leaf_count(),
                                   {config.max_forward_distance, config.out_of_order_tolerance}));
  Bytes interim =
      schedule::interim_transcript_hash(suite, ctx.confirmed_transcript_hash, gi->confirmation_tag);
  auto g = std::make_unique<GroupState>(me, std::move(config), ctx, std::move(tree),
                                        tree::PrivateTree(LeafIndex(0), {}), std::move(secrets),
                                        std::move(secret_tree), std::move(interim));

  // ExternalInit, the resync Remove and PSKs, all by value (§12.4.3.2).
  std::vector<Proposal> values;
  values.emplace_back(ExternalInit{std::move(exported.kem_output)});
  if (options.remove_prior) values.emplace_back(Remove{*options.remove_prior});
  for (const auto& id : options.external_psks) {
    values.push_back(MLS_TRY(group_detail::external_psk_proposal(*g, id)));
  }
  const framing::Sender sender = framing::Sender::new_member_commit();
  std::vector<ResolvedProposal> list;
  Commit commit;
  for (const auto& p : values) {
    list.push_back({&p, sender, nullptr});
    commit.proposals.emplace_back(p);
  }
  MLS_CHECK(validate_proposal_list(*g, list, sender));

  auto s = std::make_unique<StagedState>(*g);
  auto applied = MLS_TRY(apply_proposal_list(*g, *s, list));
  s->effects.removes_us = false;  // our placeholder leaf index means nothing yet
  GroupContext provisional = std::move(applied.provisional);

  // Our leaf: the leftmost blank one after the Remove, filled by the path.
  const LeafIndex own = s->diff.free_leaf();
  LeafNode leaf;
  leaf.signature_key = me.signature_key();
  leaf.credential = me.credential();
  leaf.capabilities = me.capabilities();
  MLS_CHECK(g->census.check(leaf, g->tree.leaf_node(own)));
  auto leaf_secret = MLS_TRY(tree::fresh_leaf_secret(suite));
  auto prepared = MLS_TRY(tree::prepare_update_path(s->diff, own, leaf_secret, std::move(leaf),
                                                    me.signer(), ctx.group_id));
  provisional.tree_hash = s->diff.root_hash();
  commit.path = MLS_TRY(prepared.encrypt(s->diff, codec::encode(provisional), {}));
  const auto& own_keys = prepared.keys.keys.at(tree::NodeIndex(own).value);
  g->priv = tree::PrivateTree(own, {own_keys.private_key.clone(), own_keys.public_key});
  for (auto& [x, kp] : prepared.keys.keys) s->path_keys.keys[x] = std::move(kp);
  s->changed.try_emplace(own.value, std::nullopt);
  s->touched_leaves.push_back(own.value);
  s->effects.has_path = true;
  s->effects.committer = own.value;
  s->effects.new_epoch = ctx.epoch + 1;
  s->effects.external = true;

  framing::FramedContent fc{ctx.group_id, ctx.epoch, sender, options.authenticated_data,
                            std::move(commit)};
  auto ac = MLS_TRY(framing::sign_content(g->view(), framing::WireFormat::public_message,
                                          std::move(fc), me.signer()));
  Bytes confirmed_input = MLS_TRY(framing::confirmed_transcript_hash_input(ac));
  SecretBytes psk_secret = MLS_TRY(commit_psk_secret(*g, s->effects.psks));
  auto er = MLS_TRY(derive_next_epoch(*g, *s, std::move(provisional), confirmed_input,
                                      prepared.commit_secret, psk_secret));
  ac.auth.confirmation_tag = er.confirmation_tag;

  CommitOutput out;
  auto gi_out =
      MLS_TRY(make_group_info(*g, s->diff, s->next->context, s->next->secrets, er.confirmation_tag,
                              options.ratchet_tree_in_group_info, true));
  if (!options.ratchet_tree_in_group_info) out.ratchet_tree = s->diff.encode();
  out.group_info = encode_message(framing::MLSMessage(std::move(gi_out)));
  auto pm = MLS_TRY(framing::protect_public(g->view(), {}, std::move(ac)));
  out.commit = encode_message(framing::MLSMessage(std::move(pm)));
  out.effects = s->effects;

  MLS_CHECK(merge_staged(*g, std::move(*s)));
  // The epoch before ours was never ours: keep none of its placeholders.
  g->past.clear();
  g->resumption_psks.clear();
  return std::pair{std::move(g), std::move(out)};
}

}  // namespace mls::group_detail

namespace mls {

Result<ExternalJoin> Group::join_external(const Identity& me, BytesView group_info,
                                          GroupConfig config, const ExternalJoinOptions& options) {
  auto [state, out] =
      MLS_TRY(group_detail::external_join(me, group_info, std::move(config), options));
  return ExternalJoin{Group(std::move(state)), std::move(out)};
}

namespace {

Result<Bytes> external_message(const Identity& signer, BytesView group_id, uint64_t epoch,
                               framing::Sender sender, Proposal proposal,
                               BytesView authenticated_data) {
  framing::FramedContent fc{Bytes(group_id.begin(), group_id.end()), epoch, sender,
                            Bytes(authenticated_data.begin(), authenticated_data.end()),
                            std::move(proposal)};
  // Senders outside the group sign without the GroupContext (§6.1).
  framing::EpochView view{signer.suite(), group_id, epoch, {}};
  auto ac = MLS_TRY(framing::sign_content(view, framing::WireFormat::public_message, std::move(fc),
                                          signer.signer()));
  auto pm = MLS_TRY(framing::protect_public(view, {}, std::move(ac)));
  return codec::encode(framing::MLSMessage(std::move(pm)));
}

}  // namespace

Result<Bytes> make_external_proposal(const Identity& sender, uint32_t sender_index,
                                     BytesView group_id, uint64_t epoch, const Proposal& proposal,
                                     BytesView authenticated_data) {
  if (!framing::external_sender_may_propose(proposal.type())) {
    return make_error(ErrorCode::proposal_not_allowed,
                      "an external sender may not propose type " + std::to_string(proposal.type()));
  }
  return external_message(sender, group_id, epoch, framing::Sender::external(sender_index),
                          proposal, authenticated_data);
}

Result<Bytes> make_new_member_proposal(const Identity& joiner, const KeyPackage& key_package,
                                       BytesView group_id, uint64_t epoch,
                                       BytesView authenticated_data) {
  if (key_package.leaf_node.signature_key != joiner.signature_key()) {
    return make_error(ErrorCode::usage, "the KeyPackage is not the joiner's");
  }
  return external_message(joiner, group_id, epoch, framing::Sender::new_member_proposal(),
                          Add{key_package}, authenticated_data);
}

Extension external_senders_extension(const std::vector<const Identity*>& senders) {
  ExternalSenders list;
  for (const Identity* id : senders) {
    list.senders.push_back(ExternalSender{id->signature_key(), id->credential()});
  }
  return make_extension(extension_type::external_senders, list);
}

}  // namespace mls
