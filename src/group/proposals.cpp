// Proposals (RFC 9420 §12.1), proposal list validation (§12.2) and applying a
// proposal list to the staged tree (§12.3).
#include <algorithm>
#include <ctime>
#include <string>

#include "crypto/cipher_suite.h"
#include "crypto/random.h"
#include "group/state.h"
#include "schedule/psk.h"

namespace mls::group_detail {
namespace {

tl::unexpected<Error> proposal_error(const std::string& what) {
  return make_error(ErrorCode::invalid_proposal, what);
}

std::string leaf_name(uint32_t leaf) { return "leaf " + std::to_string(leaf); }

// §7.3: an encryption key a leaf brings must not be anywhere in the tree yet.
Status check_new_encryption_key(const tree::RatchetTree& t, BytesView key, const char* what) {
  if (t.find_encryption_key(key)) {
    return make_error(ErrorCode::duplicate_key, std::string(what) + ": encryption key in use");
  }
  return {};
}

}  // namespace

tree::TreeValidationParams GroupState::leaf_params() const {
  return leaf_params_for(context, config);
}

tree::TreeValidationParams leaf_params_for(const GroupContext& context, const GroupConfig& config) {
  tree::TreeValidationParams p;
  p.group_id = context.group_id;
  if (auto req =
          context.extensions.get<RequiredCapabilities>(extension_type::required_capabilities);
      req && *req) {
    p.required = **req;
  }
  for (const auto& e : context.extensions.entries) {
    if (!extension_type::is_default(e.extension_type)) {
      p.required.extension_types.push_back(e.extension_type);
    }
  }
  if (config.check_lifetimes) p.now = static_cast<uint64_t>(std::time(nullptr));
  p.credentials = config.credentials.get();
  return p;
}

// --- the credential census (§7.3) -------------------------------------------------------

void CredentialCensus::add(const LeafNode& leaf, int sign) {
  auto bump = [sign](std::map<uint16_t, uint32_t>& m, uint16_t t) {
    uint32_t& n = m[t];
    n = static_cast<uint32_t>(static_cast<int64_t>(n) + sign);
    if (n == 0) m.erase(t);
  };
  members = static_cast<uint32_t>(static_cast<int64_t>(members) + sign);
  bump(in_use, static_cast<uint16_t>(leaf.credential.type()));
  std::vector<uint16_t> seen;  // a type listed twice counts once
  for (uint16_t t : leaf.capabilities.credentials) {
    if (std::ranges::find(seen, t) != seen.end()) continue;
    seen.push_back(t);
    bump(supported, t);
  }
}

std::vector<uint16_t> CredentialCensus::types_in_use() const {
  std::vector<uint16_t> out;
  for (const auto& [t, n] : in_use) out.push_back(t);
  return out;
}

Status CredentialCensus::check(const LeafNode& leaf, const LeafNode* replacing) const {
  CredentialCensus others = *this;
  if (replacing != nullptr) others.add(*replacing, -1);
  for (const auto& [t, n] : others.in_use) {
    if (std::ranges::find(leaf.capabilities.credentials, t) ==
        leaf.capabilities.credentials.end()) {
      return make_error(ErrorCode::unsupported_capability,
                        "leaf does not support credential type " + std::to_string(t) +
                            ", which a member uses (§7.3)");
    }
  }
  const auto own = static_cast<uint16_t>(leaf.credential.type());
  auto it = others.supported.find(own);
  uint32_t supporting = it == others.supported.end() ? 0 : it->second;
  if (supporting < others.members) {
    return make_error(
        ErrorCode::unsupported_capability,
        "a member does not support the leaf's credential type " + std::to_string(own) + " (§7.3)");
  }
  return {};
}

CredentialCensus CredentialCensus::of(const tree::RatchetTree& tree) {
  CredentialCensus c;
  for (uint32_t i = 0; i < tree.leaf_count().value; ++i) {
    if (const LeafNode* leaf = tree.leaf_node(LeafIndex(i))) c.add(*leaf, +1);
  }
  return c;
}

Status GroupState::check_active() const {
  if (!active) return make_error(ErrorCode::usage, "we are no longer a member of this group");
  if (reinit) {
    return make_error(ErrorCode::usage,
                      "the group was reinitialized (§11.2): only reinit() may follow");
  }
  return {};
}

bool has_grease(const ExtensionList& extensions) {
  return std::ranges::any_of(extensions.entries,
                             [](const Extension& e) { return is_grease(e.extension_type); });
}

namespace {

bool is_member(const framing::Sender& s) { return s.sender_type == framing::SenderType::member; }

}  // namespace

Status supports_context(const Capabilities& caps, const ExtensionList& extensions,
                        const std::string& who) {
  auto req = extensions.get<RequiredCapabilities>(extension_type::required_capabilities);
  if (!req) {
    return make_error(ErrorCode::invalid_value, "malformed required_capabilities extension");
  }
  if (*req && !(*req)->supported_by(caps)) {
    return make_error(ErrorCode::unsupported_capability, who + " lacks a required capability");
  }
  for (const auto& e : extensions.entries) {
    if (!extension_type::is_default(e.extension_type) &&
        std::ranges::find(caps.extensions, e.extension_type) == caps.extensions.end()) {
      return make_error(ErrorCode::unsupported_capability,
                        who + " does not support extension " + std::to_string(e.extension_type));
    }
  }
  return {};
}

Status validate_proposal(const GroupState& g, const Proposal& p, const framing::Sender& sender) {
  const auto& suite = g.suite();
  // §12.1.8, §6.1: senders outside the group may propose only some types.
  if (sender.sender_type == framing::SenderType::new_member_proposal && p.get<Add>() == nullptr) {
    return make_error(ErrorCode::proposal_not_allowed, "new_member_proposal other than Add");
  }
  if (sender.sender_type == framing::SenderType::external &&
      !framing::external_sender_may_propose(p.type())) {
    return make_error(ErrorCode::proposal_not_allowed,
                      "an external sender may not propose type " + std::to_string(p.type()));
  }
  if (const Add* add = p.get<Add>()) {
    // §10.1 and §12.1.1: a valid KeyPackage for this group's suite, whose leaf
    // passes leaf validation (§7.3) and whose keys are new to the group.
    const KeyPackage& kp = add->key_package;
    if (kp.cipher_suite != suite.id()) {
      return make_error(ErrorCode::invalid_key_package, "Add: KeyPackage of another cipher suite");
    }
    if (kp.version != g.context.version) {
      return make_error(ErrorCode::invalid_key_package,
                        "Add: KeyPackage version " + std::to_string(kp.version) +
                            " is not the group's " + std::to_string(g.context.version));
    }
    MLS_CHECK(kp.validate(suite));
    MLS_CHECK(tree::verify_leaf(suite, kp.leaf_node, LeafIndex(0), g.leaf_params(), {}));
    MLS_CHECK(g.census.check(kp.leaf_node, nullptr));
    MLS_CHECK(check_new_encryption_key(g.tree, kp.leaf_node.encryption_key, "Add"));
    return {};
  }
  if (const Update* up = p.get<Update>()) {
    // §12.1.2: from a member, a leaf of source update signed for its place,
    // with a new encryption key.
    auto leaf = sender.leaf_index();
    if (!leaf) return make_error(ErrorCode::proposal_not_allowed, "Update from a non-member");
    const LeafNode* current = g.tree.leaf_node(*leaf);
    if (current == nullptr) return proposal_error("Update from a blank " + leaf_name(leaf->value));
    if (up->leaf_node.leaf_node_source != LeafNodeSource::update) {
      return make_error(ErrorCode::invalid_leaf_node, "Update: leaf_node_source is not update");
    }
    MLS_CHECK(tree::verify_leaf(suite, up->leaf_node, *leaf, g.leaf_params(), {}));
    MLS_CHECK(g.census.check(up->leaf_node, current));
    MLS_CHECK(check_new_encryption_key(g.tree, up->leaf_node.encryption_key, "Update"));
    if (auto other = g.tree.find_signature_key(up->leaf_node.signature_key);
        other && *other != *leaf) {
      return make_error(ErrorCode::duplicate_key, "Update: signature key of another member");
    }
    return {};
  }
  if (const Remove* rm = p.get<Remove>()) {
    // §12.1.3: the removed leaf must hold a member.
    if (g.tree.leaf_node(LeafIndex(rm->removed)) == nullptr) {
      return proposal_error("Remove of a blank or absent " + leaf_name(rm->removed));
    }
    return {};
  }
  if (const PreSharedKey* psk = p.get<PreSharedKey>()) {
    // §12.1.4: the nonce is Nh bytes; resumption PSKs of usage reinit or
    // branch only in the first commit of the group that resumes (§11.2,
    // §11.3), which this group made itself.
    if (psk->psk.psk_nonce.size() != suite.hash_size()) {
      return make_error(ErrorCode::invalid_psk_proposal, "PreSharedKey: psk_nonce is not Nh bytes");
    }
    if (psk->psk.psktype == PSKType::resumption &&
        psk->psk.usage != ResumptionPSKUsage::application) {
      bool resuming = g.prior && g.context.epoch == 0 && is_member(sender) &&
                      sender.index == g.own().value &&
                      std::ranges::equal(psk->psk.psk_group_id, g.prior->group_id) &&
                      psk->psk.psk_epoch == g.prior->epoch;
      if (!resuming) {
        return make_error(ErrorCode::invalid_psk_proposal,
                          "PreSharedKey: resumption usage reinit/branch outside §11.2-§11.3");
      }
    }
    return {};
  }
  if (const GroupContextExtensions* gce = p.get<GroupContextExtensions>()) {
    // §12.1.7: well-formed, and every member supports what it requires.
    if (gce->extensions.has_duplicates()) {
      return proposal_error("GroupContextExtensions: an extension type repeats");
    }
    if (has_grease(gce->extensions)) {
      return proposal_error("GroupContextExtensions: a GREASE extension type (§13.5)");
    }
    auto senders = gce->extensions.get<ExternalSenders>(extension_type::external_senders);
    if (!senders) return proposal_error("GroupContextExtensions: malformed external_senders");
    if (!gce->extensions.get<RequiredCapabilities>(extension_type::required_capabilities)) {
      return proposal_error("GroupContextExtensions: malformed required_capabilities");
    }
    // O(N), as the RFC asks every member's support to be checked.
    for (uint32_t i = 0; i < g.tree.leaf_count().value; ++i) {
      const LeafNode* leaf = g.tree.leaf_node(LeafIndex(i));
      if (leaf == nullptr) continue;
      MLS_CHECK(supports_context(leaf->capabilities, gce->extensions,
                                 "GroupContextExtensions: " + leaf_name(i)));
    }
    return {};
  }
  if (const ReInit* ri = p.get<ReInit>()) {
    // §12.1.5: not a lower version; and one we can follow.
    if (ri->version < g.context.version) {
      return make_error(ErrorCode::invalid_reinit, "ReInit to a lower protocol version");
    }
    if (ri->version != kMls10) {
      return make_error(ErrorCode::invalid_reinit, "ReInit to an unknown protocol version");
    }
    if (!crypto::CipherSuite::get(ri->cipher_suite)) {
      return make_error(ErrorCode::invalid_reinit,
                        "ReInit to unsupported cipher suite " + std::to_string(ri->cipher_suite));
    }
    if (ri->extensions.has_duplicates() || has_grease(ri->extensions)) {
      return make_error(ErrorCode::invalid_reinit,
                        "ReInit: an extension type repeats or is GREASE (§13.5)");
    }
    return {};
  }
  // ExternalInit belongs only in external commits (§12.2, §12.4.3.2), which
  // validate_proposal_list admits on its own.
  return make_error(ErrorCode::external_init_not_allowed,
                    "ExternalInit outside an external commit (§12.2)");
}

Status run_policy(const GroupState& g, const Proposal& p, const framing::Sender& sender,
                  bool by_reference) {
  if (!g.config.proposal_policy) return {};
  ProposalOrigin origin;
  origin.by_reference = by_reference;
  switch (sender.sender_type) {
    case framing::SenderType::member:
      origin.sender_leaf = sender.index;
      break;
    case framing::SenderType::external:
      origin.external_sender = sender.index;
      break;
    default:
      origin.new_member = true;
      break;
  }
  return g.config.proposal_policy(p, origin);
}

Status validate_proposal_list(const GroupState& g, const std::vector<ResolvedProposal>& list,
                              const framing::Sender& committer_sender) {
  const bool external = committer_sender.sender_type == framing::SenderType::new_member_commit;
  // The committer's leaf; none (an index no leaf has) for an external commit.
  const uint32_t committer = external ? UINT32_MAX : committer_sender.index;
  std::vector<uint32_t> touched;       // leaves with an Update or Remove
  std::vector<uint32_t> removed;       // leaves removed
  std::vector<const Bytes*> add_keys;  // signature keys of Adds
  std::vector<const LeafNode*> add_leaves;
  std::vector<const PreSharedKeyID*> psks;
  const ExtensionList* new_extensions = nullptr;
  size_t gce = 0, reinit = 0, external_init = 0, removes = 0;
  for (const ResolvedProposal& r : list) {
    const Proposal& p = *r.proposal;
    // Cached proposals were checked when they arrived, in this same epoch.
    if (r.cached == nullptr && p.get<ExternalInit>() == nullptr) {
      MLS_CHECK(validate_proposal(g, p, r.sender));
    }
    MLS_CHECK(run_policy(g, p, r.sender, r.cached != nullptr));
    if (external) {
      // §12.2 (external commits): ExternalInit, at most one Remove (resync)
      // and PreSharedKeys, all by value (§12.4.3.2).
      if (r.cached != nullptr) {
        return make_error(ErrorCode::invalid_external_commit,
                          "external commit with a proposal by reference");
      }
      ProposalType t = p.type();
      if (t != proposal_type::external_init && t != proposal_type::remove &&
          t != proposal_type::psk) {
        return make_error(ErrorCode::invalid_external_commit,
                          "external commit with a proposal of type " + std::to_string(t));
      }
    }
    if (p.get<Update>() != nullptr) {
      uint32_t from = r.sender.index;
      if (from == committer) {
        return make_error(ErrorCode::update_by_committer, "§12.2: Update from the committer");
      }
      if (std::ranges::find(touched, from) != touched.end()) {
        return make_error(ErrorCode::conflicting_proposals,
                          "§12.2: two Update/Remove proposals for " + leaf_name(from));
      }
      touched.push_back(from);
    } else if (const Remove* rm = p.get<Remove>()) {
      ++removes;
      if (rm->removed == committer) {
        return make_error(ErrorCode::remove_of_committer, "§12.2: Remove of the committer");
      }
      if (std::ranges::find(touched, rm->removed) != touched.end()) {
        return make_error(ErrorCode::conflicting_proposals,
                          "§12.2: two Update/Remove proposals for " + leaf_name(rm->removed));
      }
      touched.push_back(rm->removed);
      removed.push_back(rm->removed);
    } else if (const Add* add = p.get<Add>()) {
      const Bytes& key = add->key_package.leaf_node.signature_key;
      for (const Bytes* k : add_keys) {
        if (*k == key) {
          return make_error(ErrorCode::duplicate_add,
                            "§12.2: two Adds of one client (same signature key)");
        }
      }
      add_keys.push_back(&key);
      add_leaves.push_back(&add->key_package.leaf_node);
    } else if (const PreSharedKey* psk = p.get<PreSharedKey>()) {
      for (const PreSharedKeyID* id : psks) {
        if (*id == psk->psk) {
          return make_error(ErrorCode::duplicate_psk,
                            "§12.2: two PreSharedKey proposals for one PSK");
        }
      }
      psks.push_back(&psk->psk);
    } else if (const auto* ext = p.get<GroupContextExtensions>()) {
      if (++gce > 1) {
        return make_error(ErrorCode::multiple_group_context_extensions,
                          "§12.2: more than one GroupContextExtensions");
      }
      new_extensions = &ext->extensions;
    } else if (p.get<ReInit>() != nullptr) {
      ++reinit;
    } else if (const ExternalInit* ei = p.get<ExternalInit>()) {
      if (!external) {
        return make_error(ErrorCode::external_init_not_allowed,
                          "§12.2: ExternalInit in a regular commit");
      }
      if (ei->kem_output.empty()) {
        return make_error(ErrorCode::invalid_external_commit, "ExternalInit: empty kem_output");
      }
      ++external_init;
    }
  }
  if (reinit > 0 && list.size() > 1) {
    return make_error(ErrorCode::reinit_not_alone, "§12.2: ReInit with other proposals");
  }
  if (external && external_init != 1) {
    return make_error(ErrorCode::invalid_external_commit,
                      "§12.2: an external commit needs exactly one ExternalInit");
  }
  if (external && removes > 1) {
    return make_error(ErrorCode::invalid_external_commit,
                      "§12.2: an external commit removes at most one leaf");
  }
  // §12.2: an Add of a client already in the group, unless it is removed here.
  for (const Bytes* key : add_keys) {
    if (auto at = g.tree.find_signature_key(*key);
        at && std::ranges::find(removed, at->value) == removed.end()) {
      return make_error(
          ErrorCode::member_already_present,
          "§12.2: Add of a client already in the group (" + leaf_name(at->value) + ")");
    }
  }
  // §12.1.7, §11.1: a new GroupContext's requirements hold for the members
  // it adds too (the members already in were checked with the proposal).
  if (new_extensions != nullptr) {
    for (const LeafNode* leaf : add_leaves) {
      MLS_CHECK(supports_context(leaf->capabilities, *new_extensions, "an added member"));
    }
  }
  return {};
}

Result<AppliedProposals> apply_proposal_list(const GroupState& g, StagedState& s,
                                             const std::vector<ResolvedProposal>& list) {
  ExtensionList extensions = g.context.extensions;
  auto record_old_key = [&](uint32_t leaf) {
    const LeafNode* old = g.tree.leaf_node(LeafIndex(leaf));
    s.changed.try_emplace(leaf, old ? std::optional<Bytes>(old->signature_key) : std::nullopt);
  };
  // §12.3 order: GroupContextExtensions, Updates, Removes, Adds, PSKs.
  for (const auto& r : list) {
    if (const auto* gce = r.proposal->get<GroupContextExtensions>()) extensions = gce->extensions;
  }
  for (const auto& r : list) {
    const Update* up = r.proposal->get<Update>();
    if (up == nullptr) continue;
    LeafIndex from(r.sender.index);
    record_old_key(from.value);
    s.touched_leaves.push_back(from.value);
    MLS_CHECK(s.diff.update_leaf(from, up->leaf_node));
    s.effects.updated.push_back(from.value);
    if (from == g.own() && r.cached != nullptr && r.cached->update_keys) {
      const auto& k = *r.cached->update_keys;
      s.path_keys.keys[tree::NodeIndex(from).value] = {k.private_key.clone(), k.public_key};
    }
  }
  for (const auto& r : list) {
    const Remove* rm = r.proposal->get<Remove>();
    if (rm == nullptr) continue;
    const LeafNode* old = g.tree.leaf_node(LeafIndex(rm->removed));
    if (old == nullptr) return proposal_error("Remove of a blank " + leaf_name(rm->removed));
    s.effects.removed.push_back({rm->removed, *old});
    record_old_key(rm->removed);
    s.touched_leaves.push_back(rm->removed);
    MLS_CHECK(s.diff.remove_leaf(LeafIndex(rm->removed)));
    if (rm->removed == g.own().value) s.effects.removes_us = true;
  }
  for (const auto& r : list) {
    const Add* add = r.proposal->get<Add>();
    if (add == nullptr) continue;
    const LeafNode& leaf = add->key_package.leaf_node;
    // §12.2: the tree after the commit must be valid; keys stay unique.
    if (s.diff.find_encryption_key(leaf.encryption_key)) {
      return make_error(ErrorCode::duplicate_key, "Add: encryption key already in the tree");
    }
    if (s.diff.find_signature_key(leaf.signature_key)) {
      return make_error(ErrorCode::duplicate_key, "Add: signature key already in the tree");
    }
    LeafIndex at = s.diff.add_leaf(leaf);
    s.changed.try_emplace(at.value, std::nullopt);  // Adds fill blank leaves
    s.touched_leaves.push_back(at.value);
    s.effects.added.push_back(at.value);
  }
  for (const auto& r : list) {
    if (const auto* psk = r.proposal->get<PreSharedKey>()) s.effects.psks.push_back(psk->psk);
    if (const auto* ri = r.proposal->get<ReInit>()) s.reinit = s.effects.reinit = *ri;
  }
  AppliedProposals out;
  out.provisional = g.context;
  out.provisional.epoch += 1;
  out.provisional.extensions = std::move(extensions);
  for (uint32_t a : s.effects.added) out.joiners.emplace_back(a);
  return out;
}

bool path_required(const std::vector<ResolvedProposal>& list) {
  if (list.empty()) return true;
  return std::ranges::any_of(list, [](const ResolvedProposal& r) {
    ProposalType t = r.proposal->type();
    return t == proposal_type::update || t == proposal_type::remove ||
           t == proposal_type::external_init || t == proposal_type::group_context_extensions;
  });
}

namespace {

// The application's PSKs, plus the resumption PSKs of this group's own
// epochs, which the group keeps itself (§8.6).
class GroupPskStore final : public schedule::PskStore {
 public:
  explicit GroupPskStore(const GroupState& g) : g_(g) {}
  std::optional<SecretBytes> external_psk(BytesView psk_id) const override {
    if (!g_.config.psks) return std::nullopt;
    return g_.config.psks->external_psk(psk_id);
  }
  std::optional<SecretBytes> resumption_psk(BytesView group_id, uint64_t epoch) const override {
    if (g_.prior && g_.context.epoch == 0 && std::ranges::equal(group_id, g_.prior->group_id) &&
        epoch == g_.prior->epoch) {
      return g_.prior->psk.clone();
    }
    if (std::ranges::equal(group_id, g_.context.group_id)) {
      if (epoch == g_.context.epoch) return g_.secrets.resumption_psk.clone();
      for (const auto& [e, psk] : g_.resumption_psks) {
        if (e == epoch) return psk.clone();
      }
    }
    if (!g_.config.psks) return std::nullopt;
    return g_.config.psks->resumption_psk(group_id, epoch);
  }

