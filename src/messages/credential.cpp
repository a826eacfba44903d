#include "messages/credential.h"

namespace mls {

void Credential::tls_encode(codec::Writer& w) const {
  codec::encode(w, type());
  if (const auto* id = identity()) {
    codec::encode(w, *id);
  } else {
    codec::encode(w, *certificates());
  }
}

Status Credential::tls_decode(codec::Reader& r, Credential& out) {
  CredentialType type{};
  MLS_CHECK(codec::decode(r, type));
  switch (type) {
    case CredentialType::basic: {
      Bytes identity;
      MLS_CHECK(codec::decode(r, identity));
      out = Credential::basic(std::move(identity));
      return {};
    }
    case CredentialType::x509: {
      std::vector<Certificate> chain;
      MLS_CHECK(codec::decode(r, chain));
      out = Credential::x509(std::move(chain));
      return {};
    }
  }
  return r.error(ErrorCode::unknown_value,
                 "credential type " + std::to_string(static_cast<uint16_t>(type)) +
                     " has no known encoding");
}

}  // namespace mls
