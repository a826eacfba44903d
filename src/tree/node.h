// The nodes of a ratchet tree (RFC 9420 §7.1, §12.4.3.3) and the
// credential-validation hook the tree's validation calls (§5.3.1).
#pragma once

#include <variant>
#include <vector>

#include "codec/codec.h"
#include "messages/leaf_node.h"
#include "tree/tree_math.h"

namespace mls::tree {

// struct {
//     HPKEPublicKey encryption_key;
//     opaque parent_hash<V>;
//     uint32 unmerged_leaves<V>;
// } ParentNode;                                                   (§7.1)
// unmerged_leaves MUST be sorted in increasing order; validation checks it.
struct ParentNode {
  Bytes encryption_key;
  Bytes parent_hash;
  std::vector<LeafIndex> unmerged_leaves;
  static constexpr auto tls_fields() {
    return std::tuple{&ParentNode::encryption_key, &ParentNode::parent_hash,
                      &ParentNode::unmerged_leaves};
  }
  bool operator==(const ParentNode&) const = default;
};

// enum { reserved(0), leaf(1), parent(2), (255) } NodeType;      (§7.8)
enum class NodeType : uint8_t { leaf = 1, parent = 2 };

// struct {
//     NodeType node_type;
//     select (Node.node_type) {
//         case leaf:   LeafNode leaf_node;
//         case parent: ParentNode parent_node;
//     };
// } Node;                                                         (§12.4.3.3)
struct Node {
  std::variant<LeafNode, ParentNode> value;

  NodeType type() const { return value.index() == 0 ? NodeType::leaf : NodeType::parent; }
  const LeafNode* leaf() const { return std::get_if<LeafNode>(&value); }
  const ParentNode* parent() const { return std::get_if<ParentNode>(&value); }

  void tls_encode(codec::Writer& w) const;
  static Status tls_decode(codec::Reader& r, Node& out);
  bool operator==(const Node&) const = default;
};

// Decides whether a credential is acceptable for a signature key (§5.3.1).
// The authentication service is the application's: the library calls this
// for every leaf it validates. Validation of a whole tree may call it from
// several threads at once, so implementations must be thread-safe.
class CredentialValidator {
 public:
  virtual ~CredentialValidator() = default;
  // Ok to accept; an error (ideally ErrorCode::invalid_credential) to reject.
  [[nodiscard]] virtual Status validate(const Credential& credential,
                                        BytesView signature_key) const = 0;
};

// Accepts every credential. Only for tests and demos: it authenticates no one.
class AcceptAllCredentials final : public CredentialValidator {
 public:
  Status validate(const Credential&, BytesView) const override { return {}; }
};

}  // namespace mls::tree
