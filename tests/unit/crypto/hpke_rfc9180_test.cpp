// HPKE against the test vectors of RFC 9180 Appendix A, read from the RFC text
// itself: for every base-mode KEM/KDF/AEAD combination this library
// implements, DeriveKeyPair, the key schedule values, every listed
// encryption and every listed export.
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "crypto/hpke.h"

namespace mls::crypto::hpke {
namespace {

using Fields = std::map<std::string, std::string>;

struct BaseVector {
  std::string title;  // the "## DHKEM(...), ..." heading
  Fields setup;
  std::vector<Fields> encryptions;
  std::vector<Fields> exports;
};

// The records of one ~~~ block: "name: value" lines, values possibly
// continued on following lines of bare hex, records separated by blank lines.
// (No std::regex: GCC 12 warns inside it under the sanitizers.)
bool is_key_line(const std::string& line, std::string& key, std::string& value) {
  size_t colon = line.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    char c = line[i];
    if (!std::isalpha(static_cast<unsigned char>(c)) && c != '_' && c != ' ') return false;
  }
  key = line.substr(0, colon);
  size_t start = line.find_first_not_of(' ', colon + 1);
  value = start == std::string::npos ? "" : line.substr(start);
  return true;
}

std::vector<Fields> parse_block(const std::vector<std::string>& lines) {
  std::vector<Fields> records(1);
  std::string current, key, value;
  for (const auto& line : lines) {
    if (line.empty()) {
      if (!records.back().empty()) records.emplace_back();
      current.clear();
    } else if (is_key_line(line, key, value)) {
      current = key;
      records.back()[current] = value;
    } else if (!current.empty()) {
      records.back()[current] += line;  // a wrapped hex value
    }
  }
  if (records.back().empty()) records.pop_back();
  return records;
}

// Every "Base Setup Information" section of Appendix A.
std::vector<BaseVector> load_base_vectors() {
  std::ifstream in(std::string(MLS_SPEC_DIR) + "/rfc9180-hpke.md");
  std::vector<BaseVector> out;
  std::string line, title, subsection, heading;
  std::vector<std::string> block;
  bool in_block = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("~~~", 0) == 0) {
      if (in_block && subsection == "### Base Setup Information") {
        auto records = parse_block(block);
        if (heading.empty() && !records.empty()) {
          out.push_back({title, records.front(), {}, {}});
        } else if (heading == "#### Encryptions" && !out.empty()) {
          out.back().encryptions = records;
        } else if (heading == "#### Exported Values" && !out.empty()) {
          out.back().exports = records;
        }
      }
      in_block = !in_block;
      block.clear();
      continue;
    }
    if (in_block) {
      block.push_back(line);
    } else if (line.rfind("## ", 0) == 0) {
      title = line.substr(3);
      subsection.clear();
      heading.clear();
    } else if (line.rfind("### ", 0) == 0) {
      subsection = line;
      heading.clear();
    } else if (line.rfind("#### ", 0) == 0) {
      heading = line;
    }
  }
  return out;
}

const std::vector<BaseVector>& vectors() {
  static const std::vector<BaseVector> v = load_base_vectors();
  return v;
}

Bytes hex(const std::string& s) {
  auto b = from_hex(s);
  EXPECT_TRUE(b.has_value()) << s;
  return b ? *b : Bytes{};
}

uint16_t num(const Fields& f, const std::string& key) {
  return static_cast<uint16_t>(std::stoul(f.at(key)));
}

// The combinations the MLS suites of RFC 9420 §17.1 use that Appendix A has
// vectors for (X448 and P-384 have none there): each must be found and run.
const std::set<std::tuple<uint16_t, uint16_t, uint16_t>> kMlsCombinations = {
    {kKemX25519, kKdfSha256, kAeadAes128Gcm},         // suite 1
    {kKemP256, kKdfSha256, kAeadAes128Gcm},           // suite 2
    {kKemX25519, kKdfSha256, kAeadChaCha20Poly1305},  // suite 3
    {kKemP521, kKdfSha512, kAeadAes256Gcm},           // suite 5
};

