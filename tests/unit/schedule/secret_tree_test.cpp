// The secret tree and hash ratchets (RFC 9420 §9): lazy derivation, the
// deletion schedule (§9.2) and the out-of-order window.
#include "schedule/secret_tree.h"

#include <gtest/gtest.h>

#include <set>

namespace mls::schedule {
namespace {

using tree::LeafCount;
using tree::LeafIndex;

crypto::CipherSuite suite() { return *crypto::CipherSuite::get(1); }

SecretBytes root_secret() { return SecretBytes(Bytes(32, 0x42)); }

SecretTree make_tree(uint32_t leaves, RatchetConfig config = {}) {
  auto t = SecretTree::create(suite(), root_secret(), LeafCount(leaves), config);
  EXPECT_TRUE(t.has_value()) << t.error().describe();
  return std::move(*t);
}

HashRatchet make_ratchet(RatchetConfig config) {
  return HashRatchet(suite(), root_secret(), config);
}

ErrorCode code_of(const Result<RatchetKey>& r) {
  EXPECT_FALSE(r.has_value());
  return r ? ErrorCode::internal : r.error().code;
}

TEST(HashRatchet, SenderAndReceiverAgree) {
  HashRatchet sender = make_ratchet({});
  HashRatchet receiver = make_ratchet({});
  for (uint32_t g = 0; g < 5; ++g) {
    auto s = sender.next();
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->generation, g);
    auto r = receiver.get(g);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->key, s->key);
    EXPECT_EQ(r->nonce, s->nonce);
  }
}

TEST(HashRatchet, OutOfOrderWithinWindow) {
  HashRatchet sender = make_ratchet({});
  std::vector<RatchetKey> sent;
  for (int i = 0; i < 6; ++i) sent.push_back(*sender.next());

  HashRatchet receiver = make_ratchet({});
  // 5 first, then the skipped ones in reverse.
  for (uint32_t g : {5u, 2u, 0u, 4u, 1u, 3u}) {
    auto k = receiver.get(g);
    ASSERT_TRUE(k.has_value()) << "generation " << g << ": " << k.error().describe();
    EXPECT_EQ(k->generation, g);
    EXPECT_EQ(k->key, sent[g].key);
    EXPECT_EQ(k->nonce, sent[g].nonce);
  }
  EXPECT_EQ(receiver.skipped_keys(), 0u);
  EXPECT_EQ(receiver.next_generation(), 6u);
}

TEST(HashRatchet, ConsumedGenerationIsNeverReturnedAgain) {
  HashRatchet receiver = make_ratchet({});
  ASSERT_TRUE(receiver.get(3).has_value());
  EXPECT_EQ(code_of(receiver.get(3)), ErrorCode::key_already_used);
  // A skipped key, once used, is gone too.
  ASSERT_TRUE(receiver.get(1).has_value());
  EXPECT_EQ(code_of(receiver.get(1)), ErrorCode::key_already_used);
  // The others skipped are still there.
  EXPECT_TRUE(receiver.get(0).has_value());
  EXPECT_TRUE(receiver.get(2).has_value());
  EXPECT_EQ(receiver.skipped_keys(), 0u);
}

TEST(HashRatchet, SenderNeverRepeatsAKey) {
  HashRatchet sender = make_ratchet({});
  std::set<Bytes> keys;
  for (int i = 0; i < 20; ++i) keys.insert(sender.next()->key.expose());
  EXPECT_EQ(keys.size(), 20u);
  // The sender's ratchet does not hand its own used keys to a receiver either.
  EXPECT_EQ(code_of(sender.get(19)), ErrorCode::key_already_used);
}

TEST(HashRatchet, JumpBeyondMaxForwardDistanceRejected) {
  HashRatchet receiver = make_ratchet({.max_forward_distance = 10, .out_of_order_tolerance = 5});
  EXPECT_EQ(code_of(receiver.get(11)), ErrorCode::generation_too_far);
  EXPECT_EQ(receiver.next_generation(), 0u) << "a rejected jump must not move the ratchet";
  // Exactly the maximum distance is allowed, and counts from the next generation.
  ASSERT_TRUE(receiver.get(10).has_value());
  EXPECT_EQ(code_of(receiver.get(22)), ErrorCode::generation_too_far);
  EXPECT_TRUE(receiver.get(21).has_value());
}

