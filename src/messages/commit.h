// Commit (RFC 9420 §12.4).
#pragma once

#include <optional>
#include <vector>

#include "codec/codec.h"
#include "messages/leaf_node.h"
#include "messages/proposal.h"

namespace mls {

// struct {
//     ProposalOrRef proposals<V>;
//     optional<UpdatePath> path;
// } Commit;                                                       (§12.4)
struct Commit {
  std::vector<ProposalOrRef> proposals;
  std::optional<UpdatePath> path;
  static constexpr auto tls_fields() { return std::tuple{&Commit::proposals, &Commit::path}; }
  bool operator==(const Commit&) const = default;
};

}  // namespace mls
