#include <stdexcept>

#include "vectors.h"

namespace mls::vectors {

const std::vector<VectorType>& registry() {
  static const std::vector<VectorType> types = {
      {"crypto-basics", check_crypto_basics},
      {"tree-math", check_tree_math},
      {"deserialization", check_deserialization},
      {"tree-operations", check_tree_operations},
      {"tree-validation", check_tree_validation},
      {"treekem", check_treekem},
      {"message-protection", check_message_protection},
      {"transcript-hashes", check_transcript_hashes},
      {"messages", check_messages},
      {"welcome", check_welcome},
      {"key-schedule", check_key_schedule},
      {"psk_secret", check_psk_secret},
      {"secret-tree", check_secret_tree},
      {"passive-client-welcome", check_passive_client},
      {"passive-client-handling-commit", check_passive_client},
      {"passive-client-random", check_passive_client},
  };
  return types;
}

const VectorType* find_type(std::string_view name) {
  for (const auto& t : registry()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::optional<std::string> run_one(const VectorType& type, const json& test_case) {
  try {
    Status s = type.check(test_case);
    if (!s) return s.error().describe();
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string("malformed case: ") + e.what();
  }
}

std::vector<CaseOutcome> run_all(const VectorType& type, const json& file) {
  std::vector<CaseOutcome> out;
  if (!file.is_array()) {
    out.push_back({0, "the file is not a JSON array of cases"});
    return out;
  }
  for (size_t i = 0; i < file.size(); ++i) out.push_back({i, run_one(type, file[i])});
  return out;
}

Bytes hex_field(const json& obj, std::string_view key) {
  const auto& v = obj.at(std::string(key));
  if (!v.is_string()) throw std::runtime_error("field '" + std::string(key) + "' is not a string");
  auto bytes = from_hex(v.get<std::string>());
  if (!bytes) throw std::runtime_error("field '" + std::string(key) + "': " + bytes.error().message);
  return *bytes;
}

Status expect_equal(std::string_view what, BytesView got, BytesView want) {
  if (got.size() == want.size() && std::equal(got.begin(), got.end(), want.begin())) return {};
  return make_error(ErrorCode::invalid_value, std::string(what) + ": got " + to_hex(got) +
                                                  ", expected " + to_hex(want));
}

Status expect_equal(std::string_view what, uint64_t got, uint64_t want) {
  if (got == want) return {};
  return make_error(ErrorCode::invalid_value, std::string(what) + ": got " + std::to_string(got) +
                                                  ", expected " + std::to_string(want));
}

Status expect_true(std::string_view what, bool cond) {
  if (cond) return {};
  return make_error(ErrorCode::invalid_value, std::string(what));
}

}  // namespace mls::vectors
