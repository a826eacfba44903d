// secret-tree.json: the sender-data key and nonce (RFC 9420 §6.3.2), and the
// handshake and application key and nonce of every listed generation of every
// leaf (§9, §9.1).
#include "schedule/secret_tree.h"

#include <string>

#include "crypto/cipher_suite.h"
#include "schedule/key_schedule.h"
#include "vectors.h"

namespace mls::vectors {

namespace {

Status check_ratchet(schedule::SecretTree& tree, uint32_t leaf, schedule::RatchetType type,
                     const json& g, const std::string& at, const char* key_field,
                     const char* nonce_field) {
  uint32_t generation = g.at("generation").get<uint32_t>();
  auto k = MLS_TRY(tree.key_for(tree::LeafIndex(leaf), type, generation));
  MLS_CHECK(expect_equal(at + key_field, k.key, hex_field(g, key_field)));
  return expect_equal(at + nonce_field, k.nonce, hex_field(g, nonce_field));
}

}  // namespace

Status check_secret_tree(const json& c) {
  auto suite = MLS_TRY(crypto::CipherSuite::get(c.at("cipher_suite").get<uint16_t>()));

  const json& sd = c.at("sender_data");
  auto sender = MLS_TRY(schedule::sender_data_key_nonce(suite, hex_field(sd, "sender_data_secret"),
                                                        hex_field(sd, "ciphertext")));
  MLS_CHECK(expect_equal("sender_data.key", sender.key, hex_field(sd, "key")));
  MLS_CHECK(expect_equal("sender_data.nonce", sender.nonce, hex_field(sd, "nonce")));

  const json& leaves = c.at("leaves");
  auto tree =
      MLS_TRY(schedule::SecretTree::create(suite, SecretBytes(hex_field(c, "encryption_secret")),
                                           tree::LeafCount(static_cast<uint32_t>(leaves.size()))));
  for (uint32_t i = 0; i < leaves.size(); ++i) {
    for (size_t j = 0; j < leaves[i].size(); ++j) {
      const json& g = leaves[i][j];
      const std::string at = "leaves[" + std::to_string(i) + "][" + std::to_string(j) + "].";
      MLS_CHECK(check_ratchet(tree, i, schedule::RatchetType::handshake, g, at, "handshake_key",
                              "handshake_nonce"));
      MLS_CHECK(check_ratchet(tree, i, schedule::RatchetType::application, g, at, "application_key",
                              "application_nonce"));
    }
  }
  return {};
}

}  // namespace mls::vectors
