#include "tree/node.h"

namespace mls::tree {

void Node::tls_encode(codec::Writer& w) const {
  codec::encode(w, type());
  if (const auto* l = leaf()) {
    codec::encode(w, *l);
  } else {
    codec::encode(w, *parent());
  }
}

Status Node::tls_decode(codec::Reader& r, Node& out) {
  NodeType type{};
  MLS_CHECK(codec::decode(r, type));
  switch (type) {
    case NodeType::leaf: {
      LeafNode leaf;
      MLS_CHECK(codec::decode(r, leaf));
      out.value = std::move(leaf);
      return {};
    }
    case NodeType::parent: {
      ParentNode parent;
      MLS_CHECK(codec::decode(r, parent));
      out.value = std::move(parent);
      return {};
    }
  }
  return r.error(ErrorCode::invalid_value, "node_type " + std::to_string(static_cast<int>(type)));
}

}  // namespace mls::tree
