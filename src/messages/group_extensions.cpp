#include "messages/group_extensions.h"

#include <algorithm>

#include "messages/proposal.h"

namespace mls {

bool RequiredCapabilities::supported_by(const Capabilities& caps) const {
  auto contains = [](const auto& list, uint16_t v) {
    return std::find(list.begin(), list.end(), v) != list.end();
  };
  for (auto t : extension_types) {
    if (!extension_type::is_default(t) && !contains(caps.extensions, t)) return false;
  }
  for (auto t : proposal_types) {
    if (!proposal_type::is_default(t) && !contains(caps.proposals, t)) return false;
  }
  for (auto t : credential_types) {
    if (!contains(caps.credentials, t)) return false;
  }
  return true;
}

}  // namespace mls
