// HPKE base mode (RFC 9180 §5) on the EVP primitives.
#include "crypto/hpke.h"

namespace mls::crypto::hpke {

Hpke::Hpke(const ossl::DhKem* kem, const ossl::Kdf* kdf, const ossl::Aead* aead)
    : kem_(kem), kdf_(kdf), aead_(aead) {
  suite_id_ = {'H', 'P', 'K', 'E'};
  for (uint16_t v : {kem->id(), kdf->id(), aead->id()}) {
    suite_id_.push_back(static_cast<uint8_t>(v >> 8));
    suite_id_.push_back(static_cast<uint8_t>(v));
  }
}

Result<Hpke> Hpke::create(uint16_t kem_id, uint16_t kdf_id, uint16_t aead_id) {
  const auto* kem = ossl::DhKem::get(kem_id);
  const auto* kdf = ossl::Kdf::get(kdf_id);
  const auto* aead = ossl::Aead::get(aead_id);
  if (kem == nullptr || kdf == nullptr || aead == nullptr) {
    return make_error(ErrorCode::unsupported_cipher_suite, "HPKE: unsupported KEM, KDF or AEAD");
  }
  return Hpke(kem, kdf, aead);
}

Result<Context> Hpke::key_schedule(BytesView shared_secret, BytesView info) const {
  // mode_base: psk and psk_id are empty.
  constexpr uint8_t kModeBase = 0x00;
  SecretBytes psk_id_hash = MLS_TRY(kdf_->labeled_extract(suite_id_, {}, "psk_id_hash", {}));
  SecretBytes info_hash = MLS_TRY(kdf_->labeled_extract(suite_id_, {}, "info_hash", info));
  // key_schedule_context = concat(mode, psk_id_hash, info_hash)
  Bytes ksc;
  ksc.reserve(1 + psk_id_hash.size() + info_hash.size());
  ksc.push_back(kModeBase);
  ksc.insert(ksc.end(), psk_id_hash.view().begin(), psk_id_hash.view().end());
  ksc.insert(ksc.end(), info_hash.view().begin(), info_hash.view().end());

  SecretBytes secret = MLS_TRY(kdf_->labeled_extract(suite_id_, shared_secret, "secret", {}));
  Context ctx;
  ctx.kdf_ = kdf_;
  ctx.aead_ = aead_;
  ctx.suite_id_ = suite_id_;
  ctx.key_ = MLS_TRY(kdf_->labeled_expand(suite_id_, secret, "key", ksc, aead_->key_size()));
  ctx.base_nonce_ =
      MLS_TRY(kdf_->labeled_expand(suite_id_, secret, "base_nonce", ksc, aead_->nonce_size()));
  ctx.exporter_secret_ = MLS_TRY(kdf_->labeled_expand(suite_id_, secret, "exp", ksc, kdf_->size()));
  return ctx;
}

Result<Hpke::SenderContext> Hpke::setup_base_s(BytesView public_key, BytesView info,
                                               BytesView ikm_e) const {
  auto encap = MLS_TRY(kem_->encap(public_key, ikm_e));
  Context ctx = MLS_TRY(key_schedule(encap.shared_secret, info));
  return SenderContext{std::move(encap.enc), std::move(ctx)};
}

Result<Context> Hpke::setup_base_r(BytesView enc, BytesView private_key, BytesView info) const {
  SecretBytes shared = MLS_TRY(kem_->decap(enc, private_key));
  return key_schedule(shared, info);
}

Result<Bytes> Context::nonce() const {
  // The sequence number must stay below 2^(8*Nn) - 1 (§5.2); with a 64-bit
  // counter and Nn = 12 only the 64-bit bound can bite.
  if (seq_ == UINT64_MAX) return make_error(ErrorCode::usage, "HPKE sequence number overflow");
  // nonce = base_nonce XOR I2OSP(seq, Nn)
  Bytes n = base_nonce_.expose();
  for (size_t i = 0; i < 8 && i < n.size(); ++i) {
    n[n.size() - 1 - i] ^= static_cast<uint8_t>(seq_ >> (8 * i));
  }
  return n;
}

Result<Bytes> Context::seal(BytesView aad, BytesView plaintext) {
  Bytes n = MLS_TRY(nonce());
  Bytes ct = MLS_TRY(aead_->seal(key_, n, aad, plaintext));
  ++seq_;
  return ct;
}

Result<Bytes> Context::open(BytesView aad, BytesView ciphertext) {
  Bytes n = MLS_TRY(nonce());
  Bytes pt = MLS_TRY(aead_->open(key_, n, aad, ciphertext));
  ++seq_;
  return pt;
}

Result<SecretBytes> Context::export_secret(BytesView exporter_context, size_t length) const {
  return kdf_->labeled_expand(suite_id_, exporter_secret_, "sec", exporter_context, length);
}

}  // namespace mls::crypto::hpke
