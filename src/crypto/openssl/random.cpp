#include "crypto/random.h"

#include <openssl/rand.h>

#include <climits>

#include "crypto/openssl/evp.h"

namespace mls::crypto {

namespace {
// RAND_bytes takes an int count; larger requests are drawn in pieces.
template <typename Draw>
bool fill(uint8_t* out, size_t n, Draw draw) {
  while (n > 0) {
    const size_t chunk = n < size_t(INT_MAX) ? n : size_t(INT_MAX);
    if (draw(out, static_cast<int>(chunk)) != 1) return false;
    out += chunk;
    n -= chunk;
  }
  return true;
}
}  // namespace

Result<Bytes> random_bytes(size_t n) {
  Bytes out(n);
  if (!fill(out.data(), n, RAND_bytes)) return ossl::error(ErrorCode::crypto, "RAND_bytes");
  return out;
}

Result<SecretBytes> random_secret(size_t n) {
  SecretBytes out(n);
  if (!fill(out.data(), n, RAND_priv_bytes)) {
    return ossl::error(ErrorCode::crypto, "RAND_priv_bytes");
  }
  return out;
}

}  // namespace mls::crypto
