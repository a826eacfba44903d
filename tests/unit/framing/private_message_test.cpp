// PrivateMessage (RFC 9420 §6.3): protect and unprotect in every suite, and
// each receive-side check rejecting with its own error, including the
// secret tree's (replay, generations too old or too far).
#include "fixture.h"
#include "schedule/key_schedule.h"

namespace mls::test {
namespace {

using framing::PrivateMessage;
using framing::unprotect_private;

class PrivateMessageSuites : public ::testing::TestWithParam<uint16_t> {};

TEST_P(PrivateMessageSuites, EveryContentTypeRoundTrips) {
  Group g(GetParam());
  auto sender = g.secret_tree();
  auto receiver = g.secret_tree();
  size_t padding = 0;
  for (const ContentBody& body : {app("hello"), remove_proposal(), empty_commit(), app("again")}) {
    auto pm = g.private_message(sender, body, 3, padding);
    padding += 17;
    Bytes wire = codec::encode(framing::MLSMessage(pm));
    auto decoded = codec::decode_all<framing::MLSMessage>(wire);
    ASSERT_TRUE(decoded) << decoded.error().describe();
    auto verified = unprotect_private(g.view(), g.sender_data_secret, receiver, g.keys,
                                      *decoded->get<PrivateMessage>());
    ASSERT_TRUE(verified) << verified.error().describe();
    EXPECT_EQ(verified->get().wire_format, WireFormat::private_message);
    EXPECT_EQ(verified->get().content.sender, Sender::member(LeafIndex(3)));
    EXPECT_EQ(verified->get().content.epoch, g.epoch);
    EXPECT_EQ(verified->get().content.authenticated_data, to_bytes("aad"));
    EXPECT_TRUE(verified->get().content.body == body);
    EXPECT_EQ(verified->get().auth.confirmation_tag.has_value(),
              verified->get().content.commit() != nullptr);
  }
}

INSTANTIATE_TEST_SUITE_P(AllSuites, PrivateMessageSuites,
                         ::testing::ValuesIn(crypto::kAllCipherSuites));

class PrivateMessageChecks : public ::testing::Test {
 protected:
  Group g;
  schedule::SecretTree sender = g.secret_tree();
  schedule::SecretTree receiver = g.secret_tree();

  std::optional<ErrorCode> receive(const PrivateMessage& pm) {
    return code_of(unprotect_private(g.view(), g.sender_data_secret, receiver, g.keys, pm));
  }

  // Encrypts `plaintext` as the PrivateMessageContent of leaf `leaf`'s next
  // message, exactly as §6.3 says, for plaintexts protect_private would
  // never produce.
  PrivateMessage seal_raw(framing::ContentType type, BytesView plaintext, uint32_t leaf,
                          uint32_t claimed_leaf) {
    auto ratchet = type == framing::ContentType::application ? schedule::RatchetType::application
                                                             : schedule::RatchetType::handshake;
    auto key = sender.next_key(LeafIndex(leaf), ratchet);
    EXPECT_TRUE(key);
    std::array<uint8_t, 4> guard{1, 2, 3, 4};
    PrivateMessage pm{g.group_id, g.epoch, type, to_bytes("aad"), {}, {}};
    Bytes aad = codec::encode(
        framing::PrivateContentAAD{pm.group_id, pm.epoch, type, pm.authenticated_data});
    pm.ciphertext = *g.suite.aead_seal(key->key, schedule::apply_reuse_guard(key->nonce, guard),
                                       aad, plaintext);
    auto sd = schedule::sender_data_key_nonce(g.suite, g.sender_data_secret, pm.ciphertext);
    Bytes sd_aad = codec::encode(framing::SenderDataAAD{pm.group_id, pm.epoch, type});
    pm.encrypted_sender_data = *g.suite.aead_seal(
        sd->key, sd->nonce, sd_aad,
        codec::encode(framing::SenderData{claimed_leaf, key->generation, guard}));
    return pm;
  }

