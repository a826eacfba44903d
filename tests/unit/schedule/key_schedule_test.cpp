// The key schedule (RFC 9420 §8): the committer's and the joiner's paths
// agree, absent inputs are the zero vector, and the exporter (§8.5) separates
// labels, contexts and epochs.
#include "schedule/key_schedule.h"

#include <gtest/gtest.h>

#include "crypto/labeled.h"

namespace mls::schedule {
namespace {

crypto::CipherSuite suite() { return *crypto::CipherSuite::get(1); }

const Bytes kInit(32, 0x01);
const Bytes kCommit(32, 0x02);
const Bytes kPsk(32, 0x03);
const Bytes kContext = {0x00, 0x01, 0x00, 0x01, 0x01, 0xaa};

EpochKeySchedule epoch(BytesView init = kInit, BytesView commit = kCommit, BytesView psk = kPsk,
                       BytesView context = kContext) {
  auto ks = derive_epoch(suite(), init, commit, psk, context);
  EXPECT_TRUE(ks.has_value()) << ks.error().describe();
  return std::move(*ks);
}

TEST(KeySchedule, EpochSecretsAreDistinctAndFullLength) {
  auto ks = epoch();
  const EpochSecrets& e = ks.epoch;
  std::vector<const SecretBytes*> all = {
      &ks.joiner_secret,  &ks.welcome_secret,     &e.sender_data_secret, &e.encryption_secret,
      &e.exporter_secret, &e.external_secret,     &e.confirmation_key,   &e.membership_key,
      &e.resumption_psk,  &e.epoch_authenticator, &e.init_secret};
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i]->size(), 32u) << i;
    for (size_t j = i + 1; j < all.size(); ++j) EXPECT_FALSE(*all[i] == *all[j]) << i << "," << j;
  }
}

TEST(KeySchedule, FollowsTheDiagramOfSection8) {
  // Recompute the chain step by step with the labeled helpers.
  auto s = suite();
  SecretBytes joiner =
      *crypto::expand_with_label(s, s.kdf_extract(kInit, kCommit), "joiner", kContext, 32);
  SecretBytes member = s.kdf_extract(joiner, kPsk);
  SecretBytes epoch_secret = *crypto::expand_with_label(s, member, "epoch", kContext, 32);
  auto ks = epoch();
  EXPECT_EQ(ks.joiner_secret, joiner);
  EXPECT_EQ(ks.welcome_secret, *crypto::derive_secret(s, member, "welcome"));
  EXPECT_EQ(ks.epoch.init_secret, *crypto::derive_secret(s, epoch_secret, "init"));
  EXPECT_EQ(ks.epoch.confirmation_key, *crypto::derive_secret(s, epoch_secret, "confirm"));
}

TEST(KeySchedule, JoinerPathMatchesCommitterPath) {
  auto committer = epoch();
  JoinerSchedule joiner(suite(), committer.joiner_secret, kPsk);
  auto welcome = joiner.welcome_secret();
  ASSERT_TRUE(welcome.has_value());
  EXPECT_EQ(*welcome, committer.welcome_secret);
  auto secrets = std::move(joiner).epoch_secrets(kContext);
  ASSERT_TRUE(secrets.has_value());
  EXPECT_EQ(secrets->encryption_secret, committer.epoch.encryption_secret);
  EXPECT_EQ(secrets->epoch_authenticator, committer.epoch.epoch_authenticator);
  EXPECT_EQ(secrets->init_secret, committer.epoch.init_secret);
  // The schedule is consumed: no second epoch from the same intermediate secret.
  auto again = std::move(joiner).epoch_secrets(kContext);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::usage);
}

TEST(KeySchedule, EmptyInputsAreTheZeroVector) {
  const Bytes zero(32, 0);
  EXPECT_EQ(epoch(kInit, {}, {}).epoch.init_secret, epoch(kInit, zero, zero).epoch.init_secret);
  EXPECT_FALSE(epoch(kInit, {}, {}).epoch.init_secret ==
               epoch(kInit, kCommit, {}).epoch.init_secret);
}

TEST(KeySchedule, EveryInputChangesTheEpoch) {
  const SecretBytes base = epoch().epoch.epoch_authenticator.clone();
  Bytes other_context = kContext;
  other_context.back() ^= 1;
  EXPECT_FALSE(epoch(kCommit).epoch.epoch_authenticator == base);
  EXPECT_FALSE(epoch(kInit, kPsk).epoch.epoch_authenticator == base);
  EXPECT_FALSE(epoch(kInit, kCommit, kInit).epoch.epoch_authenticator == base);
  EXPECT_FALSE(epoch(kInit, kCommit, kPsk, other_context).epoch.epoch_authenticator == base);
  EXPECT_EQ(epoch().epoch.epoch_authenticator, base);
}