 private:
  const GroupState& g_;
};

}  // namespace

Result<SecretBytes> commit_psk_secret(const GroupState& g,
                                      const std::vector<PreSharedKeyID>& psks) {
  if (psks.empty()) return SecretBytes();
  return schedule::psk_secret(g.suite(), psks, GroupPskStore(g));
}

Result<Proposal> external_psk_proposal(const GroupState& g, BytesView psk_id) {
  if (!g.config.psks || !g.config.psks->external_psk(psk_id)) {
    return make_error(ErrorCode::unknown_psk, "the PSK store does not hold a requested psk_id");
  }
  // psk_nonce: Nh fresh random bytes (§8.4); public, so not a SecretBytes.
  Bytes nonce = MLS_TRY(crypto::random_bytes(g.suite().hash_size()));
  return Proposal(PreSharedKey{
      PreSharedKeyID::external(Bytes(psk_id.begin(), psk_id.end()), std::move(nonce))});
}

Result<Proposal> resumption_psk_proposal(const GroupState& g, uint64_t epoch) {
  bool known = epoch == g.context.epoch;
  for (const auto& [e, psk] : g.resumption_psks) known = known || e == epoch;
  if (!known) {
    return make_error(ErrorCode::unknown_psk,
                      "no resumption PSK kept for epoch " + std::to_string(epoch));
  }
  Bytes nonce = MLS_TRY(crypto::random_bytes(g.suite().hash_size()));
  return Proposal(PreSharedKey{PreSharedKeyID::resumption(
      ResumptionPSKUsage::application, g.context.group_id, epoch, std::move(nonce))});
}

}  // namespace mls::group_detail
