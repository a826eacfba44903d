// The example of README.md's "Using mlscpp", compiled and run: keep the two
// in sync (the README quotes the body of readme_example() verbatim).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "mls/group.h"

namespace {

// --- README example begins ---
mls::Status readme_example() {
  using namespace mls;
  uint16_t suite = 1;  // MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519
  GroupConfig config;
  config.credentials = std::make_shared<AcceptAllCredentials>();  // your authentication service

  Identity alice = MLS_TRY(Identity::generate(suite, Credential::basic(to_bytes("alice"))));
  Identity bob = MLS_TRY(Identity::generate(suite, Credential::basic(to_bytes("bob"))));

  // Alice creates a group; Bob publishes a KeyPackage and keeps its private keys.
  Group group = MLS_TRY(Group::create(alice, config));
  KeyPackageBundle bob_kp = MLS_TRY(bob.make_key_package());

  // Alice adds Bob. The commit is staged until she merges it (after the
  // delivery service accepted it); Bob joins from the Welcome.
  CommitOptions add;
  add.add = {bob_kp.key_package};
  CommitOutput out = MLS_TRY(group.commit(add));
  MLS_CHECK(group.merge_pending_commit());
  Group bob_group = MLS_TRY(Group::join(bob, bob_kp, *out.welcome, config));

  // Application messages are PrivateMessages.
  Bytes ciphertext = MLS_TRY(group.protect(to_bytes("hello, bob")));
  ProcessedMessage received = MLS_TRY(bob_group.process(ciphertext));
  const auto& message = std::get<ApplicationMessage>(received);

  // A commit from Bob: Alice inspects what it does before merging it.
  CommitOutput update = MLS_TRY(bob_group.commit());
  MLS_CHECK(bob_group.merge_pending_commit());
  ProcessedMessage processed = MLS_TRY(group.process(update.commit));
  StagedCommit staged = std::get<StagedCommit>(std::move(processed));
  if (staged.effects().committer != 1) return make_error(ErrorCode::internal, "committer");
  MLS_CHECK(group.merge(std::move(staged)));

  // Both now share epoch 2's secrets.
  if (message.data != to_bytes("hello, bob") ||
      group.epoch_authenticator() != bob_group.epoch_authenticator() ||
      MLS_TRY(group.export_secret("my app", {}, 32)) !=
          MLS_TRY(bob_group.export_secret("my app", {}, 32))) {
    return make_error(ErrorCode::internal, "members disagree");
  }
  return {};
}
// --- README example ends ---

TEST(ReadmeExample, Runs) {
  mls::Status s = readme_example();
  EXPECT_TRUE(s) << s.error().describe();
}

}  // namespace

namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(ReadmeExample, ReadmeQuotesItUnchanged) {
  std::filesystem::path here = std::filesystem::path(__FILE__).parent_path();
  std::string self = read_file(here / "readme_example_test.cpp");
  std::string readme = read_file(here / "../../../README.md");
  ASSERT_FALSE(readme.empty());
  const std::string begin = "// --- README example begins ---\n";
  size_t a = self.find(begin), b = self.find("// --- README example ends ---");
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  std::string body = self.substr(a + begin.size(), b - a - begin.size());
  EXPECT_NE(readme.find(body), std::string::npos)
      << "README.md's example differs from readme_example(): copy it over";
}

}  // namespace
