// Transcript hashes and the confirmation tag (RFC 9420 §8.2), against the
// official transcript-hashes.json vectors, read from the shared folder.
#include "schedule/transcript.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

namespace mls::schedule {
namespace {

Bytes hex(const nlohmann::json& c, const char* key) {
  return *from_hex(c.at(key).get<std::string>());
}

nlohmann::json load_vectors() {
  std::ifstream in(std::string(MLS_TEST_VECTORS_DIR) + "/transcript-hashes.json");
  if (!in) return {};
  return nlohmann::json::parse(in);
}

TEST(Transcript, MatchesOfficialVectors) {
  const auto file = load_vectors();
  ASSERT_TRUE(file.is_array() && !file.empty());
  for (const auto& c : file) {
    auto suite = *crypto::CipherSuite::get(c.at("cipher_suite").get<uint16_t>());
    const size_t nh = suite.hash_size();
    Bytes content = hex(c, "authenticated_content");
    // AuthenticatedContent of a commit ends with confirmation_tag as MAC<V>:
    // Nh bytes behind a one-byte (Nh < 64) or two-byte (Nh = 64) header. What
    // comes before the tag is ConfirmedTranscriptHashInput.
    const size_t header = nh < 64 ? 1 : 2;
    ASSERT_GT(content.size(), nh + header);
    BytesView input = BytesView(content).first(content.size() - nh - header);
    BytesView tag = BytesView(content).last(nh);

    Bytes confirmed =
        confirmed_transcript_hash(suite, hex(c, "interim_transcript_hash_before"), input);
    EXPECT_EQ(confirmed, hex(c, "confirmed_transcript_hash_after"));
    Bytes key = hex(c, "confirmation_key");
    EXPECT_EQ(confirmation_tag(suite, key, confirmed), Bytes(tag.begin(), tag.end()));
    EXPECT_TRUE(verify_confirmation_tag(suite, key, confirmed, tag).has_value());
    EXPECT_EQ(interim_transcript_hash(suite, confirmed, tag),
              hex(c, "interim_transcript_hash_after"));
  }
}

TEST(Transcript, ConfirmationTagRejectsAnyChange) {
  auto suite = *crypto::CipherSuite::get(1);
  const Bytes key(32, 0x11), cth(32, 0x22);
  Bytes tag = confirmation_tag(suite, key, cth);
  ASSERT_TRUE(verify_confirmation_tag(suite, key, cth, tag).has_value());

  Bytes flipped = tag;
  flipped.back() ^= 1;
  Bytes other_cth = cth;
  other_cth[0] ^= 1;
  Bytes truncated(tag.begin(), tag.end() - 1);
  for (auto s : {verify_confirmation_tag(suite, key, cth, flipped),
                 verify_confirmation_tag(suite, key, other_cth, tag),
                 verify_confirmation_tag(suite, Bytes(32, 0x12), cth, tag),
                 verify_confirmation_tag(suite, key, cth, truncated),
                 verify_confirmation_tag(suite, key, cth, {})}) {
    ASSERT_FALSE(s.has_value());
    EXPECT_EQ(s.error().code, ErrorCode::bad_confirmation_tag);
  }
}

TEST(Transcript, InterimHashCoversTheTagWithItsLengthHeader) {
  auto suite = *crypto::CipherSuite::get(1);
  const Bytes confirmed(32, 0x33), tag(32, 0x44);
  Bytes input = confirmed;
  input.push_back(32);  // MAC confirmation_tag<V>
  input.insert(input.end(), tag.begin(), tag.end());
  EXPECT_EQ(interim_transcript_hash(suite, confirmed, tag), suite.hash(input));
}

}  // namespace
}  // namespace mls::schedule
