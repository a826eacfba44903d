// DHKEM (RFC 9180 §4.1, §7.1) over X25519, X448, P-256, P-384 and P-521.
#include <openssl/rand.h>

#include <algorithm>

#include "crypto/openssl/primitives.h"

namespace mls::crypto::ossl {

DhKem::DhKem(uint16_t id, Curve curve, uint16_t kdf_id, size_t pk_size, size_t sk_size)
    : id_(id), curve_(curve), kdf_(Kdf::get(kdf_id)), pk_size_(pk_size), sk_size_(sk_size) {
  if (curve == Curve::p256 || curve == Curve::p384 || curve == Curve::p521) {
    ec_ = EcCurve::get(curve);
  }
  suite_id_[0] = 'K';
  suite_id_[1] = 'E';
  suite_id_[2] = 'M';
  suite_id_[3] = static_cast<uint8_t>(id >> 8);
  suite_id_[4] = static_cast<uint8_t>(id);
}

const DhKem* DhKem::get(uint16_t id) {
  // Never freed, like Kdf::get. Sizes from RFC 9180 §7.1.
  static const DhKem* const p256 = new DhKem(0x0010, Curve::p256, 1, 65, 32);
  static const DhKem* const p384 = new DhKem(0x0011, Curve::p384, 2, 97, 48);
  static const DhKem* const p521 = new DhKem(0x0012, Curve::p521, 3, 133, 66);
  static const DhKem* const x25519 = new DhKem(0x0020, Curve::x25519, 1, 32, 32);
  static const DhKem* const x448 = new DhKem(0x0021, Curve::x448, 3, 56, 56);
  const DhKem* k = nullptr;
  switch (id) {
    case 0x0010:
      k = p256;
      break;
    case 0x0011:
      k = p384;
      break;
    case 0x0012:
      k = p521;
      break;
    case 0x0020:
      k = x25519;
      break;
    case 0x0021:
      k = x448;
      break;
    default:
      return nullptr;
  }
  bool ec = k->curve_ != Curve::x25519 && k->curve_ != Curve::x448;
  return k->kdf_ != nullptr && (!ec || k->ec_ != nullptr) ? k : nullptr;
}

namespace {
const char* raw_name(Curve c) { return c == Curve::x25519 ? "X25519" : "X448"; }
}  // namespace

Result<DhKem::LoadedKey> DhKem::load_private(BytesView private_key) const {
  if (private_key.size() != sk_size_) {
    return make_error(ErrorCode::invalid_key, "HPKE private key of wrong size");
  }
  LoadedKey out;
  if (ec_ != nullptr) {
    out.public_key = MLS_TRY(ec_->public_from_scalar(private_key));
    out.key = MLS_TRY(ec_->private_key(private_key));
  } else {
    // X25519/X448 keys are the raw 32/56 bytes; OpenSSL clamps on use.
    out.key = MLS_TRY(raw_private_key(raw_name(curve_), private_key));
    out.public_key = MLS_TRY(raw_public_of(out.key.get(), pk_size_));
  }
  return out;
}

Result<PkeyPtr> DhKem::load_public(BytesView public_key) const {
  if (public_key.size() != pk_size_) {
    return make_error(ErrorCode::invalid_key, "HPKE public key of wrong size");
  }
  if (ec_ != nullptr) return ec_->public_key(public_key);
  return raw_public_key(raw_name(curve_), public_key);
}

Result<SecretBytes> DhKem::derive_private_key(BytesView ikm) const {
  // dkp_prk = LabeledExtract("", "dkp_prk", ikm)
  SecretBytes dkp_prk = MLS_TRY(kdf_->labeled_extract(suite_id_, {}, "dkp_prk", ikm));
  if (ec_ == nullptr) {
    // X25519/X448: sk = LabeledExpand(dkp_prk, "sk", "", Nsk)
    return kdf_->labeled_expand(suite_id_, dkp_prk, "sk", {}, sk_size_);
  }
  // P curves (§7.1.3): rejection sampling on candidates masked to the
  // order's bit length, until one is in [1, order).
  const uint8_t bitmask = curve_ == Curve::p521 ? 0x01 : 0xff;
  for (unsigned counter = 0; counter < 256; ++counter) {
    const uint8_t c = static_cast<uint8_t>(counter);
    SecretBytes sk =
        MLS_TRY(kdf_->labeled_expand(suite_id_, dkp_prk, "candidate", BytesView(&c, 1), sk_size_));
    sk[0] &= bitmask;
    if (ec_->scalar_in_range(sk)) return sk;
  }
  return make_error(ErrorCode::crypto, "DeriveKeyPair: no valid candidate in 256 tries");
}

Result<SecretBytes> DhKem::generate_private_key() const {
  SecretBytes ikm(sk_size_);
  if (RAND_priv_bytes(ikm.data(), static_cast<int>(ikm.size())) != 1) {
    return error(ErrorCode::crypto, "random bytes");
  }
  return derive_private_key(ikm);
}

Result<Bytes> DhKem::public_key(BytesView private_key) const {
  if (ec_ != nullptr) {
    if (private_key.size() != sk_size_) {
      return make_error(ErrorCode::invalid_key, "HPKE private key of wrong size");
    }
    return ec_->public_from_scalar(private_key);
  }
  LoadedKey loaded = MLS_TRY(load_private(private_key));
  return std::move(loaded.public_key);
}

Result<SecretBytes> DhKem::dh(EVP_PKEY* private_key, BytesView public_key) const {
  PkeyPtr pk = MLS_TRY(load_public(public_key));  // checks size and curve membership
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, private_key, nullptr));
  size_t len = 0;
  // The peer is not re-validated: load_public already checked it is on the
  // curve, which suffices for prime-order curves, and X25519/X448 accept
  // every string of the right length.
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer_ex(ctx.get(), pk.get(), 0) != 1 ||
      EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1) {
    return error(ErrorCode::crypto, "DH setup");
  }
  SecretBytes out(len);
  if (EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1) {
    // OpenSSL refuses an all-zero X25519/X448 result (a low-order point).
    return error(ErrorCode::invalid_key, "DH failed: public key of low order");
  }
  out.resize(len);
  // RFC 9180 §7.1.4: an all-zero X25519/X448 output must be rejected.
  // Checked without a data-dependent branch per byte.
  uint8_t acc = 0;
  for (size_t i = 0; i < out.size(); ++i) acc |= out[i];
  if (acc == 0) return make_error(ErrorCode::invalid_key, "DH output is all zero");
  return out;
}

