// PSKs (RFC 9420 §8.4): the psk_secret chain, the store, and unknown PSKs.
#include "schedule/psk.h"

#include <gtest/gtest.h>

#include "crypto/labeled.h"

namespace mls::schedule {
namespace {

crypto::CipherSuite suite() { return *crypto::CipherSuite::get(1); }

PreSharedKeyID ext(uint8_t id) { return PreSharedKeyID::external({id}, Bytes(32, id)); }

TEST(PskSecret, NoPsksIsTheZeroVector) {
  auto s = psk_secret(suite(), std::span<const PreSharedKeyID>(), std::span<const SecretBytes>());
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->expose(), Bytes(32, 0));
}

TEST(PskSecret, OnePskFollowsTheChain) {
  auto cs = suite();
  const PreSharedKeyID id = ext(1);
  SecretBytes psk(Bytes(32, 0x55));
  // psk_extracted = Extract(0, psk); psk_input = ExpandWithLabel(., "derived psk", PSKLabel, Nh);
  // psk_secret = Extract(psk_input, 0)
  Bytes label = codec::encode(id);
  label.insert(label.end(), {0x00, 0x00, 0x00, 0x01});  // index 0, count 1
  EXPECT_EQ(codec::encode(PskLabel{id, 0, 1}), label);
  SecretBytes input =
      *crypto::expand_with_label(cs, cs.kdf_extract(Bytes(32, 0), psk), "derived psk", label, 32);
  SecretBytes want = cs.kdf_extract(input, Bytes(32, 0));
  std::vector<SecretBytes> psks;
  psks.push_back(psk.clone());
  auto got = psk_secret(cs, std::vector<PreSharedKeyID>{id}, psks);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, want);
}

TEST(PskSecret, OrderAndNonceMatter) {
  auto cs = suite();
  std::vector<SecretBytes> psks;
  psks.emplace_back(Bytes(32, 1));
  psks.emplace_back(Bytes(32, 2));
  std::vector<PreSharedKeyID> ids = {ext(1), ext(2)};
  auto a = psk_secret(cs, ids, psks);
  std::swap(psks[0], psks[1]);
  std::swap(ids[0], ids[1]);
  auto b = psk_secret(cs, ids, psks);
  ids[0].psk_nonce[0] ^= 1;
  auto c = psk_secret(cs, ids, psks);
  ASSERT_TRUE(a && b && c);
  EXPECT_FALSE(*a == *b);
  EXPECT_FALSE(*b == *c);
}

TEST(PskSecret, MismatchedListsRejected) {
  std::vector<SecretBytes> psks;
  psks.emplace_back(Bytes(32, 1));
  auto r = psk_secret(suite(), std::vector<PreSharedKeyID>{ext(1), ext(2)}, psks);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::usage);
}

TEST(PskStore, UnknownPskRejected) {
  InMemoryPskStore store;
  store.add_external(Bytes{1}, SecretBytes(Bytes(32, 9)));
  store.add_resumption(Bytes{0xaa}, 5, SecretBytes(Bytes(32, 8)));

  std::vector<PreSharedKeyID> known = {
      ext(1), PreSharedKeyID::resumption(ResumptionPSKUsage::application, {0xaa}, 5, Bytes(32))};
  EXPECT_TRUE(psk_secret(suite(), known, store).has_value());

  const PreSharedKeyID unknown[] = {
      ext(2),
      PreSharedKeyID::resumption(ResumptionPSKUsage::application, {0xaa}, 4, Bytes(32)),
      PreSharedKeyID::resumption(ResumptionPSKUsage::branch, {0xab}, 5, Bytes(32)),
  };
  for (const auto& id : unknown) {
    std::vector<PreSharedKeyID> ids = {ext(1), id};
    auto r = psk_secret(suite(), ids, store);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::unknown_psk);
  }
  EXPECT_TRUE(store.remove_external(Bytes{1}));
  auto gone = find_psk(store, ext(1));
  ASSERT_FALSE(gone.has_value());
  EXPECT_EQ(gone.error().code, ErrorCode::unknown_psk);
}

TEST(PskStore, StoreLookupMatchesDirectSecrets) {
  InMemoryPskStore store;
  store.add_external(Bytes{1}, SecretBytes(Bytes(32, 9)));
  store.add_resumption(Bytes{0xaa}, 5, SecretBytes(Bytes(32, 8)));
  std::vector<PreSharedKeyID> ids = {
      PreSharedKeyID::resumption(ResumptionPSKUsage::reinit, {0xaa}, 5, Bytes(32, 3)), ext(1)};
  std::vector<SecretBytes> psks;
  psks.emplace_back(Bytes(32, 8));
  psks.emplace_back(Bytes(32, 9));
  auto direct = psk_secret(suite(), ids, psks);
  auto stored = psk_secret(suite(), ids, store);
  ASSERT_TRUE(direct && stored);
  EXPECT_EQ(*direct, *stored);
}

TEST(PskStore, KeepsABoundedNumberOfResumptionEpochs) {
  InMemoryPskStore store(3);
  for (uint64_t epoch = 1; epoch <= 5; ++epoch) {
    store.add_resumption(Bytes{0xaa}, epoch, SecretBytes(Bytes(32, uint8_t(epoch))));
  }
  store.add_resumption(Bytes{0xbb}, 1, SecretBytes(Bytes(32, 0xbb)));
  EXPECT_FALSE(store.resumption_psk(Bytes{0xaa}, 1).has_value());
  EXPECT_FALSE(store.resumption_psk(Bytes{0xaa}, 2).has_value());
  auto five = store.resumption_psk(Bytes{0xaa}, 5);
  ASSERT_TRUE(five.has_value());
  EXPECT_EQ(five->expose(), Bytes(32, 5));
  EXPECT_TRUE(store.resumption_psk(Bytes{0xaa}, 3).has_value());
  EXPECT_TRUE(store.resumption_psk(Bytes{0xbb}, 1).has_value()) << "bound is per group";
  EXPECT_TRUE(store.remove_resumption(Bytes{0xaa}, 3));
  EXPECT_FALSE(store.remove_resumption(Bytes{0xaa}, 3));
}

}  // namespace
}  // namespace mls::schedule
