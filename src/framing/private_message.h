// PrivateMessage: signed and encrypted (RFC 9420 §6.3), with content
// encryption under the sender's ratchet key and reuse guard (§6.3.1),
// padding, and sender-data encryption (§6.3.2).
#pragma once

#include <array>
#include <optional>

#include "framing/authenticate.h"
#include "framing/content.h"
#include "framing/verified.h"
#include "schedule/secret_tree.h"

namespace mls::framing {

// struct {
//     opaque group_id<V>;
//     uint64 epoch;
//     ContentType content_type;
//     opaque authenticated_data<V>;
//     opaque encrypted_sender_data<V>;
//     opaque ciphertext<V>;
// } PrivateMessage;                                               (§6.3)
struct PrivateMessage {
  Bytes group_id;
  uint64_t epoch = 0;
  ContentType content_type = ContentType::application;
  Bytes authenticated_data;
  Bytes encrypted_sender_data;
  Bytes ciphertext;

  static constexpr auto tls_fields() {
    return std::tuple{&PrivateMessage::group_id,
                      &PrivateMessage::epoch,
                      &PrivateMessage::content_type,
                      &PrivateMessage::authenticated_data,
                      &PrivateMessage::encrypted_sender_data,
                      &PrivateMessage::ciphertext};
  }
  bool operator==(const PrivateMessage&) const = default;
};

// struct {
//     select (PrivateMessage.content_type) {
//         case application: opaque application_data<V>;
//         case proposal:    Proposal proposal;
//         case commit:      Commit commit;
//     };
//     FramedContentAuthData auth;
//     opaque padding[length_of_padding];
// } PrivateMessageContent;                                        (§6.3.1)
struct PrivateMessageContent {
  ContentBody body;
  FramedContentAuthData auth;
  size_t padding = 0;  // the number of zero bytes that follow

  void encode(codec::Writer& w) const;
  // Decodes a whole plaintext of the given content type; the bytes after
  // `auth` are the padding, which MUST be all zero (bad_padding otherwise).
  [[nodiscard]] static Result<PrivateMessageContent> decode(BytesView plaintext, ContentType type);
  bool operator==(const PrivateMessageContent&) const = default;
};

// struct {
//     opaque group_id<V>;
//     uint64 epoch;
//     ContentType content_type;
//     opaque authenticated_data<V>;
// } PrivateContentAAD;                                            (§6.3.1)
struct PrivateContentAAD {
  Bytes group_id;
  uint64_t epoch = 0;
  ContentType content_type = ContentType::application;
  Bytes authenticated_data;
  static constexpr auto tls_fields() {
    return std::tuple{&PrivateContentAAD::group_id, &PrivateContentAAD::epoch,
                      &PrivateContentAAD::content_type, &PrivateContentAAD::authenticated_data};
  }
  bool operator==(const PrivateContentAAD&) const = default;
};

// struct {
//     uint32 leaf_index;
//     uint32 generation;
//     opaque reuse_guard[4];
// } SenderData;                                                   (§6.3.2)
struct SenderData {
  uint32_t leaf_index = 0;
  uint32_t generation = 0;
  std::array<uint8_t, 4> reuse_guard{};
  static constexpr auto tls_fields() {
    return std::tuple{&SenderData::leaf_index, &SenderData::generation, &SenderData::reuse_guard};
  }
  bool operator==(const SenderData&) const = default;
};

// struct {
//     opaque group_id<V>;
//     uint64 epoch;
//     ContentType content_type;
// } SenderDataAAD;                                                (§6.3.2)
struct SenderDataAAD {
  Bytes group_id;
  uint64_t epoch = 0;
  ContentType content_type = ContentType::application;
  static constexpr auto tls_fields() {
    return std::tuple{&SenderDataAAD::group_id, &SenderDataAAD::epoch,
                      &SenderDataAAD::content_type};
  }
  bool operator==(const SenderDataAAD&) const = default;
};

// What a sender chooses beyond the content.
struct PrivateProtectOptions {
  // Zero bytes appended to PrivateMessageContent (§6.3.1): the application's
  // padding policy.
  size_t padding = 0;
  // A fixed reuse guard, for reproducible tests only; fresh random bytes when
  // unset, as §6.3.1 requires.
  std::optional<std::array<uint8_t, 4>> reuse_guard;
};

// Encrypts signed content (sign_content with WireFormat::private_message)
// from our own leaf: takes the next key of the handshake or application
// ratchet, encrypts PrivateMessageContent under it and the reuse-guarded
// nonce, then SenderData under the key and nonce from sender_data_secret and
// the ciphertext sample (§6.3). usage if the sender is not a member, the wire
// format is not private_message, or a commit lacks its confirmation tag.
[[nodiscard]] Result<PrivateMessage> protect_private(const EpochView& epoch,
                                                     BytesView sender_data_secret,
                                                     schedule::SecretTree& secret_tree,
                                                     const AuthenticatedContent& content,
                                                     const PrivateProtectOptions& options = {});

// The receiver's side of §6.3, in this order: wrong_group, wrong_epoch;
// decryption_failed if the sender data does not open, a decode error if it is
// not one SenderData; usage if it names keys.own_leaf(); unknown_sender if it
// names a blank leaf or one outside the tree (checked before the secret tree
// is touched); from the secret tree generation_too_old, generation_too_far,
// key_already_used; decryption_failed if the content does not open; a decode
// error or bad_padding for a malformed PrivateMessageContent; bad_signature.
//
// The generation's key is deleted (§9.2) only once the content opened and its
// signature verified: a copy whose sender data is intact but whose content or
// authenticated_data was altered (the sender data's AEAD covers neither) does
// not use up the key of the genuine message.
// As for PublicMessage, a commit's confirmation tag is the group's to check.
[[nodiscard]] Result<Verified<AuthenticatedContent>> unprotect_private(
    const EpochView& epoch, BytesView sender_data_secret, schedule::SecretTree& secret_tree,
    const SenderKeys& keys, const PrivateMessage& message);

}  // namespace mls::framing
