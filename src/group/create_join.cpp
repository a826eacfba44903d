// Creating a group (RFC 9420 §11) and joining one from a Welcome (§12.4.3.1).

#include <algorithm>

#include "crypto/random.h"
#include "group/state.h"
#include "messages/welcome.h"
#include "schedule/transcript.h"

namespace mls::group_detail {
namespace {

Status check_config(const GroupConfig& config) {
  if (!config.credentials) {
    return make_error(ErrorCode::usage, "GroupConfig needs a credential validator");
  }
  return {};
}

// §12.4.3.1: at most one resumption PSK of usage reinit or branch.
Status check_welcome_psks(const std::vector<PreSharedKeyID>& psks) {
  int special = 0;
  for (const auto& p : psks) {
    if (p.psktype == PSKType::resumption && p.usage != ResumptionPSKUsage::application) ++special;
  }
  if (special > 1) {
    return make_error(ErrorCode::invalid_welcome, "more than one reinit/branch resumption PSK");
  }
  return {};
}

// The application's PSKs, and the resumption PSKs of the group a Welcome
// resumes (§11.2, §11.3).
class ResumingPskStore final : public schedule::PskStore {
 public:
  ResumingPskStore(const schedule::PskStore* app, const GroupState* prior)
      : app_(app), prior_(prior) {}
  std::optional<SecretBytes> external_psk(BytesView psk_id) const override {
    return app_ != nullptr ? app_->external_psk(psk_id) : std::nullopt;
  }
  std::optional<SecretBytes> resumption_psk(BytesView group_id, uint64_t epoch) const override {
    if (prior_ != nullptr && std::ranges::equal(group_id, prior_->context.group_id)) {
      if (epoch == prior_->context.epoch) return prior_->secrets.resumption_psk.clone();
      for (const auto& [e, psk] : prior_->resumption_psks) {
        if (e == epoch) return psk.clone();
      }
    }
    return app_ != nullptr ? app_->resumption_psk(group_id, epoch) : std::nullopt;
  }

