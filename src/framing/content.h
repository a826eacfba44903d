// The framed content of a handshake or application message and its
// authentication (RFC 9420 §6, §6.1) and the transcript-hash inputs built
// from it (§8.2).
#pragma once

#include <cstdint>
#include <optional>
#include <variant>

#include "codec/codec.h"
#include "messages/commit.h"
#include "messages/group_context.h"
#include "messages/proposal.h"
#include "tree/tree_math.h"

namespace mls::framing {

// uint16 WireFormat; values from the "MLS Wire Formats" registry (§17.2).
enum class WireFormat : uint16_t {
  public_message = 0x0001,
  private_message = 0x0002,
  welcome = 0x0003,
  group_info = 0x0004,
  key_package = 0x0005,
};

// enum {
//     reserved(0), application(1), proposal(2), commit(3), (255)
// } ContentType;                                                  (§6)
enum class ContentType : uint8_t { application = 1, proposal = 2, commit = 3 };

// enum {
//     reserved(0), member(1), external(2), new_member_proposal(3),
//     new_member_commit(4), (255)
// } SenderType;                                                   (§6)
enum class SenderType : uint8_t {
  member = 1,
  external = 2,
  new_member_proposal = 3,
  new_member_commit = 4,
};

}  // namespace mls::framing

namespace mls::codec {

// The enums of §6 reject values outside their registries when decoded
// (unknown_value). Declared before any struct that holds them.
template <>
struct Codec<framing::ContentType> {
  static void encode(Writer& w, framing::ContentType v) { w.u8(static_cast<uint8_t>(v)); }
  static Status decode(Reader& r, framing::ContentType& out);
};

template <>
struct Codec<framing::WireFormat> {
  static void encode(Writer& w, framing::WireFormat v) { w.u16(static_cast<uint16_t>(v)); }
  static Status decode(Reader& r, framing::WireFormat& out);
};

}  // namespace mls::codec

namespace mls::framing {

// struct {
//     SenderType sender_type;
//     select (Sender.sender_type) {
//         case member:              uint32 leaf_index;
//         case external:            uint32 sender_index;
//         case new_member_commit:
//         case new_member_proposal: struct{};
//     };
// } Sender;                                                       (§6)
struct Sender {
  SenderType sender_type = SenderType::member;
  // leaf_index for a member, sender_index for an external sender, 0 otherwise.
  uint32_t index = 0;

  static Sender member(tree::LeafIndex leaf) { return {SenderType::member, leaf.value}; }
  static Sender external(uint32_t sender_index) { return {SenderType::external, sender_index}; }
  static Sender new_member_proposal() { return {SenderType::new_member_proposal, 0}; }
  static Sender new_member_commit() { return {SenderType::new_member_commit, 0}; }

  // The sender's leaf for a member; nullopt for every other sender type.
  std::optional<tree::LeafIndex> leaf_index() const {
    if (sender_type != SenderType::member) return std::nullopt;
    return tree::LeafIndex(index);
  }

  void tls_encode(codec::Writer& w) const;
  // unknown_value for a sender type outside the four above.
  static Status tls_decode(codec::Reader& r, Sender& out);
  bool operator==(const Sender&) const = default;
};

// A select arm that holds a T in some cases and struct{} in the others,
// kept as an optional<T> (no presence byte on the wire: the case decides).
template <typename T>
[[nodiscard]] Status decode_arm(codec::Reader& r, bool present, std::optional<T>& out) {
  if (!present) {
    out.reset();
    return {};
  }
  T value{};
  MLS_CHECK(codec::decode(r, value));
  out = std::move(value);
  return {};
}

// opaque application_data<V>, wrapped so the content variant can tell it
// apart from other byte strings.
struct ApplicationData {
  Bytes data;
  static constexpr auto tls_fields() { return std::tuple{&ApplicationData::data}; }
  bool operator==(const ApplicationData&) const = default;
};

// The select of FramedContent and PrivateMessageContent; the alternative
// index is the ContentType minus one.
using ContentBody = std::variant<ApplicationData, Proposal, Commit>;

ContentType content_type_of(const ContentBody& body);
void encode_body(codec::Writer& w, const ContentBody& body);
// Decodes the body the given content type selects.
[[nodiscard]] Status decode_body(codec::Reader& r, ContentType type, ContentBody& out);

// struct {
//     opaque group_id<V>;
//     uint64 epoch;
//     Sender sender;
//     opaque authenticated_data<V>;
//
//     ContentType content_type;
//     select (FramedContent.content_type) {
//         case application: opaque application_data<V>;
//         case proposal:    Proposal proposal;
//         case commit:      Commit commit;
//     };
// } FramedContent;                                                (§6)
struct FramedContent {
  Bytes group_id;
  uint64_t epoch = 0;
  Sender sender;
  Bytes authenticated_data;
  ContentBody body;

  ContentType content_type() const { return content_type_of(body); }
  const Proposal* proposal() const { return std::get_if<Proposal>(&body); }
  const Commit* commit() const { return std::get_if<Commit>(&body); }
  const ApplicationData* application_data() const { return std::get_if<ApplicationData>(&body); }

