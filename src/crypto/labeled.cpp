// The labeled helpers of RFC 9420 §5.1-§5.3, §8 and §9.
#include "crypto/labeled.h"

#include <string>

namespace mls::crypto {

namespace {

constexpr std::string_view kPrefix = "MLS 1.0 ";

Bytes mls_label(std::string_view label) {
  std::string full;
  full.reserve(kPrefix.size() + label.size());
  full.append(kPrefix).append(label);
  return to_bytes(full);
}

// struct {
//     uint16 length;
//     opaque label<V>;
//     opaque context<V>;
// } KDFLabel;                                           (RFC 9420 §8)
struct KdfLabel {
  uint16_t length = 0;
  Bytes label;
  Bytes context;
  static constexpr auto tls_fields() {
    return std::tuple{&KdfLabel::length, &KdfLabel::label, &KdfLabel::context};
  }
};

// struct {
//     opaque label<V>;
//     opaque value<V>;
// } RefHashInput;                                       (RFC 9420 §5.2)
struct RefHashInput {
  Bytes label;
  Bytes value;
  static constexpr auto tls_fields() {
    return std::tuple{&RefHashInput::label, &RefHashInput::value};
  }
};

// struct {
//     opaque label<V>;
//     opaque content<V>;
// } SignContent;                                        (RFC 9420 §5.1.2)
struct SignContent {
  Bytes label;
  Bytes content;
  static constexpr auto tls_fields() {
    return std::tuple{&SignContent::label, &SignContent::content};
  }
};

// struct {
//     opaque label<V>;
//     opaque context<V>;
// } EncryptContext;                                     (RFC 9420 §5.1.3)
struct EncryptContext {
  Bytes label;
  Bytes context;
  static constexpr auto tls_fields() {
    return std::tuple{&EncryptContext::label, &EncryptContext::context};
  }
};

Bytes sign_content(std::string_view label, BytesView content) {
  return codec::encode(SignContent{mls_label(label), Bytes(content.begin(), content.end())});
}

Bytes encrypt_context(std::string_view label, BytesView context) {
  return codec::encode(EncryptContext{mls_label(label), Bytes(context.begin(), context.end())});
}

}  // namespace

Result<SecretBytes> expand_with_label(const CipherSuite& suite, BytesView secret,
                                      std::string_view label, BytesView context, uint16_t length) {
  Bytes info =
      codec::encode(KdfLabel{length, mls_label(label), Bytes(context.begin(), context.end())});
  return suite.kdf_expand(secret, info, length);
}

Result<SecretBytes> derive_secret(const CipherSuite& suite, BytesView secret,
                                  std::string_view label) {
  return expand_with_label(suite, secret, label, {}, static_cast<uint16_t>(suite.hash_size()));
}

Result<SecretBytes> derive_tree_secret(const CipherSuite& suite, BytesView secret,
                                       std::string_view label, uint32_t generation,
                                       uint16_t length) {
  return expand_with_label(suite, secret, label, codec::encode(generation), length);
}

Bytes ref_hash(const CipherSuite& suite, std::string_view label, BytesView value) {
  // RefHash takes its label whole: the "MLS 1.0 " prefix is part of the
  // label strings of §5.2 ("MLS 1.0 KeyPackage Reference"), not added here.
  return suite.hash(
      codec::encode(RefHashInput{to_bytes(label), Bytes(value.begin(), value.end())}));
}

Bytes make_key_package_ref(const CipherSuite& suite, BytesView key_package) {
  return ref_hash(suite, "MLS 1.0 KeyPackage Reference", key_package);
}

Bytes make_proposal_ref(const CipherSuite& suite, BytesView authenticated_content) {
  return ref_hash(suite, "MLS 1.0 Proposal Reference", authenticated_content);
}

Result<Bytes> sign_with_label(const Signer& signer, std::string_view label, BytesView content) {
  return signer.sign(sign_content(label, content));
}

Result<Bytes> sign_with_label(const CipherSuite& suite, BytesView private_key,
                              std::string_view label, BytesView content) {
  return suite.sign(private_key, sign_content(label, content));
}

Status verify_with_label(const CipherSuite& suite, BytesView public_key, std::string_view label,
                         BytesView content, BytesView signature) {
  return suite.verify(public_key, sign_content(label, content), signature);
}

Result<HpkeCiphertext> encrypt_with_label(const CipherSuite& suite, BytesView public_key,
                                          std::string_view label, BytesView context,
                                          BytesView plaintext) {
  return suite.hpke_seal(public_key, encrypt_context(label, context), {}, plaintext);
}

Result<SecretBytes> decrypt_with_label(const CipherSuite& suite, BytesView private_key,
                                       std::string_view label, BytesView context,
                                       const HpkeCiphertext& ciphertext) {
  Bytes pt = MLS_TRY(suite.hpke_open(private_key, encrypt_context(label, context), {}, ciphertext));
  return SecretBytes::take(std::move(pt));
}

}  // namespace mls::crypto
