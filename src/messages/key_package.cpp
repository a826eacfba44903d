#include "messages/key_package.h"

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

}  // namespace mls
