// Welcome and the secrets it carries (RFC 9420 §12.4.3.1), with both sides of
// its encryption: building one for new members, and opening one as a joiner.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "codec/codec.h"
#include "crypto/cipher_suite.h"
#include "messages/group_info.h"
#include "messages/key_package.h"
#include "messages/psk_id.h"

namespace mls {

// struct {
//   opaque path_secret<V>;
// } PathSecret;                                                   (§12.4.3.1)
struct PathSecret {
  SecretBytes path_secret;
  static constexpr auto tls_fields() { return std::tuple{&PathSecret::path_secret}; }
  bool operator==(const PathSecret&) const = default;
};

// struct {
//   opaque joiner_secret<V>;
//   optional<PathSecret> path_secret;
//   PreSharedKeyID psks<V>;
// } GroupSecrets;                                                 (§12.4.3.1)
struct GroupSecrets {
  SecretBytes joiner_secret;
  std::optional<PathSecret> path_secret;
  std::vector<PreSharedKeyID> psks;
  static constexpr auto tls_fields() {
    return std::tuple{&GroupSecrets::joiner_secret, &GroupSecrets::path_secret,
                      &GroupSecrets::psks};
  }
  GroupSecrets clone() const;
  bool operator==(const GroupSecrets&) const = default;
};

// struct {
//   KeyPackageRef new_member;
//   HPKECiphertext encrypted_group_secrets;
// } EncryptedGroupSecrets;                                        (§12.4.3.1)
struct EncryptedGroupSecrets {
  KeyPackageRef new_member;
  crypto::HpkeCiphertext encrypted_group_secrets;
  static constexpr auto tls_fields() {
    return std::tuple{&EncryptedGroupSecrets::new_member,
                      &EncryptedGroupSecrets::encrypted_group_secrets};
  }
  bool operator==(const EncryptedGroupSecrets&) const = default;
};

// struct {
//   CipherSuite cipher_suite;
//   EncryptedGroupSecrets secrets<V>;
//   opaque encrypted_group_info<V>;
// } Welcome;                                                      (§12.4.3.1)
struct Welcome {
  CipherSuiteId cipher_suite = 0;
  std::vector<EncryptedGroupSecrets> secrets;
  Bytes encrypted_group_info;
  static constexpr auto tls_fields() {
    return std::tuple{&Welcome::cipher_suite, &Welcome::secrets, &Welcome::encrypted_group_info};
  }

  // The entry for the KeyPackage with this reference; nullptr if none.
  const EncryptedGroupSecrets* find(BytesView key_package_ref) const;

  bool operator==(const Welcome&) const = default;
};

// --- the key schedule's welcome branch (§8) ----------------------------------

// welcome_secret = DeriveSecret(KDF.Extract(joiner_secret, psk_secret),
// "welcome"). `psk_secret` empty means no PSKs: the all-zero string of
// length Nh (§8.4).
[[nodiscard]] Result<SecretBytes> welcome_secret(const crypto::CipherSuite& suite,
                                                 BytesView joiner_secret, BytesView psk_secret);

// welcome_key = ExpandWithLabel(welcome_secret, "key", "", AEAD.Nk) and
// welcome_nonce = ExpandWithLabel(welcome_secret, "nonce", "", AEAD.Nn).
struct WelcomeKey {
  SecretBytes key;
  SecretBytes nonce;
};
[[nodiscard]] Result<WelcomeKey> welcome_key(const crypto::CipherSuite& suite,
                                             BytesView welcome_secret);

// --- sender side ------------------------------------------------------------------

// encrypted_group_info = AEAD.Seal(welcome_key, welcome_nonce, "", GroupInfo).
// The GroupInfo must already be signed.
[[nodiscard]] Result<Bytes> encrypt_group_info(const crypto::CipherSuite& suite,
                                               BytesView welcome_secret,
                                               const GroupInfo& group_info);

// The entry for one new member: new_member = MakeKeyPackageRef(key_package),
// encrypted_group_secrets = EncryptWithLabel(key_package.init_key, "Welcome",
// encrypted_group_info, GroupSecrets).
[[nodiscard]] Result<EncryptedGroupSecrets> encrypt_group_secrets(
    const crypto::CipherSuite& suite, const KeyPackage& key_package, BytesView encrypted_group_info,
    const GroupSecrets& group_secrets);

// One new member of a Welcome: its KeyPackage, and the path secret for the
// lowest common ancestor of it and the committer, if the commit has a path.
struct WelcomeRecipient {
  const KeyPackage* key_package = nullptr;
  const SecretBytes* path_secret = nullptr;  // nullptr: no path secret
};

// The whole Welcome (§12.4.3.1): encrypts `group_info` (already signed) under
// the welcome secret of `joiner_secret` and `psk_secret`, and the
// GroupSecrets {joiner_secret, path_secret, psks} to each recipient.
// usage if a recipient's KeyPackage is of another cipher suite.
[[nodiscard]] Result<Welcome> make_welcome(const crypto::CipherSuite& suite,
                                           BytesView joiner_secret, BytesView psk_secret,
                                           const std::vector<PreSharedKeyID>& psks,
                                           const GroupInfo& group_info,
                                           const std::vector<WelcomeRecipient>& recipients);

// --- receiver side ----------------------------------------------------------------

// Finds our entry by `key_package_ref` and decrypts its GroupSecrets with
// DecryptWithLabel(init_key_private, "Welcome", encrypted_group_info, ...).
// not_found if no entry names our KeyPackage; invalid_welcome if the
// Welcome's suite is not `suite`; decryption_failed if it does not open;
// invalid_welcome if the plaintext is not exactly one GroupSecrets.
[[nodiscard]] Result<GroupSecrets> decrypt_group_secrets(const crypto::CipherSuite& suite,
                                                         const Welcome& welcome,
                                                         BytesView key_package_ref,
                                                         BytesView init_key_private);

// Decrypts encrypted_group_info with the welcome key and nonce and decodes
// it (the signature is not checked: the signer's key is in the tree).
// decryption_failed if it does not open; invalid_welcome if it does not hold
// exactly one GroupInfo or its GroupContext names another cipher suite.
[[nodiscard]] Result<GroupInfo> decrypt_group_info(const crypto::CipherSuite& suite,
                                                   const Welcome& welcome,
                                                   BytesView welcome_secret);

// What a joiner learns from a Welcome before it has the tree.
struct OpenedWelcome {
  GroupSecrets group_secrets;
  SecretBytes welcome_secret;
  GroupInfo group_info;  // decoded, signature not yet verified
};

// Steps 1-3 of §12.4.3.1 for a joiner holding `key_package` and its init
// private key: finds our entry, decrypts the GroupSecrets, derives the
// welcome secret with `psk_secret` (which the caller computes from
// group_secrets.psks; pass a callback since the PSK ids are only known after
// decryption; an empty function means no PSKs may be named), and decrypts
// the GroupInfo. Verifying the GroupInfo signature needs the signer's key
// from the tree: call GroupInfo::verify next. invalid_welcome if the
// KeyPackage is of another suite or the GroupSecrets name PSKs and no
// function is given; otherwise the errors of the steps above.
using PskSecretFn = std::function<Result<SecretBytes>(const std::vector<PreSharedKeyID>& psks)>;
[[nodiscard]] Result<OpenedWelcome> open_welcome(const crypto::CipherSuite& suite,
                                                 const Welcome& welcome,
                                                 const KeyPackage& key_package,
                                                 BytesView init_key_private,
                                                 const PskSecretFn& psk_secret = {});

}  // namespace mls
