#include "framing/public_message.h"

namespace mls::framing {

struct PublicMessageVerifier {
  static Verified<AuthenticatedContent> accept(AuthenticatedContent content) {
    return Verifier<AuthenticatedContent>::make(std::move(content));
  }
};

AuthenticatedContent PublicMessage::authenticated_content() const& {
  return {WireFormat::public_message, content, auth};
}

AuthenticatedContent PublicMessage::authenticated_content() && {
  return {WireFormat::public_message, std::move(content), std::move(auth)};
}

void PublicMessage::tls_encode(codec::Writer& w) const {
  codec::encode(w, content);
  auth.encode(w);
  if (membership_tag) codec::encode(w, *membership_tag);
}

Status PublicMessage::tls_decode(codec::Reader& r, PublicMessage& out) {
  MLS_CHECK(codec::decode(r, out.content));
  MLS_CHECK(FramedContentAuthData::decode(r, out.content.content_type(), out.auth));
  return decode_arm(r, out.content.sender.sender_type == SenderType::member, out.membership_tag);
}

namespace {

Bytes membership_tag(const EpochView& epoch, BytesView membership_key,
                     const AuthenticatedContent& content) {
  return epoch.suite.mac(membership_key,
                         encode_authenticated_content_tbm(content, epoch.group_context));
}

}  // namespace

Result<PublicMessage> protect_public(const EpochView& epoch, BytesView membership_key,
                                     AuthenticatedContent content) {
  if (content.wire_format != WireFormat::public_message) {
    return make_error(ErrorCode::usage, "content was signed for another wire format");
  }
  ContentType type = content.content.content_type();
  if (type == ContentType::application) {
    return make_error(ErrorCode::usage, "application data must be sent as a PrivateMessage");
  }
  if ((type == ContentType::commit) != content.auth.confirmation_tag.has_value()) {
    return make_error(ErrorCode::usage, "a commit, and only a commit, carries a confirmation tag");
  }
  PublicMessage out;
  if (content.content.sender.sender_type == SenderType::member) {
    out.membership_tag = membership_tag(epoch, membership_key, content);
  }
  out.content = std::move(content.content);
  out.auth = std::move(content.auth);
  return out;
}

Result<Verified<AuthenticatedContent>> unprotect_public(const EpochView& epoch,
                                                        BytesView membership_key,
                                                        const SenderKeys& keys,
                                                        PublicMessage message) {
  MLS_CHECK(check_group_and_epoch(epoch, message.content.group_id, message.content.epoch));
  if (message.content.content_type() == ContentType::application) {
    return make_error(ErrorCode::invalid_value, "application data in a PublicMessage");
  }
  std::optional<Mac> tag = std::move(message.membership_tag);
  AuthenticatedContent content = std::move(message).authenticated_content();
  if (content.content.sender.sender_type == SenderType::member) {
    // Decoding guarantees a member's message has a tag; a value built in
    // memory might not.
    if (!tag || !constant_time_equal(*tag, membership_tag(epoch, membership_key, content))) {
      return make_error(ErrorCode::bad_membership_tag, "membership tag does not verify");
    }
  }
  BytesView key = MLS_TRY(sender_signature_key(content.content, keys));
  MLS_CHECK(verify_content_signature(epoch, content, key));
  return PublicMessageVerifier::accept(std::move(content));
}

}  // namespace mls::framing
