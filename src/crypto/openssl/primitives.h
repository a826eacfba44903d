// The primitives behind the cipher suites, on OpenSSL 3's EVP API. Each one
// is built once per process (get() returns a process-wide instance that
// holds the fetched EVP_MD / EVP_MAC / EVP_CIPHER and EC_GROUP), so no call
// pays for a fetch. All are immutable after construction and safe to share
// between threads.
#pragma once

#include <cstdint>
#include <string_view>

#include "crypto/openssl/evp.h"
#include "mls/bytes.h"
#include "mls/error.h"

namespace mls::crypto::ossl {

// A hash function, HMAC over it, and HKDF (RFC 5869) done directly on HMAC,
// which is cheaper than going through EVP_KDF. `id` is the HPKE KDF id
// (RFC 9180 §7.2): 1 = SHA-256, 2 = SHA-384, 3 = SHA-512.
class Kdf {
 public:
  static const Kdf* get(uint16_t id);  // nullptr for an unknown id

  uint16_t id() const { return id_; }
  size_t size() const { return size_; }  // Nh

  Bytes hash(BytesView data) const;
  Result<Bytes> hmac(BytesView key, BytesView data) const;
  Result<SecretBytes> extract(BytesView salt, BytesView ikm) const;
  // usage if length > 255 * Nh.
  Result<SecretBytes> expand(BytesView prk, BytesView info, size_t length) const;

  // RFC 9180 §4: LabeledExtract and LabeledExpand, under "HPKE-v1" || suite_id.
  Result<SecretBytes> labeled_extract(BytesView suite_id, BytesView salt, std::string_view label,
                                      BytesView ikm) const;
  Result<SecretBytes> labeled_expand(BytesView suite_id, BytesView prk, std::string_view label,
                                     BytesView info, size_t length) const;

 private:
  Kdf(uint16_t id, const char* name);
  Result<MacCtxPtr> keyed(BytesView key) const;
  Status mac_into(BytesView key, BytesView data, uint8_t* out) const;  // Nh bytes
  uint16_t id_;
  size_t size_ = 0;
  MdPtr md_;
  MacPtr mac_;
  MacCtxPtr template_;  // HMAC with the digest already set; duplicated per call
};

// AEAD with a 16-byte tag appended to the ciphertext. `id` is the HPKE AEAD
// id: 1 = AES-128-GCM, 2 = AES-256-GCM, 3 = ChaCha20-Poly1305.
class Aead {
 public:
  static const Aead* get(uint16_t id);

  static constexpr size_t kTagSize = 16;
  uint16_t id() const { return id_; }
  size_t key_size() const { return key_size_; }      // Nk
  size_t nonce_size() const { return nonce_size_; }  // Nn

  Result<Bytes> seal(BytesView key, BytesView nonce, BytesView aad, BytesView plaintext) const;
  // decryption_failed when the tag does not verify.
  Result<Bytes> open(BytesView key, BytesView nonce, BytesView aad, BytesView ciphertext) const;

 private:
  Aead(uint16_t id, const char* name, size_t key_size);
  Status check_sizes(BytesView key, BytesView nonce) const;
  uint16_t id_;
  size_t key_size_;
  size_t nonce_size_ = 12;
  CipherPtr cipher_;
};

// Which curve a KEM or signature scheme works on.
enum class Curve { x25519, x448, p256, p384, p521, ed25519, ed448 };

// The NIST prime curves: scalars, points and EVP_PKEYs from the raw
// encodings MLS uses (big-endian scalar of fixed size, uncompressed point).
class EcCurve {
 public:
  static const EcCurve* get(Curve curve);  // only p256, p384, p521

  size_t scalar_size() const { return scalar_size_; }
  size_t point_size() const { return 1 + 2 * scalar_size_; }
  const char* group_name() const { return group_name_; }

