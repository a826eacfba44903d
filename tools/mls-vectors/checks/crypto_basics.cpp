// crypto-basics.json (../shared/interop/test-vectors.md, "Crypto Basics"):
// RefHash, ExpandWithLabel, DeriveSecret, DeriveTreeSecret, SignWithLabel and
// EncryptWithLabel for one cipher suite per case.
#include "crypto/labeled.h"
#include "vectors.h"

namespace mls::vectors {

namespace {

using crypto::CipherSuite;

std::string str_field(const json& obj, const char* key) { return obj.at(key).get<std::string>(); }

// The given public key must be the one the given private key yields.
Status check_key_pair(const std::string& field, const Result<Bytes>& derived, BytesView pub) {
  MLS_CHECK(expect_true(field + ".priv: does not parse", derived.has_value()));
  return expect_equal(field + ".pub (derived from priv)", *derived, pub);
}

Status check_ref_hash(const CipherSuite& suite, const json& v) {
  Bytes out = crypto::ref_hash(suite, str_field(v, "label"), hex_field(v, "value"));
  return expect_equal("ref_hash.out", out, hex_field(v, "out"));
}

Status check_expand_with_label(const CipherSuite& suite, const json& v) {
  auto out = crypto::expand_with_label(suite, hex_field(v, "secret"), str_field(v, "label"),
                                       hex_field(v, "context"), v.at("length").get<uint16_t>());
  if (!out) return tl::unexpected(out.error());
  return expect_equal("expand_with_label.out", *out, hex_field(v, "out"));
}

Status check_derive_secret(const CipherSuite& suite, const json& v) {
  auto out = crypto::derive_secret(suite, hex_field(v, "secret"), str_field(v, "label"));
  if (!out) return tl::unexpected(out.error());
  return expect_equal("derive_secret.out", *out, hex_field(v, "out"));
}

Status check_derive_tree_secret(const CipherSuite& suite, const json& v) {
  auto out = crypto::derive_tree_secret(suite, hex_field(v, "secret"), str_field(v, "label"),
                                        v.at("generation").get<uint32_t>(),
                                        v.at("length").get<uint16_t>());
  if (!out) return tl::unexpected(out.error());
  return expect_equal("derive_tree_secret.out", *out, hex_field(v, "out"));
}

Status check_sign_with_label(const CipherSuite& suite, const json& v) {
  const Bytes priv = hex_field(v, "priv"), pub = hex_field(v, "pub");
  const Bytes content = hex_field(v, "content"), signature = hex_field(v, "signature");
  const std::string label = str_field(v, "label");

  MLS_CHECK(check_key_pair("sign_with_label", suite.signature_public_key(priv), pub));
  MLS_CHECK(
      expect_true("sign_with_label.signature: does not verify",
                  crypto::verify_with_label(suite, pub, label, content, signature).has_value()));
  // Our own signature must verify too (ECDSA is randomised, so it need not
  // equal the given one).
  auto ours = crypto::sign_with_label(suite, priv, label, content);
  if (!ours) return tl::unexpected(ours.error());
  return expect_true("sign_with_label: our own signature does not verify",
                     crypto::verify_with_label(suite, pub, label, content, *ours).has_value());
}

Status check_encrypt_with_label(const CipherSuite& suite, const json& v) {
  const Bytes priv = hex_field(v, "priv"), pub = hex_field(v, "pub");
  const Bytes context = hex_field(v, "context"), plaintext = hex_field(v, "plaintext");
  const std::string label = str_field(v, "label");

  MLS_CHECK(check_key_pair("encrypt_with_label", suite.hpke_public_key(priv), pub));

  crypto::HpkeCiphertext given{hex_field(v, "kem_output"), hex_field(v, "ciphertext")};
  auto opened = crypto::decrypt_with_label(suite, priv, label, context, given);
  if (!opened) {
    return make_error(ErrorCode::invalid_value,
                      "encrypt_with_label.ciphertext: " + opened.error().describe());
  }
  MLS_CHECK(expect_equal("encrypt_with_label.plaintext (decrypted)", *opened, plaintext));

  auto ours = crypto::encrypt_with_label(suite, pub, label, context, plaintext);
  if (!ours) return tl::unexpected(ours.error());
  auto round = crypto::decrypt_with_label(suite, priv, label, context, *ours);
  if (!round) {
    return make_error(ErrorCode::invalid_value,
                      "encrypt_with_label: our own ciphertext: " + round.error().describe());
  }
  return expect_equal("encrypt_with_label: round trip", *round, plaintext);
}

}  // namespace

Status check_crypto_basics(const json& c) {
  auto suite = CipherSuite::get(c.at("cipher_suite").get<uint16_t>());
  if (!suite) return tl::unexpected(suite.error());
  MLS_CHECK(check_ref_hash(*suite, c.at("ref_hash")));
  MLS_CHECK(check_expand_with_label(*suite, c.at("expand_with_label")));
  MLS_CHECK(check_derive_secret(*suite, c.at("derive_secret")));
  MLS_CHECK(check_derive_tree_secret(*suite, c.at("derive_tree_secret")));
  MLS_CHECK(check_sign_with_label(*suite, c.at("sign_with_label")));
  MLS_CHECK(check_encrypt_with_label(*suite, c.at("encrypt_with_label")));
  return {};
}

}  // namespace mls::vectors
