// mls-vectors: checks the official MLS test vectors.
//
//   mls-vectors verify --type TYPE FILE
//
// Prints a line for each failing case, then "N passed, M failed". Exits 0 only
// when the file was read, held at least one case, and every case passed.
#include <fstream>
#include <iostream>
#include <string>

#include "vectors.h"

namespace {

int usage() {
  std::cerr << "usage: mls-vectors verify --type TYPE FILE\n"
               "       mls-vectors list\n"
               "TYPE is the vector file's name without .json; 'mls-vectors list' shows them.\n";
  return 2;
}

int verify(const std::string& type_name, const std::string& path) {
  const auto* type = mls::vectors::find_type(type_name);
  if (type == nullptr) {
    std::cerr << "mls-vectors: unsupported vector type '" << type_name << "'\n";
    return 2;
  }
  std::ifstream in(path);
  if (!in) {
    std::cerr << "mls-vectors: cannot read " << path << "\n";
    return 2;
  }
  mls::vectors::json file;
  try {
    in >> file;
  } catch (const std::exception& e) {
    std::cerr << "mls-vectors: " << path << " is not valid JSON: " << e.what() << "\n";
    return 2;
  }
  if (!file.is_array() || file.empty()) {
    std::cerr << "mls-vectors: " << path << " holds no test case\n";
    return 1;
  }
  size_t passed = 0, failed = 0;
  for (const auto& outcome : mls::vectors::run_all(*type, file)) {
    if (outcome.failure) {
      ++failed;
      std::cout << "case " << outcome.index << " FAILED: " << *outcome.failure << "\n";
    } else {
      ++passed;
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::string(argv[1]) == "list") {
    for (const auto& t : mls::vectors::registry()) std::cout << t.name << "\n";
    return 0;
  }
  if (argc != 5 || std::string(argv[1]) != "verify" || std::string(argv[2]) != "--type") {
    return usage();
  }
  return verify(argv[3], argv[4]);
}
