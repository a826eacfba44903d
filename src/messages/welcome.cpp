#include "messages/welcome.h"

#include <algorithm>

#include "crypto/labeled.h"

namespace mls {

GroupSecrets GroupSecrets::clone() const {
  GroupSecrets out;
  out.joiner_secret = joiner_secret.clone();
  if (path_secret) out.path_secret = PathSecret{path_secret->path_secret.clone()};
  out.psks = psks;
  return out;
}

const EncryptedGroupSecrets* Welcome::find(BytesView key_package_ref) const {
  for (const auto& s : secrets) {
    if (std::equal(s.new_member.begin(), s.new_member.end(), key_package_ref.begin(),
                   key_package_ref.end())) {
      return &s;
    }
  }
  return nullptr;
}

Result<SecretBytes> welcome_secret(const crypto::CipherSuite& suite, BytesView joiner_secret,
                                   BytesView psk_secret) {
  // §8.4: with no PSKs, psk_secret is the all-zero vector of length Nh.
  Bytes zero;
  if (psk_secret.empty()) {
    zero.assign(suite.hash_size(), 0);
    psk_secret = zero;
  }
  SecretBytes extracted = suite.kdf_extract(joiner_secret, psk_secret);
  return crypto::derive_secret(suite, extracted, "welcome");
}

Result<WelcomeKey> welcome_key(const crypto::CipherSuite& suite, BytesView welcome_secret) {
  WelcomeKey out;
  out.key = MLS_TRY(crypto::expand_with_label(suite, welcome_secret, "key", {},
                                              static_cast<uint16_t>(suite.aead_key_size())));
  out.nonce = MLS_TRY(crypto::expand_with_label(suite, welcome_secret, "nonce", {},
                                                static_cast<uint16_t>(suite.aead_nonce_size())));
  return out;
}

Result<Bytes> encrypt_group_info(const crypto::CipherSuite& suite, BytesView welcome_secret,
                                 const GroupInfo& group_info) {
  WelcomeKey k = MLS_TRY(welcome_key(suite, welcome_secret));
  return suite.aead_seal(k.key, k.nonce, {}, codec::encode(group_info));
}

Result<EncryptedGroupSecrets> encrypt_group_secrets(const crypto::CipherSuite& suite,
                                                    const KeyPackage& key_package,
                                                    BytesView encrypted_group_info,
                                                    const GroupSecrets& group_secrets) {
  if (key_package.cipher_suite != suite.id()) {
    return make_error(ErrorCode::usage, "KeyPackage of cipher suite " +
                                            std::to_string(key_package.cipher_suite) +
                                            " in a Welcome of suite " + std::to_string(suite.id()));
  }
  EncryptedGroupSecrets out;
  out.new_member = key_package.ref(suite);
  // The plaintext holds the joiner secret: keep it in wiped memory.
  SecretBytes plaintext = SecretBytes::take(codec::encode(group_secrets));
  out.encrypted_group_secrets = MLS_TRY(crypto::encrypt_with_label(
      suite, key_package.init_key, "Welcome", encrypted_group_info, plaintext));
  return out;
}

Result<Welcome> make_welcome(const crypto::CipherSuite& suite, BytesView joiner_secret,
                             BytesView psk_secret, const std::vector<PreSharedKeyID>& psks,
                             const GroupInfo& group_info,
                             const std::vector<WelcomeRecipient>& recipients) {
  Welcome out;
  out.cipher_suite = suite.id();
  SecretBytes secret = MLS_TRY(welcome_secret(suite, joiner_secret, psk_secret));
  out.encrypted_group_info = MLS_TRY(encrypt_group_info(suite, secret, group_info));
  for (const auto& r : recipients) {
    if (r.key_package == nullptr)
      return make_error(ErrorCode::usage, "recipient without KeyPackage");
    GroupSecrets gs;
    gs.joiner_secret = SecretBytes(joiner_secret);
    if (r.path_secret != nullptr) gs.path_secret = PathSecret{r.path_secret->clone()};
    gs.psks = psks;
    out.secrets.push_back(
        MLS_TRY(encrypt_group_secrets(suite, *r.key_package, out.encrypted_group_info, gs)));
  }
  return out;
}

Result<GroupSecrets> decrypt_group_secrets(const crypto::CipherSuite& suite, const Welcome& welcome,
                                           BytesView key_package_ref, BytesView init_key_private) {
  if (welcome.cipher_suite != suite.id()) {
    return make_error(ErrorCode::invalid_welcome, "Welcome of cipher suite " +
                                                      std::to_string(welcome.cipher_suite) +
                                                      ", expected " + std::to_string(suite.id()));
  }
  const EncryptedGroupSecrets* entry = welcome.find(key_package_ref);
  if (entry == nullptr) {
    return make_error(ErrorCode::not_found,
                      "no EncryptedGroupSecrets for KeyPackageRef " + to_hex(key_package_ref));
  }
  SecretBytes plaintext = MLS_TRY(crypto::decrypt_with_label(suite, init_key_private, "Welcome",
                                                             welcome.encrypted_group_info,
                                                             entry->encrypted_group_secrets));
  auto secrets = codec::decode_all<GroupSecrets>(plaintext);
  if (!secrets) {
    return make_error(ErrorCode::invalid_welcome,
                      "no GroupSecrets inside: " + secrets.error().describe());
  }
  return std::move(*secrets);
}

Result<GroupInfo> decrypt_group_info(const crypto::CipherSuite& suite, const Welcome& welcome,
                                     BytesView welcome_secret) {
  WelcomeKey k = MLS_TRY(welcome_key(suite, welcome_secret));
  Bytes plaintext = MLS_TRY(suite.aead_open(k.key, k.nonce, {}, welcome.encrypted_group_info));
  auto info = codec::decode_all<GroupInfo>(plaintext);
  if (!info) {
    return make_error(ErrorCode::invalid_welcome,
                      "encrypted_group_info does not hold a GroupInfo: " + info.error().describe());
  }
  if (info->group_context.cipher_suite != welcome.cipher_suite) {
    return make_error(ErrorCode::invalid_welcome,
                      "GroupInfo names cipher suite " +
                          std::to_string(info->group_context.cipher_suite) + ", the Welcome " +
                          std::to_string(welcome.cipher_suite));
  }
  return std::move(*info);
}

Result<OpenedWelcome> open_welcome(const crypto::CipherSuite& suite, const Welcome& welcome,
                                   const KeyPackage& key_package, BytesView init_key_private,
                                   const PskSecretFn& psk_secret) {
  if (key_package.cipher_suite != suite.id()) {
    return make_error(ErrorCode::invalid_welcome, "KeyPackage of cipher suite " +
                                                      std::to_string(key_package.cipher_suite) +
                                                      ", expected " + std::to_string(suite.id()));
  }
  OpenedWelcome out;
  out.group_secrets =
      MLS_TRY(decrypt_group_secrets(suite, welcome, key_package.ref(suite), init_key_private));
  SecretBytes psk;
  if (!out.group_secrets.psks.empty()) {
    if (!psk_secret) {
      return make_error(ErrorCode::invalid_welcome,
                        "the GroupSecrets name PSKs and no PSK source was given");
    }
    psk = MLS_TRY(psk_secret(out.group_secrets.psks));
  }
  out.welcome_secret = MLS_TRY(welcome_secret(suite, out.group_secrets.joiner_secret, psk));
  out.group_info = MLS_TRY(decrypt_group_info(suite, welcome, out.welcome_secret));
  return out;
}

}  // namespace mls
