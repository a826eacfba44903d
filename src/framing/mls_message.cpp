#include "framing/mls_message.h"

namespace mls::framing {

void MLSMessage::tls_encode(codec::Writer& w) const {
  w.u16(version);
  codec::encode(w, wire_format());
  std::visit([&](const auto& value) { codec::encode(w, value); }, body);
}

namespace {
template <typename T>
Status decode_as(codec::Reader& r, MLSMessage::Body& out) {
  T value{};
  MLS_CHECK(codec::decode(r, value));
  out = std::move(value);
  return {};
}
}  // namespace

Status MLSMessage::tls_decode(codec::Reader& r, MLSMessage& out) {
  out.version = MLS_TRY(r.u16());
  if (out.version != kMls10) {
    return r.error(ErrorCode::unknown_value, "protocol version " + std::to_string(out.version));
  }
  WireFormat wire_format{};
  MLS_CHECK(codec::decode(r, wire_format));
  switch (wire_format) {
    case WireFormat::public_message:
      return decode_as<PublicMessage>(r, out.body);
    case WireFormat::private_message:
      return decode_as<PrivateMessage>(r, out.body);
    case WireFormat::welcome:
      return decode_as<Welcome>(r, out.body);
    case WireFormat::group_info:
      return decode_as<GroupInfo>(r, out.body);
    case WireFormat::key_package:
      return decode_as<KeyPackage>(r, out.body);
  }
  return r.error(ErrorCode::unknown_value, "wire format");
}

}  // namespace mls::framing
