// The labeled helpers (RFC 9420 §5.1-§5.3, §8, §9) on hostile input: every
// damaged ciphertext, signature or key gives a typed error, never a crash.
#include "crypto/labeled.h"

#include <gtest/gtest.h>

#include <sstream>

namespace mls::crypto {
namespace {

class Labeled : public ::testing::TestWithParam<uint16_t> {
 protected:
  CipherSuite suite = *CipherSuite::get(GetParam());
};

TEST_P(Labeled, DecryptWithLabelRejectsDamagedInput) {
  auto kp = *suite.hpke_generate();
  const Bytes context = to_bytes("context"), pt = to_bytes("path secret");
  auto ct = encrypt_with_label(suite, kp.public_key, "UpdatePathNode", context, pt);
  ASSERT_TRUE(ct) << ct.error().describe();
  auto good = decrypt_with_label(suite, kp.private_key, "UpdatePathNode", context, *ct);
  ASSERT_TRUE(good) << good.error().describe();
  EXPECT_EQ(good->expose(), pt);

  auto fails = [&](const HpkeCiphertext& bad, std::string_view label, BytesView ctx) {
    auto r = decrypt_with_label(suite, kp.private_key, label, ctx, bad);
    if (r) return ::testing::AssertionFailure() << "decrypted";
    return ::testing::AssertionSuccess();
  };
  EXPECT_TRUE(fails(*ct, "Welcome", context));
  EXPECT_TRUE(fails(*ct, "UpdatePathNode", to_bytes("contexu")));
  EXPECT_TRUE(fails(*ct, "UpdatePathNode", {}));

  for (Bytes HpkeCiphertext::*field : {&HpkeCiphertext::kem_output, &HpkeCiphertext::ciphertext}) {
    const Bytes& orig = (*ct).*field;
    for (size_t cut : {size_t{0}, size_t{1}, orig.size() / 2, orig.size() - 1}) {
      HpkeCiphertext bad = *ct;
      (bad.*field).resize(cut);
      EXPECT_TRUE(fails(bad, "UpdatePathNode", context)) << "truncated to " << cut;
    }
    HpkeCiphertext longer = *ct;
    (longer.*field).push_back(0);
    EXPECT_TRUE(fails(longer, "UpdatePathNode", context)) << "extended";
    for (size_t i = 0; i < orig.size(); i += (i < 4 || i + 4 >= orig.size()) ? 1 : 7) {
      for (uint8_t bit : {0x01, 0x80}) {
        HpkeCiphertext bad = *ct;
        (bad.*field)[i] ^= bit;
        // Even where X25519/X448 ignore the flipped bit (the top bit of the
        // last byte, RFC 7748 §5), kem_output enters the KEM context whole.
        auto r = decrypt_with_label(suite, kp.private_key, "UpdatePathNode", context, bad);
        ASSERT_FALSE(r) << "byte " << i << " bit " << int(bit);
        EXPECT_TRUE(r.error().code == ErrorCode::decryption_failed ||
                    r.error().code == ErrorCode::invalid_key)
            << r.error().describe();
      }
    }
  }
  // A key for another recipient.
  auto other = *suite.hpke_generate();
  EXPECT_FALSE(decrypt_with_label(suite, other.private_key, "UpdatePathNode", context, *ct));
}

TEST_P(Labeled, VerifyWithLabelRejectsBadSignatures) {
  auto kp = *suite.signature_generate();
  const Bytes content = to_bytes("leaf node tbs");
  auto sig = sign_with_label(suite, kp.private_key, "LeafNodeTBS", content);
  ASSERT_TRUE(sig) << sig.error().describe();
  ASSERT_TRUE(verify_with_label(suite, kp.public_key, "LeafNodeTBS", content, *sig));

  auto bad = [&](BytesView pub, std::string_view label, BytesView body, BytesView s) {
    auto r = verify_with_label(suite, pub, label, body, s);
    return !r && r.error().code == ErrorCode::bad_signature;
  };
  EXPECT_TRUE(bad(kp.public_key, "GroupInfoTBS", content, *sig));
  EXPECT_TRUE(bad(kp.public_key, "LeafNodeTBS", to_bytes("leaf node tbt"), *sig));
  for (size_t i = 0; i < sig->size(); ++i) {
    Bytes flipped = *sig;
    flipped[i] ^= 0x01;
    EXPECT_TRUE(bad(kp.public_key, "LeafNodeTBS", content, flipped)) << "byte " << i;
  }
  EXPECT_TRUE(bad(kp.public_key, "LeafNodeTBS", content, BytesView(*sig).first(sig->size() - 1)));
  EXPECT_TRUE(bad(kp.public_key, "LeafNodeTBS", content, {}));
  Bytes longer = *sig;
  longer.push_back(0);
  EXPECT_TRUE(bad(kp.public_key, "LeafNodeTBS", content, longer));

  auto other = *suite.signature_generate();
  EXPECT_TRUE(bad(other.public_key, "LeafNodeTBS", content, *sig));
  EXPECT_TRUE(bad({}, "LeafNodeTBS", content, *sig));
  EXPECT_TRUE(
      bad(BytesView(kp.public_key).first(kp.public_key.size() - 1), "LeafNodeTBS", content, *sig));
  Bytes garbage(kp.public_key.size(), 0xff);
  EXPECT_TRUE(bad(garbage, "LeafNodeTBS", content, *sig));

  // Through the Signer interface, the same signature scheme.
  auto signer = *PrivateKeySigner::from_private_key(suite, kp.private_key);
  auto sig2 = sign_with_label(signer, "LeafNodeTBS", content);
  ASSERT_TRUE(sig2);
  EXPECT_TRUE(verify_with_label(suite, kp.public_key, "LeafNodeTBS", content, *sig2));
}

TEST_P(Labeled, DerivedSecretsAreSecrets) {
  const Bytes secret(suite.hash_size(), 0x11);
  auto a = derive_secret(suite, secret, "a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->size(), suite.hash_size());
  SecretBytes copy = a->clone();
  EXPECT_TRUE(copy == *a);
  copy[0] ^= 1;
  EXPECT_FALSE(copy == *a);
  auto b = derive_secret(suite, secret, "b");
  EXPECT_FALSE(*a == *b);
  std::ostringstream os;
  os << *a;
  EXPECT_EQ(os.str().find(to_hex(*a)), std::string::npos);
  EXPECT_NE(os.str().find("redacted"), std::string::npos);

  auto tree = derive_tree_secret(suite, secret, "key", 7, 16);
  ASSERT_TRUE(tree);
  EXPECT_EQ(tree->size(), 16u);
  EXPECT_FALSE(*tree == *derive_tree_secret(suite, secret, "key", 8, 16));
  EXPECT_EQ(make_key_package_ref(suite, as_bytes("kp")).size(), suite.hash_size());
  EXPECT_NE(make_key_package_ref(suite, as_bytes("kp")), make_proposal_ref(suite, as_bytes("kp")));
}

INSTANTIATE_TEST_SUITE_P(AllSuites, Labeled, ::testing::ValuesIn(kAllCipherSuites),
                         [](const auto& p) { return "suite" + std::to_string(p.param); });

}  // namespace
}  // namespace mls::crypto