TEST(HashRatchet, DefaultWindowIsAThousandAhead) {
  HashRatchet receiver = make_ratchet({});
  EXPECT_EQ(code_of(receiver.get(1001)), ErrorCode::generation_too_far);
  EXPECT_TRUE(receiver.get(1000).has_value());
}

TEST(HashRatchet, GenerationBelowWindowRejectedAsTooOld) {
  HashRatchet receiver = make_ratchet({.max_forward_distance = 100, .out_of_order_tolerance = 3});
  ASSERT_TRUE(receiver.get(10).has_value());  // next is 11; keeps 8, 9 (10 used)
  EXPECT_EQ(receiver.skipped_keys(), 2u);
  EXPECT_EQ(code_of(receiver.get(7)), ErrorCode::generation_too_old);
  EXPECT_EQ(code_of(receiver.get(0)), ErrorCode::generation_too_old);
  EXPECT_TRUE(receiver.get(8).has_value());
  // Moving on drops 9 out of the window.
  ASSERT_TRUE(receiver.get(12).has_value());  // next is 13; window is 10..12
  EXPECT_EQ(code_of(receiver.get(9)), ErrorCode::generation_too_old);
  EXPECT_EQ(code_of(receiver.get(10)), ErrorCode::key_already_used);
  EXPECT_TRUE(receiver.get(11).has_value());
  EXPECT_EQ(receiver.skipped_keys(), 0u);
}

TEST(HashRatchet, NoToleranceKeepsNoSkippedKeys) {
  HashRatchet receiver = make_ratchet({.max_forward_distance = 100, .out_of_order_tolerance = 0});
  ASSERT_TRUE(receiver.get(50).has_value());
  EXPECT_EQ(receiver.skipped_keys(), 0u);
  EXPECT_EQ(code_of(receiver.get(49)), ErrorCode::generation_too_old);
  EXPECT_EQ(code_of(receiver.get(50)), ErrorCode::generation_too_old);
}

TEST(HashRatchet, SkippedKeysBoundedByTolerance) {
  HashRatchet receiver = make_ratchet({.max_forward_distance = 1000, .out_of_order_tolerance = 16});
  ASSERT_TRUE(receiver.get(1000).has_value());
  EXPECT_EQ(receiver.skipped_keys(), 15u);  // 985..999; 1000 was used
  // The kept keys are the right ones: compare with a fresh ratchet.
  HashRatchet reference = make_ratchet({});
  auto want = reference.get(990);
  auto got = receiver.get(990);
  ASSERT_TRUE(want && got);
  EXPECT_EQ(got->key, want->key);
}

TEST(SecretTree, KeysDifferPerGenerationLeafAndType) {
  SecretTree t = make_tree(8);
  std::set<Bytes> keys, nonces;
  for (uint32_t leaf = 0; leaf < 8; ++leaf) {
    for (auto type : {RatchetType::handshake, RatchetType::application}) {
      for (uint32_t g = 0; g < 3; ++g) {
        auto k = t.key_for(LeafIndex(leaf), type, g);
        ASSERT_TRUE(k.has_value()) << k.error().describe();
        EXPECT_EQ(k->key.size(), suite().aead_key_size());
        EXPECT_EQ(k->nonce.size(), suite().aead_nonce_size());
        keys.insert(k->key.expose());
        nonces.insert(k->nonce.expose());
      }
    }
  }
  EXPECT_EQ(keys.size(), 8u * 2 * 3);
  EXPECT_EQ(nonces.size(), 8u * 2 * 3);
}

