#include <gtest/gtest.h>

#include <sstream>

#include "mls/bytes.h"

namespace mls {
namespace {

TEST(Hex, RoundTrips) {
  Bytes b = {0x00, 0x7f, 0x80, 0xff};
  EXPECT_EQ(to_hex(b), "007f80ff");
  EXPECT_EQ(*from_hex("007F80ff"), b);
}

TEST(Hex, RejectsOddLengthAndNonHex) {
  EXPECT_EQ(from_hex("abc").error().code, ErrorCode::invalid_value);
  EXPECT_EQ(from_hex("zz").error().code, ErrorCode::invalid_value);
}

TEST(SecretBytes, CloneIsExplicitAndEqual) {
  SecretBytes a{1, 2, 3};
  SecretBytes b = a.clone();
  EXPECT_TRUE(a == b);
  b[0] = 9;
  EXPECT_FALSE(a == b);
  static_assert(!std::is_copy_constructible_v<SecretBytes>);
  static_assert(!std::is_copy_assignable_v<SecretBytes>);
}

TEST(SecretBytes, DifferentLengthsAreUnequal) {
  EXPECT_FALSE(SecretBytes({1, 2}) == SecretBytes({1, 2, 3}));
}

TEST(SecretBytes, PrintsRedacted) {
  SecretBytes s{0xde, 0xad};
  std::ostringstream os;
  os << s;
  EXPECT_EQ(os.str().find("dead"), std::string::npos);
  EXPECT_NE(os.str().find("redacted"), std::string::npos);
}

TEST(SecretBytes, TakeWipesTheSource) {
  Bytes plain = {5, 6, 7};
  SecretBytes s = SecretBytes::take(std::move(plain));
  EXPECT_EQ(s.size(), 3u);
  EXPECT_TRUE(plain.empty());  // NOLINT: checking the moved-from state on purpose
}

TEST(SecretBytes, MoveLeavesTheSourceEmpty) {
  SecretBytes a{1, 2, 3};
  SecretBytes b = std::move(a);
  EXPECT_EQ(b.size(), 3u);
  EXPECT_TRUE(a.empty());  // NOLINT
}

TEST(ConstantTimeEqual, ComparesContent) {
  Bytes a = {1, 2, 3}, b = {1, 2, 3}, c = {1, 2, 4};
  EXPECT_TRUE(constant_time_equal(a, b));
  EXPECT_FALSE(constant_time_equal(a, c));
  EXPECT_FALSE(constant_time_equal(a, BytesView(b).first(2)));
  EXPECT_TRUE(constant_time_equal({}, {}));
}

TEST(Error, DescribesCodeAndMessage) {
  Error e(ErrorCode::truncated, "need 2 bytes");
  EXPECT_EQ(e.describe(), "truncated: need 2 bytes");
}

}  // namespace
}  // namespace mls
