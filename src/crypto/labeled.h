// The labeled helpers of RFC 9420 §5.1–§5.3 and §8, on top of a CipherSuite.
// Every label is prefixed with "MLS 1.0 " here; callers pass the bare label.
#pragma once

#include <string_view>

#include "crypto/cipher_suite.h"

namespace mls::crypto {

// ExpandWithLabel(Secret, Label, Context, Length) (§8)
[[nodiscard]] Result<SecretBytes> expand_with_label(const CipherSuite& suite, BytesView secret,
                                                    std::string_view label, BytesView context,
                                                    uint16_t length);
// DeriveSecret(Secret, Label) = ExpandWithLabel(Secret, Label, "", Nh) (§8)
[[nodiscard]] Result<SecretBytes> derive_secret(const CipherSuite& suite, BytesView secret,
                                                std::string_view label);
// DeriveTreeSecret(Secret, Label, Generation, Length) (§9)
[[nodiscard]] Result<SecretBytes> derive_tree_secret(const CipherSuite& suite, BytesView secret,
                                                     std::string_view label, uint32_t generation,
                                                     uint16_t length);

// RefHash(label, value) (§5.2)
Bytes ref_hash(const CipherSuite& suite, std::string_view label, BytesView value);
// MakeKeyPackageRef / MakeProposalRef over the encoded KeyPackage or
// AuthenticatedContent (§5.2).
Bytes make_key_package_ref(const CipherSuite& suite, BytesView key_package);
Bytes make_proposal_ref(const CipherSuite& suite, BytesView authenticated_content);

// SignWithLabel / VerifyWithLabel (§5.1.2)
[[nodiscard]] Result<Bytes> sign_with_label(const Signer& signer, std::string_view label,
                                            BytesView content);
[[nodiscard]] Result<Bytes> sign_with_label(const CipherSuite& suite, BytesView private_key,
                                            std::string_view label, BytesView content);
// bad_signature when it does not verify.
[[nodiscard]] Status verify_with_label(const CipherSuite& suite, BytesView public_key,
                                       std::string_view label, BytesView content,
                                       BytesView signature);

// EncryptWithLabel / DecryptWithLabel (§5.1.3)
[[nodiscard]] Result<HpkeCiphertext> encrypt_with_label(const CipherSuite& suite,
                                                        BytesView public_key,
                                                        std::string_view label,
                                                        BytesView context, BytesView plaintext);
// decryption_failed when it does not open.
[[nodiscard]] Result<SecretBytes> decrypt_with_label(const CipherSuite& suite,
                                                     BytesView private_key,
                                                     std::string_view label, BytesView context,
                                                     const HpkeCiphertext& ciphertext);

}  // namespace mls::crypto
