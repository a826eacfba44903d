// Ed25519, Ed448 (RFC 8032) and ECDSA with DER signatures (RFC 9420 §5.1.2).
#include <openssl/rand.h>

#include "crypto/openssl/primitives.h"

namespace mls::crypto::ossl {

SignatureScheme::SignatureScheme(Curve curve, const char* md_name, size_t private_size)
    : curve_(curve), private_size_(private_size) {
  if (md_name != nullptr) {
    ec_ = EcCurve::get(curve);
    md_.reset(EVP_MD_fetch(nullptr, md_name, nullptr));
  }
}

const SignatureScheme* SignatureScheme::get(Curve curve) {
  // Never freed, like Kdf::get.
  static const SignatureScheme* const ed25519 = new SignatureScheme(Curve::ed25519, nullptr, 32);
  static const SignatureScheme* const ed448 = new SignatureScheme(Curve::ed448, nullptr, 57);
  static const SignatureScheme* const p256 = new SignatureScheme(Curve::p256, "SHA256", 32);
  static const SignatureScheme* const p384 = new SignatureScheme(Curve::p384, "SHA384", 48);
  static const SignatureScheme* const p521 = new SignatureScheme(Curve::p521, "SHA512", 66);
  const SignatureScheme* s = nullptr;
  switch (curve) {
    case Curve::ed25519:
      return ed25519;
    case Curve::ed448:
      return ed448;
    case Curve::p256:
      s = p256;
      break;
    case Curve::p384:
      s = p384;
      break;
    case Curve::p521:
      s = p521;
      break;
    default:
      return nullptr;
  }
  return s->ec_ != nullptr && s->md_ ? s : nullptr;
}

namespace {
const char* ed_name(Curve c) { return c == Curve::ed25519 ? "ED25519" : "ED448"; }
}  // namespace

Result<PkeyPtr> SignatureScheme::load_private(BytesView private_key) const {
  if (ec_ != nullptr) {
    SecretBytes scalar = MLS_TRY(ec_->padded_scalar(private_key));
    return ec_->private_key(scalar.view());
  }
  if (private_key.size() != private_size_) {
    return make_error(ErrorCode::invalid_key, "signature private key of wrong size");
  }
  return raw_private_key(ed_name(curve_), private_key);
}

Result<PkeyPtr> SignatureScheme::load_public(BytesView public_key) const {
  if (ec_ != nullptr) return ec_->public_key(public_key);
  if (public_key.size() != private_size_) {
    return make_error(ErrorCode::invalid_key, "EdDSA public key of wrong size");
  }
  return raw_public_key(ed_name(curve_), public_key);
}

Result<SecretBytes> SignatureScheme::generate_private_key() const {
  SecretBytes sk(private_size_);
  // An EdDSA private key is any seed; an ECDSA one is a scalar in
  // [1, order), drawn by rejection (P-521's top byte holds one bit).
  for (int tries = 0; tries < 64; ++tries) {
    if (RAND_priv_bytes(sk.data(), static_cast<int>(sk.size())) != 1) {
      return error(ErrorCode::crypto, "random bytes");
    }
    if (ec_ == nullptr) return sk;
    if (curve_ == Curve::p521) sk[0] &= 0x01;
    if (ec_->scalar_in_range(sk)) return sk;
  }
  return make_error(ErrorCode::crypto, "no valid ECDSA scalar drawn");
}

Result<Bytes> SignatureScheme::public_key(BytesView private_key) const {
  if (ec_ != nullptr) {
    SecretBytes scalar = MLS_TRY(ec_->padded_scalar(private_key));
    return ec_->public_from_scalar(scalar.view());
  }
  PkeyPtr key = MLS_TRY(load_private(private_key));
  return raw_public_of(key.get(), private_size_);
}

Result<Bytes> SignatureScheme::sign(BytesView private_key, BytesView message) const {
  PkeyPtr key = MLS_TRY(load_private(private_key));
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, md_.get(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, message.data(), message.size()) != 1) {
    return error(ErrorCode::crypto, "sign setup");
  }
  Bytes sig(len);
  if (EVP_DigestSign(ctx.get(), sig.data(), &len, message.data(), message.size()) != 1) {
    return error(ErrorCode::crypto, "sign");
  }
  sig.resize(len);  // a DER signature may be shorter than the maximum
  return sig;
}

Status SignatureScheme::verify(BytesView public_key, BytesView message, BytesView signature) const {
  auto key = load_public(public_key);
  if (!key) {
    return make_error(ErrorCode::bad_signature, "signature public key: " + key.error().message);
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md_.get(), nullptr, key->get()) != 1) {
    return error(ErrorCode::crypto, "verify setup");
  }
  // 1 is a valid signature; 0 a wrong one, negative a malformed one (bad
  // DER, wrong length). ECDSA DER is parsed strictly: OpenSSL re-encodes it
  // and compares, so non-canonical encodings fail too.
  if (EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                       message.size()) != 1) {
    clear_errors();
    return make_error(ErrorCode::bad_signature, "signature does not verify");
  }
  return {};
}

}  // namespace mls::crypto::ossl
