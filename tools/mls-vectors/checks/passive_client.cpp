// passive-client-welcome, passive-client-handling-commit, passive-client-random
// (../shared/interop/test-vectors.md, "Passive Client Scenarios"): join from
// the Welcome, then follow every epoch's proposals and commit through the
// public group API, checking the epoch authenticator at each step.
#include "crypto/cipher_suite.h"
#include "framing/mls_message.h"
#include "mls/group.h"
#include "schedule/psk.h"
#include "vectors.h"

namespace mls::vectors {
namespace {

// The P-521 vectors write some private scalars without their leading zero
// byte (65 bytes instead of 66): restore the fixed width the suite uses.
Bytes private_key_field(const json& c, std::string_view key, uint16_t suite) {
  Bytes k = hex_field(c, key);
  constexpr size_t kP521 = 66;
  if (suite == 5 && k.size() < kP521) k.insert(k.begin(), kP521 - k.size(), 0);
  return k;
}

}  // namespace

Status check_passive_client(const json& c) {
  uint16_t suite_id = c.at("cipher_suite").get<uint16_t>();
  auto suite = MLS_TRY(crypto::CipherSuite::get(suite_id));
  auto kp_msg = MLS_TRY(codec::decode_all<framing::MLSMessage>(hex_field(c, "key_package")));
  const KeyPackage* kp = kp_msg.get<KeyPackage>();
  MLS_CHECK(expect_true("key_package is a KeyPackage", kp != nullptr));

  // The private keys must be those of the KeyPackage.
  Bytes signature_priv = private_key_field(c, "signature_priv", suite_id);
  auto signer = std::make_shared<crypto::PrivateKeySigner>(
      MLS_TRY(crypto::PrivateKeySigner::from_private_key(suite, signature_priv)));
  MLS_CHECK(expect_equal("signature key", signer->public_key(), kp->leaf_node.signature_key));
  KeyPackageBundle bundle{*kp, SecretBytes(private_key_field(c, "init_priv", suite_id)),
                          SecretBytes(private_key_field(c, "encryption_priv", suite_id))};
  MLS_CHECK(expect_equal("init key", MLS_TRY(suite.hpke_public_key(bundle.init_private_key)),
                         kp->init_key));
  MLS_CHECK(expect_equal("encryption key",
                         MLS_TRY(suite.hpke_public_key(bundle.encryption_private_key)),
                         kp->leaf_node.encryption_key));
  Identity me = MLS_TRY(Identity::from_signer(suite_id, signer, kp->leaf_node.credential));

  auto psks = std::make_shared<schedule::InMemoryPskStore>();
  for (const auto& p : c.at("external_psks")) {
    psks->add_external(hex_field(p, "psk_id"), SecretBytes(hex_field(p, "psk")));
  }
  GroupConfig config;
  config.credentials = std::make_shared<AcceptAllCredentials>();
  config.psks = psks;
  config.check_lifetimes = false;  // the vectors' KeyPackages were made years ago

  std::optional<Bytes> tree;
  if (!c.at("ratchet_tree").is_null()) tree = hex_field(c, "ratchet_tree");
  Group group = MLS_TRY(Group::join(me, bundle, hex_field(c, "welcome"), config,
                                    tree ? std::optional<BytesView>(*tree) : std::nullopt));
  MLS_CHECK(expect_equal("initial epoch_authenticator", group.epoch_authenticator(),
                         hex_field(c, "initial_epoch_authenticator")));

  size_t n = 0;
  for (const auto& epoch : c.at("epochs")) {
    std::string where = "epoch " + std::to_string(n++) + ": ";
    for (const auto& p : epoch.at("proposals")) {
      auto bytes = from_hex(p.get<std::string>());
      if (!bytes) return tl::unexpected(bytes.error());
      auto got = group.process(*bytes);
      if (!got) return make_error(got.error().code, where + "proposal: " + got.error().message);
    }
    auto got = group.process(hex_field(epoch, "commit"));
    if (!got) return make_error(got.error().code, where + "commit: " + got.error().message);
    auto* staged = std::get_if<StagedCommit>(&*got);
    MLS_CHECK(expect_true(where + "commit is a commit", staged != nullptr));
    MLS_CHECK(group.merge(std::move(*staged)));
    MLS_CHECK(expect_equal(where + "epoch_authenticator", group.epoch_authenticator(),
                           hex_field(epoch, "epoch_authenticator")));
  }
  return {};
}

}  // namespace mls::vectors
