#include "framing/content.h"

namespace mls::codec {

Status Codec<framing::ContentType>::decode(Reader& r, framing::ContentType& out) {
  uint8_t v = MLS_TRY(r.u8());
  if (v < 1 || v > 3) {
    return r.error(ErrorCode::unknown_value, "content type " + std::to_string(v));
  }
  out = static_cast<framing::ContentType>(v);
  return {};
}

Status Codec<framing::WireFormat>::decode(Reader& r, framing::WireFormat& out) {
  uint16_t v = MLS_TRY(r.u16());
  if (v < 1 || v > 5) return r.error(ErrorCode::unknown_value, "wire format " + std::to_string(v));
  out = static_cast<framing::WireFormat>(v);
  return {};
}

}  // namespace mls::codec

namespace mls::framing {

void Sender::tls_encode(codec::Writer& w) const {
  w.u8(static_cast<uint8_t>(sender_type));
  if (sender_type == SenderType::member || sender_type == SenderType::external) w.u32(index);
}

Status Sender::tls_decode(codec::Reader& r, Sender& out) {
  uint8_t type = MLS_TRY(r.u8());
  switch (type) {
    case static_cast<uint8_t>(SenderType::member):
    case static_cast<uint8_t>(SenderType::external):
      out.sender_type = static_cast<SenderType>(type);
      out.index = MLS_TRY(r.u32());
      return {};
    case static_cast<uint8_t>(SenderType::new_member_proposal):
    case static_cast<uint8_t>(SenderType::new_member_commit):
      out.sender_type = static_cast<SenderType>(type);
      out.index = 0;
      return {};
    default:
      return r.error(ErrorCode::unknown_value, "sender type " + std::to_string(type));
  }
}

ContentType content_type_of(const ContentBody& body) {
  return static_cast<ContentType>(body.index() + 1);
}

void encode_body(codec::Writer& w, const ContentBody& body) {
  std::visit([&](const auto& value) { codec::encode(w, value); }, body);
}

Status decode_body(codec::Reader& r, ContentType type, ContentBody& out) {
  switch (type) {
    case ContentType::application: {
      ApplicationData data;
      MLS_CHECK(codec::decode(r, data));
      out = std::move(data);
      return {};
    }
    case ContentType::proposal: {
      Proposal proposal;
      MLS_CHECK(codec::decode(r, proposal));
      out = std::move(proposal);
      return {};
    }
    case ContentType::commit: {
      Commit commit;
      MLS_CHECK(codec::decode(r, commit));
      out = std::move(commit);
      return {};
    }
  }
  return r.error(ErrorCode::unknown_value, "content type");
}

void FramedContent::tls_encode(codec::Writer& w) const {
  codec::encode(w, group_id);
  w.u64(epoch);
  codec::encode(w, sender);
  codec::encode(w, authenticated_data);
  codec::encode(w, content_type());
  encode_body(w, body);
}

Status FramedContent::tls_decode(codec::Reader& r, FramedContent& out) {
  MLS_CHECK(codec::decode(r, out.group_id));
  out.epoch = MLS_TRY(r.u64());
  MLS_CHECK(codec::decode(r, out.sender));
  MLS_CHECK(codec::decode(r, out.authenticated_data));
  ContentType type{};
  MLS_CHECK(codec::decode(r, type));
  return decode_body(r, type, out.body);
}

void FramedContentAuthData::encode(codec::Writer& w) const {
  codec::encode(w, signature);
  if (confirmation_tag) codec::encode(w, *confirmation_tag);
}

Status FramedContentAuthData::decode(codec::Reader& r, ContentType type,
                                     FramedContentAuthData& out) {
  MLS_CHECK(codec::decode(r, out.signature));
  return decode_arm(r, type == ContentType::commit, out.confirmation_tag);
}

void FramedContentTBS::tls_encode(codec::Writer& w) const {
  w.u16(version);
  codec::encode(w, wire_format);
  codec::encode(w, content);
  if (context) codec::encode(w, *context);
}

Status FramedContentTBS::tls_decode(codec::Reader& r, FramedContentTBS& out) {
  out.version = MLS_TRY(r.u16());
  if (out.version != kMls10) {
    return r.error(ErrorCode::unknown_value, "protocol version " + std::to_string(out.version));
  }
  MLS_CHECK(codec::decode(r, out.wire_format));
  MLS_CHECK(codec::decode(r, out.content));
  return decode_arm(r, tbs_has_context(out.content.sender.sender_type), out.context);
}

namespace {

void write_tbs(codec::Writer& w, WireFormat wire_format, const FramedContent& content,
               BytesView group_context) {
  w.u16(kMls10);
  codec::encode(w, wire_format);
  codec::encode(w, content);
  if (tbs_has_context(content.sender.sender_type)) w.raw(group_context);
}

// Framed content may only travel in the two framed wire formats.
Status check_framed_wire_format(const codec::Reader& r, WireFormat wf) {
  if (wf == WireFormat::public_message || wf == WireFormat::private_message) return {};
  return r.error(ErrorCode::invalid_value, "wire format of framed content not public/private");
}

}  // namespace

Bytes encode_framed_content_tbs(WireFormat wire_format, const FramedContent& content,
                                BytesView group_context) {
  codec::Writer w;
  write_tbs(w, wire_format, content, group_context);
  return w.take();
}

void AuthenticatedContent::tls_encode(codec::Writer& w) const {
  codec::encode(w, wire_format);
  codec::encode(w, content);
  auth.encode(w);
}

Status AuthenticatedContent::tls_decode(codec::Reader& r, AuthenticatedContent& out) {
  MLS_CHECK(codec::decode(r, out.wire_format));
  MLS_CHECK(check_framed_wire_format(r, out.wire_format));
  MLS_CHECK(codec::decode(r, out.content));
  return FramedContentAuthData::decode(r, out.content.content_type(), out.auth);
}

Bytes encode_authenticated_content_tbm(const AuthenticatedContent& content,
                                       BytesView group_context) {
  codec::Writer w;
  write_tbs(w, content.wire_format, content.content, group_context);
  content.auth.encode(w);
  return w.take();
}

namespace {
void write_confirmed_input(codec::Writer& w, WireFormat wire_format, const FramedContent& content,
                           BytesView signature) {
  codec::encode(w, wire_format);
  codec::encode(w, content);
  w.opaque(signature);
}
}  // namespace

void ConfirmedTranscriptHashInput::tls_encode(codec::Writer& w) const {
  write_confirmed_input(w, wire_format, content, signature);
}

Result<Bytes> confirmed_transcript_hash_input(const AuthenticatedContent& content) {
  if (content.content.content_type() != ContentType::commit) {
    return make_error(ErrorCode::invalid_value, "transcript hash input from a non-commit");
  }
  codec::Writer w;
  write_confirmed_input(w, content.wire_format, content.content, content.auth.signature);
  return w.take();
}

Status ConfirmedTranscriptHashInput::tls_decode(codec::Reader& r,
                                                ConfirmedTranscriptHashInput& out) {
  MLS_CHECK(codec::decode(r, out.wire_format));
  MLS_CHECK(check_framed_wire_format(r, out.wire_format));
  MLS_CHECK(codec::decode(r, out.content));
  if (out.content.content_type() != ContentType::commit) {
    return r.error(ErrorCode::invalid_value, "ConfirmedTranscriptHashInput without a commit");
  }
  return codec::decode(r, out.signature);
}

}  // namespace mls::framing