  void tls_encode(codec::Writer& w) const;
  static Status tls_decode(codec::Reader& r, FramedContent& out);
  bool operator==(const FramedContent&) const = default;
};

// opaque MAC<V>;
using Mac = Bytes;

// struct {
//     /* SignWithLabel(., "FramedContentTBS", FramedContentTBS) */
//     opaque signature<V>;
//     select (FramedContent.content_type) {
//         case commit:
//             /* MAC(confirmation_key,
//                    GroupContext.confirmed_transcript_hash) */
//             MAC confirmation_tag;
//         case application:
//         case proposal:
//             struct{};
//     };
// } FramedContentAuthData;                                        (§6.1)
// confirmation_tag is set exactly for commits; the owner of the struct
// (AuthenticatedContent, PublicMessage, PrivateMessageContent) decodes it
// according to its content type.
struct FramedContentAuthData {
  Bytes signature;
  std::optional<Mac> confirmation_tag;

  void encode(codec::Writer& w) const;
  [[nodiscard]] static Status decode(codec::Reader& r, ContentType type,
                                     FramedContentAuthData& out);
  bool operator==(const FramedContentAuthData&) const = default;
};

// struct {
//     ProtocolVersion version = mls10;
//     WireFormat wire_format;
//     FramedContent content;
//     select (FramedContentTBS.content.sender.sender_type) {
//         case member:
//         case new_member_commit:
//             GroupContext context;
//         case external:
//         case new_member_proposal:
//             struct{};
//     };
// } FramedContentTBS;                                             (§6.1)
struct FramedContentTBS {
  uint16_t version = kMls10;
  WireFormat wire_format = WireFormat::public_message;
  FramedContent content;
  std::optional<GroupContext> context;  // set iff the sender type carries one

  void tls_encode(codec::Writer& w) const;
  static Status tls_decode(codec::Reader& r, FramedContentTBS& out);
  bool operator==(const FramedContentTBS&) const = default;
};

// Whether FramedContentTBS includes the GroupContext for this sender (§6.1).
constexpr bool tbs_has_context(SenderType t) {
  return t == SenderType::member || t == SenderType::new_member_commit;
}

// The encoded FramedContentTBS, with the GroupContext given already encoded
// (the group keeps it that way); `group_context` is ignored for senders whose
// TBS does not carry one.
Bytes encode_framed_content_tbs(WireFormat wire_format, const FramedContent& content,
                                BytesView group_context);

// struct {
//     WireFormat wire_format;
//     FramedContent content;
//     FramedContentAuthData auth;
// } AuthenticatedContent;                                         (§6)
struct AuthenticatedContent {
  WireFormat wire_format = WireFormat::public_message;
  FramedContent content;
  FramedContentAuthData auth;

  void tls_encode(codec::Writer& w) const;
  // Rejects a wire format other than public/private message and an auth
  // whose confirmation tag does not match the content type.
  static Status tls_decode(codec::Reader& r, AuthenticatedContent& out);
  bool operator==(const AuthenticatedContent&) const = default;
};

// struct {
//   FramedContentTBS content_tbs;
//   FramedContentAuthData auth;
// } AuthenticatedContentTBM;                                      (§6.2)
Bytes encode_authenticated_content_tbm(const AuthenticatedContent& content,
                                       BytesView group_context);

// struct {
//     WireFormat wire_format;
//     FramedContent content; /* with content_type == commit */
//     opaque signature<V>;
// } ConfirmedTranscriptHashInput;                                 (§8.2)
struct ConfirmedTranscriptHashInput {
  WireFormat wire_format = WireFormat::public_message;
  FramedContent content;
  Bytes signature;

  void tls_encode(codec::Writer& w) const;
  // invalid_value unless the content is a commit.
  static Status tls_decode(codec::Reader& r, ConfirmedTranscriptHashInput& out);
  bool operator==(const ConfirmedTranscriptHashInput&) const = default;
};

// struct {
//     MAC confirmation_tag;
// } InterimTranscriptHashInput;                                   (§8.2)
struct InterimTranscriptHashInput {
  Mac confirmation_tag;

  static constexpr auto tls_fields() {
    return std::tuple{&InterimTranscriptHashInput::confirmation_tag};
  }
  bool operator==(const InterimTranscriptHashInput&) const = default;
};

// The encoded ConfirmedTranscriptHashInput of a commit's AuthenticatedContent
// (§8.2), the input of schedule::confirmed_transcript_hash (the interim hash
// takes the bare auth.confirmation_tag). invalid_value for a non-commit.
[[nodiscard]] Result<Bytes> confirmed_transcript_hash_input(const AuthenticatedContent& content);

// The encoded ConfirmedTranscriptHashInput of a commit's AuthenticatedContent
// (§8.2), the input of schedule::confirmed_transcript_hash (the interim hash
// takes the bare auth.confirmation_tag). invalid_value for a non-commit.
[[nodiscard]] Result<Bytes> confirmed_transcript_hash_input(const AuthenticatedContent& content);

}  // namespace mls::framing
