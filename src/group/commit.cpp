// Creating a commit (RFC 9420 §12.4.1) with its Welcome (§12.4.3.1) and
// GroupInfo (§12.4.3); the result is staged until the caller merges it.
#include "crypto/labeled.h"
#include "group/state.h"
#include "messages/welcome.h"

namespace mls::group_detail {

namespace {

// Protects signed handshake content in the configured wire format (§6).
Result<framing::MLSMessage> protect_handshake(GroupState& g,
                                              const framing::AuthenticatedContent& ac) {
  if (ac.wire_format == framing::WireFormat::public_message) {
    auto pm = MLS_TRY(framing::protect_public(g.view(), g.secrets.membership_key, ac));
    return framing::MLSMessage(std::move(pm));
  }
  auto pm = MLS_TRY(framing::protect_private(g.view(), g.secrets.sender_data_secret, g.secret_tree,
                                             ac, {g.config.padding, {}}));
  return framing::MLSMessage(std::move(pm));
}

}  // namespace

framing::WireFormat handshake_wire_format(const GroupState& g) {
  return g.config.handshake == HandshakeFormat::public_message
             ? framing::WireFormat::public_message
             : framing::WireFormat::private_message;
}

framing::FramedContent our_content(const GroupState& g, framing::ContentBody body,
                                   BytesView authenticated_data) {
  return framing::FramedContent{
      g.context.group_id, g.context.epoch, framing::Sender::member(g.own()),
      Bytes(authenticated_data.begin(), authenticated_data.end()), std::move(body)};
}

Result<Bytes> send_handshake(GroupState& g, framing::ContentBody body, BytesView authenticated_data,
                             Bytes* ref_out) {
  framing::FramedContent fc = our_content(g, std::move(body), authenticated_data);
  auto ac = MLS_TRY(
      framing::sign_content(g.view(), handshake_wire_format(g), std::move(fc), g.me.signer()));
  if (ref_out != nullptr) *ref_out = crypto::make_proposal_ref(g.suite(), codec::encode(ac));
  return encode_message(MLS_TRY(protect_handshake(g, ac)));
}

Result<CommitOutput> create_commit(GroupState& g, const CommitOptions& options,
                                   const std::vector<Proposal>& extra) {
  MLS_CHECK(g.check_active());
  if (g.pending) return make_error(ErrorCode::usage, "a commit of ours is already pending");
  const auto& suite = g.suite();
  const LeafIndex own = g.own();

  // Cached proposals by reference, then the caller's by value.
  std::vector<Proposal> values;
  for (const auto& kp : options.add) values.emplace_back(Add{kp});
  for (uint32_t leaf : options.remove) values.emplace_back(Remove{leaf});
  for (const auto& id : options.external_psks) {
    values.push_back(MLS_TRY(external_psk_proposal(g, id)));
  }
  for (uint64_t epoch : options.resumption_psks) {
    values.push_back(MLS_TRY(resumption_psk_proposal(g, epoch)));
  }
  if (options.group_context_extensions) {
    values.emplace_back(GroupContextExtensions{*options.group_context_extensions});
  }
  if (options.reinit) values.emplace_back(*options.reinit);
  std::vector<ResolvedProposal> list;
  Commit commit;
  bool own_update = false;
  const framing::Sender me = framing::Sender::member(own);
  for (const auto& e : g.proposals) {
    // §12.2: the committer's own Update may not be committed; its path
    // replaces the leaf instead.
    if (e.sender == me && e.proposal.get<Update>() != nullptr) {
      own_update = true;
      continue;
    }
    list.push_back({&e.proposal, e.sender, &e});
    commit.proposals.push_back(ProposalOrRef::reference(e.ref));
  }
  for (const auto& p : extra) {
    list.push_back({&p, me, nullptr});
    commit.proposals.emplace_back(p);
  }
  for (const auto& p : values) {
    list.push_back({&p, me, nullptr});
    commit.proposals.emplace_back(p);
  }
  MLS_CHECK(validate_proposal_list(g, list, me));

  auto s = std::make_unique<StagedState>(g);
  auto [provisional, joiners] = MLS_TRY(apply_proposal_list(g, *s, list));
  if (s->effects.removes_us) return make_error(ErrorCode::internal, "commit removes its committer");
  SecretBytes commit_secret;
  std::optional<tree::PreparedPath> prepared;
  if ((path_required(list) || g.config.always_include_path || options.force_path || own_update) &&
      !g.test_hooks.omit_path) {
    const LeafNode* current = g.tree.leaf_node(own);
    if (current == nullptr) return make_error(ErrorCode::internal, "our leaf is blank");
    LeafNode leaf = *current;
    leaf.credential = g.me.credential();
    leaf.extensions = current->extensions;
    auto leaf_secret = MLS_TRY(tree::fresh_leaf_secret(suite));
    prepared.emplace(MLS_TRY(tree::prepare_update_path(s->diff, own, leaf_secret, std::move(leaf),
                                                       g.me.signer(), g.context.group_id)));
    provisional.tree_hash = s->diff.root_hash();
    commit.path = MLS_TRY(prepared->encrypt(s->diff, codec::encode(provisional), joiners));
    commit_secret = prepared->commit_secret.clone();
    for (auto& [x, kp] : prepared->keys.keys) s->path_keys.keys[x] = std::move(kp);
    s->touched_leaves.push_back(own.value);
    s->effects.has_path = true;
  } else {
    provisional.tree_hash = s->diff.root_hash();
  }

  // Sign with the old context, then derive the next epoch from the
  // confirmed transcript (§12.4.1).
  framing::FramedContent fc = our_content(g, std::move(commit), options.authenticated_data);
  auto ac = MLS_TRY(
      framing::sign_content(g.view(), handshake_wire_format(g), std::move(fc), g.me.signer()));
  Bytes confirmed_input = MLS_TRY(framing::confirmed_transcript_hash_input(ac));
  SecretBytes psk_secret = MLS_TRY(commit_psk_secret(g, s->effects.psks));
  auto er = MLS_TRY(
      derive_next_epoch(g, *s, std::move(provisional), confirmed_input, commit_secret, psk_secret));
  ac.auth.confirmation_tag = er.confirmation_tag;
  if (g.test_hooks.bad_confirmation_tag) ac.auth.confirmation_tag->front() ^= 0x01;

  CommitOutput out;
  // The GroupInfo only when a Welcome or the caller needs it: with the tree
  // it is the one O(N) part of a commit.
  const auto& next = *s->next;
  const bool return_group_info = options.group_info || options.external_pub;
  std::optional<GroupInfo> gi;
  if (!joiners.empty() || return_group_info) {
    gi = MLS_TRY(make_group_info(g, s->diff, next.context, next.secrets, er.confirmation_tag,
                                 options.ratchet_tree_in_welcome, options.external_pub));
  }
  if (!joiners.empty()) {
    std::vector<WelcomeRecipient> recipients;
    size_t i = 0;
    for (const auto& r : list) {
      const Add* add = r.proposal->get<Add>();
      if (add == nullptr) continue;
      const SecretBytes* ps = prepared ? prepared->path_secret_for(joiners[i]) : nullptr;
      recipients.push_back({&add->key_package, ps});
      ++i;
    }
    auto welcome = MLS_TRY(
        make_welcome(suite, er.joiner_secret, er.psk_secret, s->effects.psks, *gi, recipients));
    out.welcome = encode_message(framing::MLSMessage(std::move(welcome)));
  }
  if (gi && !options.ratchet_tree_in_welcome) out.ratchet_tree = s->diff.encode();
  if (return_group_info) out.group_info = encode_message(framing::MLSMessage(std::move(*gi)));

  // Last, as it uses up a handshake key when encrypting (§9.2).
  out.commit = encode_message(MLS_TRY(protect_handshake(g, ac)));
  s->effects.committer = own.value;
  s->effects.new_epoch = g.context.epoch + 1;
  out.effects = s->effects;
  g.pending = std::move(s);
  return out;
}

}  // namespace mls::group_detail
