// Signatures on KeyPackage and GroupInfo, and the Welcome both ways
// (RFC 9420 §10, §12.4.3), in every cipher suite.
#include <gtest/gtest.h>

#include "crypto/labeled.h"
#include "samples.h"

namespace mls {
namespace {

using namespace mls::test;

class MessagesCrypto : public ::testing::TestWithParam<uint16_t> {
 protected:
  void SetUp() override {
    auto s = crypto::CipherSuite::get(GetParam());
    ASSERT_TRUE(s) << s.error().describe();
    suite_.emplace(*s);
    auto keys = suite().signature_generate();
    ASSERT_TRUE(keys);
    signer_.emplace(suite(), std::move(*keys));
  }
  const crypto::CipherSuite& suite() const { return *suite_; }
  const crypto::Signer& signer() const { return *signer_; }

  KeyPackageBundle new_key_package(std::string_view name) {
    auto bundle = make_key_package(suite(), signer(), Credential::basic(to_bytes(name)), {},
                                   Lifetime{0, ~0ull});
    EXPECT_TRUE(bundle) << bundle.error().describe();
    return std::move(*bundle);
  }

  GroupInfo signed_group_info() {
    GroupInfo gi = sample_group_info();
    gi.group_context.cipher_suite = suite().id();
    EXPECT_TRUE(gi.sign(signer()));
    return gi;
  }

  std::optional<crypto::CipherSuite> suite_;
  std::optional<crypto::PrivateKeySigner> signer_;
};

TEST_P(MessagesCrypto, KeyPackageSignsAndValidates) {
  KeyPackageBundle b = new_key_package("alice");
  const KeyPackage& kp = b.key_package;
  EXPECT_TRUE(kp.verify(suite()));
  auto v = kp.validate(suite());
  EXPECT_TRUE(v) << v.error().describe();
  // Survives the wire.
  auto decoded = codec::decode_all<KeyPackage>(codec::encode(kp));
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->validate(suite()));
  // The init key pair matches.
  auto pub = suite().hpke_public_key(b.init_private_key);
  ASSERT_TRUE(pub);
  EXPECT_EQ(*pub, kp.init_key);
  // The reference is RefHash("MLS 1.0 KeyPackage Reference", KeyPackage).
  EXPECT_EQ(kp.ref(suite()),
            crypto::ref_hash(suite(), "MLS 1.0 KeyPackage Reference", codec::encode(kp)));
  EXPECT_EQ(kp.ref(suite()).size(), suite().hash_size());
}

TEST_P(MessagesCrypto, KeyPackageWithWrongSignatureIsRejected) {
  KeyPackage kp = new_key_package("alice").key_package;
  KeyPackage bad = kp;
  bad.signature.back() ^= 1;
  auto r = bad.verify(suite());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::bad_signature);
  EXPECT_EQ(bad.validate(suite()).error().code, ErrorCode::bad_signature);

  // A change to any signed field breaks the signature too.
  bad = kp;
  bad.extensions.entries.push_back(Extension{0x0a0a, {}});
  EXPECT_EQ(bad.validate(suite()).error().code, ErrorCode::bad_signature);

  // Signed by another key.
  auto other = suite().signature_generate();
  ASSERT_TRUE(other);
  crypto::PrivateKeySigner other_signer(suite(), std::move(*other));
  bad = kp;
  ASSERT_TRUE(bad.sign(other_signer));
  EXPECT_EQ(bad.verify(suite()).error().code, ErrorCode::bad_signature);
}

TEST_P(MessagesCrypto, KeyPackageValidationRules) {
  KeyPackage kp = new_key_package("alice").key_package;
  auto expect_invalid = [&](KeyPackage k) {
    auto r = k.validate(suite());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::invalid_key_package) << r.error().describe();
  };
  KeyPackage k = kp;
  k.version = 2;
  expect_invalid(k);
  k = kp;
  k.cipher_suite = suite().id() == 1 ? 2 : 1;
  expect_invalid(k);
  k = kp;
  k.init_key = k.leaf_node.encryption_key;
  expect_invalid(k);
  k = kp;
  k.leaf_node.leaf_node_source = LeafNodeSource::update;
  expect_invalid(k);
  k = kp;
  k.extensions.entries = {Extension{0x0a0a, {}}, Extension{0x0a0a, {1}}};
  expect_invalid(k);
  // The leaf node's own signature.
  k = kp;
  k.leaf_node.signature.back() ^= 1;
  ASSERT_TRUE(k.sign(signer()));
  EXPECT_EQ(k.validate(suite()).error().code, ErrorCode::bad_signature);
}

