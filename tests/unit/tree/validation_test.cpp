// Validation of a received tree (RFC 9420 §7.3, §7.9.2, §12.4.3.1): a valid
// tree passes, and each kind of damage is rejected with its own code.
#include "tree/validation.h"

#include <gtest/gtest.h>

#include "tree/tree_diff.h"
#include "tree_builder.h"

namespace mls::tree {
namespace {

using Nodes = std::vector<std::optional<Node>>;

class Validation : public ::testing::Test {
 protected:
  void SetUp() override {
    suite_ = crypto::CipherSuite::get(1).value();
    built_ = testing::build_tree(*suite_, 7);  // 8 leaves, blanks at the right edge
    params_.group_id = built_.group_id;
    params_.credentials = &accept_;
  }
  // Re-signs leaf i after a change, so only the intended check fails.
  void resign(Nodes& nodes, uint32_t i) {
    auto& leaf = std::get<LeafNode>(nodes[2 * i]->value);
    leaf.signature = crypto::sign_with_label(*suite_, built_.signature_keys[i].private_key,
                                             "LeafNodeTBS", leaf.to_be_signed(built_.group_id, i))
                         .value();
  }
  LeafNode& leaf(Nodes& nodes, uint32_t i) { return std::get<LeafNode>(nodes[2 * i]->value); }
  ParentNode& parent(Nodes& nodes, uint32_t x) { return std::get<ParentNode>(nodes[x]->value); }
  // Validates a tree made of `nodes`, through its encoding as a joiner gets it.
  ErrorCode validate(const Nodes& nodes) {
    auto tree = RatchetTree::decode(*suite_, codec::encode(nodes));
    if (!tree) return tree.error().code;
    auto s = validate_tree(*tree, params_);
    return s ? ErrorCode::internal : s.error().code;
  }

