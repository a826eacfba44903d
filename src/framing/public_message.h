// PublicMessage: signed, membership-tagged, not encrypted (RFC 9420 §6.2).
#pragma once

#include <optional>

#include "framing/authenticate.h"
#include "framing/content.h"
#include "framing/verified.h"

namespace mls::framing {

// struct {
//     FramedContent content;
//     FramedContentAuthData auth;
//     select (PublicMessage.content.sender.sender_type) {
//         case member:
//             MAC membership_tag;
//         case external:
//         case new_member_commit:
//         case new_member_proposal:
//             struct{};
//     };
// } PublicMessage;                                                (§6.2)
struct PublicMessage {
  FramedContent content;
  FramedContentAuthData auth;
  std::optional<Mac> membership_tag;  // set iff the sender is a member

  // The AuthenticatedContent it carries (wire format mls_public_message).
  AuthenticatedContent authenticated_content() const&;
  AuthenticatedContent authenticated_content() &&;

  void tls_encode(codec::Writer& w) const;
  static Status tls_decode(codec::Reader& r, PublicMessage& out);
  bool operator==(const PublicMessage&) const = default;
};

// Wraps signed content (sign_content with WireFormat::public_message) into a
// PublicMessage; for a member sender, membership_tag =
// MAC(membership_key, AuthenticatedContentTBM) (§6.2). usage if the wire
// format is not public_message, the content is application data, or a commit
// lacks its confirmation tag.
[[nodiscard]] Result<PublicMessage> protect_public(const EpochView& epoch, BytesView membership_key,
                                                   AuthenticatedContent content);

// The receiver's side of §6.2, in this order: wrong_group, wrong_epoch;
// invalid_value for application data (it MUST be a PrivateMessage);
// bad_membership_tag for a member sender; the sender's key as in
// sender_signature_key (unknown_sender, invalid_sender, invalid_commit);
// bad_signature. A commit's confirmation tag needs the next epoch's
// confirmation key, so the group checks it (schedule::verify_confirmation_tag)
// while staging the commit.
[[nodiscard]] Result<Verified<AuthenticatedContent>> unprotect_public(const EpochView& epoch,
                                                                      BytesView membership_key,
                                                                      const SenderKeys& keys,
                                                                      PublicMessage message);

}  // namespace mls::framing
