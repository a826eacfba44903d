#include "messages/key_package.h"

#include <algorithm>

#include "crypto/labeled.h"

namespace mls {

Bytes KeyPackage::to_be_signed() const {
  codec::Writer w;
  codec::encode(w, version);
  codec::encode(w, cipher_suite);
  codec::encode(w, init_key);
  codec::encode(w, leaf_node);
  codec::encode(w, extensions);
  return w.take();
}

Status KeyPackage::sign(const crypto::Signer& signer) {
  signature = MLS_TRY(crypto::sign_with_label(signer, "KeyPackageTBS", to_be_signed()));
  return {};
}

Status KeyPackage::verify(const crypto::CipherSuite& suite) const {
  return crypto::verify_with_label(suite, leaf_node.signature_key, "KeyPackageTBS", to_be_signed(),
                                   signature);
}

Status KeyPackage::validate(const crypto::CipherSuite& suite) const {
  if (version != kMls10) {
    return make_error(ErrorCode::invalid_key_package,
                      "KeyPackage version " + std::to_string(version) + " is not mls10");
  }
  if (cipher_suite != suite.id()) {
    return make_error(ErrorCode::invalid_key_package,
                      "KeyPackage cipher suite " + std::to_string(cipher_suite) +
                          " is not the group's " + std::to_string(suite.id()));
  }
  if (leaf_node.leaf_node_source != LeafNodeSource::key_package) {
    return make_error(ErrorCode::invalid_key_package,
                      "KeyPackage leaf node source is not key_package");
  }
  if (init_key == leaf_node.encryption_key) {
    return make_error(ErrorCode::invalid_key_package,
                      "KeyPackage init_key equals the leaf's encryption_key");
  }
  if (extensions.has_duplicates()) {
    return make_error(ErrorCode::invalid_key_package, "KeyPackage repeats an extension type");
  }
  MLS_CHECK(leaf_node.verify(suite));
  return verify(suite);
}

KeyPackageRef KeyPackage::ref(const crypto::CipherSuite& suite) const {
  return crypto::make_key_package_ref(suite, codec::encode(*this));
}

namespace {
template <typename T>
void add_if_missing(std::vector<T>& list, T value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}
}  // namespace

Result<KeyPackageBundle> make_key_package(const crypto::CipherSuite& suite,
                                          const crypto::Signer& signer, Credential credential,
                                          Capabilities capabilities, Lifetime lifetime,
                                          ExtensionList leaf_extensions, ExtensionList extensions) {
  add_if_missing(capabilities.versions, kMls10);
  add_if_missing(capabilities.cipher_suites, suite.id());
  add_if_missing(capabilities.credentials, static_cast<uint16_t>(credential.type()));

  crypto::HpkeKeyPair init = MLS_TRY(suite.hpke_generate());
  crypto::HpkeKeyPair encryption = MLS_TRY(suite.hpke_generate());

  KeyPackageBundle out;
  KeyPackage& kp = out.key_package;
  kp.version = kMls10;
  kp.cipher_suite = suite.id();
  kp.init_key = std::move(init.public_key);
  kp.leaf_node.encryption_key = std::move(encryption.public_key);
  kp.leaf_node.signature_key = signer.public_key();
  kp.leaf_node.credential = std::move(credential);
  kp.leaf_node.capabilities = std::move(capabilities);
  kp.leaf_node.leaf_node_source = LeafNodeSource::key_package;
  kp.leaf_node.lifetime = lifetime;
  kp.leaf_node.extensions = std::move(leaf_extensions);
  kp.extensions = std::move(extensions);
  MLS_CHECK(kp.leaf_node.sign(signer));
  MLS_CHECK(kp.sign(signer));
  out.init_private_key = std::move(init.private_key);
  out.encryption_private_key = std::move(encryption.private_key);
  return out;
}

}  // namespace mls
