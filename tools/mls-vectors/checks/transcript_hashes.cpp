// transcript-hashes.json (../shared/interop/test-vectors.md, "Transcript
// Hashes"): the AuthenticatedContent holds a commit whose confirmation tag is
// the MAC of confirmed_transcript_hash_after under confirmation_key, and
// updating interim_transcript_hash_before with it gives both hashes after
// (RFC 9420 §8.2, §6.1).
#include "crypto/cipher_suite.h"
#include "framing/content.h"
#include "schedule/transcript.h"
#include "vectors.h"

namespace mls::vectors {

Status check_transcript_hashes(const json& c) {
  auto suite = MLS_TRY(crypto::CipherSuite::get(c.at("cipher_suite").get<uint16_t>()));
  Bytes confirmation_key = hex_field(c, "confirmation_key");
  Bytes encoded = hex_field(c, "authenticated_content");
  Bytes interim_before = hex_field(c, "interim_transcript_hash_before");
  Bytes confirmed_after = hex_field(c, "confirmed_transcript_hash_after");
  Bytes interim_after = hex_field(c, "interim_transcript_hash_after");

  auto content = MLS_TRY(codec::decode_all<framing::AuthenticatedContent>(encoded));
  MLS_CHECK(expect_equal("authenticated_content re-encoded", codec::encode(content), encoded));
  MLS_CHECK(expect_true("authenticated_content holds a commit",
                        content.content.content_type() == framing::ContentType::commit));
  const Bytes& tag = *content.auth.confirmation_tag;  // present for a commit
  MLS_CHECK(schedule::verify_confirmation_tag(suite, confirmation_key, confirmed_after, tag));

  Bytes input = MLS_TRY(framing::confirmed_transcript_hash_input(content));
  Bytes confirmed = schedule::confirmed_transcript_hash(suite, interim_before, input);
  MLS_CHECK(expect_equal("confirmed_transcript_hash_after", confirmed, confirmed_after));
  Bytes interim = schedule::interim_transcript_hash(suite, confirmed, tag);
  return expect_equal("interim_transcript_hash_after", interim, interim_after);
}

}  // namespace mls::vectors
