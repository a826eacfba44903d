// Round trips of every wire type of src/messages, and the damaged encodings
// (cut short, extended, bit-flipped) each must reject without crashing.
#include <gtest/gtest.h>

#include "samples.h"

namespace mls {
namespace {

using namespace mls::test;

// The encoding of `value` decodes to an equal value and re-encodes to the
// same bytes; every strict prefix and every extension by a byte is rejected;
// every single-bit flip either is rejected or decodes to a value that
// re-encodes to the flipped bytes (the codec is canonical).
template <typename T>
void expect_wire_type(const T& value) {
  Bytes enc = codec::encode(value);
  auto decoded = codec::decode_all<T>(enc);
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_TRUE(*decoded == value);
  EXPECT_EQ(codec::encode(*decoded), enc);

  for (size_t n = 0; n < enc.size(); ++n) {
    auto cut = codec::decode_all<T>(BytesView(enc).first(n));
    EXPECT_FALSE(cut) << "prefix of " << n << " of " << enc.size() << " bytes decoded";
  }
  for (uint8_t extra : {0x00, 0x01, 0xff}) {
    Bytes longer = enc;
    longer.push_back(extra);
    auto r = codec::decode_all<T>(longer);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::trailing_data);
  }
  for (size_t i = 0; i < enc.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes flipped = enc;
      flipped[i] ^= static_cast<uint8_t>(1 << bit);
      auto r = codec::decode_all<T>(flipped);
      if (r) {
        EXPECT_EQ(codec::encode(*r), flipped) << "byte " << i << " bit " << bit;
      }
    }
  }
}

TEST(MessagesCodec, PreSharedKeyID) {
  expect_wire_type(sample_external_psk());
  expect_wire_type(sample_resumption_psk());
}
TEST(MessagesCodec, GroupContext) { expect_wire_type(sample_group_context()); }
TEST(MessagesCodec, KeyPackage) { expect_wire_type(sample_key_package()); }
TEST(MessagesCodec, Add) { expect_wire_type(Add{sample_key_package()}); }
TEST(MessagesCodec, Update) {
  expect_wire_type(Update{sample_leaf(LeafNodeSource::update)});
  expect_wire_type(Update{sample_leaf(LeafNodeSource::commit)});
}
TEST(MessagesCodec, Remove) { expect_wire_type(Remove{0xfffffffe}); }
TEST(MessagesCodec, PreSharedKey) {
  expect_wire_type(PreSharedKey{sample_external_psk()});
  expect_wire_type(PreSharedKey{sample_resumption_psk()});
}
TEST(MessagesCodec, ReInit) { expect_wire_type(sample_reinit()); }
TEST(MessagesCodec, ExternalInit) { expect_wire_type(ExternalInit{filled(65, 0x04)}); }
TEST(MessagesCodec, GroupContextExtensions) {
  expect_wire_type(sample_gce());
  expect_wire_type(GroupContextExtensions{});
}

TEST(MessagesCodec, ProposalOfEveryType) {
  std::vector<Proposal> all = {Add{sample_key_package()},
                               Update{sample_leaf(LeafNodeSource::update)},
                               Remove{1},
                               PreSharedKey{sample_external_psk()},
                               sample_reinit(),
                               ExternalInit{filled(32, 1)},
                               sample_gce()};
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].type(), static_cast<ProposalType>(i + 1));
    Bytes enc = codec::encode(all[i]);
    EXPECT_EQ(enc[0], 0);
    EXPECT_EQ(enc[1], i + 1);
    expect_wire_type(all[i]);
  }
}

TEST(MessagesCodec, ProposalOrRef) {
  expect_wire_type(ProposalOrRef(Proposal(Remove{2})));
  expect_wire_type(ProposalOrRef::reference(filled(32, 9)));
}
TEST(MessagesCodec, Commit) {
  expect_wire_type(sample_commit(false));
  expect_wire_type(sample_commit(true));
  expect_wire_type(Commit{});
}
TEST(MessagesCodec, GroupInfo) { expect_wire_type(sample_group_info()); }
TEST(MessagesCodec, PathSecret) { expect_wire_type(PathSecret{SecretBytes(filled(32, 1))}); }
TEST(MessagesCodec, GroupSecrets) {
  expect_wire_type(sample_group_secrets(false));
  expect_wire_type(sample_group_secrets(true));
}
TEST(MessagesCodec, EncryptedGroupSecrets) { expect_wire_type(sample_welcome().secrets[0]); }
TEST(MessagesCodec, Welcome) { expect_wire_type(sample_welcome()); }
TEST(MessagesCodec, ApplicationId) { expect_wire_type(ApplicationId{to_bytes("app-1")}); }
TEST(MessagesCodec, RequiredCapabilities) { expect_wire_type(sample_required_capabilities()); }
TEST(MessagesCodec, ExternalPub) { expect_wire_type(ExternalPub{filled(32, 0x42)}); }
TEST(MessagesCodec, ExternalSenders) {
  expect_wire_type(sample_external_senders());
  expect_wire_type(ExternalSenders{});
}

// --- specific rejections --------------------------------------------------------------

template <typename T>
ErrorCode decode_error(const Bytes& data) {
  auto r = codec::decode_all<T>(data);
  EXPECT_FALSE(r) << "decoded " << to_hex(data);
  return r ? ErrorCode::internal : r.error().code;
}

