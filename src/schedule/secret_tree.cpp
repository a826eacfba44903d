#include "schedule/secret_tree.h"

#include <bit>

#include "crypto/labeled.h"

namespace mls::schedule {

namespace {
constexpr uint64_t kGenerations = uint64_t(1) << 32;  // generation is a uint32 (§6.3.2)

std::string gen_str(uint64_t g) { return "generation " + std::to_string(g); }
}  // namespace

// --- HashRatchet --------------------------------------------------------------

HashRatchet::HashRatchet(crypto::CipherSuite suite, SecretBytes secret, RatchetConfig config)
    : suite_(std::move(suite)), config_(config), secret_(std::move(secret)) {}

Result<RatchetKey> HashRatchet::derive_current() const {
  const auto j = static_cast<uint32_t>(next_);
  RatchetKey out;
  out.generation = j;
  out.key = MLS_TRY(crypto::derive_tree_secret(suite_, secret_, "key", j,
                                               static_cast<uint16_t>(suite_.aead_key_size())));
  out.nonce = MLS_TRY(crypto::derive_tree_secret(suite_, secret_, "nonce", j,
                                                 static_cast<uint16_t>(suite_.aead_nonce_size())));
  return out;
}

// Moves to the next generation; the old ratchet secret is wiped as it is
// replaced (§9.2). After the last generation nothing further can be derived.
Status HashRatchet::step() {
  if (next_ + 1 == kGenerations) {
    secret_.clear();
  } else {
    secret_ =
        MLS_TRY(crypto::derive_tree_secret(suite_, secret_, "secret", static_cast<uint32_t>(next_),
                                           static_cast<uint16_t>(suite_.hash_size())));
  }
  ++next_;
  return {};
}

// Keeps only the keys of the last out_of_order_tolerance generations.
void HashRatchet::drop_too_old() {
  while (!skipped_.empty() && next_ - skipped_.begin()->first > config_.out_of_order_tolerance) {
    skipped_.erase(skipped_.begin());
  }
}

Result<RatchetKey> HashRatchet::peek(uint32_t generation) {
  if (generation < next_) {
    if (auto it = skipped_.find(generation); it != skipped_.end()) {
      return RatchetKey{generation, it->second.key.clone(), it->second.nonce.clone()};
    }
    if (next_ - generation > config_.out_of_order_tolerance) {
      return make_error(ErrorCode::generation_too_old, gen_str(generation) +
                                                           " is below the kept window (next is " +
                                                           std::to_string(next_) + ")");
    }
    return make_error(ErrorCode::key_already_used, gen_str(generation) + " was already used");
  }
  if (generation - next_ > config_.max_forward_distance) {
    return make_error(ErrorCode::generation_too_far,
                      gen_str(generation) + " is more than " +
                          std::to_string(config_.max_forward_distance) + " beyond " +
                          std::to_string(next_));
  }
  // Keys of skipped generations that would fall out of the window at once
  // are never derived; their ratchet secrets are still stepped through.
  uint64_t after = uint64_t(generation) + 1;
  uint64_t keep_from =
      after > config_.out_of_order_tolerance ? after - config_.out_of_order_tolerance : 0;
  while (next_ < generation) {
    if (next_ >= keep_from) {
      RatchetKey skipped = MLS_TRY(derive_current());
      skipped_.insert_or_assign(skipped.generation, std::move(skipped));
    }
    MLS_CHECK(step());
  }
  RatchetKey target = MLS_TRY(derive_current());
  MLS_CHECK(step());
  drop_too_old();
  // The target stays until consume(), even with no out-of-order tolerance:
  // the caller has not yet shown the key decrypts anything. A later advance
  // drops it like any other key that fell out of the window.
  RatchetKey out{generation, target.key.clone(), target.nonce.clone()};
  skipped_.insert_or_assign(generation, std::move(target));
  return out;
}

Status HashRatchet::consume(uint32_t generation) {
  if (skipped_.erase(generation) == 0) {
    return make_error(ErrorCode::key_already_used,
                      gen_str(generation) + " is not held (already used or never obtained)");
  }
  return {};
}

Result<RatchetKey> HashRatchet::get(uint32_t generation) {
  RatchetKey out = MLS_TRY(peek(generation));
  MLS_CHECK(consume(generation));
  return out;
}

Result<RatchetKey> HashRatchet::next() {
  if (next_ >= kGenerations) {
    return make_error(ErrorCode::usage, "all 2^32 generations of the ratchet are used");
  }
  RatchetKey out = MLS_TRY(derive_current());
  MLS_CHECK(step());
  drop_too_old();
  return out;
}

// --- SecretTree ---------------------------------------------------------------

SecretTree::SecretTree(const crypto::CipherSuite& suite, SecretBytes root_secret,
                       tree::LeafCount leaves, RatchetConfig config)
    : suite_(suite), config_(config), leaves_(leaves) {
  nodes_.emplace(tree::root(leaves).value, std::move(root_secret));
}

Result<SecretTree> SecretTree::create(const crypto::CipherSuite& suite,
                                      SecretBytes encryption_secret, tree::LeafCount leaves,
                                      RatchetConfig config) {
  if (!std::has_single_bit(leaves.value)) {
    return make_error(ErrorCode::usage, "a secret tree of " + std::to_string(leaves.value) +
                                            " leaves (not a power of two)");
  }
  return SecretTree(suite, std::move(encryption_secret), leaves, config);
}

Result<HashRatchet*> SecretTree::ratchet(tree::LeafIndex leaf, RatchetType type) {
  if (leaf.value >= leaves_.value) {
    return make_error(ErrorCode::invalid_sender, "leaf " + std::to_string(leaf.value) +
                                                     " outside a tree of " +
                                                     std::to_string(leaves_.value) + " leaves");
  }
  if (auto it = ratchets_.find(leaf.value); it != ratchets_.end()) return &it->second.of(type);

  const tree::NodeIndex target(leaf);
  auto toward_target = [&](tree::NodeIndex n) {
    tree::NodeIndex l = *tree::left(n);
    return tree::is_in_subtree(target, l) ? l : *tree::right(n);
  };
  // The one node on the path from the root that still holds a secret.
  tree::NodeIndex cur = tree::root(leaves_);
  while (!nodes_.contains(cur.value)) {
    if (cur == target) return make_error(ErrorCode::internal, "secret tree lost a leaf secret");
    cur = toward_target(cur);
  }
  const auto nh = static_cast<uint16_t>(suite_.hash_size());
  // Down to the leaf: derive both children, then delete the parent (§9.2).
  while (cur != target) {
    const SecretBytes& parent = nodes_.at(cur.value);
    SecretBytes l =
        MLS_TRY(crypto::expand_with_label(suite_, parent, "tree", as_bytes("left"), nh));
    SecretBytes r =
        MLS_TRY(crypto::expand_with_label(suite_, parent, "tree", as_bytes("right"), nh));
    nodes_.erase(cur.value);
    nodes_.emplace(tree::left(cur)->value, std::move(l));
    nodes_.emplace(tree::right(cur)->value, std::move(r));
    cur = toward_target(cur);
  }
  const SecretBytes& leaf_secret = nodes_.at(target.value);
  SecretBytes hs = MLS_TRY(crypto::expand_with_label(suite_, leaf_secret, "handshake", {}, nh));
  SecretBytes app = MLS_TRY(crypto::expand_with_label(suite_, leaf_secret, "application", {}, nh));
  nodes_.erase(target.value);
  auto [it, inserted] =
      ratchets_.emplace(leaf.value, LeafRatchets{HashRatchet(suite_, std::move(hs), config_),
                                                 HashRatchet(suite_, std::move(app), config_)});
  return &it->second.of(type);
}

namespace {
// Names the ratchet an error came from: "leaf 3 application: generation ...".
Result<RatchetKey> in_context(Result<RatchetKey> r, tree::LeafIndex leaf, RatchetType type) {
  if (r) return r;
  return make_error(r.error().code,
                    "leaf " + std::to_string(leaf.value) +
                        (type == RatchetType::handshake ? " handshake: " : " application: ") +
                        r.error().message);
}
}  // namespace

Result<RatchetKey> SecretTree::key_for(tree::LeafIndex sender, RatchetType type,
                                       uint32_t generation) {
  HashRatchet* r = MLS_TRY(ratchet(sender, type));
  return in_context(r->get(generation), sender, type);
}

Result<RatchetKey> SecretTree::peek_key(tree::LeafIndex sender, RatchetType type,
                                        uint32_t generation) {
  HashRatchet* r = MLS_TRY(ratchet(sender, type));
  return in_context(r->peek(generation), sender, type);
}

Status SecretTree::consume_key(tree::LeafIndex sender, RatchetType type, uint32_t generation) {
  HashRatchet* r = MLS_TRY(ratchet(sender, type));
  return r->consume(generation).map_error([&](Error e) {
    return Error(e.code, "leaf " + std::to_string(sender.value) +
                             (type == RatchetType::handshake ? " handshake: " : " application: ") +
                             e.message);
  });
}

Result<RatchetKey> SecretTree::next_key(tree::LeafIndex self, RatchetType type) {
  HashRatchet* r = MLS_TRY(ratchet(self, type));
  return in_context(r->next(), self, type);
}

SecretBytes apply_reuse_guard(BytesView nonce, const std::array<uint8_t, 4>& reuse_guard) {
  SecretBytes out(nonce);
  for (size_t i = 0; i < reuse_guard.size() && i < out.size(); ++i) out[i] ^= reuse_guard[i];
  return out;
}

}  // namespace mls::schedule
