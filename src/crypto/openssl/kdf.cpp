// Hash, HMAC and HKDF (RFC 5869) on a digest fetched once per process.
#include <openssl/core_names.h>
#include <openssl/params.h>

#include <cstring>

#include "crypto/openssl/primitives.h"

namespace mls::crypto::ossl {

Kdf::Kdf(uint16_t id, const char* name) : id_(id) {
  md_.reset(EVP_MD_fetch(nullptr, name, nullptr));
  mac_.reset(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!md_ || !mac_) return;
  size_ = static_cast<size_t>(EVP_MD_get_size(md_.get()));
  // An HMAC context with the digest bound and an empty key: duplicating it
  // and setting the real key skips the digest lookup a fresh context pays.
  template_.reset(EVP_MAC_CTX_new(mac_.get()));
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(name), 0),
      OSSL_PARAM_construct_end()};
  static const uint8_t kEmpty[1] = {0};
  if (!template_ || EVP_MAC_init(template_.get(), kEmpty, 0, params) != 1) template_.reset();
}

const Kdf* Kdf::get(uint16_t id) {
  // Process-wide and deliberately never freed: destroying them at exit could
  // race OpenSSL's own atexit cleanup.
  static const Kdf* const sha256 = new Kdf(1, "SHA256");
  static const Kdf* const sha384 = new Kdf(2, "SHA384");
  static const Kdf* const sha512 = new Kdf(3, "SHA512");
  const Kdf* k = id == 1 ? sha256 : id == 2 ? sha384 : id == 3 ? sha512 : nullptr;
  return k != nullptr && k->template_ ? k : nullptr;
}

Bytes Kdf::hash(BytesView data) const {
  Bytes out(size_);
  unsigned int len = 0;
  // EVP_Digest cannot fail for a fetched, in-memory digest short of memory
  // exhaustion; an empty result makes such a failure visible to the caller.
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, md_.get(), nullptr) != 1 ||
      len != size_) {
    clear_errors();
    return {};
  }
  return out;
}

Result<MacCtxPtr> Kdf::keyed(BytesView key) const {
  MacCtxPtr ctx(EVP_MAC_CTX_dup(template_.get()));
  if (!ctx) return error(ErrorCode::crypto, "HMAC context");
  static const uint8_t kEmpty[1] = {0};
  const uint8_t* k = key.empty() ? kEmpty : key.data();
  if (EVP_MAC_init(ctx.get(), k, key.size(), nullptr) != 1)
    return error(ErrorCode::crypto, "HMAC key");
  return ctx;
}

Status Kdf::mac_into(BytesView key, BytesView data, uint8_t* out) const {
  MacCtxPtr ctx = MLS_TRY(keyed(key));
  size_t len = 0;
  if (EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_MAC_final(ctx.get(), out, &len, size_) != 1 || len != size_) {
    return error(ErrorCode::crypto, "HMAC");
  }
  return {};
}

Result<Bytes> Kdf::hmac(BytesView key, BytesView data) const {
  Bytes out(size_);
  MLS_CHECK(mac_into(key, data, out.data()));
  return out;
}

Result<SecretBytes> Kdf::extract(BytesView salt, BytesView ikm) const {
  // HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM); an empty salt is the same
  // HMAC key as Nh zero bytes.
  SecretBytes out(size_);
  MLS_CHECK(mac_into(salt, ikm, out.data()));
  return out;
}

Result<SecretBytes> Kdf::expand(BytesView prk, BytesView info, size_t length) const {
  if (length > 255 * size_) return make_error(ErrorCode::usage, "HKDF-Expand: length above 255*Nh");
  // RFC 5869 §2.3: PRK is at least HashLen octets. Every MLS and HPKE PRK is
  // exactly Nh; a shorter one means an extract upstream failed (the
  // CipherSuite::kdf_extract wrapper returns an empty value then), and keying
  // on it would give secrets anyone can compute.
  if (prk.size() < size_) return make_error(ErrorCode::crypto, "HKDF-Expand: PRK shorter than Nh");
  MacCtxPtr ctx = MLS_TRY(keyed(prk));
  // T(i) = HMAC(PRK, T(i-1) | info | i); the keyed context is re-initialised
  // with the same key for each block.
  SecretBytes out(length);
  SecretBytes block(size_);
  size_t done = 0;
  for (uint8_t i = 1; done < length; ++i) {
    size_t len = 0;
    if ((i > 1 && EVP_MAC_init(ctx.get(), nullptr, 0, nullptr) != 1) ||
        (i > 1 && EVP_MAC_update(ctx.get(), block.data(), block.size()) != 1) ||
        EVP_MAC_update(ctx.get(), info.data(), info.size()) != 1 ||
        EVP_MAC_update(ctx.get(), &i, 1) != 1 ||
        EVP_MAC_final(ctx.get(), block.data(), &len, block.size()) != 1 || len != size_) {
      return error(ErrorCode::crypto, "HKDF-Expand");
    }
    size_t n = std::min(size_, length - done);
    std::memcpy(out.data() + done, block.data(), n);
    done += n;
  }
  return out;
}

namespace {
constexpr std::string_view kHpkeVersion = "HPKE-v1";

void append(SecretBytes& out, size_t& at, BytesView part) {
  if (!part.empty()) std::memcpy(out.data() + at, part.data(), part.size());
  at += part.size();
}
}  // namespace

Result<SecretBytes> Kdf::labeled_extract(BytesView suite_id, BytesView salt, std::string_view label,
                                         BytesView ikm) const {
  // labeled_ikm = concat("HPKE-v1", suite_id, label, ikm); it holds the ikm,
  // so it is built in wiped memory.
  SecretBytes labeled_ikm(kHpkeVersion.size() + suite_id.size() + label.size() + ikm.size());
  size_t at = 0;
  append(labeled_ikm, at, as_bytes(kHpkeVersion));
  append(labeled_ikm, at, suite_id);
  append(labeled_ikm, at, as_bytes(label));
  append(labeled_ikm, at, ikm);
  return extract(salt, labeled_ikm);
}

Result<SecretBytes> Kdf::labeled_expand(BytesView suite_id, BytesView prk, std::string_view label,
                                        BytesView info, size_t length) const {
  if (length > 0xffff) return make_error(ErrorCode::usage, "LabeledExpand: length above 2^16-1");
  // labeled_info = concat(I2OSP(L, 2), "HPKE-v1", suite_id, label, info)
  SecretBytes labeled_info(2 + kHpkeVersion.size() + suite_id.size() + label.size() + info.size());
  labeled_info[0] = static_cast<uint8_t>(length >> 8);
  labeled_info[1] = static_cast<uint8_t>(length);
  size_t at = 2;
  append(labeled_info, at, as_bytes(kHpkeVersion));
  append(labeled_info, at, suite_id);
  append(labeled_info, at, as_bytes(label));
  append(labeled_info, at, info);
  return expand(prk, labeled_info, length);
}

}  // namespace mls::crypto::ossl
