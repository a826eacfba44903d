// The secret tree and its per-sender hash ratchets (RFC 9420 §9), with the
// deletion schedule of §9.2: every node secret, ratchet secret, key and nonce
// is wiped as soon as it is consumed, and nothing is derived before it is
// needed. Setting up one leaf costs O(log N) derivations, whatever the group
// size; a received key is deleted once it has decrypted a message.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <unordered_map>

#include "crypto/cipher_suite.h"
#include "mls/bytes.h"
#include "mls/error.h"
#include "tree/tree_math.h"

namespace mls::schedule {

// Each member has two ratchets (§9): one for handshake messages (proposals
// and commits), one for application messages.
enum class RatchetType : uint8_t { handshake, application };

// How much out-of-order delivery a receiving ratchet tolerates. The RFC lets a
// member keep unconsumed keys "for some reasonable amount of time" (§9.2);
// these bound both memory and how far an attacker may push a ratchet.
struct RatchetConfig {
  // The furthest a received generation may lie beyond the next expected one
  // (the number of keys it may make us skip); generation_too_far past it.
  uint32_t max_forward_distance = 1000;
  // How many generations below the next expected one keep their keys for
  // late messages; generation_too_old below that.
  uint32_t out_of_order_tolerance = 128;
};

// One generation's AEAD key and nonce (§9.1).
struct RatchetKey {
  uint32_t generation = 0;
  SecretBytes key;    // AEAD.Nk bytes
  SecretBytes nonce;  // AEAD.Nn bytes, before the reuse guard (§6.3.1)
};

// A symmetric hash ratchet (§9.1):
//   ratchet_nonce_[j]      = DeriveTreeSecret(ratchet_secret_[j], "nonce", j, AEAD.Nn)
//   ratchet_key_[j]        = DeriveTreeSecret(ratchet_secret_[j], "key", j, AEAD.Nk)
//   ratchet_secret_[j + 1] = DeriveTreeSecret(ratchet_secret_[j], "secret", j, KDF.Nh)
class HashRatchet {
 public:
  HashRatchet(crypto::CipherSuite suite, SecretBytes secret, RatchetConfig config);

  // The key for a received message's generation, without consuming it: a
  // copy is returned and the key stays held until consume(). Reaching a
  // generation ahead advances the ratchet; keys of skipped generations are
  // kept for late messages, within the config's bounds. Rejects:
  // generation_too_far (beyond max_forward_distance), generation_too_old
  // (below the kept window), key_already_used (a generation in the window
  // already consumed).
  [[nodiscard]] Result<RatchetKey> peek(uint32_t generation);

  // Deletes the key of `generation` once it has decrypted a message (§9.2);
  // a key is never returned again after that. key_already_used if the key is
  // not held (consumed before, or never obtained with peek).
  [[nodiscard]] Status consume(uint32_t generation);

  // peek() and consume() in one step, for a caller that needs no check in
  // between.
  [[nodiscard]] Result<RatchetKey> get(uint32_t generation);

  // The sender's side: the key of the next unused generation. usage error once
  // all 2^32 generations are spent.
  [[nodiscard]] Result<RatchetKey> next();

  // The next generation not yet reached (2^32 once exhausted).
  uint64_t next_generation() const { return next_; }
  // How many skipped keys are held for late messages.
  size_t skipped_keys() const { return skipped_.size(); }

 private:
  Result<RatchetKey> derive_current() const;
  Status step();
  void drop_too_old();

  crypto::CipherSuite suite_;
  RatchetConfig config_;
  SecretBytes secret_;  // ratchet_secret_[next_]
  uint64_t next_ = 0;
  std::map<uint32_t, RatchetKey> skipped_;  // unconsumed keys below next_
};

// The secret tree of one epoch (§9): encryption_secret at the root, each
// child derived as ExpandWithLabel(parent, "tree", "left"/"right", KDF.Nh),
// and at each leaf the roots of its two ratchets,
// ExpandWithLabel(leaf, "handshake"/"application", "", KDF.Nh).
//
// Lazy: a leaf's ratchets are derived the first time that leaf is used, along
// its path only. Deriving a node's children deletes the node (§9.2); the
// children off the path wait in the tree for their own leaves.
class SecretTree {
 public:
  // Takes encryption_secret over (moved in, so the caller no longer holds it).
  // usage error unless `leaves` is a power of two (the tree is always full,
  // §7.7).
  [[nodiscard]] static Result<SecretTree> create(const crypto::CipherSuite& suite,
                                                 SecretBytes encryption_secret,
                                                 tree::LeafCount leaves, RatchetConfig config = {});

  tree::LeafCount leaf_count() const { return leaves_; }

  // Receiving, in two steps (§9.2: a key is deleted once it has been used to
  // decrypt successfully): peek_key gives the key for `sender`'s message of
  // `generation` without consuming it (see HashRatchet::peek); consume_key
  // deletes it after the content decrypted and verified. A message that fails
  // in between leaves that generation's key usable by the genuine message.
  // invalid_sender for a leaf outside the tree.
  [[nodiscard]] Result<RatchetKey> peek_key(tree::LeafIndex sender, RatchetType type,
                                            uint32_t generation);
  [[nodiscard]] Status consume_key(tree::LeafIndex sender, RatchetType type, uint32_t generation);

  // peek_key and consume_key in one step (see HashRatchet::get).
  [[nodiscard]] Result<RatchetKey> key_for(tree::LeafIndex sender, RatchetType type,
                                           uint32_t generation);

  // Sending: the next unused key of our own leaf `self`.
  [[nodiscard]] Result<RatchetKey> next_key(tree::LeafIndex self, RatchetType type);

  // How many node secrets are held (for tests of the deletion schedule).
  size_t stored_node_secrets() const { return nodes_.size(); }

 private:
  struct LeafRatchets {
    HashRatchet handshake;
    HashRatchet application;
    HashRatchet& of(RatchetType t) { return t == RatchetType::handshake ? handshake : application; }
  };

  SecretTree(const crypto::CipherSuite& suite, SecretBytes root_secret, tree::LeafCount leaves,
             RatchetConfig config);
  Result<HashRatchet*> ratchet(tree::LeafIndex leaf, RatchetType type);

  crypto::CipherSuite suite_;
  RatchetConfig config_;
  tree::LeafCount leaves_;
  // Node secrets derived and not yet consumed, by node index. At most one node
  // on any root-to-leaf path holds a secret, unless that leaf has ratchets.
  std::unordered_map<uint32_t, SecretBytes> nodes_;
  std::unordered_map<uint32_t, LeafRatchets> ratchets_;  // by leaf index
};

// The nonce a PrivateMessage is encrypted with: the ratchet's nonce with its
// first four bytes XORed with the sender's random reuse_guard (§6.3.1).
SecretBytes apply_reuse_guard(BytesView nonce, const std::array<uint8_t, 4>& reuse_guard);

}  // namespace mls::schedule
