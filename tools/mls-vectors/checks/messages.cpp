// messages.json (../shared/interop/test-vectors.md, "Messages"): every field
// decodes as its structure, with nothing left over, and re-encodes to the
// same bytes. The MLSMessage-wrapped fields must also carry the wire format
// (and, for PublicMessages, the content type) the field name says, and the
// KeyPackages and GroupContext must be of version mls10.
#include <optional>
#include <string>
#include <vector>

#include "codec/codec.h"
#include "framing/mls_message.h"
#include "messages/commit.h"
#include "messages/proposal.h"
#include "messages/welcome.h"
#include "tree/node.h"
#include "vectors.h"

namespace mls::vectors {
namespace {

template <typename T>
Result<T> round_trip(const json& c, const std::string& field) {
  Bytes data = hex_field(c, field);
  auto value = codec::decode_all<T>(data);
  if (!value) return make_error(value.error().code, field + ": " + value.error().message);
  MLS_CHECK(expect_equal(field + " re-encoded", codec::encode(*value), data));
  return std::move(*value);
}

template <typename T>
Status check(const json& c, const std::string& field) {
  return round_trip<T>(c, field).map([](auto&&) {});
}

Result<framing::MLSMessage> check_message(
    const json& c, const std::string& field, framing::WireFormat wire_format,
    std::optional<framing::ContentType> content_type = std::nullopt) {
  auto msg = MLS_TRY(round_trip<framing::MLSMessage>(c, field));
  MLS_CHECK(expect_equal(field + " wire_format", static_cast<uint64_t>(msg.wire_format()),
                         static_cast<uint64_t>(wire_format)));
  if (content_type) {
    const auto* pub = msg.get<framing::PublicMessage>();
    MLS_CHECK(expect_true(field + " is a PublicMessage", pub != nullptr));
    MLS_CHECK(expect_equal(field + " content_type",
                           static_cast<uint64_t>(pub->content.content_type()),
                           static_cast<uint64_t>(*content_type)));
  }
  return msg;
}

// The objects must be MLS 1.0 objects: a version field other than mls10
// means a layout this file does not describe, though it decodes (§6, §10).
Status check_version(const std::string& what, ProtocolVersion version) {
  return expect_equal(what + " version", version, kMls10);
}

}  // namespace

Status check_messages(const json& c) {
  using framing::ContentType;
  using framing::WireFormat;
  MLS_CHECK(check_message(c, "mls_welcome", WireFormat::welcome));
  auto group_info = MLS_TRY(check_message(c, "mls_group_info", WireFormat::group_info));
  MLS_CHECK(check_version("mls_group_info GroupContext",
                          group_info.get<GroupInfo>()->group_context.version));
  auto key_package = MLS_TRY(check_message(c, "mls_key_package", WireFormat::key_package));
  MLS_CHECK(check_version("mls_key_package", key_package.get<KeyPackage>()->version));

  // optional<Node> ratchet_tree<V>  (§12.4.3.3)
  MLS_CHECK(check<std::vector<std::optional<tree::Node>>>(c, "ratchet_tree"));
  MLS_CHECK(check<GroupSecrets>(c, "group_secrets"));

  auto add = MLS_TRY(round_trip<Add>(c, "add_proposal"));
  MLS_CHECK(check_version("add_proposal KeyPackage", add.key_package.version));
  MLS_CHECK(check<Update>(c, "update_proposal"));
  MLS_CHECK(check<Remove>(c, "remove_proposal"));
  MLS_CHECK(check<PreSharedKey>(c, "pre_shared_key_proposal"));
  MLS_CHECK(check<ReInit>(c, "re_init_proposal"));
  MLS_CHECK(check<ExternalInit>(c, "external_init_proposal"));
  MLS_CHECK(check<GroupContextExtensions>(c, "group_context_extensions_proposal"));
  MLS_CHECK(check<Commit>(c, "commit"));

  MLS_CHECK(check_message(c, "public_message_application", WireFormat::public_message,
                          ContentType::application));
  MLS_CHECK(check_message(c, "public_message_proposal", WireFormat::public_message,
                          ContentType::proposal));
  MLS_CHECK(
      check_message(c, "public_message_commit", WireFormat::public_message, ContentType::commit));
  MLS_CHECK(check_message(c, "private_message", WireFormat::private_message));
  return {};
}

}  // namespace mls::vectors
