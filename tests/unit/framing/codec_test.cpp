// The wire structs of §6 and §8.2: round trips, and every damaged encoding
// (cut short, one byte longer, one bit flipped) rejected or, if it still
// decodes, re-encoding to exactly the damaged bytes; never a crash.
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "fixture.h"

namespace mls::test {
namespace {

using framing::ContentType;

// decode(bytes) for types whose decoding needs context (content type).
template <typename T>
using Decoder = std::function<Result<T>(BytesView)>;

template <typename T>
Decoder<T> whole() {
  return [](BytesView b) { return codec::decode_all<T>(b); };
}

template <typename T, typename Encode>
void expect_robust(const T& value, Encode encode, Decoder<T> decode) {
  Bytes enc = encode(value);
  auto decoded = decode(enc);
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_TRUE(*decoded == value);
  EXPECT_EQ(encode(*decoded), enc);

  for (size_t n = 0; n < enc.size(); ++n) {
    EXPECT_FALSE(decode(BytesView(enc).first(n))) << "prefix " << n << " of " << enc.size();
  }
  for (size_t i = 0; i < enc.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes flipped = enc;
      flipped[i] ^= static_cast<uint8_t>(1 << bit);
      auto r = decode(flipped);
      if (r) {
        EXPECT_EQ(encode(*r), flipped) << "byte " << i << " bit " << bit;
      }
    }
  }
}

template <typename T>
void expect_wire_struct(const T& value) {
  expect_robust<T>(
      value, [](const T& v) { return codec::encode(v); }, whole<T>());
  Bytes longer = codec::encode(value);
  longer.push_back(0);
  auto r = codec::decode_all<T>(longer);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::trailing_data);
}

// A commit by value and by reference, with or without a path.
Commit commit_sample(bool with_path) {
  Commit c;
  c.proposals.emplace_back(Proposal(Remove{5}));
  c.proposals.push_back(ProposalOrRef::reference(filled(32, 0xdd)));
  if (with_path) c.path = sample_update_path();
  return c;
}

std::vector<ContentBody> bodies() {
  return {app("application data"), Proposal(Remove{5}), Proposal(Add{sample_key_package()}),
          commit_sample(true), commit_sample(false)};
}

std::vector<Sender> senders() {
  return {Sender::member(LeafIndex(7)), Sender::external(2), Sender::new_member_proposal(),
          Sender::new_member_commit()};
}

FramedContent sample_content(ContentBody body, Sender sender = Sender::member(LeafIndex(1))) {
  return FramedContent{to_bytes("group"), 0x0102030405060708ull, sender, to_bytes("aad"),
                       std::move(body)};
}

framing::FramedContentAuthData sample_auth(const ContentBody& body) {
  framing::FramedContentAuthData auth{filled(64, 0x5a), std::nullopt};
  if (std::holds_alternative<Commit>(body)) auth.confirmation_tag = filled(32, 0xc0);
  return auth;
}

TEST(FramingCodec, Sender) {
  for (const auto& s : senders()) expect_wire_struct(s);
  for (uint8_t bad : {0, 5, 255}) {
    Bytes enc = {bad, 0, 0, 0, 1};
    EXPECT_EQ(code_of(codec::decode_all<Sender>(enc)), ErrorCode::unknown_value);
  }
}

TEST(FramingCodec, FramedContent) {
  for (const auto& body : bodies()) expect_wire_struct(sample_content(body));
  for (const auto& s : senders()) expect_wire_struct(sample_content(app("x"), s));
  // Content type 0 and 4 are not content types.
  for (uint8_t bad : {0, 4}) {
    Bytes enc = codec::encode(sample_content(app("")));
    enc[enc.size() - 2] = bad;  // the content type before opaque<V> ""
    EXPECT_EQ(code_of(codec::decode_all<FramedContent>(enc)), ErrorCode::unknown_value);
  }
}

TEST(FramingCodec, AuthenticatedContent) {
  for (const auto& body : bodies()) {
    for (auto wf : {WireFormat::public_message, WireFormat::private_message}) {
      expect_wire_struct(AuthenticatedContent{wf, sample_content(body), sample_auth(body)});
    }
  }
  // Only the two framed wire formats.
  auto ac =
      AuthenticatedContent{WireFormat::welcome, sample_content(app("x")), sample_auth(app("x"))};
  EXPECT_EQ(code_of(codec::decode_all<AuthenticatedContent>(codec::encode(ac))),
            ErrorCode::invalid_value);
}

TEST(FramingCodec, FramedContentTBS) {
  for (const auto& s : senders()) {
    framing::FramedContentTBS tbs;
    tbs.wire_format = WireFormat::private_message;
    tbs.content = sample_content(Proposal(Remove{1}), s);
    if (framing::tbs_has_context(s.sender_type)) tbs.context = sample_group_context();
    expect_wire_struct(tbs);
    // The encoder the signer uses gives the same bytes.
    EXPECT_EQ(framing::encode_framed_content_tbs(tbs.wire_format, tbs.content,
                                                 codec::encode(sample_group_context())),
              codec::encode(tbs));
  }
}

TEST(FramingCodec, PublicMessage) {
  for (const auto& body : bodies()) {
    for (const auto& s : senders()) {
      framing::PublicMessage pm{sample_content(body, s), sample_auth(body), std::nullopt};
      if (s.sender_type == framing::SenderType::member) pm.membership_tag = filled(32, 0x7a);
      expect_wire_struct(pm);
      expect_wire_struct(framing::MLSMessage(pm));
    }
  }
}

