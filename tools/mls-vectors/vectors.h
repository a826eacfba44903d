// The official MLS test vectors (../shared/interop/test-vectors.md): one
// checker per file type, used by `mls-vectors verify` and by the GoogleTest
// runners alike.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mls/bytes.h"
#include "mls/error.h"

namespace mls::vectors {

using json = nlohmann::json;

// Checks one case of a vector file. Success, or an error saying what differed.
using CaseChecker = Status (*)(const json& test_case);

struct VectorType {
  std::string_view name;  // the file name without .json
  CaseChecker check;
};

// Every vector type mls-vectors knows; a type not listed is unsupported.
const std::vector<VectorType>& registry();
const VectorType* find_type(std::string_view name);

struct CaseOutcome {
  size_t index;
  std::optional<std::string> failure;  // empty when the case passed
};

// Runs every case of a parsed file. A checker that throws (a field missing
// or of the wrong JSON type) counts as a failure of that case.
std::vector<CaseOutcome> run_all(const VectorType& type, const json& file);
std::optional<std::string> run_one(const VectorType& type, const json& test_case);

// --- helpers for checkers ---------------------------------------------------

// The bytes of a hex string field; throws std::runtime_error if absent or bad.
Bytes hex_field(const json& obj, std::string_view key);

// Ok if equal, otherwise an error naming the field and both values.
Status expect_equal(std::string_view what, BytesView got, BytesView want);
Status expect_equal(std::string_view what, uint64_t got, uint64_t want);
Status expect_true(std::string_view what, bool cond);

// --- the checkers, one per file type (each in checks/<type>.cpp) ---------------

Status check_crypto_basics(const json& c);
Status check_tree_math(const json& c);
Status check_deserialization(const json& c);
Status check_tree_operations(const json& c);
Status check_tree_validation(const json& c);
Status check_treekem(const json& c);
Status check_key_schedule(const json& c);
Status check_psk_secret(const json& c);
Status check_secret_tree(const json& c);
Status check_transcript_hashes(const json& c);
Status check_message_protection(const json& c);
Status check_welcome(const json& c);
Status check_messages(const json& c);
Status check_passive_client(const json& c);  // the three passive-client-* files

}  // namespace mls::vectors
