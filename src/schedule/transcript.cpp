#include "schedule/transcript.h"

#include "codec/codec.h"

namespace mls::schedule {

namespace {
Bytes hash_concat(const crypto::CipherSuite& suite, BytesView first, BytesView second) {
  Bytes input(first.begin(), first.end());
  input.insert(input.end(), second.begin(), second.end());
  return suite.hash(input);
}
}  // namespace

Bytes confirmed_transcript_hash(const crypto::CipherSuite& suite, BytesView interim_transcript_hash,
                                BytesView confirmed_input) {
  return hash_concat(suite, interim_transcript_hash, confirmed_input);
}

Bytes interim_transcript_hash(const crypto::CipherSuite& suite, BytesView confirmed_transcript_hash,
                              BytesView confirmation_tag) {
  codec::Writer w;
  w.opaque(confirmation_tag);  // InterimTranscriptHashInput { MAC confirmation_tag; }
  return hash_concat(suite, confirmed_transcript_hash, w.bytes());
}

Bytes confirmation_tag(const crypto::CipherSuite& suite, BytesView confirmation_key,
                       BytesView confirmed_transcript_hash) {
  return suite.mac(confirmation_key, confirmed_transcript_hash);
}

Status verify_confirmation_tag(const crypto::CipherSuite& suite, BytesView confirmation_key,
                               BytesView confirmed_transcript_hash, BytesView tag) {
  Bytes expected = confirmation_tag(suite, confirmation_key, confirmed_transcript_hash);
  if (!constant_time_equal(expected, tag)) {
    return make_error(ErrorCode::bad_confirmation_tag, "confirmation tag does not match");
  }
  return {};
}

}  // namespace mls::schedule
