// The cipher-suite provider (RFC 9420 §5.1): every primitive MLS needs, bound
// to one of the seven suites of §17.1, implemented on OpenSSL 3's EVP API in
// src/crypto/openssl/. Cheap to copy (it shares one immutable implementation).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "codec/codec.h"
#include "mls/bytes.h"
#include "mls/error.h"

namespace mls::crypto {

// RFC 9420 §17.1
enum class CipherSuiteId : uint16_t {
  MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519 = 0x0001,
  MLS_128_DHKEMP256_AES128GCM_SHA256_P256 = 0x0002,
  MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519 = 0x0003,
  MLS_256_DHKEMX448_AES256GCM_SHA512_Ed448 = 0x0004,
  MLS_256_DHKEMP521_AES256GCM_SHA512_P521 = 0x0005,
  MLS_256_DHKEMX448_CHACHA20POLY1305_SHA512_Ed448 = 0x0006,
  MLS_256_DHKEMP384_AES256GCM_SHA384_P384 = 0x0007,
};

// All seven, in order, for tests and demos that cover every suite.
inline constexpr uint16_t kAllCipherSuites[] = {1, 2, 3, 4, 5, 6, 7};

// struct {
//     opaque kem_output<V>;
//     opaque ciphertext<V>;
// } HPKECiphertext;                                    (RFC 9420 §5.1.3)
struct HpkeCiphertext {
  Bytes kem_output;
  Bytes ciphertext;
  static constexpr auto tls_fields() {
    return std::tuple{&HpkeCiphertext::kem_output, &HpkeCiphertext::ciphertext};
  }
  bool operator==(const HpkeCiphertext&) const = default;
};

// Private keys in the encodings of ../shared/interop/test-vectors.md: HPKE keys
// as SerializePrivateKey (RFC 9180 §7.1.2), ECDSA keys as the big-endian
// scalar, EdDSA keys as their native seed. Public keys: HPKE keys as
// SerializePublicKey, ECDSA keys as uncompressed points, EdDSA keys raw.
struct HpkeKeyPair {
  SecretBytes private_key;
  Bytes public_key;
};

struct SignatureKeyPair {
  SecretBytes private_key;
  Bytes public_key;
};

class CipherSuiteImpl;

class CipherSuite {
 public:
  // The provider for a suite id; unsupported_cipher_suite for any other value.
  [[nodiscard]] static Result<CipherSuite> get(uint16_t id);

  uint16_t id() const;
  size_t hash_size() const;         // Nh: hash output, KDF output, secret size
  size_t aead_key_size() const;     // Nk
  size_t aead_nonce_size() const;   // Nn
  size_t aead_tag_size() const;     // 16 for every suite here

  // Hash and KDF
  Bytes hash(BytesView data) const;
  Bytes mac(BytesView key, BytesView data) const;  // HMAC with the suite's hash
  SecretBytes kdf_extract(BytesView salt, BytesView ikm) const;
  [[nodiscard]] Result<SecretBytes> kdf_expand(BytesView prk, BytesView info, size_t length) const;

  // AEAD; the ciphertext carries the tag at its end.
  [[nodiscard]] Result<Bytes> aead_seal(BytesView key, BytesView nonce, BytesView aad,
                                        BytesView plaintext) const;
  // decryption_failed when the tag does not verify.
  [[nodiscard]] Result<Bytes> aead_open(BytesView key, BytesView nonce, BytesView aad,
                                        BytesView ciphertext) const;

  // HPKE, RFC 9180, base mode, with the suite's KEM, KDF and AEAD.
  [[nodiscard]] Result<HpkeKeyPair> hpke_generate() const;
  [[nodiscard]] Result<HpkeKeyPair> hpke_derive(BytesView ikm) const;  // DeriveKeyPair
  [[nodiscard]] Result<Bytes> hpke_public_key(BytesView private_key) const;
  // SealBase / OpenBase (single shot).
  [[nodiscard]] Result<HpkeCiphertext> hpke_seal(BytesView public_key, BytesView info,
                                                 BytesView aad, BytesView plaintext) const;
  [[nodiscard]] Result<Bytes> hpke_open(BytesView private_key, BytesView info, BytesView aad,
                                        const HpkeCiphertext& ciphertext) const;
  // SetupBaseS + Export, and SetupBaseR + Export (RFC 9180 §5.3), used by
  // external commits (RFC 9420 §8.3). Returns kem_output and the secret.
  struct ExportedSecret {
    Bytes kem_output;
    SecretBytes secret;
  };
  [[nodiscard]] Result<ExportedSecret> hpke_export_sender(BytesView public_key, BytesView info,
                                                          BytesView exporter_context,
                                                          size_t length) const;
  [[nodiscard]] Result<SecretBytes> hpke_export_receiver(BytesView private_key,
                                                         BytesView kem_output, BytesView info,
                                                         BytesView exporter_context,
                                                         size_t length) const;

  // Signatures (Ed25519, Ed448, or ECDSA with DER signatures, RFC 9420 §5.1.2).
  [[nodiscard]] Result<SignatureKeyPair> signature_generate() const;
  [[nodiscard]] Result<Bytes> signature_public_key(BytesView private_key) const;
  [[nodiscard]] Result<Bytes> sign(BytesView private_key, BytesView message) const;
  // bad_signature if it does not verify (or the key does not parse).
  [[nodiscard]] Status verify(BytesView public_key, BytesView message, BytesView signature) const;

  const CipherSuiteImpl& impl() const { return *impl_; }
  bool operator==(const CipherSuite& other) const { return id() == other.id(); }

 private:
  explicit CipherSuite(std::shared_ptr<const CipherSuiteImpl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const CipherSuiteImpl> impl_;
};

// Produces signatures for one identity; lets a key live outside the process
// (an HSM, the OS keystore). RFC 9420 §5.1.2.
class Signer {
 public:
  virtual ~Signer() = default;
  virtual const Bytes& public_key() const = 0;
  [[nodiscard]] virtual Result<Bytes> sign(BytesView message) const = 0;
};

// A Signer over a private key held in memory.
class PrivateKeySigner final : public Signer {
 public:
  PrivateKeySigner(CipherSuite suite, SignatureKeyPair keys)
      : suite_(std::move(suite)), keys_(std::move(keys)) {}
  // From a private key alone (the public key is derived).
  [[nodiscard]] static Result<PrivateKeySigner> from_private_key(CipherSuite suite,
                                                                 BytesView private_key);
  const Bytes& public_key() const override { return keys_.public_key; }
  Result<Bytes> sign(BytesView message) const override {
    return suite_.sign(keys_.private_key, message);
  }

 private:
  CipherSuite suite_;
  SignatureKeyPair keys_;
};

}  // namespace mls::crypto
