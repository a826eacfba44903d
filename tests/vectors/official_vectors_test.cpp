// Every case of every official vector file that mls-vectors supports, one
// GoogleTest case each, read from ../shared/test-vectors (never a copy).
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <string>

#include "vectors.h"

namespace mls::vectors {
namespace {

json load(std::string_view type) {
  std::string path = std::string(MLS_TEST_VECTORS_DIR) + "/" + std::string(type) + ".json";
  std::ifstream in(path);
  if (!in) return json();
  return json::parse(in);
}

struct Param {
  const VectorType* type;
  size_t index;
};

std::vector<Param> all_cases() {
  std::vector<Param> out;
  for (const auto& t : registry()) {
    json file = load(t.name);
    // A missing or empty file still yields one case, which then fails.
    size_t n = file.is_array() && !file.empty() ? file.size() : 1;
    for (size_t i = 0; i < n; ++i) out.push_back({&t, i});
  }
  return out;
}

const json& cached(std::string_view type) {
  static std::map<std::string, json, std::less<>> cache;
  auto it = cache.find(type);
  if (it == cache.end()) it = cache.emplace(std::string(type), load(type)).first;
  return it->second;
}

class OfficialVector : public ::testing::TestWithParam<Param> {};

TEST_P(OfficialVector, Passes) {
  const auto& [type, index] = GetParam();
  const json& file = cached(type->name);
  ASSERT_TRUE(file.is_array() && !file.empty())
      << "cannot read " << MLS_TEST_VECTORS_DIR << "/" << type->name << ".json";
  auto failure = run_one(*type, file[index]);
  EXPECT_FALSE(failure.has_value()) << type->name << " case " << index << ": " << *failure;
}

std::string name_of(const ::testing::TestParamInfo<Param>& info) {
  std::string n(info.param.type->name);
  for (auto& ch : n) {
    if (ch == '-') ch = '_';
  }
  return n + "_" + std::to_string(info.param.index);
}

INSTANTIATE_TEST_SUITE_P(Files, OfficialVector, ::testing::ValuesIn(all_cases()), name_of);

// Changing one expected value in a case must make that case fail: the checks
// compare against the file, they do not just run the code.
void corrupt_first_hex(json& j, bool& done) {
  if (done) return;
  if (j.is_object()) {
    for (auto& [key, value] : j.items()) {
      if (value.is_string() && key != "label") {
        std::string s = value.get<std::string>();
        if (!s.empty() && s.size() % 2 == 0 && s.find_first_not_of("0123456789abcdef") == std::string::npos) {
          s[0] = s[0] == '0' ? '1' : '0';
          value = s;
          done = true;
          return;
        }
      }
      corrupt_first_hex(value, done);
      if (done) return;
    }
  } else if (j.is_array()) {
    for (auto& v : j) {
      corrupt_first_hex(v, done);
      if (done) return;
    }
  }
}

TEST(OfficialVectorCorruption, EveryTypeFailsWhenAValueChanges) {
  for (const auto& t : registry()) {
    const json& file = cached(t.name);
    ASSERT_TRUE(file.is_array() && !file.empty()) << t.name;
    // Corrupting the last hex field too, so a checker that ignores the first is caught.
    json c = file[0];
    bool done = false;
    corrupt_first_hex(c, done);
    if (!done) continue;  // a type whose cases hold no hex (tree-math): see below
    EXPECT_TRUE(run_one(t, c).has_value()) << t.name << " accepted a corrupted case";
  }
}

TEST(OfficialVectorCorruption, TreeMathFailsWhenAnIndexChanges) {
  const auto* t = find_type("tree-math");
  ASSERT_NE(t, nullptr);
  json c = cached("tree-math")[3];
  c["root"] = c["root"].get<uint32_t>() + 1;
  EXPECT_TRUE(run_one(*t, c).has_value());
  c = cached("tree-math")[3];
  c["parent"][0] = 12345;
  EXPECT_TRUE(run_one(*t, c).has_value());
}

}  // namespace
}  // namespace mls::vectors