TEST(MessagesReject, UnknownProposalType) {
  Bytes body = codec::encode(Remove{1});
  for (uint16_t t : {0x0000, 0x0008, 0x0a0a, 0xffff}) {
    Bytes enc = {static_cast<uint8_t>(t >> 8), static_cast<uint8_t>(t)};
    enc.insert(enc.end(), body.begin(), body.end());
    EXPECT_EQ(decode_error<Proposal>(enc), ErrorCode::unknown_value) << t;
  }
}

TEST(MessagesReject, UnknownProposalOrRefType) {
  Bytes enc = codec::encode(ProposalOrRef::reference(filled(4, 1)));
  for (uint8_t t : {0, 3, 255}) {
    enc[0] = t;
    EXPECT_EQ(decode_error<ProposalOrRef>(enc), ErrorCode::unknown_value);
  }
}

TEST(MessagesReject, UnknownPskTypeAndUsage) {
  Bytes ext = codec::encode(sample_external_psk());
  for (uint8_t t : {0, 3}) {
    ext[0] = t;
    EXPECT_EQ(decode_error<PreSharedKeyID>(ext), ErrorCode::unknown_value);
  }
  Bytes res = codec::encode(sample_resumption_psk());
  for (uint8_t u : {0, 4, 255}) {
    res[1] = u;
    EXPECT_EQ(decode_error<PreSharedKeyID>(res), ErrorCode::unknown_value);
  }
}

TEST(MessagesReject, BadOptionalPresenceByte) {
  // Commit: proposals<V> then the optional path's presence byte.
  Bytes commit = codec::encode(Commit{});
  ASSERT_EQ(commit, (Bytes{0x00, 0x00}));
  for (uint8_t b : {2, 0x80, 0xff}) {
    commit[1] = b;
    EXPECT_EQ(decode_error<Commit>(commit), ErrorCode::invalid_value);
  }
  // GroupSecrets: joiner_secret<V> then the optional path_secret.
  Bytes gs = codec::encode(sample_group_secrets(true));
  size_t presence = 1 + 32;
  ASSERT_EQ(gs[presence], 1);
  gs[presence] = 2;
  EXPECT_EQ(decode_error<GroupSecrets>(gs), ErrorCode::invalid_value);
}

TEST(MessagesReject, BadLeafNodeSource) {
  LeafNode leaf = sample_leaf(LeafNodeSource::update);
  Bytes enc = codec::encode(Update{leaf});
  // The source byte follows encryption_key, signature_key, credential and
  // capabilities.
  codec::Writer prefix;
  codec::encode(prefix, leaf.encryption_key);
  codec::encode(prefix, leaf.signature_key);
  codec::encode(prefix, leaf.credential);
  codec::encode(prefix, leaf.capabilities);
  size_t at = prefix.size();
  ASSERT_EQ(enc[at], static_cast<uint8_t>(LeafNodeSource::update));
  for (uint8_t s : {0, 4, 255}) {
    enc[at] = s;
    EXPECT_EQ(decode_error<Update>(enc), ErrorCode::invalid_value);
  }
}

TEST(MessagesReject, NonMinimalLengthInWelcome) {
  Welcome w;
  w.cipher_suite = 1;
  w.encrypted_group_info = filled(3, 1);
  Bytes enc = codec::encode(w);  // 00 01 | 00 | 03 01 01 01
  ASSERT_EQ(enc, (Bytes{0x00, 0x01, 0x00, 0x03, 0x01, 0x01, 0x01}));
  Bytes non_minimal = {0x00, 0x01, 0x40, 0x00, 0x03, 0x01, 0x01, 0x01};
  EXPECT_EQ(decode_error<Welcome>(non_minimal), ErrorCode::non_minimal_varint);
}

TEST(MessagesExtensions, ReadThroughExtensionList) {
  ExtensionList list;
  list.set(make_extension(extension_type::required_capabilities, sample_required_capabilities()));
  list.set(make_extension(extension_type::external_senders, sample_external_senders()));
  auto rc = list.get<RequiredCapabilities>(extension_type::required_capabilities);
  ASSERT_TRUE(rc && rc->has_value());
  EXPECT_EQ(**rc, sample_required_capabilities());
  auto absent = list.get<ExternalPub>(extension_type::external_pub);
  ASSERT_TRUE(absent);
  EXPECT_FALSE(absent->has_value());
  // Trailing bytes in extension_data are rejected.
  list.entries[0].extension_data.push_back(0);
  EXPECT_FALSE(list.get<RequiredCapabilities>(extension_type::required_capabilities));
}

TEST(MessagesExtensions, RequiredCapabilitiesSupportedBy) {
  RequiredCapabilities req{{0x0a0a, extension_type::ratchet_tree}, {0x1a1a, 1}, {1}};
  Capabilities caps;
  caps.extensions = {0x0a0a};
  caps.proposals = {0x1a1a};
  caps.credentials = {1};
  EXPECT_TRUE(req.supported_by(caps));  // default types need not be listed
  caps.credentials = {2};
  EXPECT_FALSE(req.supported_by(caps));
  caps.credentials = {1};
  caps.proposals = {};
  EXPECT_FALSE(req.supported_by(caps));
}

}  // namespace
}  // namespace mls
