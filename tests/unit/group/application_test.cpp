// Application messages through the group API (RFC 9420 §6.3, §9): a forged
// or altered PrivateMessage is refused without using up the key it names, a
// message decrypts once only (its key is deleted, §9.2), messages may arrive
// out of order within GroupConfig's limits, and a member's own messages,
// echoed back, are refused as usage.
#include <gtest/gtest.h>

#include "group_test_util.h"

namespace mls::test {
namespace {

ApplicationMessage receive(Client& c, const Bytes& msg) {
  auto r = c.g().process(msg);
  EXPECT_TRUE(r) << c.name << ": " << r.error().describe();
  if (!r) return {};
  auto* app = std::get_if<ApplicationMessage>(&*r);
  EXPECT_NE(app, nullptr) << c.name;
  return app != nullptr ? *app : ApplicationMessage{};
}

TEST(ApplicationMessages, AlteredThenTheOriginalThenAReplay) {
  Trio t = trio_clients();
  make_trio(t);
  UNWRAP(msg, t.alice.g().protect(to_bytes("the original"), to_bytes("aad")));
  // Every byte of the ciphertext's last part (the AEAD output) and of the
  // middle (the encrypted sender data), one at a time.
  for (size_t i : {msg.size() - 1, msg.size() - 17, msg.size() / 2}) {
    Bytes altered = msg;
    altered[i] ^= 0x01;
    Snapshot before(t.bob.g());
    auto r = t.bob.g().process(altered);
    ASSERT_FALSE(r) << "byte " << i;
    EXPECT_NE(r.error().code, ErrorCode::key_already_used) << r.error().describe();
    before.expect_same(t.bob.g());
  }
  // The key the altered copies named is still there for the real message.
  ApplicationMessage got = receive(t.bob, msg);
  EXPECT_EQ(got.data, to_bytes("the original"));
  EXPECT_EQ(got.authenticated_data, to_bytes("aad"));
  EXPECT_EQ(got.sender, 0u);
  EXPECT_EQ(got.epoch, t.alice.g().epoch());
  // Then it is deleted: the same message again is refused (§9.2).
  expect_error(status_of(t.bob.g().process(msg)), ErrorCode::key_already_used);
  // carol still reads it once.
  EXPECT_EQ(receive(t.carol, msg).data, to_bytes("the original"));
}

TEST(ApplicationMessages, OutOfOrderWithinTheTolerance) {
  Trio t = trio_clients();
  make_trio(t);
  std::vector<Bytes> sent;
  for (int i = 0; i < 5; ++i) {
    UNWRAP(m, t.carol.g().protect(to_bytes("m" + std::to_string(i))));
    sent.push_back(std::move(m));
  }
  for (int i : {4, 0, 2, 1, 3}) {
    EXPECT_EQ(receive(t.alice, sent[static_cast<size_t>(i)]).data,
              to_bytes("m" + std::to_string(i)));
  }
  for (int i : {4, 0, 2, 1, 3}) {
    expect_error(status_of(t.alice.g().process(sent[static_cast<size_t>(i)])),
                 ErrorCode::key_already_used);
  }
}

TEST(ApplicationMessages, TooFarAheadIsRefusedAndTheNextOneStillReads) {
  Trio t = trio_clients();
  t.config = test_config();
  t.config.max_forward_distance = 3;
  make_trio(t);
  std::vector<Bytes> sent;
  for (int i = 0; i < 6; ++i) {
    UNWRAP(m, t.bob.g().protect(to_bytes("m" + std::to_string(i))));
    sent.push_back(std::move(m));
  }
  Snapshot before(t.alice.g());
  expect_error(status_of(t.alice.g().process(sent[5])), ErrorCode::generation_too_far);
  before.expect_same(t.alice.g());
  EXPECT_EQ(receive(t.alice, sent[0]).data, to_bytes("m0"));
  EXPECT_EQ(receive(t.alice, sent[3]).data, to_bytes("m3"));
  EXPECT_EQ(receive(t.alice, sent[5]).data, to_bytes("m5"));
}

TEST(ApplicationMessages, OurOwnMessagesAreRefusedAsUsage) {
  for (auto format : {HandshakeFormat::public_message, HandshakeFormat::private_message}) {
    Trio t = trio_clients();
    t.config = test_config(format);
    make_trio(t);
    // A delivery service echoing our messages back: each is refused as
    // usage (we hold our proposals and commits already; the key of our
    // application message is deleted), and changes nothing.
    UNWRAP(app, t.alice.g().protect(to_bytes("mine")));
    UNWRAP(prop, t.alice.g().propose_remove(2));
    UNWRAP(out, t.alice.g().commit());
    for (const Bytes* m : {&app, &prop, &out.commit}) {
      Snapshot before(t.alice.g());
      expect_error(status_of(t.alice.g().process(*m)), ErrorCode::usage, "sent ourselves");
      before.expect_same(t.alice.g());
    }
    EXPECT_EQ(receive(t.bob, app).data, to_bytes("mine"));
    deliver_proposal({&t.bob}, prop);
    ASSERT_TRUE(deliver_commit(t.alice, {&t.bob}, out.commit));
    expect_agreement({&t.alice, &t.bob});
  }
}

}  // namespace
}  // namespace mls::test
