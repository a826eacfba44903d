// mls-demo (temporary): runs every cipher-suite primitive of the seven MLS
// suites (RFC 9420 §17.1) and prints one line per check. Exits non-zero if
// any check fails. To be replaced by a group demo.
#include <cstdio>
#include <string>

#include "crypto/cipher_suite.h"
#include "crypto/labeled.h"

namespace {

using mls::Bytes;
using mls::crypto::CipherSuite;

int failures = 0;

void report(uint16_t suite, const char* what, bool ok, const std::string& detail = "") {
  std::printf("suite 0x%04x  %-36s %s%s%s\n", suite, what, ok ? "ok" : "FAILED",
              detail.empty() ? "" : ": ", detail.c_str());
  if (!ok) ++failures;
}

template <typename R>
std::string why(const R& r) {
  return r ? "" : r.error().describe();
}

void run_suite(uint16_t id) {
  auto got = CipherSuite::get(id);
  if (!got) return report(id, "cipher suite available", false, got.error().describe());
  const CipherSuite& s = *got;
  const Bytes msg = mls::to_bytes("The quick brown fox"), aad = mls::to_bytes("aad");

  report(id, "hash output is Nh bytes", s.hash(msg).size() == s.hash_size());

  mls::SecretBytes prk = s.kdf_extract(mls::to_bytes("salt"), msg);
  auto okm = s.kdf_expand(prk, mls::to_bytes("info"), 3 * s.hash_size() + 5);
  report(id, "HKDF extract + expand", okm && okm->size() == 3 * s.hash_size() + 5, why(okm));

  Bytes key(s.aead_key_size(), 7), nonce(s.aead_nonce_size(), 9);
  auto ct = s.aead_seal(key, nonce, aad, msg);
  auto pt = ct ? s.aead_open(key, nonce, aad, *ct) : tl::unexpected(ct.error());
  report(id, "AEAD seal/open round trip", pt && *pt == msg, why(pt));
  if (ct) {
    Bytes bad = *ct;
    bad[0] ^= 1;
    report(id, "AEAD rejects a tampered ciphertext", !s.aead_open(key, nonce, aad, bad));
  }

  auto kp = s.hpke_generate();
  if (!kp) return report(id, "HPKE key generation", false, kp.error().describe());
  auto hct = s.hpke_seal(kp->public_key, mls::to_bytes("info"), aad, msg);
  auto hpt = hct ? s.hpke_open(kp->private_key, mls::to_bytes("info"), aad, *hct)
                 : tl::unexpected(hct.error());
  report(id, "HPKE seal/open round trip", hpt && *hpt == msg, why(hpt));
  if (hct) {
    auto bad = *hct;
    bad.ciphertext.back() ^= 1;
    report(id, "HPKE rejects a tampered ciphertext",
           !s.hpke_open(kp->private_key, mls::to_bytes("info"), aad, bad));
  }
  auto sent = s.hpke_export_sender(kp->public_key, {}, mls::to_bytes("ctx"), 32);
  auto recv =
      sent ? s.hpke_export_receiver(kp->private_key, sent->kem_output, {}, mls::to_bytes("ctx"), 32)
           : tl::unexpected(sent.error());
  report(id, "HPKE export, sender == receiver", recv && *recv == sent->secret, why(recv));

  Bytes ikm(s.hash_size(), 0x33);
  auto d1 = s.hpke_derive(ikm), d2 = s.hpke_derive(ikm);
  report(id, "DeriveKeyPair is deterministic",
         d1 && d2 && d1->public_key == d2->public_key && d1->private_key == d2->private_key,
         why(d1));

  auto sk = s.signature_generate();
  if (!sk) return report(id, "signature key generation", false, sk.error().describe());
  auto sig = mls::crypto::sign_with_label(s, sk->private_key, "Demo", msg);
  auto good = sig ? mls::crypto::verify_with_label(s, sk->public_key, "Demo", msg, *sig)
                  : mls::Status(tl::unexpected(sig.error()));
  report(id, "SignWithLabel / VerifyWithLabel", good.has_value(), why(good));
  if (sig) {
    Bytes bad = *sig;
    bad[bad.size() / 2] ^= 1;
    report(id, "verify rejects a tampered signature",
           !mls::crypto::verify_with_label(s, sk->public_key, "Demo", msg, bad));
  }
}

}  // namespace

int main() {
  for (uint16_t id : mls::crypto::kAllCipherSuites) run_suite(id);
  if (failures != 0) {
    std::printf("\n*** %d CHECK(S) FAILED ***\n", failures);
    return 1;
  }
  std::printf("\nall checks passed for all %zu cipher suites\n",
              std::size(mls::crypto::kAllCipherSuites));
  return 0;
}
