// HPKE (RFC 9180), base mode, built on the EVP primitives of openssl/ (OpenSSL
// 3.0 has no HPKE of its own). Internal to the library: MLS uses it through
// CipherSuite; tests use it directly to run the RFC 9180 Appendix A vectors.
#pragma once

#include <cstdint>

#include "crypto/openssl/primitives.h"
#include "mls/bytes.h"
#include "mls/error.h"

namespace mls::crypto::hpke {

// RFC 9180 §7 identifiers.
inline constexpr uint16_t kKemP256 = 0x0010, kKemP384 = 0x0011, kKemP521 = 0x0012,
                          kKemX25519 = 0x0020, kKemX448 = 0x0021;
inline constexpr uint16_t kKdfSha256 = 1, kKdfSha384 = 2, kKdfSha512 = 3;
inline constexpr uint16_t kAeadAes128Gcm = 1, kAeadAes256Gcm = 2, kAeadChaCha20Poly1305 = 3;

// The encryption context of §5.2 and §5.3: one per setup, holding the key,
// base nonce, exporter secret and sequence number. Each seal/open uses the
// next sequence number (a failed open does not advance it).
class Context {
 public:
  // Seal(aad, pt) / Open(aad, ct) (§5.2); usage once the sequence number
  // would overflow.
  [[nodiscard]] Result<Bytes> seal(BytesView aad, BytesView plaintext);
  [[nodiscard]] Result<Bytes> open(BytesView aad, BytesView ciphertext);
  // Export(exporter_context, L) (§5.3); usage if L > 255*Nh.
  [[nodiscard]] Result<SecretBytes> export_secret(BytesView exporter_context, size_t length) const;

  // For tests against the published key schedule values.
  BytesView key() const { return key_; }
  BytesView base_nonce() const { return base_nonce_; }
  BytesView exporter_secret() const { return exporter_secret_; }
  uint64_t sequence_number() const { return seq_; }
  // Sets the sequence number (tests, and receivers that skip ahead).
  void set_sequence_number(uint64_t seq) { seq_ = seq; }

 private:
  friend class Hpke;
  Context() = default;
  Result<Bytes> nonce() const;
  const ossl::Kdf* kdf_ = nullptr;
  const ossl::Aead* aead_ = nullptr;
  Bytes suite_id_;
  SecretBytes key_;
  SecretBytes base_nonce_;
  SecretBytes exporter_secret_;
  uint64_t seq_ = 0;
};

// One KEM/KDF/AEAD combination.
class Hpke {
 public:
  // unsupported_cipher_suite for an id this library does not implement.
  [[nodiscard]] static Result<Hpke> create(uint16_t kem_id, uint16_t kdf_id, uint16_t aead_id);

  const ossl::DhKem& kem() const { return *kem_; }
  const ossl::Kdf& kdf() const { return *kdf_; }
  const ossl::Aead& aead() const { return *aead_; }

  struct SenderContext {
    Bytes enc;
    Context context;
  };
  // SetupBaseS(pkR, info) (§5.1.1). With a non-empty ikm_e, the ephemeral
  // key is DeriveKeyPair(ikm_e): deterministic, for test vectors only.
  [[nodiscard]] Result<SenderContext> setup_base_s(BytesView public_key, BytesView info,
                                                   BytesView ikm_e = {}) const;
  // SetupBaseR(enc, skR, info) (§5.1.1).
  [[nodiscard]] Result<Context> setup_base_r(BytesView enc, BytesView private_key,
                                             BytesView info) const;

  // The key schedule of §5.1 for mode_base, from a KEM shared secret.
  [[nodiscard]] Result<Context> key_schedule(BytesView shared_secret, BytesView info) const;

 private:
  Hpke(const ossl::DhKem* kem, const ossl::Kdf* kdf, const ossl::Aead* aead);
  const ossl::DhKem* kem_;
  const ossl::Kdf* kdf_;
  const ossl::Aead* aead_;
  Bytes suite_id_;  // "HPKE" || kem_id || kdf_id || aead_id
};

}  // namespace mls::crypto::hpke
