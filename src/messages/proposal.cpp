#include "messages/proposal.h"

#include <string>

namespace mls {

ProposalType Proposal::type() const {
  // The variant's alternatives are in registry order, add (1) first.
  return static_cast<ProposalType>(body.index() + 1);
}

void Proposal::tls_encode(codec::Writer& w) const {
  codec::encode(w, type());
  std::visit([&](const auto& b) { codec::encode(w, b); }, body);
}

namespace {
template <typename T>
Status decode_body(codec::Reader& r, Proposal& out) {
  T b{};
  MLS_CHECK(codec::decode(r, b));
  out.body = std::move(b);
  return {};
}
}  // namespace

Status Proposal::tls_decode(codec::Reader& r, Proposal& out) {
  ProposalType t = MLS_TRY(r.u16());
  switch (t) {
    case proposal_type::add:
      return decode_body<Add>(r, out);
    case proposal_type::update:
      return decode_body<Update>(r, out);
    case proposal_type::remove:
      return decode_body<Remove>(r, out);
    case proposal_type::psk:
      return decode_body<PreSharedKey>(r, out);
    case proposal_type::reinit:
      return decode_body<ReInit>(r, out);
    case proposal_type::external_init:
      return decode_body<ExternalInit>(r, out);
    case proposal_type::group_context_extensions:
      return decode_body<GroupContextExtensions>(r, out);
    default:
      return r.error(ErrorCode::unknown_value,
                     "proposal type " + std::to_string(t) + " has no known encoding");
  }
}

void ProposalOrRef::tls_encode(codec::Writer& w) const {
  codec::encode(w, type());
  if (const auto* p = proposal()) {
    codec::encode(w, *p);
  } else {
    codec::encode(w, *ref());
  }
}

Status ProposalOrRef::tls_decode(codec::Reader& r, ProposalOrRef& out) {
  ProposalOrRefType t{};
  MLS_CHECK(codec::decode(r, t));
  switch (t) {
    case ProposalOrRefType::proposal: {
      Proposal p;
      MLS_CHECK(codec::decode(r, p));
      out.content = std::move(p);
      return {};
    }
    case ProposalOrRefType::reference: {
      ProposalRef ref;
      MLS_CHECK(codec::decode(r, ref));
      out.content = std::move(ref);
      return {};
    }
  }
  return r.error(ErrorCode::unknown_value,
                 "ProposalOrRef type " + std::to_string(static_cast<int>(t)));
}

}  // namespace mls
