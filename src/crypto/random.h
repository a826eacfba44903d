// Random bytes from the crypto provider's CSPRNG (OpenSSL's RAND_bytes and
// RAND_priv_bytes), for every layer that needs fresh randomness: the reuse
// guard of a PrivateMessage (§6.3.1), fresh path and init secrets (§7.4,
// §8), group ids. Code outside src/crypto/openssl calls these, never RAND_*
// directly, so a failure of the generator always surfaces as an Error.
#pragma once

#include <cstddef>

#include "mls/bytes.h"
#include "mls/error.h"

namespace mls::crypto {

// `n` random bytes for public values (nonces, guards, identifiers). crypto
// error if the generator fails (it is then not seeded or has failed its
// health checks); never returns fewer bytes than asked.
[[nodiscard]] Result<Bytes> random_bytes(size_t n);

// `n` random bytes for a secret, drawn from the private generator and held in
// wiped memory. crypto error as for random_bytes.
[[nodiscard]] Result<SecretBytes> random_secret(size_t n);

}  // namespace mls::crypto