TEST_P(MessagesCrypto, GroupInfoSignature) {
  GroupInfo gi = signed_group_info();
  EXPECT_TRUE(gi.verify(suite(), signer().public_key()));
  GroupInfo bad = gi;
  bad.signer = 4;
  EXPECT_EQ(bad.verify(suite(), signer().public_key()).error().code, ErrorCode::bad_signature);
  bad = gi;
  bad.signature.front() ^= 0x80;
  EXPECT_EQ(bad.verify(suite(), signer().public_key()).error().code, ErrorCode::bad_signature);
  auto other = suite().signature_generate();
  ASSERT_TRUE(other);
  EXPECT_EQ(gi.verify(suite(), other->public_key).error().code, ErrorCode::bad_signature);
}

TEST_P(MessagesCrypto, WelcomeRoundTrip) {
  KeyPackageBundle alice = new_key_package("alice");
  KeyPackageBundle bob = new_key_package("bob");
  GroupInfo gi = signed_group_info();
  SecretBytes joiner(filled(suite().hash_size(), 0x5a));
  SecretBytes path_secret(filled(suite().hash_size(), 0x5b));
  std::vector<WelcomeRecipient> to = {{&alice.key_package, nullptr},
                                      {&bob.key_package, &path_secret}};
  auto welcome = make_welcome(suite(), joiner, {}, {}, gi, to);
  ASSERT_TRUE(welcome) << welcome.error().describe();
  ASSERT_EQ(welcome->secrets.size(), 2u);

  // Through the wire, as a joiner receives it.
  auto received = codec::decode_all<Welcome>(codec::encode(*welcome));
  ASSERT_TRUE(received);

  auto opened = open_welcome(suite(), *received, bob.key_package, bob.init_private_key);
  ASSERT_TRUE(opened) << opened.error().describe();
  EXPECT_EQ(opened->group_secrets.joiner_secret, joiner);
  ASSERT_TRUE(opened->group_secrets.path_secret);
  EXPECT_EQ(opened->group_secrets.path_secret->path_secret, path_secret);
  EXPECT_TRUE(opened->group_secrets.psks.empty());
  EXPECT_EQ(opened->group_info, gi);
  EXPECT_TRUE(opened->group_info.verify(suite(), signer().public_key()));

  auto alice_opened = open_welcome(suite(), *received, alice.key_package, alice.init_private_key);
  ASSERT_TRUE(alice_opened) << alice_opened.error().describe();
  EXPECT_FALSE(alice_opened->group_secrets.path_secret);

  // The welcome secret is DeriveSecret(Extract(joiner, 0^Nh), "welcome").
  auto expected = crypto::derive_secret(
      suite(), suite().kdf_extract(joiner, Bytes(suite().hash_size(), 0)), "welcome");
  ASSERT_TRUE(expected);
  EXPECT_EQ(opened->welcome_secret, *expected);
}

TEST_P(MessagesCrypto, WelcomeWithPsks) {
  KeyPackageBundle bob = new_key_package("bob");
  GroupInfo gi = signed_group_info();
  SecretBytes joiner(filled(suite().hash_size(), 1));
  SecretBytes psk_secret(filled(suite().hash_size(), 2));
  std::vector<PreSharedKeyID> psks = {sample_external_psk()};
  auto welcome = make_welcome(suite(), joiner, psk_secret, psks, gi, {{&bob.key_package, nullptr}});
  ASSERT_TRUE(welcome);

  // Without a PSK source the joiner cannot go on.
  auto no_source = open_welcome(suite(), *welcome, bob.key_package, bob.init_private_key);
  ASSERT_FALSE(no_source);
  EXPECT_EQ(no_source.error().code, ErrorCode::invalid_welcome);

  // With the wrong psk_secret the GroupInfo does not open.
  auto wrong = open_welcome(suite(), *welcome, bob.key_package, bob.init_private_key,
                            [&](const std::vector<PreSharedKeyID>&) -> Result<SecretBytes> {
                              return SecretBytes(filled(suite().hash_size(), 3));
                            });
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::decryption_failed);

  // A source that fails passes its error on.
  auto failing = open_welcome(suite(), *welcome, bob.key_package, bob.init_private_key,
                              [](const std::vector<PreSharedKeyID>&) -> Result<SecretBytes> {
                                return make_error(ErrorCode::unknown_psk, "no such PSK");
                              });
  ASSERT_FALSE(failing);
  EXPECT_EQ(failing.error().code, ErrorCode::unknown_psk);

  auto opened = open_welcome(suite(), *welcome, bob.key_package, bob.init_private_key,
                             [&](const std::vector<PreSharedKeyID>& ids) -> Result<SecretBytes> {
                               EXPECT_EQ(ids, psks);
                               return psk_secret.clone();
                             });
  ASSERT_TRUE(opened) << opened.error().describe();
  EXPECT_EQ(opened->group_info, gi);
}

