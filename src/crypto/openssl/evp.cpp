#include "crypto/openssl/evp.h"

#include <openssl/err.h>

#include <string>

namespace mls::crypto::ossl {

tl::unexpected<Error> error(ErrorCode code, std::string_view what) {
  std::string message(what);
  unsigned long e = ERR_get_error();
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    message += " (";
    message += buf;
    message += ")";
  }
  ERR_clear_error();
  return make_error(code, std::move(message));
}

void clear_errors() noexcept { ERR_clear_error(); }

Result<PkeyPtr> raw_private_key(const char* type, BytesView key) {
  PkeyPtr pkey(EVP_PKEY_new_raw_private_key_ex(nullptr, type, nullptr, key.data(), key.size()));
  if (!pkey) return error(ErrorCode::invalid_key, std::string(type) + " private key");
  return pkey;
}

Result<PkeyPtr> raw_public_key(const char* type, BytesView key) {
  PkeyPtr pkey(EVP_PKEY_new_raw_public_key_ex(nullptr, type, nullptr, key.data(), key.size()));
  if (!pkey) return error(ErrorCode::invalid_key, std::string(type) + " public key");
  return pkey;
}

Result<Bytes> raw_public_of(const EVP_PKEY* key, size_t size) {
  Bytes out(size);
  size_t len = out.size();
  if (EVP_PKEY_get_raw_public_key(key, out.data(), &len) != 1 || len != size) {
    return error(ErrorCode::crypto, "public key from private key");
  }
  return out;
}

}  // namespace mls::crypto::ossl
