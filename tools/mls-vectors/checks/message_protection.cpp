// message-protection.json (../shared/interop/test-vectors.md, "Message
// Protection"): for a proposal, a commit and application data sent by leaf 1
// of a two-member group, the given PublicMessage and PrivateMessage unprotect
// to the raw value, and protecting the raw value ourselves gives messages
// that unprotect again (RFC 9420 §6.2, §6.3). Application data may not be
// sent as a PublicMessage.
#include <string>

#include "crypto/cipher_suite.h"
#include "framing/mls_message.h"
#include "messages/group_context.h"
#include "schedule/secret_tree.h"
#include "vectors.h"

namespace mls::vectors {
namespace {

using framing::AuthenticatedContent;
using framing::ContentBody;
using framing::WireFormat;

constexpr tree::LeafIndex kSender{1};

struct Fixture {
  crypto::CipherSuite suite;
  Bytes group_id;
  uint64_t epoch;
  Bytes group_context;
  SecretBytes encryption_secret;
  Bytes sender_data_secret;
  Bytes membership_key;
  crypto::PrivateKeySigner signer;
  framing::SenderKeyList keys;

  framing::EpochView view() const { return {suite, group_id, epoch, group_context}; }
  Result<schedule::SecretTree> secret_tree() const {
    return schedule::SecretTree::create(suite, encryption_secret.clone(), tree::LeafCount(2));
  }
};

Result<Fixture> make_fixture(const json& c) {
  auto suite = MLS_TRY(crypto::CipherSuite::get(c.at("cipher_suite").get<uint16_t>()));
  GroupContext context;
  context.cipher_suite = suite.id();
  context.group_id = hex_field(c, "group_id");
  context.epoch = c.at("epoch").get<uint64_t>();
  context.tree_hash = hex_field(c, "tree_hash");
  context.confirmed_transcript_hash = hex_field(c, "confirmed_transcript_hash");
  Bytes signature_pub = hex_field(c, "signature_pub");
  Bytes signature_priv = hex_field(c, "signature_priv");
  auto signer = MLS_TRY(crypto::PrivateKeySigner::from_private_key(suite, signature_priv));
  MLS_CHECK(expect_equal("signature_pub from signature_priv", signer.public_key(), signature_pub));

  framing::SenderKeyList keys;
  keys.members = {std::nullopt, signature_pub};
  return Fixture{suite,
                 context.group_id,
                 context.epoch,
                 codec::encode(context),
                 SecretBytes(hex_field(c, "encryption_secret")),
                 hex_field(c, "sender_data_secret"),
                 hex_field(c, "membership_key"),
                 std::move(signer),
                 std::move(keys)};
}

// The raw value of the case as the body of FramedContent.
Result<ContentBody> decode_raw(const json& c, const std::string& name) {
  Bytes raw = hex_field(c, name);
  if (name == "proposal") return ContentBody(MLS_TRY(codec::decode_all<Proposal>(raw)));
  if (name == "commit") return ContentBody(MLS_TRY(codec::decode_all<Commit>(raw)));
  return ContentBody(framing::ApplicationData{raw});
}

Status expect_body(const std::string& what, const AuthenticatedContent& content,
                   const ContentBody& want) {
  codec::Writer got_w, want_w;
  framing::encode_body(got_w, content.content.body);
  framing::encode_body(want_w, want);
  return expect_equal(what + " content", got_w.bytes(), want_w.bytes());
}

// Decodes an MLSMessage field, checking it re-encodes to the same bytes.
template <typename T>
Result<T> decode_message(const json& c, const std::string& field) {
  Bytes data = hex_field(c, field);
  auto message = MLS_TRY(codec::decode_all<framing::MLSMessage>(data));
  MLS_CHECK(expect_equal(field + " re-encoded", codec::encode(message), data));
  T* body = message.get<T>();
  if (body == nullptr) return make_error(ErrorCode::invalid_value, field + ": wrong wire format");
  return std::move(*body);
}

framing::FramedContent framed(const Fixture& f, ContentBody body) {
  return framing::FramedContent{
      f.group_id, f.epoch, framing::Sender::member(kSender), {}, std::move(body)};
}

// Commits carry a confirmation tag; its value is the group's business (it is
// not checked on unprotect), so any MAC-sized value will do here.
void add_confirmation_tag(const Fixture& f, AuthenticatedContent& content) {
  if (content.content.commit() != nullptr) {
    content.auth.confirmation_tag = f.suite.mac(f.membership_key, content.auth.signature);
  }
}

Status check_public(const json& c, const Fixture& f, const std::string& name,
                    const ContentBody& raw) {
  if (name == "application") {
    auto signed_content =
        framing::sign_content(f.view(), WireFormat::public_message, framed(f, raw), f.signer);
    return expect_true("application data refused as a PublicMessage", !signed_content);
  }
  auto given = MLS_TRY(decode_message<framing::PublicMessage>(c, name + "_pub"));
  auto verified = MLS_TRY(framing::unprotect_public(f.view(), f.membership_key, f.keys, given));
  MLS_CHECK(expect_body(name + "_pub", *verified, raw));

  auto content = MLS_TRY(
      framing::sign_content(f.view(), WireFormat::public_message, framed(f, raw), f.signer));
  add_confirmation_tag(f, content);
  auto message = MLS_TRY(framing::protect_public(f.view(), f.membership_key, content));
  Bytes wire = codec::encode(framing::MLSMessage(message));
  auto decoded = MLS_TRY(codec::decode_all<framing::MLSMessage>(wire));
  auto again = MLS_TRY(framing::unprotect_public(f.view(), f.membership_key, f.keys,
                                                 *decoded.get<framing::PublicMessage>()));
  return expect_true(name + " protected as PublicMessage round trip", *again == content);
}

Status check_private(const json& c, const Fixture& f, const std::string& name,
                     const ContentBody& raw) {
  auto given = MLS_TRY(decode_message<framing::PrivateMessage>(c, name + "_priv"));
  auto receiver = MLS_TRY(f.secret_tree());
  auto verified =
      MLS_TRY(framing::unprotect_private(f.view(), f.sender_data_secret, receiver, f.keys, given));
  MLS_CHECK(expect_body(name + "_priv", *verified, raw));

  auto content = MLS_TRY(
      framing::sign_content(f.view(), WireFormat::private_message, framed(f, raw), f.signer));
  add_confirmation_tag(f, content);
  auto sender = MLS_TRY(f.secret_tree());
  auto message = MLS_TRY(framing::protect_private(f.view(), f.sender_data_secret, sender, content,
                                                  {.padding = 7, .reuse_guard = {}}));
  Bytes wire = codec::encode(framing::MLSMessage(message));
  auto decoded = MLS_TRY(codec::decode_all<framing::MLSMessage>(wire));
  auto fresh_receiver = MLS_TRY(f.secret_tree());
  auto again = MLS_TRY(framing::unprotect_private(f.view(), f.sender_data_secret, fresh_receiver,
                                                  f.keys, *decoded.get<framing::PrivateMessage>()));
  return expect_true(name + " protected as PrivateMessage round trip", *again == content);
}

}  // namespace

Status check_message_protection(const json& c) {
  Fixture f = MLS_TRY(make_fixture(c));
  for (const char* type : {"proposal", "commit", "application"}) {
    std::string name(type);
    ContentBody raw = MLS_TRY(decode_raw(c, name));
    MLS_CHECK(check_public(c, f, name, raw));
    MLS_CHECK(check_private(c, f, name, raw));
  }
  return {};
}

}  // namespace mls::vectors
