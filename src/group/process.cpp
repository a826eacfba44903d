// Receiving (RFC 9420 §6, §12): unprotecting any message, caching proposals,
// and validating a commit into a staged next epoch (§12.4.2).
#include "crypto/labeled.h"
#include "group/state.h"
#include "schedule/transcript.h"

namespace mls::group_detail {
namespace {

// A past epoch's members: the current tree, except the leaves later commits
// changed, whose old keys the epoch recorded.
class PastSenderKeys final : public framing::SenderKeys {
 public:
  PastSenderKeys(const GroupState& g, const PastEpoch& p) : current_(g), past_(p) {}
  std::optional<BytesView> member_signature_key(LeafIndex leaf) const override {
    if (auto it = past_.changed.find(leaf.value); it != past_.changed.end()) {
      if (!it->second) return std::nullopt;
      return BytesView(*it->second);
    }
    return current_.member_signature_key(leaf);
  }
  std::optional<BytesView> external_signature_key(uint32_t) const override {
    return std::nullopt;  // application messages come from members only
  }
  std::optional<LeafIndex> own_leaf() const override { return current_.own_leaf(); }

 private:
  CurrentSenderKeys current_;
  const PastEpoch& past_;
};

Result<ProcessedMessage> handle_content(GroupState& g,
                                        Verified<framing::AuthenticatedContent> verified,
                                        uint64_t epoch) {
  const auto& content = verified->content;
  const framing::Sender& sender = content.sender;
  if (sender.leaf_index() == g.own()) {
    return make_error(ErrorCode::usage, "a message we sent ourselves");
  }
  if (const auto* app = content.application_data()) {
    // Framing admits application data from members only (§6).
    return ProcessedMessage(
        ApplicationMessage{sender.index, epoch, app->data, content.authenticated_data});
  }
  if (const Proposal* p = content.proposal()) {
    // From a member, an external sender or a new member (§12.1.8); the
    // framing layer checked the signature with the right key.
    MLS_CHECK(validate_proposal(g, *p, sender));
    MLS_CHECK(run_policy(g, *p, sender, true));
    Bytes ref = crypto::make_proposal_ref(g.suite(), codec::encode(*verified));
    for (const auto& e : g.proposals) {
      if (e.ref == ref) return make_error(ErrorCode::invalid_proposal, "proposal already cached");
    }
    g.proposals.push_back(CachedEntry{*p, sender, ref, std::nullopt});
    CachedProposal out{sender.index, p->type(), std::move(ref), {}};
    out.origin.by_reference = true;
    if (sender.sender_type == framing::SenderType::member) {
      out.origin.sender_leaf = sender.index;
    } else if (sender.sender_type == framing::SenderType::external) {
      out.origin.external_sender = sender.index;
    } else {
      out.origin.new_member = true;
    }
    return ProcessedMessage(std::move(out));
  }
  auto staged = MLS_TRY(stage_commit(g, *verified));
  return ProcessedMessage(StagedCommit(std::move(staged)));
}

}  // namespace

Result<std::unique_ptr<StagedState>> stage_commit(GroupState& g,
                                                  const framing::AuthenticatedContent& ac) {
  const auto& suite = g.suite();
  const Commit& commit = *ac.content.commit();
  const framing::Sender& sender = ac.content.sender;
  const bool external = sender.sender_type == framing::SenderType::new_member_commit;
  if (!external && sender.sender_type != framing::SenderType::member) {
    return make_error(ErrorCode::invalid_sender, "a commit from an external sender");
  }

  // §12.4.2: proposals by reference must be in this epoch's cache.
  std::vector<ResolvedProposal> list;
  for (const auto& por : commit.proposals) {
    if (const Proposal* p = por.proposal()) {
      list.push_back({p, sender, nullptr});
      continue;
    }
    const CachedEntry* found = nullptr;
    for (const auto& e : g.proposals) {
      if (e.ref == *por.ref()) found = &e;
    }
    if (found == nullptr)
      return make_error(ErrorCode::not_found, "commit references an unknown proposal");
    list.push_back({&found->proposal, found->sender, found});
  }
  MLS_CHECK(validate_proposal_list(g, list, sender));

  auto s = std::make_unique<StagedState>(g);
  auto [provisional, joiners] = MLS_TRY(apply_proposal_list(g, *s, list));
  if (path_required(list) && !commit.path) {
    return make_error(ErrorCode::missing_path, "§12.4.2: the commit needs a path and has none");
  }
  // An external joiner takes the leftmost blank leaf after the proposals
  // (§12.4.3.2); its path fills it.
  const LeafIndex committer = external ? s->diff.free_leaf() : LeafIndex(sender.index);
  SecretBytes commit_secret;
  if (commit.path) {
    const UpdatePath& path = *commit.path;
    // §12.4.2: the path's leaf passes leaf validation (§7.3) for its place.
    if (path.leaf_node.leaf_node_source != LeafNodeSource::commit) {
      return make_error(ErrorCode::invalid_leaf_node, "path leaf_node_source is not commit");
    }
    auto params = leaf_params_for(provisional, g.config);
    MLS_CHECK(tree::verify_leaf(suite, path.leaf_node, committer, params, {}));
    const LeafNode* old = g.tree.leaf_node(committer);
    MLS_CHECK(g.census.check(path.leaf_node, old));
    if (auto other = s->diff.find_signature_key(path.leaf_node.signature_key);
        other && *other != committer) {
      return make_error(ErrorCode::duplicate_key, "path leaf: signature key of another member");
    }
    if (external && !s->effects.removed.empty()) {
      // §12.4.3.2: a resync's new leaf is held to what an Update of the
      // removed leaf would be: the same client, here the same credential.
      const LeafNode& replaced = s->effects.removed.front().leaf;
      if (replaced.credential != path.leaf_node.credential) {
        return make_error(ErrorCode::invalid_external_commit,
                          "resync removes a leaf of another client");
      }
      // §12.2, §7.3: as in an Update, the new leaf's encryption key differs
      // from the replaced leaf's. The Remove blanked that leaf in the
      // diff, so the path's own duplicate-key check would not see it.
      if (replaced.encryption_key == path.leaf_node.encryption_key) {
        return make_error(ErrorCode::duplicate_key,
                          "resync: the new leaf keeps the removed leaf's encryption key");
      }
    }
    if (old == nullptr || old->signature_key != path.leaf_node.signature_key) {
      s->changed.try_emplace(committer.value,
                             old ? std::optional<Bytes>(old->signature_key) : std::nullopt);
    }
    s->touched_leaves.push_back(committer.value);
    MLS_CHECK(tree::merge_update_path(s->diff, committer, path));
    provisional.tree_hash = s->diff.root_hash();
    s->effects.has_path = true;
    if (!s->effects.removes_us) {
      Bytes ctx = codec::encode(provisional);
      // Our own Update in this commit: the path secret is encrypted to the
      // new leaf key, and our direct path is blank below it.
      auto own_new = s->path_keys.keys.find(tree::NodeIndex(g.own()).value);
      tree::DecryptedPath d;
      if (own_new != s->path_keys.keys.end()) {
        tree::PrivateTree fresh(g.own(),
                                {own_new->second.private_key.clone(), own_new->second.public_key});
        d = MLS_TRY(tree::decrypt_update_path(s->diff, fresh, committer, path, ctx, joiners));
      } else {
        d = MLS_TRY(tree::decrypt_update_path(s->diff, g.priv, committer, path, ctx, joiners));
      }
      commit_secret = std::move(d.commit_secret);
      for (auto& [x, kp] : d.keys.keys) s->path_keys.keys[x] = std::move(kp);
    }
  } else {
    provisional.tree_hash = s->diff.root_hash();
  }
  s->effects.committer = committer.value;
  s->effects.new_epoch = g.context.epoch + 1;
  s->effects.external = external;
  if (s->effects.removes_us) return s;  // the next epoch is not ours to derive

  // An external commit replaces the init secret with the one its
  // ExternalInit carries, to the current epoch's external key (§8.3).
  std::optional<SecretBytes> init_secret;
  if (external) {
    const ExternalInit* ei = nullptr;
    for (const auto& r : list) {
      if (const auto* e = r.proposal->get<ExternalInit>()) ei = e;
    }
    auto kp = MLS_TRY(schedule::external_key_pair(suite, g.secrets.external_secret));
    init_secret = MLS_TRY(schedule::external_init_receiver(suite, kp.private_key, ei->kem_output));
  }
  Bytes confirmed_input = MLS_TRY(framing::confirmed_transcript_hash_input(ac));
  SecretBytes psk_secret = MLS_TRY(commit_psk_secret(g, s->effects.psks));
  MLS_CHECK(derive_next_epoch(g, *s, std::move(provisional), confirmed_input, commit_secret,
                              psk_secret, init_secret ? &*init_secret : nullptr));
  if (!ac.auth.confirmation_tag) {
    return make_error(ErrorCode::invalid_commit, "commit without a confirmation tag");
  }
  MLS_CHECK(schedule::verify_confirmation_tag(suite, s->next->secrets.confirmation_key,
                                              s->next->context.confirmed_transcript_hash,
                                              *ac.auth.confirmation_tag));
  return s;
}

Result<ProcessedMessage> process_message(GroupState& g, BytesView bytes) {
  MLS_CHECK(g.check_active());
  auto msg = MLS_TRY(codec::decode_all<framing::MLSMessage>(bytes));
  CurrentSenderKeys keys(g);
  if (auto* pub = msg.get<framing::PublicMessage>()) {
    MLS_CHECK(framing::check_group_and_epoch(g.view(), pub->content.group_id, pub->content.epoch));
    auto v = MLS_TRY(
        framing::unprotect_public(g.view(), g.secrets.membership_key, keys, std::move(*pub)));
    return handle_content(g, std::move(v), g.context.epoch);
  }
  if (auto* priv = msg.get<framing::PrivateMessage>()) {
    if (priv->group_id != g.context.group_id) {
      return make_error(ErrorCode::wrong_group, "message for another group");
    }
    if (priv->epoch == g.context.epoch) {
      auto v = MLS_TRY(framing::unprotect_private(g.view(), g.secrets.sender_data_secret,
                                                  g.secret_tree, keys, *priv));
      return handle_content(g, std::move(v), g.context.epoch);
    }
    // §9.2: application messages of a recent epoch, within past_epochs.
    if (priv->content_type == framing::ContentType::application) {
      for (auto& p : g.past) {
        if (p.epoch != priv->epoch) continue;
        framing::EpochView view{g.suite(), g.context.group_id, p.epoch, p.group_context};
        PastSenderKeys past_keys(g, p);
        auto v = MLS_TRY(framing::unprotect_private(view, p.sender_data_secret, p.secret_tree,
                                                    past_keys, *priv));
        return handle_content(g, std::move(v), p.epoch);
      }
    }
    return make_error(ErrorCode::wrong_epoch, "message of epoch " + std::to_string(priv->epoch) +
                                                  ", group at " + std::to_string(g.context.epoch));
  }
  return make_error(ErrorCode::usage, "not a PublicMessage or PrivateMessage");
}

}  // namespace mls::group_detail
