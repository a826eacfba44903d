// The CSPRNG helpers every layer draws fresh randomness from (reuse guards,
// path secrets): the length asked for, and not the same bytes twice.
#include "crypto/random.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace mls::crypto {
namespace {

TEST(Random, BytesOfTheLengthAsked) {
  for (size_t n : {0u, 1u, 4u, 32u, 1000u}) {
    auto b = random_bytes(n);
    ASSERT_TRUE(b) << b.error().describe();
    EXPECT_EQ(b->size(), n);
    auto s = random_secret(n);
    ASSERT_TRUE(s) << s.error().describe();
    EXPECT_EQ(s->size(), n);
  }
}

TEST(Random, DrawsDiffer) {
  // 2^-256 chance of a false failure per pair.
  auto a = random_bytes(32), b = random_bytes(32);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_FALSE(std::all_of(a->begin(), a->end(), [](uint8_t x) { return x == 0; }));
  auto s = random_secret(32), t = random_secret(32);
  ASSERT_TRUE(s && t);
  EXPECT_FALSE(*s == *t);
  EXPECT_FALSE(*s == SecretBytes(32));
}

}  // namespace
}  // namespace mls::crypto
