// Every primitive of each of the seven cipher suites (RFC 9420 §5.1, §17.1):
// sizes, known answers, round trips, and rejection of tampered input and
// invalid keys with typed errors.
#include "crypto/cipher_suite.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace mls::crypto {
namespace {

Bytes hex(std::string_view s) { return *from_hex(s); }

class Suite : public ::testing::TestWithParam<uint16_t> {
 protected:
  CipherSuite suite = *CipherSuite::get(GetParam());
};

struct Sizes {
  size_t nh, nk, hpke_pk, sig_pk;
};
Sizes expected_sizes(uint16_t id) {
  switch (id) {
    case 1:
    case 3:
      return {32, id == 1 ? 16u : 32u, 32, 32};
    case 2:
      return {32, 16, 65, 65};
    case 4:
    case 6:
      return {64, 32, 56, 57};
    case 5:
      return {64, 32, 133, 133};
    default:
      return {48, 32, 97, 97};
  }
}

TEST_P(Suite, SizesMatchTheRfc) {
  Sizes want = expected_sizes(GetParam());
  EXPECT_EQ(suite.id(), GetParam());
  EXPECT_EQ(suite.hash_size(), want.nh);
  EXPECT_EQ(suite.aead_key_size(), want.nk);
  EXPECT_EQ(suite.aead_nonce_size(), 12u);
  EXPECT_EQ(suite.aead_tag_size(), 16u);
  EXPECT_EQ(suite.hash(as_bytes("abc")).size(), want.nh);
  auto hpke = suite.hpke_generate();
  ASSERT_TRUE(hpke) << hpke.error().describe();
  EXPECT_EQ(hpke->public_key.size(), want.hpke_pk);
  auto sig = suite.signature_generate();
  ASSERT_TRUE(sig) << sig.error().describe();
  EXPECT_EQ(sig->public_key.size(), want.sig_pk);
}

TEST_P(Suite, KdfExpandLengthLimits) {
  SecretBytes prk = suite.kdf_extract({}, as_bytes("ikm"));
  ASSERT_EQ(prk.size(), suite.hash_size());
  auto max = suite.kdf_expand(prk, {}, 255 * suite.hash_size());
  ASSERT_TRUE(max);
  auto shorter = *suite.kdf_expand(prk, {}, 10);
  EXPECT_TRUE(std::equal(shorter.view().begin(), shorter.view().end(), max->view().begin()));
  EXPECT_EQ(suite.kdf_expand(prk, {}, 255 * suite.hash_size() + 1).error().code, ErrorCode::usage);
}

// An empty or short PRK (what a failed extract leaves) must not key HKDF.
TEST_P(Suite, KdfExpandRefusesAShortPrk) {
  EXPECT_EQ(suite.kdf_expand({}, {}, 16).error().code, ErrorCode::crypto);
  SecretBytes prk = suite.kdf_extract({}, as_bytes("ikm"));
  EXPECT_FALSE(suite.kdf_expand(prk.view().first(prk.size() - 1), {}, 16));
}

TEST_P(Suite, AeadRoundTripAndTamper) {
  Bytes key(suite.aead_key_size(), 0x42), nonce(suite.aead_nonce_size(), 0x24);
  const Bytes aad = to_bytes("aad"), pt = to_bytes("attack at dawn");
  auto ct = suite.aead_seal(key, nonce, aad, pt);
  ASSERT_TRUE(ct) << ct.error().describe();
  ASSERT_EQ(ct->size(), pt.size() + 16);
  EXPECT_EQ(*suite.aead_open(key, nonce, aad, *ct), pt);
  EXPECT_EQ(*suite.aead_open(key, nonce, {}, *suite.aead_seal(key, nonce, {}, {})), Bytes{});

  for (size_t i = 0; i < ct->size(); ++i) {
    Bytes bad = *ct;
    bad[i] ^= 0x01;
    EXPECT_EQ(suite.aead_open(key, nonce, aad, bad).error().code, ErrorCode::decryption_failed);
  }
  Bytes other_aad = to_bytes("aae");
  EXPECT_EQ(suite.aead_open(key, nonce, other_aad, *ct).error().code, ErrorCode::decryption_failed);
  EXPECT_EQ(suite.aead_open(key, nonce, aad, BytesView(*ct).first(15)).error().code,
            ErrorCode::decryption_failed);
  EXPECT_FALSE(suite.aead_open(BytesView(key).first(key.size() - 1), nonce, aad, *ct));
  EXPECT_FALSE(suite.aead_seal(key, BytesView(nonce).first(11), aad, pt));
}

TEST_P(Suite, HpkeSealOpenAndExport) {
  auto kp = *suite.hpke_generate();
  EXPECT_EQ(*suite.hpke_public_key(kp.private_key), kp.public_key);
  const Bytes info = to_bytes("info"), aad = to_bytes("aad"), pt = to_bytes("secret");
  auto ct = suite.hpke_seal(kp.public_key, info, aad, pt);
  ASSERT_TRUE(ct) << ct.error().describe();
  EXPECT_EQ(*suite.hpke_open(kp.private_key, info, aad, *ct), pt);
  EXPECT_EQ(suite.hpke_open(kp.private_key, to_bytes("other"), aad, *ct).error().code,
            ErrorCode::decryption_failed);
  auto other = *suite.hpke_generate();
  EXPECT_FALSE(suite.hpke_open(other.private_key, info, aad, *ct));

  auto sent = suite.hpke_export_sender(kp.public_key, info, as_bytes("ctx"), 42);
  ASSERT_TRUE(sent) << sent.error().describe();
  EXPECT_EQ(sent->secret.size(), 42u);
  auto received =
      suite.hpke_export_receiver(kp.private_key, sent->kem_output, info, as_bytes("ctx"), 42);
  ASSERT_TRUE(received) << received.error().describe();
  EXPECT_EQ(*received, sent->secret);
  EXPECT_FALSE(*suite.hpke_export_receiver(kp.private_key, sent->kem_output, info, as_bytes("ctY"),
                                           42) == sent->secret);
}

TEST_P(Suite, DeriveKeyPairIsDeterministic) {
  const Bytes ikm(suite.hash_size(), 0x5a);
  auto a = *suite.hpke_derive(ikm), b = *suite.hpke_derive(ikm);
  EXPECT_EQ(a.private_key, b.private_key);
  EXPECT_EQ(a.public_key, b.public_key);
  EXPECT_EQ(*suite.hpke_public_key(a.private_key), a.public_key);
  auto c = *suite.hpke_derive(Bytes(suite.hash_size(), 0x5b));
  EXPECT_NE(a.public_key, c.public_key);
}

TEST_P(Suite, SignAndVerify) {
  auto kp = *suite.signature_generate();
  EXPECT_EQ(*suite.signature_public_key(kp.private_key), kp.public_key);
  const Bytes msg = to_bytes("message");
  auto sig = suite.sign(kp.private_key, msg);
  ASSERT_TRUE(sig) << sig.error().describe();
  EXPECT_TRUE(suite.verify(kp.public_key, msg, *sig));
  EXPECT_EQ(suite.verify(kp.public_key, to_bytes("messagE"), *sig).error().code,
            ErrorCode::bad_signature);
  auto signer = PrivateKeySigner::from_private_key(suite, kp.private_key);
  ASSERT_TRUE(signer);
  EXPECT_EQ(signer->public_key(), kp.public_key);
  EXPECT_TRUE(suite.verify(kp.public_key, msg, *signer->sign(msg)));
}

TEST_P(Suite, InvalidKeysAreRejected) {
  auto hpke = *suite.hpke_generate();
  auto sig = *suite.signature_generate();
  Bytes short_pk(hpke.public_key.begin(), hpke.public_key.end() - 1);
  EXPECT_EQ(suite.hpke_seal(short_pk, {}, {}, {}).error().code, ErrorCode::invalid_key);
  Bytes long_pk = hpke.public_key;
  long_pk.push_back(0);
  EXPECT_EQ(suite.hpke_seal(long_pk, {}, {}, {}).error().code, ErrorCode::invalid_key);
  EXPECT_EQ(suite.hpke_public_key(BytesView(hpke.private_key).first(5)).error().code,
            ErrorCode::invalid_key);
  // (ECDSA takes a short big-endian scalar; see EcdsaKeysMayDropLeadingZeros.)
  Bytes long_sk = sig.private_key.expose();
  long_sk.push_back(1);
  EXPECT_EQ(suite.sign(long_sk, as_bytes("m")).error().code, ErrorCode::invalid_key);
  EXPECT_EQ(suite.signature_public_key({}).error().code, ErrorCode::invalid_key);
}

INSTANTIATE_TEST_SUITE_P(AllSuites, Suite, ::testing::ValuesIn(kAllCipherSuites),
                         [](const auto& p) { return "suite" + std::to_string(p.param); });

TEST(CipherSuite, UnsupportedIds) {
  for (uint16_t id : {0, 8, 0x0a0a, 0xffff}) {
    auto s = CipherSuite::get(id);
    ASSERT_FALSE(s) << id;
    EXPECT_EQ(s.error().code, ErrorCode::unsupported_cipher_suite);
  }
}

TEST(CipherSuite, KnownAnswers) {
  auto s1 = *CipherSuite::get(1), s5 = *CipherSuite::get(5), s7 = *CipherSuite::get(7);
  // FIPS 180-2 "abc"
  EXPECT_EQ(to_hex(s1.hash(as_bytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(s7.hash(as_bytes("abc"))),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
            "8086072ba1e7cc2358baeca134c825a7");
  EXPECT_EQ(to_hex(s5.hash(as_bytes("abc"))),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  // RFC 4231 test case 2
  EXPECT_EQ(to_hex(s1.mac(as_bytes("Jefe"), as_bytes("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // RFC 5869 test case 3 (empty salt and info)
  SecretBytes prk = s1.kdf_extract({}, Bytes(22, 0x0b));
  EXPECT_EQ(to_hex(prk), "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
  EXPECT_EQ(to_hex(*s1.kdf_expand(prk, {}, 42)),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
            "9d201395faa4b61a96c8");
  // RFC 5869 test case 1
  SecretBytes prk1 = s1.kdf_extract(hex("000102030405060708090a0b0c"), Bytes(22, 0x0b));
  EXPECT_EQ(to_hex(*s1.kdf_expand(prk1, hex("f0f1f2f3f4f5f6f7f8f9"), 42)),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
            "34007208d5b887185865");
}

// The all-zero DH output a low-order point gives must be refused (RFC 9180
// §7.1.4), and RFC 7748 §6.1's key pair must come out right.
TEST(CipherSuite, MontgomeryCurvesRejectLowOrderPoints) {
  for (uint16_t id : {1, 4}) {
    auto s = *CipherSuite::get(id);
    const size_t n = id == 1 ? 32 : 56;
    Bytes zero(n, 0), one(n, 0);
    one[0] = 1;
    for (const Bytes& pk : {zero, one}) {
      auto ct = s.hpke_seal(pk, {}, {}, as_bytes("m"));
      ASSERT_FALSE(ct) << id;
      EXPECT_EQ(ct.error().code, ErrorCode::invalid_key) << id;
      auto kp = *s.hpke_generate();
      auto opened = s.hpke_open(kp.private_key, {}, {}, HpkeCiphertext{pk, Bytes(32, 0)});
      ASSERT_FALSE(opened) << id;
      EXPECT_EQ(opened.error().code, ErrorCode::decryption_failed) << id;
    }
  }
  auto s = *CipherSuite::get(1);
  EXPECT_EQ(to_hex(*s.hpke_public_key(
                hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))),
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
}

TEST(CipherSuite, NistKeysAreChecked) {
  for (uint16_t id : {2, 5, 7}) {
    auto s = *CipherSuite::get(id);
    auto kp = *s.hpke_generate();
    Bytes off_curve = kp.public_key;
    off_curve.back() ^= 0x01;
    EXPECT_EQ(s.hpke_seal(off_curve, {}, {}, {}).error().code, ErrorCode::invalid_key) << id;
    Bytes compressed = kp.public_key;
    compressed[0] = 0x02;
    EXPECT_EQ(s.hpke_seal(compressed, {}, {}, {}).error().code, ErrorCode::invalid_key) << id;
    // A zero scalar, and one of all ones (above the group order).
    Bytes zero(kp.private_key.size(), 0), ones(kp.private_key.size(), 0xff);
    EXPECT_EQ(s.hpke_public_key(zero).error().code, ErrorCode::invalid_key) << id;
    EXPECT_EQ(s.hpke_public_key(ones).error().code, ErrorCode::invalid_key) << id;
    EXPECT_EQ(s.signature_public_key(ones).error().code, ErrorCode::invalid_key) << id;
    EXPECT_EQ(s.verify(off_curve, as_bytes("m"), Bytes(8, 0)).error().code,
              ErrorCode::bad_signature);
  }
}

// An ECDSA private key is the big-endian scalar, and some encoders drop its
// leading zero bytes (the official message-protection vectors give a 65-byte
// P-521 key): any length up to the field size is the same scalar, left-padded.
// Still rejected: empty, longer than the field, zero, at least the order.
TEST(CipherSuite, EcdsaKeysMayDropLeadingZeros) {
  for (uint16_t id : {2, 5, 7}) {
    auto s = *CipherSuite::get(id);
    auto kp = *s.signature_generate();
    Bytes full = kp.private_key.expose();
    full[0] = 0;
    full[1] = 0;
    const Bytes pub = *s.signature_public_key(full);
    for (size_t drop : {1u, 2u}) {
      Bytes shorter(full.begin() + static_cast<ptrdiff_t>(drop), full.end());
      auto derived = s.signature_public_key(shorter);
      ASSERT_TRUE(derived) << id << ": " << derived.error().describe();
      EXPECT_EQ(*derived, pub) << id;
      auto sig = s.sign(shorter, as_bytes("m"));
      ASSERT_TRUE(sig) << id << ": " << sig.error().describe();
      EXPECT_TRUE(s.verify(pub, as_bytes("m"), *sig)) << id;
      auto signer = PrivateKeySigner::from_private_key(s, shorter);
      ASSERT_TRUE(signer) << id;
      EXPECT_EQ(signer->public_key(), pub) << id;
    }
    // The scalar 1 in a single byte: the public key is the generator.
    Bytes one_full(full.size(), 0);
    one_full.back() = 1;
    EXPECT_EQ(*s.signature_public_key(Bytes{1}), *s.signature_public_key(one_full)) << id;

    EXPECT_EQ(s.signature_public_key({}).error().code, ErrorCode::invalid_key) << id;
    EXPECT_EQ(s.sign({}, as_bytes("m")).error().code, ErrorCode::invalid_key) << id;
    Bytes longer = full;
    longer.insert(longer.begin(), 0);
    EXPECT_EQ(s.signature_public_key(longer).error().code, ErrorCode::invalid_key) << id;
    EXPECT_EQ(s.sign(longer, as_bytes("m")).error().code, ErrorCode::invalid_key) << id;
    EXPECT_EQ(s.signature_public_key(Bytes{0}).error().code, ErrorCode::invalid_key) << id;
    EXPECT_EQ(s.sign(Bytes(3, 0), as_bytes("m")).error().code, ErrorCode::invalid_key) << id;
    EXPECT_EQ(s.signature_public_key(Bytes(full.size(), 0xff)).error().code, ErrorCode::invalid_key)
        << id;
    // HPKE private keys keep their fixed size (RFC 9180 §7.1.2).
    auto hpke = *s.hpke_generate();
    EXPECT_EQ(s.hpke_public_key(BytesView(hpke.private_key).subspan(1)).error().code,
              ErrorCode::invalid_key)
        << id;
  }
}

// One CipherSuite shared by several threads: the cached OpenSSL objects are
// only read, so every thread gets the answers a single thread gets.
TEST(CipherSuite, SharedAcrossThreads) {
  auto s = *CipherSuite::get(2);
  auto kp = *s.hpke_generate();
  const Bytes ikm(32, 7);
  const Bytes want = s.kdf_extract(ikm, ikm).expose();
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (s.kdf_extract(ikm, ikm).expose() != want) ++bad;
        auto ct = s.hpke_seal(kp.public_key, {}, {}, ikm);
        if (!ct || s.hpke_open(kp.private_key, {}, {}, *ct) != ikm) ++bad;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
}  // namespace mls::crypto
