// MLSMessage, the envelope of everything MLS sends (RFC 9420 §6).
#pragma once

#include <variant>

#include "codec/codec.h"
#include "framing/private_message.h"
#include "framing/public_message.h"
#include "messages/group_info.h"
#include "messages/key_package.h"
#include "messages/welcome.h"

namespace mls::framing {

// struct {
//     ProtocolVersion version = mls10;
//     WireFormat wire_format;
//     select (MLSMessage.wire_format) {
//         case mls_public_message:  PublicMessage public_message;
//         case mls_private_message: PrivateMessage private_message;
//         case mls_welcome:         Welcome welcome;
//         case mls_group_info:      GroupInfo group_info;
//         case mls_key_package:     KeyPackage key_package;
//     };
// } MLSMessage;                                                   (§6)
// The alternative index is the WireFormat minus one.
struct MLSMessage {
  using Body = std::variant<PublicMessage, PrivateMessage, Welcome, GroupInfo, KeyPackage>;

  ProtocolVersion version = kMls10;
  Body body;

  MLSMessage() = default;
  template <typename T>
  requires std::is_constructible_v<Body, T&&>
  explicit MLSMessage(T&& b) : body(std::forward<T>(b)) {}

  WireFormat wire_format() const { return static_cast<WireFormat>(body.index() + 1); }
  template <typename T>
  const T* get() const {
    return std::get_if<T>(&body);
  }
  template <typename T>
  T* get() {
    return std::get_if<T>(&body);
  }

  void tls_encode(codec::Writer& w) const;
  // unknown_value for a version other than mls10 or an unknown wire format.
  static Status tls_decode(codec::Reader& r, MLSMessage& out);
  bool operator==(const MLSMessage&) const = default;
};

}  // namespace mls::framing