  // The plaintext protect_private would encrypt for this content.
  Bytes plaintext_of(const AuthenticatedContent& ac, size_t padding) {
    codec::Writer w;
    framing::PrivateMessageContent{ac.content.body, ac.auth, padding}.encode(w);
    return w.take();
  }
};

TEST_F(PrivateMessageChecks, WrongGroup) {
  auto pm = g.private_message(sender, app("x"));
  pm.group_id = to_bytes("another group");
  EXPECT_EQ(receive(pm), ErrorCode::wrong_group);
}

TEST_F(PrivateMessageChecks, PastAndFutureEpoch) {
  auto pm = g.private_message(sender, app("x"));
  for (uint64_t epoch : {g.epoch - 1, g.epoch + 1}) {
    auto other = pm;
    other.epoch = epoch;
    EXPECT_EQ(receive(other), ErrorCode::wrong_epoch) << epoch;
  }
  // The message itself is still good for the right epoch.
  EXPECT_EQ(receive(pm), std::nullopt);
}

TEST_F(PrivateMessageChecks, ReusedGenerationIsReplay) {
  auto pm = g.private_message(sender, app("once"));
  EXPECT_EQ(receive(pm), std::nullopt);
  EXPECT_EQ(receive(pm), ErrorCode::key_already_used);
}

TEST_F(PrivateMessageChecks, OutOfOrderWithinWindow) {
  auto first = g.private_message(sender, app("1"));
  auto second = g.private_message(sender, app("2"));
  auto third = g.private_message(sender, app("3"));
  EXPECT_EQ(receive(third), std::nullopt);
  EXPECT_EQ(receive(first), std::nullopt);
  EXPECT_EQ(receive(second), std::nullopt);
  EXPECT_EQ(receive(second), ErrorCode::key_already_used);
}

TEST_F(PrivateMessageChecks, GenerationBeyondTheWindow) {
  schedule::RatchetConfig config;
  config.max_forward_distance = 5;
  config.out_of_order_tolerance = 2;
  receiver = g.secret_tree(config);
  std::vector<PrivateMessage> sent;
  for (int i = 0; i < 12; ++i) sent.push_back(g.private_message(sender, app("m")));
  // Generation 11 is more than 5 ahead of 0.
  EXPECT_EQ(receive(sent[11]), ErrorCode::generation_too_far);
  EXPECT_EQ(receive(sent[5]), std::nullopt);
  // Generation 0 now lies below the kept window.
  EXPECT_EQ(receive(sent[0]), ErrorCode::generation_too_old);
}

TEST_F(PrivateMessageChecks, NonZeroPadding) {
  auto ac = g.sign(WireFormat::private_message, g.framed(app("padded")), 0);
  Bytes plaintext = plaintext_of(ac, 8);
  EXPECT_EQ(receive(seal_raw(framing::ContentType::application, plaintext, 0, 0)), std::nullopt);
  plaintext[plaintext.size() - 3] = 0x01;
  EXPECT_EQ(receive(seal_raw(framing::ContentType::application, plaintext, 0, 0)),
            ErrorCode::bad_padding);
}

TEST_F(PrivateMessageChecks, MalformedContent) {
  // Content of one type decoded as another: a decode error, no crash.
  auto ac = g.sign(WireFormat::private_message, g.framed(app("text")), 0);
  auto r = receive(seal_raw(framing::ContentType::commit, plaintext_of(ac, 0), 0, 0));
  ASSERT_TRUE(r);
  EXPECT_NE(*r, ErrorCode::bad_signature);
  // Cut inside the signature.
  Bytes cut = plaintext_of(ac, 0);
  cut.pop_back();
  EXPECT_EQ(receive(seal_raw(framing::ContentType::application, cut, 0, 0)), ErrorCode::truncated);
}

TEST_F(PrivateMessageChecks, SenderDataNamesBlankLeaf) {
  // Leaf 2 is blank; its ratchet exists in the secret tree all the same.
  auto ac = g.sign(WireFormat::private_message, g.framed(app("x")), 0);
  EXPECT_EQ(
      receive(seal_raw(framing::ContentType::application, plaintext_of(ac, 0), 2, Group::kBlank)),
      ErrorCode::unknown_sender);
  // A leaf beyond the tree.
  EXPECT_EQ(receive(seal_raw(framing::ContentType::application, plaintext_of(ac, 0), 0, 4)),
            ErrorCode::unknown_sender);
  EXPECT_EQ(
      receive(seal_raw(framing::ContentType::application, plaintext_of(ac, 0), 0, 0xffffffff)),
      ErrorCode::unknown_sender);
}

TEST_F(PrivateMessageChecks, SenderDataMustDecode) {
  auto pm = g.private_message(sender, app("x"));
  // Re-encrypt the sender data with a byte too many.
  auto sd = schedule::sender_data_key_nonce(g.suite, g.sender_data_secret, pm.ciphertext);
  Bytes sd_aad = codec::encode(framing::SenderDataAAD{pm.group_id, pm.epoch, pm.content_type});
  Bytes plain = codec::encode(framing::SenderData{0, 0, {}});
  plain.push_back(0);
  pm.encrypted_sender_data = *g.suite.aead_seal(sd->key, sd->nonce, sd_aad, plain);
  EXPECT_EQ(receive(pm), ErrorCode::trailing_data);
}

TEST_F(PrivateMessageChecks, BadSignature) {
  // Leaf 1 signs, the sender data says leaf 0 (whose ratchet encrypts).
  auto ac = g.sign(WireFormat::private_message, g.framed(app("x")), 1);
  EXPECT_EQ(receive(seal_raw(framing::ContentType::application, plaintext_of(ac, 0), 0, 0)),
            ErrorCode::bad_signature);
}

TEST_F(PrivateMessageChecks, TamperingFailsDecryption) {
  // Each on a fresh message, so every check stands alone.
  auto flip = [](Bytes& b, size_t i) { b.at(i) ^= 0x01; };
  auto pm = g.private_message(sender, app("x"));
  flip(pm.ciphertext, 0);  // also changes the sender-data key (the sample)
  EXPECT_EQ(receive(pm), ErrorCode::decryption_failed);
  pm = g.private_message(sender, app("x"));
  flip(pm.ciphertext, pm.ciphertext.size() - 1);
  EXPECT_EQ(receive(pm), ErrorCode::decryption_failed);
  pm = g.private_message(sender, app("x"));
  flip(pm.encrypted_sender_data, 2);
  EXPECT_EQ(receive(pm), ErrorCode::decryption_failed);
  pm = g.private_message(sender, app("x"));
  pm.authenticated_data.push_back(0);
  EXPECT_EQ(receive(pm), ErrorCode::decryption_failed);
  pm = g.private_message(sender, app("x"));
  pm.content_type = framing::ContentType::proposal;  // in both AADs
  EXPECT_EQ(receive(pm), ErrorCode::decryption_failed);
  pm = g.private_message(sender, app("x"));
  Group other;  // other secrets, same group id and epoch
  EXPECT_EQ(code_of(unprotect_private(g.view(), other.sender_data_secret, receiver, g.keys, pm)),
            ErrorCode::decryption_failed);
}

// §9.2 deletes a key once it has decrypted a message. The sender data does
// not cover the content ciphertext (beyond its sample) nor
// authenticated_data, so anyone on the path can send a tampered copy whose
// sender data still opens; that copy must not burn the genuine message's key.
TEST_F(PrivateMessageChecks, TamperedCopyDoesNotBurnTheKey) {
  auto genuine = g.private_message(sender, app("real"));
  PrivateMessage tampered = genuine;
  tampered.ciphertext.back() ^= 0x01;  // outside the sender-data sample
  EXPECT_EQ(receive(tampered), ErrorCode::decryption_failed);
  EXPECT_EQ(receive(tampered), ErrorCode::decryption_failed);
  tampered = genuine;
  tampered.authenticated_data.at(0) ^= 0x01;
  EXPECT_EQ(receive(tampered), ErrorCode::decryption_failed);
  EXPECT_EQ(receive(genuine), std::nullopt);
  // Once it has decrypted, the key is gone: replay, and tampered copies too.
  EXPECT_EQ(receive(genuine), ErrorCode::key_already_used);
  EXPECT_EQ(receive(tampered), ErrorCode::key_already_used);
}

TEST_F(PrivateMessageChecks, TamperedCopyAheadDoesNotBurnTheKey) {
  // A tampered copy of a later generation advances the ratchet; the skipped
  // generations and the tampered one all stay usable.
  auto first = g.private_message(sender, app("1"));
  auto second = g.private_message(sender, app("2"));
  PrivateMessage tampered = second;
  tampered.authenticated_data.push_back(0);
  EXPECT_EQ(receive(tampered), ErrorCode::decryption_failed);
  EXPECT_EQ(receive(second), std::nullopt);
  EXPECT_EQ(receive(first), std::nullopt);
  EXPECT_EQ(receive(second), ErrorCode::key_already_used);
  EXPECT_EQ(receive(first), ErrorCode::key_already_used);
}

TEST_F(PrivateMessageChecks, BadSignatureDoesNotBurnTheKey) {
  // Content that decrypts but fails verification consumes nothing either:
  // the key is deleted only once the message is accepted.
  auto forged = g.sign(WireFormat::private_message, g.framed(app("x")), 1);
  auto bad = seal_raw(framing::ContentType::application, plaintext_of(forged, 0), 0, 0);
  EXPECT_EQ(receive(bad), ErrorCode::bad_signature);
  EXPECT_EQ(receive(bad), ErrorCode::bad_signature);
}

TEST_F(PrivateMessageChecks, ProtectRefusesNonMembers) {
  auto ac = g.sign(WireFormat::private_message, g.framed(remove_proposal(), Sender::external(0)),
                   *g.external_signer);
  EXPECT_EQ(code_of(framing::protect_private(g.view(), g.sender_data_secret, sender, ac)),
            ErrorCode::usage);
  auto pub = g.sign(WireFormat::public_message, g.framed(remove_proposal()), 0);
  EXPECT_EQ(code_of(framing::protect_private(g.view(), g.sender_data_secret, sender, pub)),
            ErrorCode::usage);
}

TEST_F(PrivateMessageChecks, ReuseGuardIsFresh) {
  // Two messages never share the nonce-masking guard (with overwhelming
  // probability), so equal plaintexts at equal generations still differ.
  auto other_sender = g.secret_tree();
  auto a = g.private_message(sender, app("same"));
  auto b = g.private_message(other_sender, app("same"));
  EXPECT_NE(a.ciphertext, b.ciphertext);
}

}  // namespace
}  // namespace mls::test
