// mls::Identity: a client's signature key, credential and the KeyPackages
// it makes (RFC 9420 §5.3, §10).
#include <ctime>

#include "group/state.h"

namespace mls {

// --- Identity ---------------------------------------------------------------------------

Result<Identity> Identity::generate(uint16_t suite_id, Credential credential) {
  auto suite = MLS_TRY(crypto::CipherSuite::get(suite_id));
  auto keys = MLS_TRY(suite.signature_generate());
  auto signer = std::make_shared<crypto::PrivateKeySigner>(suite, std::move(keys));
  return Identity(std::move(suite), std::move(signer), std::move(credential));
}

Result<Identity> Identity::from_signer(uint16_t suite_id,
                                       std::shared_ptr<const crypto::Signer> signer,
                                       Credential credential) {
  auto suite = MLS_TRY(crypto::CipherSuite::get(suite_id));
  if (!signer) return make_error(ErrorCode::usage, "null signer");
  return Identity(std::move(suite), std::move(signer), std::move(credential));
}

Capabilities Identity::capabilities() const {
  Capabilities caps;
  caps.versions = {kMls10};
  caps.cipher_suites.assign(std::begin(crypto::kAllCipherSuites),
                            std::end(crypto::kAllCipherSuites));
  caps.credentials = {static_cast<uint16_t>(CredentialType::basic),
                      static_cast<uint16_t>(CredentialType::x509)};
  return caps;
}

Result<KeyPackageBundle> Identity::make_key_package(std::optional<Lifetime> lifetime,
                                                    bool last_resort) const {
  if (!lifetime) {
    uint64_t now = static_cast<uint64_t>(std::time(nullptr));
    lifetime = Lifetime{now - 3600, now + 90ull * 24 * 3600};
  }
  ExtensionList extensions;
  if (last_resort) extensions.set(Extension{extension_type::last_resort, {}});
  return mls::make_key_package(suite_, *signer_, credential_, capabilities(), *lifetime, {},
                               std::move(extensions));
}

}  // namespace mls
