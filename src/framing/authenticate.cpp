#include "framing/authenticate.h"

#include "crypto/labeled.h"

namespace mls::framing {

namespace {
constexpr std::string_view kTbsLabel = "FramedContentTBS";
}  // namespace

bool external_sender_may_propose(ProposalType type) {
  return type == proposal_type::add || type == proposal_type::remove ||
         type == proposal_type::psk || type == proposal_type::reinit ||
         type == proposal_type::group_context_extensions;
}

Result<BytesView> sender_signature_key(const FramedContent& content, const SenderKeys& keys) {
  const Sender& sender = content.sender;
  switch (sender.sender_type) {
    case SenderType::member: {
      auto key = keys.member_signature_key(tree::LeafIndex(sender.index));
      if (!key) {
        return make_error(ErrorCode::unknown_sender, "member sender names blank or absent leaf " +
                                                         std::to_string(sender.index));
      }
      return *key;
    }
    case SenderType::external: {
      const Proposal* proposal = content.proposal();
      if (proposal == nullptr) {
        return make_error(ErrorCode::invalid_sender, "external sender may only send proposals");
      }
      if (!external_sender_may_propose(proposal->type())) {
        return make_error(ErrorCode::invalid_sender, "external sender may not send proposal type " +
                                                         std::to_string(proposal->type()));
      }
      auto key = keys.external_signature_key(sender.index);
      if (!key) {
        return make_error(ErrorCode::unknown_sender,
                          "no external sender " + std::to_string(sender.index));
      }
      return *key;
    }
    case SenderType::new_member_proposal: {
      const Proposal* proposal = content.proposal();
      const Add* add = proposal != nullptr ? proposal->get<Add>() : nullptr;
      if (add == nullptr) {
        return make_error(ErrorCode::invalid_sender, "new_member_proposal sender without an Add");
      }
      return BytesView(add->key_package.leaf_node.signature_key);
    }
    case SenderType::new_member_commit: {
      const Commit* commit = content.commit();
      if (commit == nullptr) {
        return make_error(ErrorCode::invalid_sender, "new_member_commit sender without a commit");
      }
      if (!commit->path) {
        return make_error(ErrorCode::invalid_commit, "external commit without a path");
      }
      return BytesView(commit->path->leaf_node.signature_key);
    }
  }
  return make_error(ErrorCode::unknown_value, "sender type");
}

Result<AuthenticatedContent> sign_content(const EpochView& epoch, WireFormat wire_format,
                                          FramedContent content, const crypto::Signer& signer) {
  if (wire_format != WireFormat::public_message && wire_format != WireFormat::private_message) {
    return make_error(ErrorCode::usage, "framed content needs a public or private wire format");
  }
  if (wire_format == WireFormat::public_message &&
      content.content_type() == ContentType::application) {
    return make_error(ErrorCode::usage, "application data must be sent as a PrivateMessage");
  }
  if (!std::equal(content.group_id.begin(), content.group_id.end(), epoch.group_id.begin(),
                  epoch.group_id.end()) ||
      content.epoch != epoch.epoch) {
    return make_error(ErrorCode::usage, "content names another group or epoch");
  }
  AuthenticatedContent out{wire_format, std::move(content), {}};
  Bytes tbs = encode_framed_content_tbs(wire_format, out.content, epoch.group_context);
  out.auth.signature = MLS_TRY(crypto::sign_with_label(signer, kTbsLabel, tbs));
  return out;
}

Status verify_content_signature(const EpochView& epoch, const AuthenticatedContent& content,
                                BytesView signature_key) {
  Bytes tbs = encode_framed_content_tbs(content.wire_format, content.content, epoch.group_context);
  return crypto::verify_with_label(epoch.suite, signature_key, kTbsLabel, tbs,
                                   content.auth.signature);
}

Status check_group_and_epoch(const EpochView& epoch, BytesView group_id, uint64_t message_epoch) {
  if (!std::equal(group_id.begin(), group_id.end(), epoch.group_id.begin(), epoch.group_id.end())) {
    return make_error(ErrorCode::wrong_group, "message for another group");
  }
  if (message_epoch != epoch.epoch) {
    return make_error(ErrorCode::wrong_epoch, "message for epoch " + std::to_string(message_epoch) +
                                                  ", group is at " + std::to_string(epoch.epoch));
  }
  return {};
}

}  // namespace mls::framing
