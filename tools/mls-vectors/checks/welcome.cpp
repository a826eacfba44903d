// welcome.json (../shared/interop/test-vectors.md, "Welcome"): the joiner's
// side of RFC 9420 §12.4.3.1 on a Welcome built by another implementation:
// validate our KeyPackage (§10.1), find our entry, decrypt the GroupSecrets
// with init_priv and the GroupInfo with the welcome key, verify the
// GroupInfo's signature with signer_pub and its confirmation_tag with the
// epoch's confirmation_key (no PSKs).
#include "messages/welcome.h"

#include "codec/codec.h"
#include "crypto/cipher_suite.h"
#include "framing/mls_message.h"
#include "messages/key_package.h"
#include "schedule/key_schedule.h"
#include "schedule/transcript.h"
#include "vectors.h"

namespace mls::vectors {
namespace {

template <typename T>
Result<T> unwrap(const json& c, const std::string& field) {
  auto msg = codec::decode_all<framing::MLSMessage>(hex_field(c, field));
  if (!msg) return make_error(msg.error().code, field + ": " + msg.error().message);
  T* body = msg->get<T>();
  if (body == nullptr) {
    return make_error(ErrorCode::invalid_value, field + ": MLSMessage of another wire format");
  }
  return std::move(*body);
}

}  // namespace

Status check_welcome(const json& c) {
  auto suite = MLS_TRY(crypto::CipherSuite::get(c.at("cipher_suite").get<uint16_t>()));
  Bytes init_priv = hex_field(c, "init_priv");
  Bytes signer_pub = hex_field(c, "signer_pub");
  KeyPackage key_package = MLS_TRY(unwrap<KeyPackage>(c, "key_package"));
  Welcome welcome = MLS_TRY(unwrap<Welcome>(c, "welcome"));

  MLS_CHECK(key_package.validate(suite));

  OpenedWelcome opened = MLS_TRY(open_welcome(suite, welcome, key_package, init_priv));
  const GroupInfo& info = opened.group_info;
  MLS_CHECK(info.verify(suite, signer_pub));

  schedule::JoinerSchedule joiner(suite, opened.group_secrets.joiner_secret, {});
  auto welcome_secret = MLS_TRY(joiner.welcome_secret());
  MLS_CHECK(expect_true("welcome_secret of the schedule", welcome_secret == opened.welcome_secret));
  auto epoch = MLS_TRY(std::move(joiner).epoch_secrets(codec::encode(info.group_context)));
  return schedule::verify_confirmation_tag(suite, epoch.confirmation_key,
                                           info.group_context.confirmed_transcript_hash,
                                           info.confirmation_tag);
}

}  // namespace mls::vectors
