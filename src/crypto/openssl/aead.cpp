// AES-GCM and ChaCha20-Poly1305 with the tag appended (RFC 5116 form).
#include <climits>

#include "crypto/openssl/primitives.h"

namespace mls::crypto::ossl {

Aead::Aead(uint16_t id, const char* name, size_t key_size) : id_(id), key_size_(key_size) {
  cipher_.reset(EVP_CIPHER_fetch(nullptr, name, nullptr));
}

const Aead* Aead::get(uint16_t id) {
  // Never freed, like Kdf::get.
  static const Aead* const aes128 = new Aead(1, "AES-128-GCM", 16);
  static const Aead* const aes256 = new Aead(2, "AES-256-GCM", 32);
  static const Aead* const chacha = new Aead(3, "ChaCha20-Poly1305", 32);
  const Aead* a = id == 1 ? aes128 : id == 2 ? aes256 : id == 3 ? chacha : nullptr;
  return a != nullptr && a->cipher_ ? a : nullptr;
}

Status Aead::check_sizes(BytesView key, BytesView nonce) const {
  if (key.size() != key_size_) return make_error(ErrorCode::invalid_key, "AEAD key of wrong size");
  if (nonce.size() != nonce_size_) return make_error(ErrorCode::usage, "AEAD nonce of wrong size");
  return {};
}

Result<Bytes> Aead::seal(BytesView key, BytesView nonce, BytesView aad, BytesView plaintext) const {
  MLS_CHECK(check_sizes(key, nonce));
  if (plaintext.size() > INT_MAX - kTagSize || aad.size() > INT_MAX) {
    return make_error(ErrorCode::usage, "AEAD input too long");
  }
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  Bytes out(plaintext.size() + kTagSize);
  int len = 0, fin = 0;
  if (!ctx ||
      EVP_EncryptInit_ex2(ctx.get(), cipher_.get(), key.data(), nonce.data(), nullptr) != 1 ||
      (!aad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(),
                                         static_cast<int>(aad.size())) != 1) ||
      EVP_EncryptUpdate(ctx.get(), out.data(), &len, plaintext.data(),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out.data() + len, &fin) != 1 ||
      static_cast<size_t>(len + fin) != plaintext.size() ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, kTagSize,
                          out.data() + plaintext.size()) != 1) {
    return error(ErrorCode::crypto, "AEAD seal");
  }
  return out;
}

Result<Bytes> Aead::open(BytesView key, BytesView nonce, BytesView aad,
                         BytesView ciphertext) const {
  MLS_CHECK(check_sizes(key, nonce));
  if (ciphertext.size() < kTagSize) {
    return make_error(ErrorCode::decryption_failed, "AEAD ciphertext shorter than the tag");
  }
  if (ciphertext.size() > INT_MAX || aad.size() > INT_MAX) {
    return make_error(ErrorCode::usage, "AEAD input too long");
  }
  size_t pt_len = ciphertext.size() - kTagSize;
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  Bytes out(pt_len);
  // OpenSSL wants a writable tag buffer.
  uint8_t tag[kTagSize];
  std::copy(ciphertext.begin() + static_cast<ptrdiff_t>(pt_len), ciphertext.end(), tag);
  int len = 0, fin = 0;
  if (!ctx ||
      EVP_DecryptInit_ex2(ctx.get(), cipher_.get(), key.data(), nonce.data(), nullptr) != 1 ||
      (!aad.empty() && EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(),
                                         static_cast<int>(aad.size())) != 1) ||
      EVP_DecryptUpdate(ctx.get(), out.data(), &len, ciphertext.data(), static_cast<int>(pt_len)) !=
          1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, kTagSize, tag) != 1) {
    return error(ErrorCode::crypto, "AEAD open");
  }
  // The tag comparison happens inside OpenSSL, in constant time.
  if (EVP_DecryptFinal_ex(ctx.get(), out.data() + len, &fin) != 1 ||
      static_cast<size_t>(len + fin) != pt_len) {
    secure_wipe(out.data(), out.size());
    clear_errors();
    return make_error(ErrorCode::decryption_failed, "AEAD tag does not verify");
  }
  return out;
}

}  // namespace mls::crypto::ossl