TEST(Rfc9180Vectors, EveryMlsCombinationIsPresent) {
  std::set<std::tuple<uint16_t, uint16_t, uint16_t>> found;
  for (const auto& v : vectors()) {
    EXPECT_EQ(v.setup.at("mode"), "0") << v.title;
    // Appendix A lists six encryptions (sequence numbers 0, 1, 2, 4, 255,
    // 256) and three exports for each combination; the export-only AEAD has
    // no encryptions.
    if (num(v.setup, "aead_id") != 0xffff) {
      EXPECT_EQ(v.encryptions.size(), 6u) << v.title;
    }
    EXPECT_EQ(v.exports.size(), 3u) << v.title;
    found.insert({num(v.setup, "kem_id"), num(v.setup, "kdf_id"), num(v.setup, "aead_id")});
  }
  for (const auto& c : kMlsCombinations) {
    EXPECT_TRUE(found.count(c)) << "no vector for KEM " << std::get<0>(c) << ", KDF "
                                << std::get<1>(c) << ", AEAD " << std::get<2>(c);
  }
}

class Rfc9180 : public ::testing::TestWithParam<size_t> {};

TEST_P(Rfc9180, BaseMode) {
  const BaseVector& v = vectors().at(GetParam());
  const Fields& s = v.setup;
  SCOPED_TRACE(v.title);
  auto created = Hpke::create(num(s, "kem_id"), num(s, "kdf_id"), num(s, "aead_id"));
  if (!created) {
    // Only the export-only AEAD (0xffff) is outside this library.
    ASSERT_EQ(num(s, "aead_id"), 0xffff) << created.error().describe();
    GTEST_SKIP() << "export-only AEAD";
  }
  const Hpke& hpke = *created;

  // DeriveKeyPair and SerializePrivateKey / SerializePublicKey.
  for (const char* who : {"E", "R"}) {
    auto sk = hpke.kem().derive_private_key(hex(s.at(std::string("ikm") + who)));
    ASSERT_TRUE(sk) << sk.error().describe();
    EXPECT_EQ(to_hex(*sk), s.at(std::string("sk") + who + "m")) << "sk" << who << "m";
    auto pk = hpke.kem().public_key(*sk);
    ASSERT_TRUE(pk) << pk.error().describe();
    EXPECT_EQ(to_hex(*pk), s.at(std::string("pk") + who + "m")) << "pk" << who << "m";
  }

  const Bytes info = hex(s.at("info")), pk_r = hex(s.at("pkRm")), sk_r = hex(s.at("skRm"));
  const Bytes ikm_e = hex(s.at("ikmE"));

  // Encap / Decap.
  auto encap = hpke.kem().encap(pk_r, ikm_e);
  ASSERT_TRUE(encap) << encap.error().describe();
  EXPECT_EQ(to_hex(encap->enc), s.at("enc"));
  EXPECT_EQ(to_hex(encap->shared_secret), s.at("shared_secret"));
  auto decap = hpke.kem().decap(hex(s.at("enc")), sk_r);
  ASSERT_TRUE(decap) << decap.error().describe();
  EXPECT_EQ(to_hex(*decap), s.at("shared_secret"));

  // SetupBaseS / SetupBaseR and the key schedule.
  auto sender = hpke.setup_base_s(pk_r, info, ikm_e);
  ASSERT_TRUE(sender) << sender.error().describe();
  EXPECT_EQ(to_hex(sender->enc), s.at("enc"));
  auto receiver = hpke.setup_base_r(sender->enc, sk_r, info);
  ASSERT_TRUE(receiver) << receiver.error().describe();
  for (Context* ctx : {&sender->context, &*receiver}) {
    EXPECT_EQ(to_hex(ctx->key()), s.at("key"));
    EXPECT_EQ(to_hex(ctx->base_nonce()), s.at("base_nonce"));
    EXPECT_EQ(to_hex(ctx->exporter_secret()), s.at("exporter_secret"));
  }

  // Every listed encryption, at its sequence number.
  ASSERT_FALSE(v.encryptions.empty());
  for (const auto& e : v.encryptions) {
    uint64_t seq = std::stoull(e.at("sequence number"));
    SCOPED_TRACE("sequence number " + std::to_string(seq));
    sender->context.set_sequence_number(seq);
    auto ct = sender->context.seal(hex(e.at("aad")), hex(e.at("pt")));
    ASSERT_TRUE(ct) << ct.error().describe();
    EXPECT_EQ(to_hex(*ct), e.at("ct"));
    EXPECT_EQ(sender->context.sequence_number(), seq + 1);
    receiver->set_sequence_number(seq);
    auto pt = receiver->open(hex(e.at("aad")), hex(e.at("ct")));
    ASSERT_TRUE(pt) << pt.error().describe();
    EXPECT_EQ(to_hex(*pt), e.at("pt"));
  }

  // Every listed export, from both sides.
  ASSERT_FALSE(v.exports.empty());
  for (const auto& x : v.exports) {
    const Bytes context = hex(x.at("exporter_context"));
    const size_t length = std::stoul(x.at("L"));
    for (const Context* ctx : {&sender->context, &*receiver}) {
      auto exported = ctx->export_secret(context, length);
      ASSERT_TRUE(exported) << exported.error().describe();
      EXPECT_EQ(to_hex(*exported), x.at("exported_value"));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AppendixA, Rfc9180, ::testing::Range<size_t>(0, vectors().size()),
                         [](const auto& p) {
                           const Fields& s = vectors()[p.param].setup;
                           return "kem" + s.at("kem_id") + "_kdf" + s.at("kdf_id") + "_aead" +
                                  s.at("aead_id");
                         });

// The sequence numbers advance one per message, and a receiver in step
// opens them in order; a failed open does not advance.
TEST(HpkeContext, SequenceNumbersAdvance) {
  auto hpke = *Hpke::create(kKemX25519, kKdfSha256, kAeadAes128Gcm);
  auto sk = *hpke.kem().generate_private_key();
  auto pk = *hpke.kem().public_key(sk);
  auto sender = *hpke.setup_base_s(pk, as_bytes("info"));
  auto receiver = *hpke.setup_base_r(sender.enc, sk, as_bytes("info"));
  std::vector<Bytes> cts;
  for (int i = 0; i < 3; ++i) cts.push_back(*sender.context.seal({}, as_bytes("m")));
  EXPECT_NE(cts[0], cts[1]);
  EXPECT_FALSE(receiver.open({}, cts[1]));  // out of order
  EXPECT_EQ(receiver.sequence_number(), 0u);
  for (const auto& ct : cts) EXPECT_TRUE(receiver.open({}, ct));
  EXPECT_EQ(receiver.sequence_number(), 3u);
}

TEST(HpkeContext, UnsupportedCombinations) {
  EXPECT_EQ(Hpke::create(0x0030, kKdfSha256, kAeadAes128Gcm).error().code,
            ErrorCode::unsupported_cipher_suite);
  EXPECT_EQ(Hpke::create(kKemX25519, 4, kAeadAes128Gcm).error().code,
            ErrorCode::unsupported_cipher_suite);
  EXPECT_EQ(Hpke::create(kKemX25519, kKdfSha256, 0xffff).error().code,
            ErrorCode::unsupported_cipher_suite);
}

TEST(HpkeContext, SequenceNumberOverflowIsRefused) {
  auto hpke = *Hpke::create(kKemX25519, kKdfSha256, kAeadChaCha20Poly1305);
  auto sk = *hpke.kem().generate_private_key();
  auto sender = *hpke.setup_base_s(*hpke.kem().public_key(sk), {});
  sender.context.set_sequence_number(UINT64_MAX);
  auto ct = sender.context.seal({}, as_bytes("m"));
  ASSERT_FALSE(ct);
  EXPECT_EQ(ct.error().code, ErrorCode::usage);
}

}  // namespace
}  // namespace mls::crypto::hpke
