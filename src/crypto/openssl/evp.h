// Thin ownership helpers over OpenSSL 3: every handle lives in a unique_ptr
// with a stateless deleter, and every failed call becomes an mls::Error that
// carries OpenSSL's own reason (the error queue is drained, so one failure
// never leaks into the next call's report).
#pragma once

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <memory>
#include <string_view>

#include "mls/bytes.h"
#include "mls/error.h"

namespace mls::crypto::ossl {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const noexcept {
    Free(p);
  }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdPtr = std::unique_ptr<EVP_MD, Deleter<EVP_MD_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using MacPtr = std::unique_ptr<EVP_MAC, Deleter<EVP_MAC_free>>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, Deleter<EVP_MAC_CTX_free>>;
using CipherPtr = std::unique_ptr<EVP_CIPHER, Deleter<EVP_CIPHER_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_clear_free>>;
using BnCtxPtr = std::unique_ptr<BN_CTX, Deleter<BN_CTX_free>>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP_free>>;
using EcPointPtr = std::unique_ptr<EC_POINT, Deleter<EC_POINT_clear_free>>;

// An error with `code`, saying `what` failed and why OpenSSL thinks so.
tl::unexpected<Error> error(ErrorCode code, std::string_view what);

// Drops whatever OpenSSL queued, after a failure that is an expected outcome
// (a bad signature, a failed tag check).
void clear_errors() noexcept;

// X25519, X448, ED25519, ED448 keys from their raw encodings; invalid_key
// when OpenSSL refuses them. The caller checks the length first.
Result<PkeyPtr> raw_private_key(const char* type, BytesView key);
Result<PkeyPtr> raw_public_key(const char* type, BytesView key);
// The raw public key of such a key pair, of `size` bytes.
Result<Bytes> raw_public_of(const EVP_PKEY* key, size_t size);

}  // namespace mls::crypto::ossl