TEST_P(MessagesCrypto, WelcomeWithoutOurKeyPackage) {
  KeyPackageBundle alice = new_key_package("alice");
  KeyPackageBundle carol = new_key_package("carol");
  SecretBytes joiner(filled(suite().hash_size(), 1));
  auto welcome =
      make_welcome(suite(), joiner, {}, {}, signed_group_info(), {{&alice.key_package, nullptr}});
  ASSERT_TRUE(welcome);
  auto r = open_welcome(suite(), *welcome, carol.key_package, carol.init_private_key);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
}

TEST_P(MessagesCrypto, WelcomeTampered) {
  KeyPackageBundle bob = new_key_package("bob");
  KeyPackageBundle eve = new_key_package("eve");
  SecretBytes joiner(filled(suite().hash_size(), 1));
  auto welcome =
      make_welcome(suite(), joiner, {}, {}, signed_group_info(), {{&bob.key_package, nullptr}});
  ASSERT_TRUE(welcome);

  // Another init key cannot open the group secrets.
  auto r = open_welcome(suite(), *welcome, bob.key_package, eve.init_private_key);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::decryption_failed);

  // encrypted_group_info is the HPKE context: changing it breaks both.
  Welcome w = *welcome;
  w.encrypted_group_info.back() ^= 1;
  r = open_welcome(suite(), w, bob.key_package, bob.init_private_key);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::decryption_failed);

  w = *welcome;
  w.secrets[0].encrypted_group_secrets.ciphertext.front() ^= 1;
  r = open_welcome(suite(), w, bob.key_package, bob.init_private_key);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::decryption_failed);

  // A Welcome of another suite.
  w = *welcome;
  w.cipher_suite = suite().id() == 1 ? 2 : 1;
  r = open_welcome(suite(), w, bob.key_package, bob.init_private_key);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_welcome);
}

TEST_P(MessagesCrypto, WelcomeWithGarbageInside) {
  KeyPackageBundle bob = new_key_package("bob");
  SecretBytes joiner(filled(suite().hash_size(), 1));
  auto secret = welcome_secret(suite(), joiner, {});
  ASSERT_TRUE(secret);
  auto key = welcome_key(suite(), *secret);
  ASSERT_TRUE(key);

  // A GroupInfo followed by a stray byte, correctly encrypted.
  Bytes plain = codec::encode(signed_group_info());
  plain.push_back(0);
  Welcome w;
  w.cipher_suite = suite().id();
  w.encrypted_group_info = *suite().aead_seal(key->key, key->nonce, {}, plain);
  GroupSecrets gs;
  gs.joiner_secret = joiner.clone();
  w.secrets.push_back(*encrypt_group_secrets(suite(), bob.key_package, w.encrypted_group_info, gs));
  auto r = open_welcome(suite(), w, bob.key_package, bob.init_private_key);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_welcome);

  // GroupSecrets that are not one GroupSecrets.
  Bytes not_secrets = {0x01};
  auto ct = crypto::encrypt_with_label(suite(), bob.key_package.init_key, "Welcome",
                                       w.encrypted_group_info, not_secrets);
  ASSERT_TRUE(ct);
  w.secrets[0].encrypted_group_secrets = *ct;
  auto gsr = decrypt_group_secrets(suite(), w, bob.key_package.ref(suite()), bob.init_private_key);
  ASSERT_FALSE(gsr);
  EXPECT_EQ(gsr.error().code, ErrorCode::invalid_welcome);
}

TEST_P(MessagesCrypto, MakeWelcomeRejectsForeignKeyPackage) {
  KeyPackageBundle bob = new_key_package("bob");
  bob.key_package.cipher_suite = suite().id() == 1 ? 2 : 1;
  SecretBytes joiner(filled(suite().hash_size(), 1));
  auto w =
      make_welcome(suite(), joiner, {}, {}, signed_group_info(), {{&bob.key_package, nullptr}});
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, ErrorCode::usage);
}

std::string suite_name(const ::testing::TestParamInfo<uint16_t>& p) {
  return "suite" + std::to_string(p.param);
}

INSTANTIATE_TEST_SUITE_P(AllSuites, MessagesCrypto, ::testing::ValuesIn(crypto::kAllCipherSuites),
                         suite_name);

}  // namespace
}  // namespace mls