TEST(SecretTree, SenderAndReceiverTreesAgree) {
  SecretTree alice = make_tree(4);
  SecretTree bob = make_tree(4);
  for (int i = 0; i < 3; ++i) {
    auto sent = alice.next_key(LeafIndex(2), RatchetType::application);
    ASSERT_TRUE(sent.has_value());
    auto got = bob.key_for(LeafIndex(2), RatchetType::application, sent->generation);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->key, sent->key);
    EXPECT_EQ(got->nonce, sent->nonce);
  }
  // Handshake keys of the same leaf are a separate ratchet, starting at 0.
  auto hs = alice.next_key(LeafIndex(2), RatchetType::handshake);
  ASSERT_TRUE(hs.has_value());
  EXPECT_EQ(hs->generation, 0u);
}

// §9.2: a key is deleted once it has been used to decrypt successfully, so a
// receiver obtains it first (peek) and deletes it only after success
// (consume).
TEST(HashRatchet, PeekDoesNotConsume) {
  HashRatchet sender = make_ratchet({});
  std::vector<RatchetKey> sent;
  for (int i = 0; i < 3; ++i) sent.push_back(*sender.next());

  HashRatchet receiver = make_ratchet({});
  for (int round = 0; round < 2; ++round) {
    auto k = receiver.peek(2);
    ASSERT_TRUE(k.has_value()) << k.error().describe();
    EXPECT_EQ(k->generation, 2u);
    EXPECT_EQ(k->key, sent[2].key);
    EXPECT_EQ(k->nonce, sent[2].nonce);
  }
  EXPECT_EQ(receiver.next_generation(), 3u);
  EXPECT_EQ(receiver.skipped_keys(), 3u);  // 0 and 1 skipped, 2 not yet consumed
  ASSERT_TRUE(receiver.consume(2).has_value());
  EXPECT_EQ(receiver.skipped_keys(), 2u);
  // Never returned again once consumed.
  EXPECT_EQ(code_of(receiver.peek(2)), ErrorCode::key_already_used);
  EXPECT_EQ(code_of(receiver.get(2)), ErrorCode::key_already_used);
  auto twice = receiver.consume(2);
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, ErrorCode::key_already_used);
  // The skipped ones still peek, and get() consumes.
  auto k0 = receiver.peek(0);
  ASSERT_TRUE(k0.has_value());
  EXPECT_EQ(k0->key, sent[0].key);
  ASSERT_TRUE(receiver.get(0).has_value());
  EXPECT_EQ(code_of(receiver.peek(0)), ErrorCode::key_already_used);
}

TEST(HashRatchet, ConsumeNeedsAHeldKey) {
  HashRatchet receiver = make_ratchet({});
  // Never reached: nothing to consume, and the ratchet does not move.
  auto r = receiver.consume(4);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::key_already_used);
  EXPECT_EQ(receiver.next_generation(), 0u);
  EXPECT_TRUE(receiver.get(4).has_value());
}

TEST(HashRatchet, PeekedKeyHeldEvenWithoutTolerance) {
  HashRatchet receiver = make_ratchet({.max_forward_distance = 100, .out_of_order_tolerance = 0});
  ASSERT_TRUE(receiver.peek(5).has_value());
  EXPECT_EQ(receiver.skipped_keys(), 1u);  // only the peeked one
  ASSERT_TRUE(receiver.peek(5).has_value());
  ASSERT_TRUE(receiver.consume(5).has_value());
  EXPECT_EQ(receiver.skipped_keys(), 0u);
  // Reaching further drops an unconsumed key that fell out of the window.
  ASSERT_TRUE(receiver.peek(6).has_value());
  ASSERT_TRUE(receiver.peek(7).has_value());
  EXPECT_EQ(receiver.skipped_keys(), 1u);
  EXPECT_EQ(code_of(receiver.peek(6)), ErrorCode::generation_too_old);
}

