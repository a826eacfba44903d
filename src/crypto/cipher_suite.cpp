// CipherSuite: a thin, copyable handle on one suite's primitives.
#include "crypto/cipher_suite.h"

#include <array>

#include "crypto/cipher_suite_impl.h"

namespace mls::crypto {

namespace {

struct SuiteSpec {
  uint16_t kem, kdf, aead;
  ossl::Curve signature;
};

// RFC 9420 §17.1, in suite-id order.
constexpr std::array<SuiteSpec, 7> kSuites = {{
    {hpke::kKemX25519, hpke::kKdfSha256, hpke::kAeadAes128Gcm, ossl::Curve::ed25519},
    {hpke::kKemP256, hpke::kKdfSha256, hpke::kAeadAes128Gcm, ossl::Curve::p256},
    {hpke::kKemX25519, hpke::kKdfSha256, hpke::kAeadChaCha20Poly1305, ossl::Curve::ed25519},
    {hpke::kKemX448, hpke::kKdfSha512, hpke::kAeadAes256Gcm, ossl::Curve::ed448},
    {hpke::kKemP521, hpke::kKdfSha512, hpke::kAeadAes256Gcm, ossl::Curve::p521},
    {hpke::kKemX448, hpke::kKdfSha512, hpke::kAeadChaCha20Poly1305, ossl::Curve::ed448},
    {hpke::kKemP384, hpke::kKdfSha384, hpke::kAeadAes256Gcm, ossl::Curve::p384},
}};

std::shared_ptr<const CipherSuiteImpl> build(uint16_t id) {
  const SuiteSpec& s = kSuites[id - 1];
  auto hpke = hpke::Hpke::create(s.kem, s.kdf, s.aead);
  const auto* sig = ossl::SignatureScheme::get(s.signature);
  if (!hpke || sig == nullptr) return nullptr;
  return std::make_shared<const CipherSuiteImpl>(id, std::move(*hpke), sig);
}

}  // namespace

Result<CipherSuite> CipherSuite::get(uint16_t id) {
  if (id < 1 || id > kSuites.size()) {
    return make_error(ErrorCode::unsupported_cipher_suite,
                      "cipher suite " + std::to_string(id) + " is not supported");
  }
  // Built once per process; every CipherSuite of an id shares its impl.
  static const std::array<std::shared_ptr<const CipherSuiteImpl>, 7> impls = [] {
    std::array<std::shared_ptr<const CipherSuiteImpl>, 7> a;
    for (uint16_t i = 1; i <= a.size(); ++i) a[i - 1] = build(i);
    return a;
  }();
  const auto& impl = impls[id - 1];
  if (!impl) {
    return make_error(ErrorCode::crypto,
                      "cipher suite " + std::to_string(id) + ": OpenSSL lacks a primitive");
  }
  return CipherSuite(impl);
}

uint16_t CipherSuite::id() const { return impl_->id(); }
size_t CipherSuite::hash_size() const { return impl_->kdf().size(); }
size_t CipherSuite::aead_key_size() const { return impl_->aead().key_size(); }
size_t CipherSuite::aead_nonce_size() const { return impl_->aead().nonce_size(); }
size_t CipherSuite::aead_tag_size() const { return ossl::Aead::kTagSize; }

Bytes CipherSuite::hash(BytesView data) const { return impl_->kdf().hash(data); }

Bytes CipherSuite::mac(BytesView key, BytesView data) const {
  // Cannot fail short of memory exhaustion; an empty MAC then never matches.
  auto r = impl_->kdf().hmac(key, data);
  return r ? std::move(*r) : Bytes{};
}

SecretBytes CipherSuite::kdf_extract(BytesView salt, BytesView ikm) const {
  auto r = impl_->kdf().extract(salt, ikm);
  return r ? std::move(*r) : SecretBytes{};
}

Result<SecretBytes> CipherSuite::kdf_expand(BytesView prk, BytesView info, size_t length) const {
  return impl_->kdf().expand(prk, info, length);
}

Result<Bytes> CipherSuite::aead_seal(BytesView key, BytesView nonce, BytesView aad,
                                     BytesView plaintext) const {
  return impl_->aead().seal(key, nonce, aad, plaintext);
}

Result<Bytes> CipherSuite::aead_open(BytesView key, BytesView nonce, BytesView aad,
                                     BytesView ciphertext) const {
  return impl_->aead().open(key, nonce, aad, ciphertext);
}

Result<HpkeKeyPair> CipherSuite::hpke_generate() const {
  SecretBytes sk = MLS_TRY(impl_->kem().generate_private_key());
  Bytes pk = MLS_TRY(impl_->kem().public_key(sk));
  return HpkeKeyPair{std::move(sk), std::move(pk)};
}

Result<HpkeKeyPair> CipherSuite::hpke_derive(BytesView ikm) const {
  SecretBytes sk = MLS_TRY(impl_->kem().derive_private_key(ikm));
  Bytes pk = MLS_TRY(impl_->kem().public_key(sk));
  return HpkeKeyPair{std::move(sk), std::move(pk)};
}

Result<Bytes> CipherSuite::hpke_public_key(BytesView private_key) const {
  return impl_->kem().public_key(private_key);
}

Result<HpkeCiphertext> CipherSuite::hpke_seal(BytesView public_key, BytesView info, BytesView aad,
                                              BytesView plaintext) const {
  auto sender = MLS_TRY(impl_->hpke().setup_base_s(public_key, info));
  Bytes ct = MLS_TRY(sender.context.seal(aad, plaintext));
  return HpkeCiphertext{std::move(sender.enc), std::move(ct)};
}

Result<Bytes> CipherSuite::hpke_open(BytesView private_key, BytesView info, BytesView aad,
                                     const HpkeCiphertext& ciphertext) const {
  auto ctx = impl_->hpke().setup_base_r(ciphertext.kem_output, private_key, info);
  if (!ctx) {
    // A kem_output that is no valid key cannot come from an honest sender.
    if (ctx.error().code == ErrorCode::invalid_key) {
      return make_error(ErrorCode::decryption_failed, "HPKE: " + ctx.error().message);
    }
    return tl::unexpected(std::move(ctx).error());
  }
  return ctx->open(aad, ciphertext.ciphertext);
}

Result<CipherSuite::ExportedSecret> CipherSuite::hpke_export_sender(BytesView public_key,
                                                                    BytesView info,
                                                                    BytesView exporter_context,
                                                                    size_t length) const {
  auto sender = MLS_TRY(impl_->hpke().setup_base_s(public_key, info));
  SecretBytes secret = MLS_TRY(sender.context.export_secret(exporter_context, length));
  return ExportedSecret{std::move(sender.enc), std::move(secret)};
}

Result<SecretBytes> CipherSuite::hpke_export_receiver(BytesView private_key, BytesView kem_output,
                                                      BytesView info, BytesView exporter_context,
                                                      size_t length) const {
  auto ctx = MLS_TRY(impl_->hpke().setup_base_r(kem_output, private_key, info));
  return ctx.export_secret(exporter_context, length);
}

Result<SignatureKeyPair> CipherSuite::signature_generate() const {
  SecretBytes sk = MLS_TRY(impl_->signature().generate_private_key());
  Bytes pk = MLS_TRY(impl_->signature().public_key(sk));
  return SignatureKeyPair{std::move(sk), std::move(pk)};
}

Result<Bytes> CipherSuite::signature_public_key(BytesView private_key) const {
  return impl_->signature().public_key(private_key);
}

Result<Bytes> CipherSuite::sign(BytesView private_key, BytesView message) const {
  return impl_->signature().sign(private_key, message);
}

Status CipherSuite::verify(BytesView public_key, BytesView message, BytesView signature) const {
  return impl_->signature().verify(public_key, message, signature);
}

Result<PrivateKeySigner> PrivateKeySigner::from_private_key(CipherSuite suite,
                                                            BytesView private_key) {
  Bytes pk = MLS_TRY(suite.signature_public_key(private_key));
  return PrivateKeySigner(std::move(suite),
                          SignatureKeyPair{SecretBytes(private_key), std::move(pk)});
}

}  // namespace mls::crypto
