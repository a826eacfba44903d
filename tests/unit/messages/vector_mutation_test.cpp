// The encodings of messages.json (real values from other implementations),
// damaged: every prefix, an extra byte, and every single-bit flip of each
// non-framing field must be rejected or decode canonically, never crash.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "messages/commit.h"
#include "messages/proposal.h"
#include "messages/welcome.h"

namespace mls {
namespace {

template <typename T>
void expect_damage_handled(const Bytes& enc, const std::string& what) {
  auto decoded = codec::decode_all<T>(enc);
  ASSERT_TRUE(decoded) << what << ": " << decoded.error().describe();
  EXPECT_EQ(codec::encode(*decoded), enc) << what;
  for (size_t n = 0; n < enc.size(); ++n) {
    EXPECT_FALSE(codec::decode_all<T>(BytesView(enc).first(n))) << what << " prefix " << n;
  }
  Bytes longer = enc;
  longer.push_back(0);
  EXPECT_FALSE(codec::decode_all<T>(longer)) << what << " extended";
  for (size_t i = 0; i < enc.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes flipped = enc;
      flipped[i] ^= static_cast<uint8_t>(1 << bit);
      auto r = codec::decode_all<T>(flipped);
      if (r) {
        EXPECT_EQ(codec::encode(*r), flipped) << what << " byte " << i << " bit " << bit;
      }
    }
  }
}

TEST(MessagesVectorsDamaged, FirstCasesOfMessagesJson) {
  std::ifstream in(std::string(MLS_TEST_VECTORS_DIR) + "/messages.json");
  ASSERT_TRUE(in) << "cannot read messages.json under " << MLS_TEST_VECTORS_DIR;
  auto file = nlohmann::json::parse(in);
  ASSERT_TRUE(file.is_array() && file.size() >= 3);
  for (size_t i = 0; i < 3; ++i) {
    const auto& c = file[i];
    auto field = [&](const char* name) {
      auto b = from_hex(c.at(name).get<std::string>());
      EXPECT_TRUE(b);
      return b ? *b : Bytes{};
    };
    std::string at = " of case " + std::to_string(i);
    expect_damage_handled<GroupSecrets>(field("group_secrets"), "group_secrets" + at);
    expect_damage_handled<Add>(field("add_proposal"), "add_proposal" + at);
    expect_damage_handled<Update>(field("update_proposal"), "update_proposal" + at);
    expect_damage_handled<Remove>(field("remove_proposal"), "remove_proposal" + at);
    expect_damage_handled<PreSharedKey>(field("pre_shared_key_proposal"), "psk" + at);
    expect_damage_handled<ReInit>(field("re_init_proposal"), "re_init_proposal" + at);
    expect_damage_handled<ExternalInit>(field("external_init_proposal"), "external_init" + at);
    expect_damage_handled<GroupContextExtensions>(field("group_context_extensions_proposal"),
                                                  "gce" + at);
    expect_damage_handled<Commit>(field("commit"), "commit" + at);
    // The MLSMessage-wrapped ones, past their 4-byte header.
    auto body = [&](const char* name) {
      Bytes b = field(name);
      return Bytes(b.begin() + 4, b.end());
    };
    expect_damage_handled<Welcome>(body("mls_welcome"), "welcome" + at);
    expect_damage_handled<GroupInfo>(body("mls_group_info"), "group_info" + at);
    expect_damage_handled<KeyPackage>(body("mls_key_package"), "key_package" + at);
  }
}

}  // namespace
}  // namespace mls