TEST(SecretTree, PeekThenConsumeThroughTheTree) {
  SecretTree t = make_tree(8);
  auto a = t.peek_key(LeafIndex(3), RatchetType::application, 1);
  auto b = t.peek_key(LeafIndex(3), RatchetType::application, 1);
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(a->key, b->key);
  ASSERT_TRUE(t.consume_key(LeafIndex(3), RatchetType::application, 1).has_value());
  auto again = t.peek_key(LeafIndex(3), RatchetType::application, 1);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::key_already_used);
  auto twice = t.consume_key(LeafIndex(3), RatchetType::application, 1);
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, ErrorCode::key_already_used);
  EXPECT_NE(twice.error().message.find("leaf 3 application"), std::string::npos)
      << twice.error().message;
  EXPECT_EQ(t.consume_key(LeafIndex(8), RatchetType::application, 0).error().code,
            ErrorCode::invalid_sender);
}

TEST(SecretTree, ReplayThroughTheTreeRejectedAndNamed) {
  SecretTree t = make_tree(8);
  ASSERT_TRUE(t.key_for(LeafIndex(3), RatchetType::application, 2).has_value());
  auto again = t.key_for(LeafIndex(3), RatchetType::application, 2);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::key_already_used);
  EXPECT_NE(again.error().message.find("leaf 3 application"), std::string::npos)
      << again.error().message;
  // The other ratchet of that leaf is untouched.
  EXPECT_TRUE(t.key_for(LeafIndex(3), RatchetType::handshake, 2).has_value());
}

TEST(SecretTree, LeafOutsideTheTreeRejected) {
  SecretTree t = make_tree(8);
  auto k = t.key_for(LeafIndex(8), RatchetType::application, 0);
  ASSERT_FALSE(k.has_value());
  EXPECT_EQ(k.error().code, ErrorCode::invalid_sender);
  auto s = t.next_key(LeafIndex(1000), RatchetType::handshake);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::invalid_sender);
  EXPECT_TRUE(t.key_for(LeafIndex(7), RatchetType::application, 0).has_value());
}

TEST(SecretTree, LeafCountMustBeAPowerOfTwo) {
  EXPECT_FALSE(SecretTree::create(suite(), root_secret(), LeafCount(0)).has_value());
  auto t = SecretTree::create(suite(), root_secret(), LeafCount(6));
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().code, ErrorCode::usage);
  EXPECT_TRUE(SecretTree::create(suite(), root_secret(), LeafCount(1)).has_value());
}

TEST(SecretTree, DerivesOnlyThePathToALeaf) {
  // 2^16 leaves: one leaf's setup derives the 16 siblings on its path and
  // deletes every parent on it (§9.2), instead of touching all leaves.
  SecretTree t = make_tree(1u << 16);
  EXPECT_EQ(t.stored_node_secrets(), 1u);
  ASSERT_TRUE(t.key_for(LeafIndex(12345), RatchetType::application, 0).has_value());
  EXPECT_EQ(t.stored_node_secrets(), 16u);
  // Its sibling leaf's secret was among them; using it consumes that secret.
  ASSERT_TRUE(t.key_for(LeafIndex(12344), RatchetType::handshake, 0).has_value());
  EXPECT_EQ(t.stored_node_secrets(), 15u);
}

TEST(SecretTree, LazyOrderDoesNotChangeKeys) {
  SecretTree forward = make_tree(16);
  SecretTree backward = make_tree(16);
  std::vector<Bytes> a(16), b(16);
  for (uint32_t i = 0; i < 16; ++i) {
    a[i] = forward.key_for(LeafIndex(i), RatchetType::application, 0)->key.expose();
  }
  for (uint32_t i = 16; i-- > 0;) {
    b[i] = backward.key_for(LeafIndex(i), RatchetType::application, 0)->key.expose();
  }
  EXPECT_EQ(a, b);
  EXPECT_EQ(forward.stored_node_secrets(), 0u);
}

TEST(ReuseGuard, XorsTheFirstFourBytes) {
  Bytes nonce = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb};
  SecretBytes guarded = apply_reuse_guard(nonce, {0xff, 0x0f, 0xf0, 0x01});
  Bytes want = {0xff, 0x1e, 0xd2, 0x32, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb};
  EXPECT_EQ(guarded.expose(), want);
}

}  // namespace
}  // namespace mls::schedule
