// Fuzzes every decoder of the wire structs MLS sends: MLSMessage in all five
// wire formats (RFC 9420 §6) and each struct on its own, framing's and the
// messages layer's. The first input byte picks the struct, the rest is its
// encoding. A decoder must reject bad input without crashing, and anything it
// accepts must re-encode to exactly the input (the encodings are canonical);
// otherwise the target aborts.
#include <cstdint>
#include <cstdlib>

#include "codec/codec.h"
#include "framing/mls_message.h"
#include "messages/commit.h"
#include "messages/group_context.h"
#include "messages/group_info.h"
#include "messages/key_package.h"
#include "messages/proposal.h"
#include "messages/welcome.h"

namespace {

using mls::Bytes;
using mls::BytesView;
namespace framing = mls::framing;

void same_or_abort(const Bytes& again, BytesView input) {
  if (again.size() != input.size() || !std::equal(again.begin(), again.end(), input.begin())) {
    std::abort();
  }
}

template <typename T>
void round_trip(BytesView input) {
  auto decoded = mls::codec::decode_all<T>(input);
  if (!decoded) return;
  same_or_abort(mls::codec::encode(*decoded), input);
}

// PrivateMessageContent depends on the content type (the next byte) and ends
// in padding rather than being length-delimited.
void private_message_content(BytesView input) {
  if (input.empty()) return;
  auto type = static_cast<framing::ContentType>(input[0] % 3 + 1);
  BytesView body = input.subspan(1);
  auto decoded = framing::PrivateMessageContent::decode(body, type);
  if (!decoded) return;
  mls::codec::Writer w;
  decoded->encode(w);
  same_or_abort(w.bytes(), body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  BytesView input(data + 1, size - 1);
  switch (data[0]) {
    // --- framing (§6, §8.2) ---
    case 0:
      round_trip<framing::MLSMessage>(input);
      break;
    case 1:
      round_trip<framing::PublicMessage>(input);
      break;
    case 2:
      round_trip<framing::PrivateMessage>(input);
      break;
    case 3:
      round_trip<framing::AuthenticatedContent>(input);
      break;
    case 4:
      round_trip<framing::FramedContent>(input);
      break;
    case 5:
      round_trip<framing::FramedContentTBS>(input);
      break;
    case 6:
      round_trip<framing::Sender>(input);
      break;
    case 7:
      round_trip<framing::SenderData>(input);
      break;
    case 8:
      round_trip<framing::SenderDataAAD>(input);
      break;
    case 9:
      round_trip<framing::PrivateContentAAD>(input);
      break;
    case 10:
      round_trip<framing::ConfirmedTranscriptHashInput>(input);
      break;
    case 11:
      round_trip<framing::InterimTranscriptHashInput>(input);
      break;
    case 12:
      private_message_content(input);
      break;
    // --- the structs MLSMessage and FramedContent carry (§7-§12) ---
    case 13:
      round_trip<mls::Welcome>(input);
      break;
    case 14:
      round_trip<mls::GroupInfo>(input);
      break;
    case 15:
      round_trip<mls::KeyPackage>(input);
      break;
    case 16:
      round_trip<mls::Proposal>(input);
      break;
    case 17:
      round_trip<mls::Commit>(input);
      break;
    case 18:
      round_trip<mls::GroupContext>(input);
      break;
    case 19:
      round_trip<mls::GroupSecrets>(input);
      break;
    case 20:
      round_trip<mls::LeafNode>(input);
      break;
    case 21:
      round_trip<mls::UpdatePath>(input);
      break;
    default:
      break;
  }
  return 0;
}
