// P-256, P-384, P-521: keys from the fixed-size big-endian scalar and the
// uncompressed point that MLS puts on the wire.
#include <openssl/core_names.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include <algorithm>

#include "crypto/openssl/primitives.h"

namespace mls::crypto::ossl {

namespace {
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;
}  // namespace

EcCurve::EcCurve(int nid, const char* group_name, size_t scalar_size)
    : group_name_(group_name), scalar_size_(scalar_size) {
  group_.reset(EC_GROUP_new_by_curve_name(nid));
  if (group_) order_.reset(BN_dup(EC_GROUP_get0_order(group_.get())));
}

const EcCurve* EcCurve::get(Curve curve) {
  // Never freed, like Kdf::get.
  static const EcCurve* const p256 = new EcCurve(NID_X9_62_prime256v1, "P-256", 32);
  static const EcCurve* const p384 = new EcCurve(NID_secp384r1, "P-384", 48);
  static const EcCurve* const p521 = new EcCurve(NID_secp521r1, "P-521", 66);
  const EcCurve* c = curve == Curve::p256   ? p256
                     : curve == Curve::p384 ? p384
                     : curve == Curve::p521 ? p521
                                            : nullptr;
  return c != nullptr && c->order_ ? c : nullptr;
}

bool EcCurve::scalar_in_range(BytesView scalar) const {
  BnPtr d(BN_secure_new());
  if (!d || BN_bin2bn(scalar.data(), static_cast<int>(scalar.size()), d.get()) == nullptr) {
    clear_errors();
    return false;
  }
  return !BN_is_zero(d.get()) && BN_cmp(d.get(), order_.get()) < 0;
}

Status EcCurve::check_scalar(BytesView scalar) const {
  if (scalar.size() != scalar_size_) {
    return make_error(ErrorCode::invalid_key,
                      std::string(group_name_) + " private key of wrong size");
  }
  if (!scalar_in_range(scalar)) {
    return make_error(ErrorCode::invalid_key,
                      std::string(group_name_) + " private key out of range");
  }
  return {};
}

Result<SecretBytes> EcCurve::padded_scalar(BytesView scalar) const {
  if (scalar.empty() || scalar.size() > scalar_size_) {
    return make_error(ErrorCode::invalid_key,
                      std::string(group_name_) + " private key of wrong size");
  }
  SecretBytes out(scalar_size_);
  std::copy(scalar.begin(), scalar.end(), out.data() + (scalar_size_ - scalar.size()));
  return out;
}

Result<Bytes> EcCurve::public_from_scalar(BytesView scalar) const {
  MLS_CHECK(check_scalar(scalar));
  BnPtr d(BN_secure_new());
  EcPointPtr p(EC_POINT_new(group_.get()));
  BnCtxPtr bn_ctx(BN_CTX_secure_new());
  Bytes out(point_size());
  if (!d || !p || !bn_ctx ||
      BN_bin2bn(scalar.data(), static_cast<int>(scalar.size()), d.get()) == nullptr ||
      EC_POINT_mul(group_.get(), p.get(), d.get(), nullptr, nullptr, bn_ctx.get()) != 1 ||
      EC_POINT_point2oct(group_.get(), p.get(), POINT_CONVERSION_UNCOMPRESSED, out.data(),
                         out.size(), bn_ctx.get()) != out.size()) {
    return error(ErrorCode::crypto, "EC public key from scalar");
  }
  return out;
}

Status EcCurve::check_point(BytesView point) const {
  // Only the uncompressed form (0x04 || X || Y) is valid in MLS and HPKE;
  // oct2point checks that the point lies on the curve.
  if (point.size() != point_size() || point[0] != 0x04) {
    return make_error(ErrorCode::invalid_key,
                      std::string(group_name_) + " public key is not an uncompressed point");
  }
  EcPointPtr p(EC_POINT_new(group_.get()));
  if (!p) return error(ErrorCode::crypto, "EC point");
  if (EC_POINT_oct2point(group_.get(), p.get(), point.data(), point.size(), nullptr) != 1 ||
      EC_POINT_is_on_curve(group_.get(), p.get(), nullptr) != 1) {
    return error(ErrorCode::invalid_key, std::string(group_name_) + " public key not on the curve");
  }
  return {};
}

Result<PkeyPtr> EcCurve::private_key(BytesView scalar) const {
  MLS_CHECK(check_scalar(scalar));
  BnPtr d(BN_secure_new());
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!d || !bld || BN_bin2bn(scalar.data(), static_cast<int>(scalar.size()), d.get()) == nullptr ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group_name_, 0) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1) {
    return error(ErrorCode::crypto, "EC key parameters");
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_KEYPAIR, params.get()) != 1) {
    return error(ErrorCode::invalid_key, "EC private key");
  }
  return PkeyPtr(raw);
}

Result<PkeyPtr> EcCurve::public_key(BytesView point) const {
  MLS_CHECK(check_point(point));
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(group_name_),
                                       0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<uint8_t*>(point.data()),
                                        point.size()),
      OSSL_PARAM_construct_end()};
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    return error(ErrorCode::invalid_key, "EC public key");
  }
  return PkeyPtr(raw);
}

}  // namespace mls::crypto::ossl
