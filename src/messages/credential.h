// Credentials (RFC 9420 §5.3).
#pragma once

#include <variant>
#include <vector>

#include "codec/codec.h"

namespace mls {

// uint16 CredentialType; values from the "MLS Credential Types" registry
// (§17.5). Other values are carried in capabilities but cannot be decoded as
// a Credential, since the RFC defines no generic body for them.
enum class CredentialType : uint16_t { basic = 0x0001, x509 = 0x0002 };

// struct { opaque cert_data<V>; } Certificate;
struct Certificate {
  Bytes cert_data;
  static constexpr auto tls_fields() { return std::tuple{&Certificate::cert_data}; }
  bool operator==(const Certificate&) const = default;
};

// struct {
//     CredentialType credential_type;
//     select (Credential.credential_type) {
//         case basic: opaque identity<V>;
//         case x509:  Certificate certificates<V>;
//     };
// } Credential;                                                   (§5.3)
class Credential {
 public:
  Credential() = default;
  static Credential basic(Bytes identity) {
    Credential c;
    c.body_ = std::move(identity);
    return c;
  }
  // certificates[0] is the end-entity certificate (§5.3.1).
  static Credential x509(std::vector<Certificate> chain) {
    Credential c;
    c.body_ = std::move(chain);
    return c;
  }

  CredentialType type() const {
    return std::holds_alternative<Bytes>(body_) ? CredentialType::basic : CredentialType::x509;
  }
  // The identity of a basic credential; nullptr for other types.
  const Bytes* identity() const { return std::get_if<Bytes>(&body_); }
  // The chain of an X.509 credential; nullptr for other types.
  const std::vector<Certificate>* certificates() const {
    return std::get_if<std::vector<Certificate>>(&body_);
  }

  void tls_encode(codec::Writer& w) const;
  static Status tls_decode(codec::Reader& r, Credential& out);
  bool operator==(const Credential&) const = default;

 private:
  std::variant<Bytes, std::vector<Certificate>> body_;
};

}  // namespace mls
