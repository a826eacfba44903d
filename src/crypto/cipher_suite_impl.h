// What a CipherSuite is bound to: the process-wide primitives of its suite
// (RFC 9420 §17.1). Internal; tests reach the HPKE object through it.
#pragma once

#include "crypto/cipher_suite.h"
#include "crypto/hpke.h"
#include "crypto/openssl/primitives.h"

namespace mls::crypto {

class CipherSuiteImpl {
 public:
  CipherSuiteImpl(uint16_t id, hpke::Hpke hpke, const ossl::SignatureScheme* signature)
      : id_(id), hpke_(std::move(hpke)), signature_(signature) {}

  uint16_t id() const { return id_; }
  const ossl::Kdf& kdf() const { return hpke_.kdf(); }
  const ossl::Aead& aead() const { return hpke_.aead(); }
  const ossl::DhKem& kem() const { return hpke_.kem(); }
  const hpke::Hpke& hpke() const { return hpke_; }
  const ossl::SignatureScheme& signature() const { return *signature_; }

 private:
  uint16_t id_;
  hpke::Hpke hpke_;
  const ossl::SignatureScheme* signature_;
};

}  // namespace mls::crypto
