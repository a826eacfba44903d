// Transcript hashes and the confirmation tag (RFC 9420 §8.2, §6.1).
//
// The inputs are the TLS encodings the messages layer builds
// (ConfirmedTranscriptHashInput) or holds (the confirmation tag); this layer
// only hashes and MACs bytes.
#pragma once

#include "crypto/cipher_suite.h"
#include "mls/bytes.h"
#include "mls/error.h"

namespace mls::schedule {

// confirmed_transcript_hash_[epoch] =
//     Hash(interim_transcript_hash_[epoch - 1] || ConfirmedTranscriptHashInput_[epoch])
// `confirmed_input` is the encoded ConfirmedTranscriptHashInput
// (wire_format, FramedContent, signature). Both hashes start as "" (§8.2).
Bytes confirmed_transcript_hash(const crypto::CipherSuite& suite, BytesView interim_transcript_hash,
                                BytesView confirmed_input);

// interim_transcript_hash_[epoch] =
//     Hash(confirmed_transcript_hash_[epoch] || InterimTranscriptHashInput_[epoch])
// where InterimTranscriptHashInput is struct { MAC confirmation_tag; }, i.e.
// the tag as opaque<V> (with its length header). Pass the bare tag. (§8.2)
Bytes interim_transcript_hash(const crypto::CipherSuite& suite, BytesView confirmed_transcript_hash,
                              BytesView confirmation_tag);

// confirmation_tag = MAC(confirmation_key, GroupContext.confirmed_transcript_hash)  (§6.1)
Bytes confirmation_tag(const crypto::CipherSuite& suite, BytesView confirmation_key,
                       BytesView confirmed_transcript_hash);

// Recomputes the tag and compares in constant time; bad_confirmation_tag if it differs.
[[nodiscard]] Status verify_confirmation_tag(const crypto::CipherSuite& suite,
                                             BytesView confirmation_key,
                                             BytesView confirmed_transcript_hash, BytesView tag);

}  // namespace mls::schedule