TEST(Exporter, DeterministicAndSeparatedByLabelContextAndLength) {
  auto s = suite();
  const SecretBytes& exporter = epoch().epoch.exporter_secret;
  auto a = mls_exporter(s, exporter, "app label", as_bytes("ctx"), 32);
  auto b = mls_exporter(s, exporter, "app label", as_bytes("ctx"), 32);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(a->size(), 32u);
  // MLS-Exporter = ExpandWithLabel(DeriveSecret(exporter_secret, Label), "exported",
  //                               Hash(Context), Length)   (§8.5)
  EXPECT_EQ(*a, *crypto::expand_with_label(s, *crypto::derive_secret(s, exporter, "app label"),
                                           "exported", s.hash(as_bytes("ctx")), 32));
  auto other_label = mls_exporter(s, exporter, "app label2", as_bytes("ctx"), 32);
  auto other_context = mls_exporter(s, exporter, "app label", as_bytes("ctx2"), 32);
  ASSERT_TRUE(other_label && other_context);
  EXPECT_FALSE(*a == *other_label);
  EXPECT_FALSE(*a == *other_context);
  auto longer = mls_exporter(s, exporter, "app label", as_bytes("ctx"), 64);
  ASSERT_TRUE(longer.has_value());
  EXPECT_EQ(longer->size(), 64u);
  // Another epoch's exporter secret gives another value.
  auto next_epoch =
      mls_exporter(s, epoch(kCommit).epoch.exporter_secret, "app label", as_bytes("ctx"), 32);
  ASSERT_TRUE(next_epoch.has_value());
  EXPECT_FALSE(*a == *next_epoch);
}

TEST(Exporter, LengthAboveUint16Rejected) {
  auto r = mls_exporter(suite(), epoch().epoch.exporter_secret, "x", {}, 70000);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::usage);
}

TEST(ExternalInit, JoinerAndMembersAgreeOnInitSecret) {
  auto s = suite();
  auto ks = epoch();
  auto pair = external_key_pair(s, ks.epoch.external_secret);
  ASSERT_TRUE(pair.has_value()) << pair.error().describe();
  auto again = external_key_pair(s, ks.epoch.external_secret);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(pair->public_key, again->public_key);

  auto sent = external_init_sender(s, pair->public_key);
  ASSERT_TRUE(sent.has_value()) << sent.error().describe();
  EXPECT_EQ(sent->secret.size(), 32u);
  auto received = external_init_receiver(s, pair->private_key, sent->kem_output);
  ASSERT_TRUE(received.has_value()) << received.error().describe();
  EXPECT_EQ(*received, sent->secret);
  // Another group's key pair does not recover it.
  auto other = external_key_pair(s, epoch(kCommit).epoch.external_secret);
  ASSERT_TRUE(other.has_value());
  auto wrong = external_init_receiver(s, other->private_key, sent->kem_output);
  EXPECT_TRUE(!wrong.has_value() || !(*wrong == sent->secret));
}

TEST(AeadKeys, SenderDataSamplesTheFirstNhBytes) {
  auto s = suite();
  const Bytes secret(32, 0x07);
  Bytes ciphertext(48, 0x10);
  auto k1 = sender_data_key_nonce(s, secret, ciphertext);
  ciphertext[40] ^= 1;  // beyond the sample: same key
  auto k2 = sender_data_key_nonce(s, secret, ciphertext);
  ciphertext[5] ^= 1;  // inside the sample: another key
  auto k3 = sender_data_key_nonce(s, secret, ciphertext);
  // Shorter than Nh: the whole ciphertext is the sample.
  auto k4 = sender_data_key_nonce(s, secret, BytesView(ciphertext).first(10));
  ASSERT_TRUE(k1 && k2 && k3 && k4);
  EXPECT_EQ(k1->key.size(), s.aead_key_size());
  EXPECT_EQ(k1->nonce.size(), s.aead_nonce_size());
  EXPECT_EQ(k1->key, k2->key);
  EXPECT_EQ(k1->nonce, k2->nonce);
  EXPECT_FALSE(k1->key == k3->key);
  EXPECT_FALSE(k3->key == k4->key);
  EXPECT_EQ(k4->key,
            *crypto::expand_with_label(s, secret, "key", BytesView(ciphertext).first(10), 16));
}

}  // namespace
}  // namespace mls::schedule