Result<SecretBytes> DhKem::extract_and_expand(BytesView dh, BytesView enc, BytesView pk_r) const {
  // kem_context = concat(enc, pkRm)
  Bytes kem_context;
  kem_context.reserve(enc.size() + pk_r.size());
  kem_context.insert(kem_context.end(), enc.begin(), enc.end());
  kem_context.insert(kem_context.end(), pk_r.begin(), pk_r.end());
  SecretBytes eae_prk = MLS_TRY(kdf_->labeled_extract(suite_id_, {}, "eae_prk", dh));
  return kdf_->labeled_expand(suite_id_, eae_prk, "shared_secret", kem_context, secret_size());
}

Result<DhKem::Encapsulation> DhKem::encap(BytesView public_key, BytesView ikm_e) const {
  SecretBytes sk_e =
      ikm_e.empty() ? MLS_TRY(generate_private_key()) : MLS_TRY(derive_private_key(ikm_e));
  LoadedKey e = MLS_TRY(load_private(sk_e));
  SecretBytes dh_out = MLS_TRY(dh(e.key.get(), public_key));
  SecretBytes shared = MLS_TRY(extract_and_expand(dh_out, e.public_key, public_key));
  return Encapsulation{std::move(shared), std::move(e.public_key)};
}

Result<SecretBytes> DhKem::decap(BytesView enc, BytesView private_key) const {
  LoadedKey r = MLS_TRY(load_private(private_key));
  SecretBytes dh_out = MLS_TRY(dh(r.key.get(), enc));
  return extract_and_expand(dh_out, enc, r.public_key);
}

}  // namespace mls::crypto::ossl
