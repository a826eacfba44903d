#include "messages/leaf_node.h"

#include "crypto/labeled.h"

namespace mls {

void LeafNode::encode_content(codec::Writer& w) const {
  codec::encode(w, encryption_key);
  codec::encode(w, signature_key);
  codec::encode(w, credential);
  codec::encode(w, capabilities);
  codec::encode(w, leaf_node_source);
  switch (leaf_node_source) {
    case LeafNodeSource::key_package:
      codec::encode(w, lifetime.value_or(Lifetime{}));
      break;
    case LeafNodeSource::update:
      break;
    case LeafNodeSource::commit:
      codec::encode(w, parent_hash);
      break;
  }
  codec::encode(w, extensions);
}

void LeafNode::tls_encode(codec::Writer& w) const {
  encode_content(w);
  codec::encode(w, signature);
}

Status LeafNode::tls_decode(codec::Reader& r, LeafNode& out) {
  MLS_CHECK(codec::decode(r, out.encryption_key));
  MLS_CHECK(codec::decode(r, out.signature_key));
  MLS_CHECK(codec::decode(r, out.credential));
  MLS_CHECK(codec::decode(r, out.capabilities));
  MLS_CHECK(codec::decode(r, out.leaf_node_source));
  out.lifetime.reset();
  out.parent_hash.clear();
  switch (out.leaf_node_source) {
    case LeafNodeSource::key_package: {
      Lifetime lt;
      MLS_CHECK(codec::decode(r, lt));
      out.lifetime = lt;
      break;
    }
    case LeafNodeSource::update:
      break;
    case LeafNodeSource::commit:
      MLS_CHECK(codec::decode(r, out.parent_hash));
      break;
    default:
      return r.error(ErrorCode::invalid_value, "leaf_node_source " +
                                                   std::to_string(static_cast<int>(out.leaf_node_source)));
  }
  MLS_CHECK(codec::decode(r, out.extensions));
  return codec::decode(r, out.signature);
}

Bytes LeafNode::to_be_signed(BytesView group_id, uint32_t leaf_index) const {
  codec::Writer w;
  encode_content(w);
  if (leaf_node_source != LeafNodeSource::key_package) {
    w.opaque(group_id);
    w.u32(leaf_index);
  }
  return w.take();
}

Status LeafNode::sign(const crypto::Signer& signer, BytesView group_id, uint32_t leaf_index) {
  signature = MLS_TRY(crypto::sign_with_label(signer, "LeafNodeTBS", to_be_signed(group_id, leaf_index)));
  return {};
}

Status LeafNode::verify(const crypto::CipherSuite& suite, BytesView group_id,
                        uint32_t leaf_index) const {
  return crypto::verify_with_label(suite, signature_key, "LeafNodeTBS",
                                   to_be_signed(group_id, leaf_index), signature);
}

}  // namespace mls
