// Proposals (RFC 9420 §12.1), proposal list validation (§12.2) and applying a
// proposal list to the staged tree (§12.3).
#include <algorithm>
#include <ctime>
#include <string>

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

Status GroupState::check_active() const {
  if (!active) return make_error(ErrorCode::usage, "we are no longer a member of this group");
  return {};
}

Status validate_proposal(const GroupState& g, const Proposal& p, LeafIndex sender) {
  const auto& suite = g.suite();
  if (const Add* add = p.get<Add>()) {
    // §10.1 and §12.1.1: a valid KeyPackage for this group's suite, whose leaf
    // passes leaf validation (§7.3) and whose keys are new to the group.
    const KeyPackage& kp = add->key_package;
    if (kp.cipher_suite != suite.id()) {
      return make_error(ErrorCode::invalid_key_package, "Add: KeyPackage of another cipher suite");
    }
    MLS_CHECK(kp.validate(suite));
    MLS_CHECK(tree::verify_leaf(suite, kp.leaf_node, LeafIndex(0), g.leaf_params(), {}));
    MLS_CHECK(check_new_encryption_key(g.tree, kp.leaf_node.encryption_key, "Add"));
    return {};
  }
  if (const Update* up = p.get<Update>()) {
    // §12.1.2: from a member, a leaf of source update signed for its place,
    // with a new encryption key.
    const LeafNode* current = g.tree.leaf_node(sender);
    if (current == nullptr) return proposal_error("Update from a blank " + leaf_name(sender.value));
    if (up->leaf_node.leaf_node_source != LeafNodeSource::update) {
      return make_error(ErrorCode::invalid_leaf_node, "Update: leaf_node_source is not update");
    }
    MLS_CHECK(tree::verify_leaf(suite, up->leaf_node, sender, g.leaf_params(), {}));
    MLS_CHECK(check_new_encryption_key(g.tree, up->leaf_node.encryption_key, "Update"));
    if (auto other = g.tree.find_signature_key(up->leaf_node.signature_key);
        other && *other != sender) {
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
    // §8.4: the nonce is Nh bytes; a regular commit's resumption PSK is of
    // usage application (reinit and branch belong to their own flows, §11.2-§11.3).
    if (psk->psk.psk_nonce.size() != suite.hash_size()) {
      return proposal_error("PreSharedKey: psk_nonce is not Nh bytes");
    }
    if (psk->psk.psktype == PSKType::resumption &&
        psk->psk.usage != ResumptionPSKUsage::application) {
      return proposal_error("PreSharedKey: resumption usage other than application");
    }
    return {};
  }
  if (const GroupContextExtensions* gce = p.get<GroupContextExtensions>()) {
    // §12.1.7: well-formed, and every member supports what it requires.
    if (gce->extensions.has_duplicates()) {
      return proposal_error("GroupContextExtensions: an extension type repeats");
    }
    auto req = gce->extensions.get<RequiredCapabilities>(extension_type::required_capabilities);
    if (!req) return proposal_error("GroupContextExtensions: malformed required_capabilities");
    auto senders = gce->extensions.get<ExternalSenders>(extension_type::external_senders);
    if (!senders) return proposal_error("GroupContextExtensions: malformed external_senders");
    // O(N), as the RFC asks every member's support to be checked.
    for (uint32_t i = 0; i < g.tree.leaf_count().value; ++i) {
      const LeafNode* leaf = g.tree.leaf_node(LeafIndex(i));
      if (leaf == nullptr) continue;
      if (*req && !(*req)->supported_by(leaf->capabilities)) {
        return proposal_error("GroupContextExtensions: " + leaf_name(i) +
                              " lacks a required capability");
      }
      for (const auto& e : gce->extensions.entries) {
        if (!extension_type::is_default(e.extension_type) &&
            std::ranges::find(leaf->capabilities.extensions, e.extension_type) ==
                leaf->capabilities.extensions.end()) {
          return proposal_error("GroupContextExtensions: " + leaf_name(i) +
                                " does not support extension " + std::to_string(e.extension_type));
        }
      }
    }
    return {};
  }
  if (p.get<ExternalInit>() != nullptr) {
    return proposal_error("ExternalInit outside an external commit (§12.2)");
  }
  return proposal_error("ReInit is not supported yet");
}

Status validate_proposal_list(const GroupState& g, const std::vector<ResolvedProposal>& list,
                              LeafIndex committer) {
  std::vector<uint32_t> touched;       // leaves with an Update or Remove
  std::vector<uint32_t> removed;       // leaves removed
  std::vector<const Bytes*> add_keys;  // signature keys of Adds
  std::vector<const PreSharedKeyID*> psks;
  size_t gce = 0, reinit = 0;
  for (const ResolvedProposal& r : list) {
    const Proposal& p = *r.proposal;
    // Cached proposals were checked when they arrived, in this same epoch.
    if (r.cached == nullptr) MLS_CHECK(validate_proposal(g, p, r.sender));
    if (g.config.proposal_policy) {
      ProposalOrigin origin{r.sender.value, r.cached != nullptr, std::nullopt, false};
      if (auto s = g.config.proposal_policy(p, origin); !s) return s;
    }
    if (p.get<Update>() != nullptr) {
      if (r.sender == committer) return proposal_error("§12.2: Update from the committer");
      if (std::ranges::find(touched, r.sender.value) != touched.end()) {
        return proposal_error("§12.2: two Update/Remove proposals for " +
                              leaf_name(r.sender.value));
      }
      touched.push_back(r.sender.value);
    } else if (const Remove* rm = p.get<Remove>()) {
      if (rm->removed == committer.value) return proposal_error("§12.2: Remove of the committer");
      if (std::ranges::find(touched, rm->removed) != touched.end()) {
        return proposal_error("§12.2: two Update/Remove proposals for " + leaf_name(rm->removed));
      }
      touched.push_back(rm->removed);
      removed.push_back(rm->removed);
    } else if (const Add* add = p.get<Add>()) {
      const Bytes& key = add->key_package.leaf_node.signature_key;
      for (const Bytes* k : add_keys) {
        if (*k == key) return proposal_error("§12.2: two Adds of one client (same signature key)");
      }
      add_keys.push_back(&key);
    } else if (const PreSharedKey* psk = p.get<PreSharedKey>()) {
      for (const PreSharedKeyID* id : psks) {
        if (*id == psk->psk) return proposal_error("§12.2: two PreSharedKey proposals for one PSK");
      }
      psks.push_back(&psk->psk);
    } else if (p.get<GroupContextExtensions>() != nullptr) {
      if (++gce > 1) return proposal_error("§12.2: more than one GroupContextExtensions");
    } else if (p.get<ReInit>() != nullptr) {
      ++reinit;
    } else if (p.get<ExternalInit>() != nullptr) {
      return proposal_error("§12.2: ExternalInit in a regular commit");
    }
  }
  if (reinit > 0 && list.size() > 1) return proposal_error("§12.2: ReInit with other proposals");
  // §12.2: an Add of a client already in the group, unless it is removed here.
  for (const Bytes* key : add_keys) {
    if (auto at = g.tree.find_signature_key(*key);
        at && std::ranges::find(removed, at->value) == removed.end()) {
      return proposal_error("§12.2: Add of a client already in the group (" + leaf_name(at->value) +
                            ")");
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
    record_old_key(r.sender.value);
    MLS_CHECK(s.diff.update_leaf(r.sender, up->leaf_node));
    s.effects.updated.push_back(r.sender.value);
    if (r.sender == g.own() && r.cached != nullptr && r.cached->update_keys) {
      const auto& k = *r.cached->update_keys;
      s.path_keys.keys[tree::NodeIndex(r.sender).value] = {k.private_key.clone(), k.public_key};
    }
  }
  for (const auto& r : list) {
    const Remove* rm = r.proposal->get<Remove>();
    if (rm == nullptr) continue;
    const LeafNode* old = g.tree.leaf_node(LeafIndex(rm->removed));
    if (old == nullptr) return proposal_error("Remove of a blank " + leaf_name(rm->removed));
    s.effects.removed.push_back({rm->removed, *old});
    record_old_key(rm->removed);
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
    s.effects.added.push_back(at.value);
  }
  for (const auto& r : list) {
    if (const auto* psk = r.proposal->get<PreSharedKey>()) s.effects.psks.push_back(psk->psk);
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

}  // namespace mls::group_detail
