#include "messages/group_info.h"

#include "crypto/labeled.h"

namespace mls {

Bytes GroupInfo::to_be_signed() const {
  codec::Writer w;
  codec::encode(w, group_context);
  codec::encode(w, extensions);
  codec::encode(w, confirmation_tag);
  codec::encode(w, signer);
  return w.take();
}

Status GroupInfo::sign(const crypto::Signer& signer_key) {
  signature = MLS_TRY(crypto::sign_with_label(signer_key, "GroupInfoTBS", to_be_signed()));
  return {};
}

Status GroupInfo::verify(const crypto::CipherSuite& suite, BytesView signer_public_key) const {
  return crypto::verify_with_label(suite, signer_public_key, "GroupInfoTBS", to_be_signed(),
                                   signature);
}

}  // namespace mls
