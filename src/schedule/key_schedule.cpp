#include "schedule/key_schedule.h"

#include <algorithm>
#include <limits>

#include "crypto/labeled.h"

namespace mls::schedule {

namespace {

// The HPKE exporter context of external initialization (§8.3).
constexpr std::string_view kExternalInitLabel = "MLS 1.0 external init secret";

// Nh as ExpandWithLabel's uint16 length (every suite's hash is at most 64 bytes).
uint16_t nh(const crypto::CipherSuite& suite) { return static_cast<uint16_t>(suite.hash_size()); }

// The RFC's "0": when an input is absent it is KDF.Nh zero bytes (§8).
SecretBytes or_zero(const crypto::CipherSuite& suite, BytesView secret) {
  return secret.empty() ? SecretBytes(suite.hash_size()) : SecretBytes(secret);
}

}  // namespace

Result<EpochSecrets> EpochSecrets::derive(const crypto::CipherSuite& suite,
                                          BytesView epoch_secret) {
  auto d = [&](std::string_view label) {
    return crypto::derive_secret(suite, epoch_secret, label);
  };
  EpochSecrets s;
  s.sender_data_secret = MLS_TRY(d("sender data"));
  s.encryption_secret = MLS_TRY(d("encryption"));
  s.exporter_secret = MLS_TRY(d("exporter"));
  s.external_secret = MLS_TRY(d("external"));
  s.confirmation_key = MLS_TRY(d("confirm"));
  s.membership_key = MLS_TRY(d("membership"));
  s.resumption_psk = MLS_TRY(d("resumption"));
  s.epoch_authenticator = MLS_TRY(d("authentication"));
  s.init_secret = MLS_TRY(d("init"));
  return s;
}

Result<SecretBytes> derive_joiner_secret(const crypto::CipherSuite& suite, BytesView init_secret,
                                         BytesView commit_secret, BytesView group_context) {
  SecretBytes extracted = suite.kdf_extract(init_secret, or_zero(suite, commit_secret));
  return crypto::expand_with_label(suite, extracted, "joiner", group_context, nh(suite));
}

JoinerSchedule::JoinerSchedule(const crypto::CipherSuite& suite, BytesView joiner_secret,
                               BytesView psk_secret)
    : suite_(suite), member_secret_(suite.kdf_extract(joiner_secret, or_zero(suite, psk_secret))) {}

Result<SecretBytes> JoinerSchedule::welcome_secret() const {
  if (member_secret_.empty()) return make_error(ErrorCode::usage, "key schedule already consumed");
  return crypto::derive_secret(suite_, member_secret_, "welcome");
}

Result<EpochSecrets> JoinerSchedule::epoch_secrets(BytesView group_context) && {
  if (member_secret_.empty()) return make_error(ErrorCode::usage, "key schedule already consumed");
  SecretBytes member = std::move(member_secret_);
  member_secret_.clear();
  SecretBytes epoch_secret =
      MLS_TRY(crypto::expand_with_label(suite_, member, "epoch", group_context, nh(suite_)));
  return EpochSecrets::derive(suite_, epoch_secret);
}

Result<EpochKeySchedule> derive_epoch(const crypto::CipherSuite& suite, BytesView init_secret,
                                      BytesView commit_secret, BytesView psk_secret,
                                      BytesView group_context) {
  SecretBytes joiner =
      MLS_TRY(derive_joiner_secret(suite, init_secret, commit_secret, group_context));
  JoinerSchedule stage(suite, joiner, psk_secret);
  SecretBytes welcome = MLS_TRY(stage.welcome_secret());
  EpochSecrets epoch = MLS_TRY(std::move(stage).epoch_secrets(group_context));
  return EpochKeySchedule{std::move(joiner), std::move(welcome), std::move(epoch)};
}

Result<SecretBytes> mls_exporter(const crypto::CipherSuite& suite, BytesView exporter_secret,
                                 std::string_view label, BytesView context, size_t length) {
  if (length > std::numeric_limits<uint16_t>::max()) {
    return make_error(ErrorCode::usage,
                      "exporter length " + std::to_string(length) + " above 65535");
  }
  SecretBytes derived = MLS_TRY(crypto::derive_secret(suite, exporter_secret, label));
  return crypto::expand_with_label(suite, derived, "exported", suite.hash(context),
                                   static_cast<uint16_t>(length));
}

Result<crypto::HpkeKeyPair> external_key_pair(const crypto::CipherSuite& suite,
                                              BytesView external_secret) {
  return suite.hpke_derive(external_secret);
}

Result<crypto::CipherSuite::ExportedSecret> external_init_sender(const crypto::CipherSuite& suite,
                                                                 BytesView external_pub) {
  return suite.hpke_export_sender(external_pub, {}, as_bytes(kExternalInitLabel),
                                  suite.hash_size());
}

Result<SecretBytes> external_init_receiver(const crypto::CipherSuite& suite,
                                           BytesView external_priv, BytesView kem_output) {
  return suite.hpke_export_receiver(external_priv, kem_output, {}, as_bytes(kExternalInitLabel),
                                    suite.hash_size());
}

Result<AeadKeyNonce> sender_data_key_nonce(const crypto::CipherSuite& suite,
                                           BytesView sender_data_secret, BytesView ciphertext) {
  BytesView sample = ciphertext.first(std::min(ciphertext.size(), suite.hash_size()));
  AeadKeyNonce out;
  out.key = MLS_TRY(crypto::expand_with_label(suite, sender_data_secret, "key", sample,
                                              static_cast<uint16_t>(suite.aead_key_size())));
  out.nonce = MLS_TRY(crypto::expand_with_label(suite, sender_data_secret, "nonce", sample,
                                                static_cast<uint16_t>(suite.aead_nonce_size())));
  return out;
}

}  // namespace mls::schedule
