// psk_secret.json: psk_secret over 0 to 10 external PSKs (RFC 9420 §8.4),
// computed both from the given PSKs directly and through a PskStore.
#include <vector>

#include "crypto/cipher_suite.h"
#include "schedule/psk.h"
#include "vectors.h"

namespace mls::vectors {

Status check_psk_secret(const json& c) {
  auto suite = MLS_TRY(crypto::CipherSuite::get(c.at("cipher_suite").get<uint16_t>()));
  std::vector<PreSharedKeyID> ids;
  std::vector<SecretBytes> psks;
  schedule::InMemoryPskStore store;
  for (const json& p : c.at("psks")) {
    ids.push_back(PreSharedKeyID::external(hex_field(p, "psk_id"), hex_field(p, "psk_nonce")));
    psks.emplace_back(hex_field(p, "psk"));
    store.add_external(hex_field(p, "psk_id"), psks.back().clone());
  }
  Bytes want = hex_field(c, "psk_secret");
  auto direct = MLS_TRY(schedule::psk_secret(suite, ids, psks));
  MLS_CHECK(expect_equal("psk_secret", direct, want));
  auto via_store = MLS_TRY(schedule::psk_secret(suite, ids, store));
  return expect_equal("psk_secret (from the PSK store)", via_store, want);
}

}  // namespace mls::vectors