 private:
  const schedule::PskStore* app_;
  const GroupState* prior_;
};

// The credentials of a tree's members, for the membership checks of §11.
std::vector<const Credential*> credentials_of(const tree::TreeView& tree) {
  std::vector<const Credential*> out;
  for (uint32_t i = 0; i < tree.leaf_count().value; ++i) {
    if (const LeafNode* leaf = tree.leaf_node(LeafIndex(i))) out.push_back(&leaf->credential);
  }
  return out;
}

bool contains_credential(const std::vector<const Credential*>& list, const Credential& c) {
  return std::ranges::any_of(list, [&](const Credential* x) { return *x == c; });
}

// §12.4.3.1: a Welcome resuming a group by reinit or branch (§11.2, §11.3).
// Members "match" when their credentials are equal.
// `prior` is the group the PSK names (join_group checked that first).
Status check_resumption(const PreSharedKeyID& psk, const GroupContext& ctx,
                        const tree::RatchetTree& tree, const GroupState& prior) {
  if (ctx.epoch != 1) {
    return make_error(ErrorCode::invalid_resumption, "a resumed group must start at epoch 1");
  }
  auto old_members = credentials_of(prior.tree);
  auto new_members = credentials_of(tree);
  if (psk.usage == ResumptionPSKUsage::reinit) {
    const auto& ri = prior.reinit;
    if (!ri || psk.psk_epoch != prior.context.epoch) {
      return make_error(ErrorCode::invalid_resumption,
                        "reinit PSK: the old group's last commit had no ReInit");
    }
    if (ctx.group_id != ri->group_id || ctx.version != ri->version ||
        ctx.cipher_suite != ri->cipher_suite || ctx.extensions != ri->extensions) {
      return make_error(ErrorCode::invalid_reinit, "the new group does not match the ReInit");
    }
    for (const Credential* c : old_members) {
      if (!contains_credential(new_members, *c)) {
        return make_error(ErrorCode::invalid_reinit, "a member of the old group is missing");
      }
    }
    return {};
  }
  // branch
  if (ctx.version != prior.context.version || ctx.cipher_suite != prior.context.cipher_suite) {
    return make_error(ErrorCode::invalid_resumption, "branch: another version or cipher suite");
  }
  for (const Credential* c : new_members) {
    if (!contains_credential(old_members, *c)) {
      return make_error(ErrorCode::invalid_resumption,
                        "branch: a member that was not in the old group");
    }
  }
  return {};
}

}  // namespace

Result<tree::RatchetTree> verify_group_info(const crypto::CipherSuite& suite, const GroupInfo& gi,
                                            const GroupConfig& config,
                                            std::optional<BytesView> ratchet_tree) {
  const GroupContext& ctx = gi.group_context;
  if (ctx.cipher_suite != suite.id()) {
    return make_error(ErrorCode::invalid_group_info, "GroupInfo of another cipher suite");
  }
  // The tree: inline or out of band (§12.4.3.3), validated whole (§12.4.3.1).
  BytesView tree_data;
  if (const Extension* e = gi.extensions.find(extension_type::ratchet_tree)) {
    tree_data = e->extension_data;
  } else if (ratchet_tree) {
    tree_data = *ratchet_tree;
  } else {
    return make_error(ErrorCode::invalid_group_info, "no ratchet tree, inline or given");
  }
  auto decoded = MLS_TRY(tree::RatchetTree::decode(suite, tree_data));
  tree::TreeValidationParams params = leaf_params_for(ctx, config);
  params.expected_tree_hash = ctx.tree_hash;
  auto verified = MLS_TRY(Verifier<tree::RatchetTree>::verify(std::move(decoded), params));
  tree::RatchetTree tree = std::move(verified).take();

  const LeafNode* signer_leaf = tree.leaf_node(LeafIndex(gi.signer));
  if (signer_leaf == nullptr) {
    return make_error(ErrorCode::invalid_group_info, "GroupInfo signer is a blank leaf");
  }
  MLS_CHECK(gi.verify(suite, signer_leaf->signature_key));
  return tree;
}

Result<std::unique_ptr<GroupState>> create_group(const Identity& me, GroupConfig config,
                                                 Bytes group_id, ExtensionList extensions) {
  MLS_CHECK(check_config(config));
  const auto& suite = me.suite();
  if (extensions.has_duplicates()) {
    return make_error(ErrorCode::invalid_value, "group extensions: a type repeats");
  }
  if (has_grease(extensions)) {
    return make_error(ErrorCode::invalid_value, "group extensions: a GREASE type (§13.5)");
  }
  if (group_id.empty()) group_id = MLS_TRY(crypto::random_bytes(suite.hash_size()));
  auto bundle = MLS_TRY(me.make_key_package());
  // §11.1: the creator's own leaf supports what the group requires.
  MLS_CHECK(supports_context(bundle.key_package.leaf_node.capabilities, extensions, "the creator"));
  auto tree = MLS_TRY(tree::RatchetTree::create(suite, bundle.key_package.leaf_node));
  tree::PrivateTree priv(LeafIndex(0), {std::move(bundle.encryption_private_key),
                                        bundle.key_package.leaf_node.encryption_key});
  GroupContext ctx;
  ctx.cipher_suite = suite.id();
  ctx.group_id = std::move(group_id);
  ctx.epoch = 0;
  ctx.tree_hash = tree.root_hash();
  ctx.extensions = std::move(extensions);
  // §11: a random epoch secret, and the interim transcript hash from the
  // confirmation tag over the empty confirmed transcript hash.
  auto epoch_secret = MLS_TRY(crypto::random_secret(suite.hash_size()));
  auto secrets = MLS_TRY(schedule::EpochSecrets::derive(suite, epoch_secret));
  Bytes tag = schedule::confirmation_tag(suite, secrets.confirmation_key, {});
  Bytes interim = schedule::interim_transcript_hash(suite, {}, tag);
  auto secret_tree = MLS_TRY(
      schedule::SecretTree::create(suite, std::move(secrets.encryption_secret), tree.leaf_count(),
                                   {config.max_forward_distance, config.out_of_order_tolerance}));
  return std::make_unique<GroupState>(me, std::move(config), std::move(ctx), std::move(tree),
                                      std::move(priv), std::move(secrets), std::move(secret_tree),
                                      std::move(interim));
}

Result<std::unique_ptr<GroupState>> join_group(const Identity& me, const KeyPackageBundle& bundle,
                                               BytesView welcome_bytes, GroupConfig config,
                                               std::optional<BytesView> ratchet_tree,
                                               const GroupState* prior) {
  MLS_CHECK(check_config(config));
  const auto& suite = me.suite();
  const KeyPackage& kp = bundle.key_package;
  if (kp.cipher_suite != suite.id()) {
    return make_error(ErrorCode::invalid_welcome, "KeyPackage of another suite than our identity");
  }
  auto msg = MLS_TRY(codec::decode_all<framing::MLSMessage>(welcome_bytes));
  const Welcome* welcome = msg.get<Welcome>();
  if (welcome == nullptr) return make_error(ErrorCode::invalid_welcome, "not a Welcome message");

  // Steps 1-3: our GroupSecrets, the PSKs, the GroupInfo.
  SecretBytes psk_secret;
  std::optional<PreSharedKeyID> resumed;  // the reinit/branch PSK, if any
  PskSecretFn psk_fn = [&](const std::vector<PreSharedKeyID>& ids) -> Result<SecretBytes> {
    MLS_CHECK(check_welcome_psks(ids));
    for (const auto& id : ids) {
      if (id.psktype == PSKType::resumption && id.usage != ResumptionPSKUsage::application) {
        resumed = id;
        // Only the group it resumes holds the PSK (§11.2, §11.3).
        if (prior == nullptr || !std::ranges::equal(id.psk_group_id, prior->context.group_id)) {
          return make_error(ErrorCode::invalid_resumption,
                            "the Welcome resumes a group: pass that group as resumed_from");
        }
      }
    }
    ResumingPskStore store(config.psks.get(), prior);
    psk_secret = MLS_TRY(schedule::psk_secret(suite, ids, store));
    return psk_secret.clone();
  };
  auto opened = MLS_TRY(open_welcome(suite, *welcome, kp, bundle.init_private_key, psk_fn));
  const GroupInfo& gi = opened.group_info;
  const GroupContext& ctx = gi.group_context;
  if (ctx.cipher_suite != suite.id()) {
    return make_error(ErrorCode::invalid_welcome, "GroupInfo of another cipher suite");
  }

  tree::RatchetTree tree = MLS_TRY(verify_group_info(suite, gi, config, ratchet_tree));
  if (resumed) MLS_CHECK(check_resumption(*resumed, ctx, tree, *prior));

  // Our own leaf is the one of our KeyPackage.
  auto own_node = tree.find_encryption_key(kp.leaf_node.encryption_key);
  if (!own_node || !own_node->is_leaf() || tree.leaf_node(own_node->leaf()) == nullptr ||
      *tree.leaf_node(own_node->leaf()) != kp.leaf_node) {
    return make_error(ErrorCode::invalid_welcome, "our KeyPackage's leaf is not in the tree");
  }
  LeafIndex own = own_node->leaf();
  tree::PrivateTree priv(own, {bundle.encryption_private_key.clone(), kp.leaf_node.encryption_key});
  if (opened.group_secrets.path_secret) {
    auto lca = tree::common_ancestor(tree::NodeIndex(own), tree::NodeIndex(LeafIndex(gi.signer)));
    MLS_CHECK(priv.implant(tree, lca, opened.group_secrets.path_secret->path_secret));
  }

  // The epoch's secrets, checked against the confirmation tag.
  Bytes ctx_bytes = codec::encode(ctx);
  schedule::JoinerSchedule js(suite, opened.group_secrets.joiner_secret, psk_secret);
  auto secrets = MLS_TRY(std::move(js).epoch_secrets(ctx_bytes));
  MLS_CHECK(schedule::verify_confirmation_tag(suite, secrets.confirmation_key,
                                              ctx.confirmed_transcript_hash, gi.confirmation_tag));
  Bytes interim =
      schedule::interim_transcript_hash(suite, ctx.confirmed_transcript_hash, gi.confirmation_tag);
  auto secret_tree = MLS_TRY(
      schedule::SecretTree::create(suite, std::move(secrets.encryption_secret), tree.leaf_count(),
                                   {config.max_forward_distance, config.out_of_order_tolerance}));
  return std::make_unique<GroupState>(me, std::move(config), ctx, std::move(tree), std::move(priv),
                                      std::move(secrets), std::move(secret_tree),
                                      std::move(interim));
}

}  // namespace mls::group_detail