  std::optional<crypto::CipherSuite> suite_;
  testing::BuiltTree built_;
  AcceptAllCredentials accept_;
  TreeValidationParams params_;
};

TEST_F(Validation, ABuiltTreeIsValid) {
  auto tree = testing::to_tree(*suite_, built_);
  params_.expected_tree_hash = tree.root_hash();
  params_.now = 1700000000;
  ASSERT_TRUE(validate_tree(tree, params_)) << validate_tree(tree, params_).error().describe();
  auto verified = Verifier<RatchetTree>::verify(std::move(tree), params_);
  ASSERT_TRUE(verified);
  EXPECT_EQ((*verified)->member_count(), 7u);
}

TEST_F(Validation, ValidatesWithOneThreadOrMany) {
  auto tree = testing::to_tree(*suite_, testing::build_tree(*suite_, 300, built_.group_id));
  params_.threads = 1;
  EXPECT_TRUE(validate_tree(tree, params_));
  params_.threads = 4;
  EXPECT_TRUE(validate_tree(tree, params_));
}

TEST_F(Validation, WrongTreeHash) {
  auto tree = testing::to_tree(*suite_, built_);
  Bytes wrong = tree.root_hash();
  wrong[0] ^= 1;
  params_.expected_tree_hash = wrong;
  EXPECT_EQ(validate_tree(tree, params_).error().code, ErrorCode::tree_hash_mismatch);
}

TEST_F(Validation, WrongParentHash) {
  Nodes nodes = built_.nodes;
  parent(nodes, 5).parent_hash[0] ^= 1;  // node 5 is the right child of 3
  EXPECT_EQ(validate(nodes), ErrorCode::parent_hash_mismatch);
}

TEST_F(Validation, WrongParentHashInALeaf) {
  Nodes nodes = built_.nodes;
  leaf(nodes, 1).parent_hash[0] ^= 1;  // leaf 1 ends the chain of node 1
  resign(nodes, 1);
  EXPECT_EQ(validate(nodes), ErrorCode::parent_hash_mismatch);
}

TEST_F(Validation, ParentKeyChangedBreaksItsChain) {
  Nodes nodes = built_.nodes;
  parent(nodes, 3).encryption_key = suite_->hpke_generate().value().public_key;
  EXPECT_EQ(validate(nodes), ErrorCode::parent_hash_mismatch);
}

TEST_F(Validation, BadLeafSignature) {
  Nodes nodes = built_.nodes;
  leaf(nodes, 2).signature[3] ^= 1;
  EXPECT_EQ(validate(nodes), ErrorCode::bad_signature);
}

TEST_F(Validation, SignatureOverAnotherGroup) {
  params_.group_id = to_bytes("another group");
  EXPECT_EQ(validate(built_.nodes), ErrorCode::bad_signature);
}

TEST_F(Validation, DuplicateEncryptionKey) {
  Nodes nodes = built_.nodes;
  leaf(nodes, 3).encryption_key = leaf(nodes, 2).encryption_key;
  resign(nodes, 3);
  EXPECT_EQ(validate(nodes), ErrorCode::duplicate_key);
}

TEST_F(Validation, ParentKeyReusedByALeaf) {
  Nodes nodes = built_.nodes;
  leaf(nodes, 6).encryption_key = parent(nodes, 3).encryption_key;
  resign(nodes, 6);
  EXPECT_EQ(validate(nodes), ErrorCode::duplicate_key);
}

TEST_F(Validation, DuplicateSignatureKey) {
  Nodes nodes = built_.nodes;
  leaf(nodes, 5).signature_key = leaf(nodes, 4).signature_key;
  // Signed with leaf 4's key, so the signature itself is fine.
  auto& l = leaf(nodes, 5);
  l.signature = crypto::sign_with_label(*suite_, built_.signature_keys[4].private_key,
                                        "LeafNodeTBS", l.to_be_signed(built_.group_id, 5))
                    .value();
  EXPECT_EQ(validate(nodes), ErrorCode::duplicate_key);
}

TEST_F(Validation, UnmergedLeafOutOfRange) {
  Nodes nodes = built_.nodes;
  parent(nodes, 7).unmerged_leaves = {LeafIndex(99)};
  EXPECT_EQ(validate(nodes), ErrorCode::invalid_unmerged_leaves);
}

TEST_F(Validation, UnmergedLeafNotBelowItsNode) {
  Nodes nodes = built_.nodes;
  parent(nodes, 1).unmerged_leaves = {LeafIndex(5)};
  EXPECT_EQ(validate(nodes), ErrorCode::invalid_unmerged_leaves);
}

TEST_F(Validation, UnmergedLeafBlank) {
  Nodes nodes = built_.nodes;
  parent(nodes, 7).unmerged_leaves = {LeafIndex(7)};  // leaf 7 is blank
  EXPECT_EQ(validate(nodes), ErrorCode::invalid_unmerged_leaves);
}

TEST_F(Validation, UnmergedLeavesUnsorted) {
  Nodes nodes = built_.nodes;
  parent(nodes, 7).unmerged_leaves = {LeafIndex(5), LeafIndex(4)};
  EXPECT_EQ(validate(nodes), ErrorCode::invalid_unmerged_leaves);
}

TEST_F(Validation, UnmergedLeafMissingInBetween) {
  // Leaf 4 unmerged at the root but not at node 11, which is non-blank.
  Nodes nodes = built_.nodes;
  parent(nodes, 7).unmerged_leaves = {LeafIndex(4)};
  ASSERT_TRUE(nodes[11].has_value());
  EXPECT_EQ(validate(nodes), ErrorCode::invalid_unmerged_leaves);
}

TEST_F(Validation, CapabilitiesWithoutTheSuite) {
  Nodes nodes = built_.nodes;
  leaf(nodes, 0).capabilities.cipher_suites = {2};
  resign(nodes, 0);
  EXPECT_EQ(validate(nodes), ErrorCode::unsupported_capability);
}

TEST_F(Validation, RequiredCapabilitiesMissing) {
  params_.required.extension_types = {0x0a0b};
  EXPECT_EQ(validate(built_.nodes), ErrorCode::unsupported_capability);
  params_.required.extension_types = {extension_type::ratchet_tree};  // default: assumed
  EXPECT_EQ(validate(built_.nodes), ErrorCode::internal);             // i.e. valid
}

TEST_F(Validation, CredentialTypeInUseNotSupported) {
  Nodes nodes = built_.nodes;
  leaf(nodes, 2).credential = Credential::x509({Certificate{to_bytes("cert")}});
  leaf(nodes, 2).capabilities.credentials = {1, 2};
  resign(nodes, 2);
  EXPECT_EQ(validate(nodes), ErrorCode::unsupported_capability);  // others lack x509
}

TEST_F(Validation, LeafExtensionNotInCapabilities) {
  Nodes nodes = built_.nodes;
  leaf(nodes, 4).extensions.set(Extension{0x0a0b, {1}});
  resign(nodes, 4);
  EXPECT_EQ(validate(nodes), ErrorCode::invalid_leaf_node);
}

TEST_F(Validation, ExpiredKeyPackageLeaf) {
  // A member added from a KeyPackage (unmerged at the root) that expires.
  auto tree = testing::to_tree(*suite_, built_);
  auto enc = suite_->hpke_generate().value();
  auto sig = suite_->signature_generate().value();
  LeafNode added = testing::member_leaf(*suite_, 7, enc.public_key, sig.public_key);
  added.leaf_node_source = LeafNodeSource::key_package;
  added.lifetime = Lifetime{100, 200};
  added.signature =
      crypto::sign_with_label(*suite_, sig.private_key, "LeafNodeTBS", added.to_be_signed({}, 0))
          .value();
  TreeDiff diff(tree);
  ASSERT_EQ(diff.add_leaf(added), LeafIndex(7));
  ASSERT_TRUE(tree.merge(std::move(diff)));
  Nodes nodes = codec::decode_all<Nodes>(tree.encode()).value();
  EXPECT_EQ(parent(nodes, 7).unmerged_leaves, std::vector<LeafIndex>{LeafIndex(7)});
  params_.now = 150;
  EXPECT_EQ(validate(nodes), ErrorCode::internal);  // valid within its lifetime
  params_.now = 201;
  EXPECT_EQ(validate(nodes), ErrorCode::invalid_leaf_node);
  params_.now = 99;
  EXPECT_EQ(validate(nodes), ErrorCode::invalid_leaf_node);
}

TEST_F(Validation, CredentialRejected) {
  struct RejectMember3 final : CredentialValidator {
    Status validate(const Credential& c, BytesView) const override {
      if (*c.identity() == to_bytes("member-3")) {
        return make_error(ErrorCode::invalid_credential, "not on the list");
      }
      return {};
    }
  } reject;
  params_.credentials = &reject;
  EXPECT_EQ(validate(built_.nodes), ErrorCode::invalid_credential);
  params_.credentials = nullptr;
  EXPECT_EQ(validate(built_.nodes), ErrorCode::usage);
}

}  // namespace
}  // namespace mls::tree
