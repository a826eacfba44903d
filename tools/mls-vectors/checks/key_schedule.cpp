// key-schedule.json: every epoch of each case, chained through init_secret
// (RFC 9420 §8): the GroupContext, joiner/welcome/epoch-derived secrets,
// external_pub (§8) and one MLS-Exporter value (§8.5).
#include "schedule/key_schedule.h"

#include <string>
#include <utility>

#include "codec/codec.h"
#include "crypto/cipher_suite.h"
#include "messages/group_context.h"
#include "vectors.h"

namespace mls::vectors {

namespace {

Status check_epoch(const crypto::CipherSuite& suite, BytesView group_id, uint64_t index,
                   const json& e, SecretBytes& init_secret) {
  const std::string at = "epochs[" + std::to_string(index) + "].";
  GroupContext context;  // version mls10, no extensions
  context.cipher_suite = suite.id();
  context.group_id.assign(group_id.begin(), group_id.end());
  context.epoch = index;
  context.tree_hash = hex_field(e, "tree_hash");
  context.confirmed_transcript_hash = hex_field(e, "confirmed_transcript_hash");
  Bytes ctx = codec::encode(context);
  MLS_CHECK(expect_equal(at + "group_context", ctx, hex_field(e, "group_context")));

  Bytes psk = e.contains("psk_secret") ? hex_field(e, "psk_secret") : Bytes();
  auto ks =
      MLS_TRY(schedule::derive_epoch(suite, init_secret, hex_field(e, "commit_secret"), psk, ctx));
  MLS_CHECK(expect_equal(at + "joiner_secret", ks.joiner_secret, hex_field(e, "joiner_secret")));
  MLS_CHECK(expect_equal(at + "welcome_secret", ks.welcome_secret, hex_field(e, "welcome_secret")));

  using S = schedule::EpochSecrets;
  const std::pair<const char*, SecretBytes S::*> fields[] = {
      {"init_secret", &S::init_secret},
      {"sender_data_secret", &S::sender_data_secret},
      {"encryption_secret", &S::encryption_secret},
      {"exporter_secret", &S::exporter_secret},
      {"epoch_authenticator", &S::epoch_authenticator},
      {"external_secret", &S::external_secret},
      {"confirmation_key", &S::confirmation_key},
      {"membership_key", &S::membership_key},
      {"resumption_psk", &S::resumption_psk},
  };
  for (const auto& [name, field] : fields) {
    MLS_CHECK(expect_equal(at + name, ks.epoch.*field, hex_field(e, name)));
  }

  auto external = MLS_TRY(schedule::external_key_pair(suite, ks.epoch.external_secret));
  MLS_CHECK(expect_equal(at + "external_pub", external.public_key, hex_field(e, "external_pub")));

  // exporter.label is a string taken as it is, though it looks like hex
  // (test-vectors.md: "label": /* string */).
  const json& ex = e.at("exporter");
  auto exported = MLS_TRY(
      schedule::mls_exporter(suite, ks.epoch.exporter_secret, ex.at("label").get<std::string>(),
                             hex_field(ex, "context"), ex.at("length").get<uint32_t>()));
  MLS_CHECK(expect_equal(at + "exporter.secret", exported, hex_field(ex, "secret")));

  init_secret = std::move(ks.epoch.init_secret);
  return {};
}

}  // namespace

Status check_key_schedule(const json& c) {
  auto suite = MLS_TRY(crypto::CipherSuite::get(c.at("cipher_suite").get<uint16_t>()));
  Bytes group_id = hex_field(c, "group_id");
  SecretBytes init_secret(hex_field(c, "initial_init_secret"));
  const json& epochs = c.at("epochs");
  MLS_CHECK(expect_true("epochs is a non-empty array", epochs.is_array() && !epochs.empty()));
  for (size_t i = 0; i < epochs.size(); ++i) {
    MLS_CHECK(check_epoch(suite, group_id, i, epochs[i], init_secret));
  }
  return {};
}

}  // namespace mls::vectors
