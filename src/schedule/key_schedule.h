// The MLS key schedule (RFC 9420 §8): from the previous epoch's init_secret,
// the commit_secret, the psk_secret and the new GroupContext to every secret
// of the new epoch; plus the values derived from those secrets on demand (the
// exporter, the external key pair, external init, the sender-data AEAD key).
//
// The GroupContext is taken as its TLS encoding: the struct is built in
// src/messages, and the schedule only ever hashes its bytes.
#pragma once

#include <cstdint>
#include <string_view>

#include "crypto/cipher_suite.h"
#include "mls/bytes.h"
#include "mls/error.h"

namespace mls::schedule {

// The secrets derived from one epoch_secret (§8, "Epoch-Derived Secrets"),
// and the init_secret the next epoch starts from. Move-only; each field is
// wiped when dropped. The epoch_secret itself is not kept.
//
// Deletion (§9.2): hand encryption_secret to SecretTree (it takes it by value,
// moving it out of here); replace init_secret once the next epoch is derived.
struct EpochSecrets {
  SecretBytes sender_data_secret;   // "sender data"
  SecretBytes encryption_secret;    // "encryption": the root of the secret tree (§9)
  SecretBytes exporter_secret;      // "exporter": see mls_exporter
  SecretBytes external_secret;      // "external": see external_key_pair
  SecretBytes confirmation_key;     // "confirm": see confirmation_tag
  SecretBytes membership_key;       // "membership": PublicMessage membership tags
  SecretBytes resumption_psk;       // "resumption" (§8.6)
  SecretBytes epoch_authenticator;  // "authentication" (§8.7)
  SecretBytes init_secret;          // DeriveSecret(epoch_secret, "init"): init_secret_[n]

  // Every secret of the table in §8 from epoch_secret.
  [[nodiscard]] static Result<EpochSecrets> derive(const crypto::CipherSuite& suite,
                                                   BytesView epoch_secret);
};

// joiner_secret = ExpandWithLabel(KDF.Extract(init_secret, commit_secret),
//                                 "joiner", GroupContext_[n], KDF.Nh)   (§8)
// An empty commit_secret stands for the all-zero vector of KDF.Nh bytes (a
// Commit without a path, §12.4.2).
[[nodiscard]] Result<SecretBytes> derive_joiner_secret(const crypto::CipherSuite& suite,
                                                       BytesView init_secret,
                                                       BytesView commit_secret,
                                                       BytesView group_context);

// The key schedule below joiner_secret: KDF.Extract(joiner_secret, psk_secret),
// from which both welcome_secret and epoch_secret are derived (§8). A joiner
// needs welcome_secret to decrypt the GroupInfo before it has the
// GroupContext that epoch_secret depends on, hence two steps.
class JoinerSchedule {
 public:
  // An empty psk_secret stands for the all-zero vector (no PSKs, §8.4).
  JoinerSchedule(const crypto::CipherSuite& suite, BytesView joiner_secret, BytesView psk_secret);

  // welcome_secret = DeriveSecret(., "welcome")   (§8)
  [[nodiscard]] Result<SecretBytes> welcome_secret() const;

  // epoch_secret = ExpandWithLabel(., "epoch", GroupContext_[n], KDF.Nh), and
  // every secret derived from it (§8). Consumes the schedule: the
  // intermediate secret is wiped whether or not this succeeds.
  [[nodiscard]] Result<EpochSecrets> epoch_secrets(BytesView group_context) &&;

 private:
  crypto::CipherSuite suite_;
  SecretBytes member_secret_;
};

// What the committer of an epoch derives: joiner_secret goes into the
// GroupSecrets of the Welcome, welcome_secret encrypts the GroupInfo (§12.4.3).
struct EpochKeySchedule {
  SecretBytes joiner_secret;
  SecretBytes welcome_secret;
  EpochSecrets epoch;
};

// The whole of §8 for one epoch. Empty commit_secret or psk_secret stand for
// the all-zero vector. Group creation (§11) uses a random init_secret and the
// epoch-0 GroupContext.
[[nodiscard]] Result<EpochKeySchedule> derive_epoch(const crypto::CipherSuite& suite,
                                                    BytesView init_secret, BytesView commit_secret,
                                                    BytesView psk_secret, BytesView group_context);

// MLS-Exporter(Label, Context, Length) =
//   ExpandWithLabel(DeriveSecret(exporter_secret, Label), "exported",
//                   Hash(Context), Length)                         (§8.5)
// Labels are the application's strings (IANA "MLS Exporter Labels", §17.8).
// usage error for a length above 65535 (ExpandWithLabel's uint16).
[[nodiscard]] Result<SecretBytes> mls_exporter(const crypto::CipherSuite& suite,
                                               BytesView exporter_secret, std::string_view label,
                                               BytesView context, size_t length);

// external_priv, external_pub = KEM.DeriveKeyPair(external_secret)   (§8)
[[nodiscard]] Result<crypto::HpkeKeyPair> external_key_pair(const crypto::CipherSuite& suite,
                                                            BytesView external_secret);

// External initialization (§8.3), the joiner's side:
//   kem_output, context = SetupBaseS(external_pub, "")
//   init_secret = context.export("MLS 1.0 external init secret", KDF.Nh)
// Returns kem_output (for the ExternalInit proposal) and init_secret.
[[nodiscard]] Result<crypto::CipherSuite::ExportedSecret> external_init_sender(
    const crypto::CipherSuite& suite, BytesView external_pub);

// The members' side of §8.3: the init_secret from kem_output and external_priv.
[[nodiscard]] Result<SecretBytes> external_init_receiver(const crypto::CipherSuite& suite,
                                                         BytesView external_priv,
                                                         BytesView kem_output);

// An AEAD key and nonce (not bound to a ratchet generation). The Welcome's
// key and nonce are messages/welcome.h's welcome_key, below this layer.
struct AeadKeyNonce {
  SecretBytes key;
  SecretBytes nonce;
};

// The key and nonce that encrypt a PrivateMessage's SenderData (§6.3.2):
//   ciphertext_sample = ciphertext[0..KDF.Nh-1]  (all of it if shorter)
//   sender_data_key = ExpandWithLabel(sender_data_secret, "key", ciphertext_sample, AEAD.Nk)
//   sender_data_nonce = ExpandWithLabel(sender_data_secret, "nonce", ciphertext_sample, AEAD.Nn)
[[nodiscard]] Result<AeadKeyNonce> sender_data_key_nonce(const crypto::CipherSuite& suite,
                                                         BytesView sender_data_secret,
                                                         BytesView ciphertext);

}  // namespace mls::schedule