TEST(FramingCodec, PrivateMessageAndItsParts) {
  framing::PrivateMessage pm{to_bytes("group"),   9,
                             ContentType::commit, to_bytes("aad"),
                             filled(28, 0x11),    filled(100, 0x22)};
  expect_wire_struct(pm);
  expect_wire_struct(framing::MLSMessage(pm));
  expect_wire_struct(framing::SenderData{3, 0xfffffffe, {9, 8, 7, 6}});
  expect_wire_struct(framing::SenderDataAAD{to_bytes("group"), 9, ContentType::proposal});
  expect_wire_struct(
      framing::PrivateContentAAD{to_bytes("group"), 9, ContentType::application, to_bytes("a")});
}

TEST(FramingCodec, PrivateMessageContent) {
  for (const auto& body : bodies()) {
    ContentType type = framing::content_type_of(body);
    for (size_t padding : {0, 1, 31}) {
      framing::PrivateMessageContent pmc{body, sample_auth(body), padding};
      auto encode = [](const framing::PrivateMessageContent& v) {
        codec::Writer w;
        v.encode(w);
        return w.take();
      };
      // Extra zero bytes are padding here, not trailing data: cutting or
      // extending the padding still decodes, so only check the round trip
      // and the bit flips (a flipped padding bit is bad_padding).
      Bytes enc = encode(pmc);
      auto decoded = framing::PrivateMessageContent::decode(enc, type);
      ASSERT_TRUE(decoded) << decoded.error().describe();
      EXPECT_TRUE(*decoded == pmc);
      for (size_t i = 0; i < enc.size(); ++i) {
        Bytes flipped = enc;
        flipped[i] ^= 0x10;
        auto r = framing::PrivateMessageContent::decode(flipped, type);
        if (r) {
          EXPECT_EQ(encode(*r), flipped) << i;
        }
        if (i >= enc.size() - padding) {
          ASSERT_FALSE(r);
          EXPECT_EQ(r.error().code, ErrorCode::bad_padding);
        }
      }
      for (size_t n = 0; n + padding < enc.size(); ++n) {
        EXPECT_FALSE(framing::PrivateMessageContent::decode(BytesView(enc).first(n), type)) << n;
      }
    }
  }
}

TEST(FramingCodec, TranscriptHashInputs) {
  framing::ConfirmedTranscriptHashInput in{WireFormat::public_message,
                                           sample_content(commit_sample(true)), filled(64, 3)};
  expect_wire_struct(in);
  AuthenticatedContent ac{in.wire_format, in.content, {in.signature, filled(32, 4)}};
  EXPECT_EQ(*framing::confirmed_transcript_hash_input(ac), codec::encode(in));
  ac.content.body = app("x");
  ac.auth.confirmation_tag.reset();
  EXPECT_EQ(code_of(framing::confirmed_transcript_hash_input(ac)), ErrorCode::invalid_value);
  // A non-commit does not decode as one.
  framing::ConfirmedTranscriptHashInput not_commit{WireFormat::public_message,
                                                   sample_content(app("x")), filled(4, 3)};
  EXPECT_EQ(
      code_of(codec::decode_all<framing::ConfirmedTranscriptHashInput>(codec::encode(not_commit))),
      ErrorCode::invalid_value);
  expect_wire_struct(framing::InterimTranscriptHashInput{filled(32, 5)});
}

TEST(FramingCodec, MLSMessageOtherWireFormats) {
  expect_wire_struct(framing::MLSMessage(sample_key_package()));
  expect_wire_struct(framing::MLSMessage(sample_group_info()));
  expect_wire_struct(framing::MLSMessage(sample_welcome()));
  Bytes enc = codec::encode(framing::MLSMessage(sample_key_package()));
  for (uint16_t bad_wf : {0, 6, 0xffff}) {
    Bytes b = enc;
    b[2] = static_cast<uint8_t>(bad_wf >> 8);
    b[3] = static_cast<uint8_t>(bad_wf);
    EXPECT_EQ(code_of(codec::decode_all<framing::MLSMessage>(b)), ErrorCode::unknown_value);
  }
  Bytes bad_version = enc;
  bad_version[1] = 2;
  EXPECT_EQ(code_of(codec::decode_all<framing::MLSMessage>(bad_version)), ErrorCode::unknown_value);
}

// Every MLSMessage of the official vectors decodes and re-encodes unchanged,
// and rejects a trailing byte.
TEST(FramingCodec, OfficialMessages) {
  std::ifstream in(std::string(MLS_TEST_VECTORS_DIR) + "/messages.json");
  ASSERT_TRUE(in) << "messages.json not found";
  auto cases = nlohmann::json::parse(in);
  size_t checked = 0;
  for (const auto& c : cases) {
    for (const char* field :
         {"mls_welcome", "mls_group_info", "mls_key_package", "public_message_application",
          "public_message_proposal", "public_message_commit", "private_message"}) {
      Bytes enc = *from_hex(c.at(field).get<std::string>());
      auto m = codec::decode_all<framing::MLSMessage>(enc);
      ASSERT_TRUE(m) << field << ": " << m.error().describe();
      EXPECT_EQ(codec::encode(*m), enc) << field;
      enc.push_back(0);
      EXPECT_EQ(code_of(codec::decode_all<framing::MLSMessage>(enc)), ErrorCode::trailing_data);
      ++checked;
    }
  }
  EXPECT_GT(checked, 0u);
}

}  // namespace
}  // namespace mls::test
