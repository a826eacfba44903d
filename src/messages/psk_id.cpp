#include "messages/psk_id.h"

#include <string>

namespace mls {

void PreSharedKeyID::tls_encode(codec::Writer& w) const {
  codec::encode(w, psktype);
  switch (psktype) {
    case PSKType::external:
      codec::encode(w, psk_id);
      break;
    case PSKType::resumption:
      codec::encode(w, usage);
      codec::encode(w, psk_group_id);
      codec::encode(w, psk_epoch);
      break;
  }
  codec::encode(w, psk_nonce);
}

Status PreSharedKeyID::tls_decode(codec::Reader& r, PreSharedKeyID& out) {
  out = PreSharedKeyID{};
  MLS_CHECK(codec::decode(r, out.psktype));
  switch (out.psktype) {
    case PSKType::external:
      MLS_CHECK(codec::decode(r, out.psk_id));
      break;
    case PSKType::resumption:
      MLS_CHECK(codec::decode(r, out.usage));
      switch (out.usage) {
        case ResumptionPSKUsage::application:
        case ResumptionPSKUsage::reinit:
        case ResumptionPSKUsage::branch:
          break;
        default:
          return r.error(ErrorCode::unknown_value,
                         "resumption PSK usage " + std::to_string(static_cast<int>(out.usage)));
      }
      MLS_CHECK(codec::decode(r, out.psk_group_id));
      MLS_CHECK(codec::decode(r, out.psk_epoch));
      break;
    default:
      return r.error(ErrorCode::unknown_value,
                     "PSK type " + std::to_string(static_cast<int>(out.psktype)));
  }
  return codec::decode(r, out.psk_nonce);
}

bool PreSharedKeyID::operator==(const PreSharedKeyID& other) const {
  if (psktype != other.psktype || psk_nonce != other.psk_nonce) return false;
  if (psktype == PSKType::external) return psk_id == other.psk_id;
  return usage == other.usage && psk_group_id == other.psk_group_id && psk_epoch == other.psk_epoch;
}

}  // namespace mls