  // invalid_key unless `scalar` is scalar_size bytes and 0 < s < order.
  Status check_scalar(BytesView scalar) const;
  // The uncompressed public point d*G.
  Result<Bytes> public_from_scalar(BytesView scalar) const;
  // invalid_key unless an uncompressed point on the curve.
  Status check_point(BytesView point) const;
  // The private half only: ECDH and ECDSA signing need no public point, so
  // none is computed (a scalar multiplication saved).
  Result<PkeyPtr> private_key(BytesView scalar) const;
  Result<PkeyPtr> public_key(BytesView point) const;
  // A signature private key as the fixed-size scalar: the interop format is
  // the big-endian scalar (SEC 1 Field-Element-to-Octet-String), but some
  // encoders drop leading zero bytes (a 65-byte P-521 key in the official
  // vectors), so 1..scalar_size bytes are left-padded with zeros.
  // invalid_key when empty or longer than scalar_size; the range is left to
  // check_scalar.
  Result<SecretBytes> padded_scalar(BytesView scalar) const;
  // Whether scalar (scalar_size bytes, big endian) is in [1, order).
  bool scalar_in_range(BytesView scalar) const;

 private:
  EcCurve(int nid, const char* group_name, size_t scalar_size);
  const char* group_name_;
  size_t scalar_size_;
  EcGroupPtr group_;
  BnPtr order_;
};

// DHKEM (RFC 9180 §4.1) over X25519, X448, P-256, P-384 or P-521, each with
// its own HKDF. `id` is the HPKE KEM id (0x0010-0x0012, 0x0020, 0x0021).
class DhKem {
 public:
  static const DhKem* get(uint16_t id);

  uint16_t id() const { return id_; }
  size_t secret_size() const { return kdf_->size(); }   // Nsecret
  size_t enc_size() const { return pk_size_; }          // Nenc
  size_t public_key_size() const { return pk_size_; }   // Npk
  size_t private_key_size() const { return sk_size_; }  // Nsk

  // DeriveKeyPair (§7.1.3); the private key as SerializePrivateKey.
  Result<SecretBytes> derive_private_key(BytesView ikm) const;
  Result<SecretBytes> generate_private_key() const;
  // invalid_key if the private key does not parse.
  Result<Bytes> public_key(BytesView private_key) const;

  struct Encapsulation {
    SecretBytes shared_secret;
    Bytes enc;
  };
  // Encap with an ephemeral key from DeriveKeyPair(ikm_e); a random one if empty.
  Result<Encapsulation> encap(BytesView public_key, BytesView ikm_e = {}) const;
  Result<SecretBytes> decap(BytesView enc, BytesView private_key) const;

 private:
  DhKem(uint16_t id, Curve curve, uint16_t kdf_id, size_t pk_size, size_t sk_size);
  struct LoadedKey {
    PkeyPtr key;
    Bytes public_key;
  };
  // The private key and its public key, at the cost of one scalar
  // multiplication (OpenSSL computes the X25519/X448 public key on load).
  Result<LoadedKey> load_private(BytesView private_key) const;
  Result<SecretBytes> dh(EVP_PKEY* private_key, BytesView public_key) const;
  Result<SecretBytes> extract_and_expand(BytesView dh, BytesView enc, BytesView pk_r) const;
  Result<PkeyPtr> load_public(BytesView public_key) const;

  uint16_t id_;
  Curve curve_;
  const Kdf* kdf_;
  const EcCurve* ec_ = nullptr;  // for the P curves
  size_t pk_size_;
  size_t sk_size_;
  uint8_t suite_id_[5];  // "KEM" || I2OSP(kem_id, 2)
};

// Ed25519, Ed448, or ECDSA over P-256/P-384/P-521 with SHA-256/384/512 and
// DER-encoded signatures.
class SignatureScheme {
 public:
  static const SignatureScheme* get(Curve curve);

  Result<SecretBytes> generate_private_key() const;
  Result<Bytes> public_key(BytesView private_key) const;
  Result<Bytes> sign(BytesView private_key, BytesView message) const;
  // bad_signature when it does not verify or the public key does not parse.
  Status verify(BytesView public_key, BytesView message, BytesView signature) const;

 private:
  SignatureScheme(Curve curve, const char* md_name, size_t private_size);
  Result<PkeyPtr> load_private(BytesView private_key) const;
  Result<PkeyPtr> load_public(BytesView public_key) const;
  Curve curve_;
  const EcCurve* ec_ = nullptr;
  MdPtr md_;  // null for EdDSA
  size_t private_size_;
};

}  // namespace mls::crypto::ossl
