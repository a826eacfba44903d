#include "framing/private_message.h"

#include <algorithm>

#include "crypto/random.h"
#include "schedule/key_schedule.h"

namespace mls::framing {

struct PrivateMessageVerifier {
  static Verified<AuthenticatedContent> accept(AuthenticatedContent content) {
    return Verifier<AuthenticatedContent>::make(std::move(content));
  }
};

void PrivateMessageContent::encode(codec::Writer& w) const {
  encode_body(w, body);
  auth.encode(w);
  for (size_t i = 0; i < padding; ++i) w.u8(0);
}

Result<PrivateMessageContent> PrivateMessageContent::decode(BytesView plaintext, ContentType type) {
  codec::Reader r(plaintext);
  PrivateMessageContent out;
  MLS_CHECK(decode_body(r, type, out.body));
  MLS_CHECK(FramedContentAuthData::decode(r, type, out.auth));
  BytesView padding = r.rest();
  if (!std::all_of(padding.begin(), padding.end(), [](uint8_t b) { return b == 0; })) {
    return r.error(ErrorCode::bad_padding, "non-zero byte in PrivateMessageContent padding");
  }
  out.padding = padding.size();
  return out;
}

namespace {

schedule::RatchetType ratchet_for(ContentType type) {
  return type == ContentType::application ? schedule::RatchetType::application
                                          : schedule::RatchetType::handshake;
}

Bytes content_aad(BytesView group_id, uint64_t epoch, ContentType type,
                  BytesView authenticated_data) {
  return codec::encode(
      PrivateContentAAD{Bytes(group_id.begin(), group_id.end()), epoch, type,
                        Bytes(authenticated_data.begin(), authenticated_data.end())});
}

Bytes sender_data_aad(BytesView group_id, uint64_t epoch, ContentType type) {
  return codec::encode(SenderDataAAD{Bytes(group_id.begin(), group_id.end()), epoch, type});
}

Result<std::array<uint8_t, 4>> fresh_reuse_guard() {
  std::array<uint8_t, 4> guard{};
  Bytes random = MLS_TRY(crypto::random_bytes(guard.size()).map_error([](Error e) {
    return Error(e.code, "reuse guard: " + e.message);
  }));
  std::copy(random.begin(), random.end(), guard.begin());
  return guard;
}

}  // namespace

Result<PrivateMessage> protect_private(const EpochView& epoch, BytesView sender_data_secret,
                                       schedule::SecretTree& secret_tree,
                                       const AuthenticatedContent& content,
                                       const PrivateProtectOptions& options) {
  const FramedContent& framed = content.content;
  if (content.wire_format != WireFormat::private_message) {
    return make_error(ErrorCode::usage, "content was signed for another wire format");
  }
  auto leaf = framed.sender.leaf_index();
  if (!leaf) return make_error(ErrorCode::usage, "only members send PrivateMessages (§6.3.2)");
  ContentType type = framed.content_type();
  if ((type == ContentType::commit) != content.auth.confirmation_tag.has_value()) {
    return make_error(ErrorCode::usage, "a commit, and only a commit, carries a confirmation tag");
  }
  MLS_CHECK(check_group_and_epoch(epoch, framed.group_id, framed.epoch).map_error([](Error e) {
    return Error(ErrorCode::usage, e.message);
  }));

  std::array<uint8_t, 4> guard =
      options.reuse_guard ? *options.reuse_guard : MLS_TRY(fresh_reuse_guard());
  schedule::RatchetKey key = MLS_TRY(secret_tree.next_key(*leaf, ratchet_for(type)));
  SecretBytes nonce = schedule::apply_reuse_guard(key.nonce, guard);

  codec::Writer plaintext;
  PrivateMessageContent{framed.body, content.auth, options.padding}.encode(plaintext);

  PrivateMessage out;
  out.group_id = framed.group_id;
  out.epoch = framed.epoch;
  out.content_type = type;
  out.authenticated_data = framed.authenticated_data;
  out.ciphertext = MLS_TRY(epoch.suite.aead_seal(
      key.key, nonce, content_aad(out.group_id, out.epoch, type, out.authenticated_data),
      plaintext.bytes()));

  auto sender_key =
      MLS_TRY(schedule::sender_data_key_nonce(epoch.suite, sender_data_secret, out.ciphertext));
  Bytes sender_data = codec::encode(SenderData{leaf->value, key.generation, guard});
  out.encrypted_sender_data =
      MLS_TRY(epoch.suite.aead_seal(sender_key.key, sender_key.nonce,
                                    sender_data_aad(out.group_id, out.epoch, type), sender_data));
  return out;
}

Result<Verified<AuthenticatedContent>> unprotect_private(const EpochView& epoch,
                                                         BytesView sender_data_secret,
                                                         schedule::SecretTree& secret_tree,
                                                         const SenderKeys& keys,
                                                         const PrivateMessage& message) {
  MLS_CHECK(check_group_and_epoch(epoch, message.group_id, message.epoch));
  ContentType type = message.content_type;

  // §6.3.2: the sender data, under a key from sender_data_secret and a sample
  // of the content ciphertext.
  auto sender_key =
      MLS_TRY(schedule::sender_data_key_nonce(epoch.suite, sender_data_secret, message.ciphertext));
  Bytes sender_plain = MLS_TRY(epoch.suite.aead_open(
      sender_key.key, sender_key.nonce, sender_data_aad(message.group_id, message.epoch, type),
      message.encrypted_sender_data));
  SenderData sender = MLS_TRY(codec::decode_all<SenderData>(sender_plain));

  // The leaf MUST be non-blank (§6.3.2); checking it first also keeps a
  // bogus index away from the secret tree.
  tree::LeafIndex leaf(sender.leaf_index);
  if (keys.own_leaf() == leaf) return make_error(ErrorCode::usage, "a message we sent ourselves");
  auto signature_key = keys.member_signature_key(leaf);
  if (!signature_key || sender.leaf_index >= secret_tree.leaf_count().value) {
    return make_error(ErrorCode::unknown_sender,
                      "sender data names blank or absent leaf " + std::to_string(leaf.value));
  }

  // §6.3.1: the content, under the sender's ratchet key for the generation.
  // The key is consumed only once the content decrypted and its signature
  // verified (§9.2): neither the content ciphertext nor authenticated_data is
  // covered by the sender data, so a tampered copy must not burn the key of
  // the genuine message.
  schedule::RatchetKey key =
      MLS_TRY(secret_tree.peek_key(leaf, ratchet_for(type), sender.generation));
  SecretBytes nonce = schedule::apply_reuse_guard(key.nonce, sender.reuse_guard);
  Bytes plaintext = MLS_TRY(epoch.suite.aead_open(
      key.key, nonce,
      content_aad(message.group_id, message.epoch, type, message.authenticated_data),
      message.ciphertext));
  PrivateMessageContent body = MLS_TRY(PrivateMessageContent::decode(plaintext, type));

  AuthenticatedContent content{WireFormat::private_message,
                               FramedContent{message.group_id, message.epoch, Sender::member(leaf),
                                             message.authenticated_data, std::move(body.body)},
                               std::move(body.auth)};
  MLS_CHECK(verify_content_signature(epoch, content, *signature_key));
  MLS_CHECK(secret_tree.consume_key(leaf, ratchet_for(type), sender.generation));
  return PrivateMessageVerifier::accept(std::move(content));
}

}  // namespace mls::framing
