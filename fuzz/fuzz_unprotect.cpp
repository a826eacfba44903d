// Fuzzes the receive path of RFC 9420 §6: an MLSMessage is decoded and, if it
// is a PublicMessage or PrivateMessage, unprotected against a fixed epoch:
// that of case 0 of message-protection.json (suite 1, leaf 1 the sender), so
// the official messages are valid seeds and mutations of them reach every
// check after decoding. Each input starts from a fresh secret tree. Any
// result is fine; a crash, sanitizer report or leak is not.
#include <cstdint>
#include <cstdlib>

#include "framing/mls_message.h"
#include "messages/group_context.h"
#include "schedule/secret_tree.h"

namespace {

using mls::Bytes;
using mls::BytesView;
namespace framing = mls::framing;

Bytes hex(const char* s) {
  auto b = mls::from_hex(s);
  if (!b) std::abort();
  return *b;
}

struct Epoch {
  mls::crypto::CipherSuite suite = *mls::crypto::CipherSuite::get(1);
  Bytes group_id = hex("42e4c3a73738d838cb4f9dc550cb81406206943f9e6870ee150f2000ae8aa780");
  uint64_t epoch = 1184274;
  Bytes group_context;
  Bytes encryption_secret = hex("4db33574f514024e61e2a15e71527182f62561d84b4d8230501b623d848df998");
  Bytes sender_data_secret =
      hex("b21dfbbf69da2fec93299d8bd0795ad0aec22b42d83ff10a2e5e3f997672b8b3");
  Bytes membership_key = hex("1f338b39337d019ab52c797bc836875998387e88fe711287df2258bc8f9967fb");
  framing::SenderKeyList keys;

  Epoch() {
    mls::GroupContext gc;
    gc.cipher_suite = 1;
    gc.group_id = group_id;
    gc.epoch = epoch;
    gc.tree_hash = hex("a257a326c7b632ce7ccdea8d3a3b5c3c2daa53a21029b3673ee05e9a3cea5934");
    gc.confirmed_transcript_hash =
        hex("59b10f7a137e853c4ef7ce43d2fe0a481bb80652f648c5efab11c3141a1ba60c");
    group_context = mls::codec::encode(gc);
    keys.members = {std::nullopt,
                    hex("62087f5b047e5292d5d29ded0977442788633c196a607988238b8c4374b4b4be")};
    keys.externals = {keys.members[1].value()};
  }
  framing::EpochView view() const { return {suite, group_id, epoch, group_context}; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Epoch e;
  auto message = mls::codec::decode_all<framing::MLSMessage>(BytesView(data, size));
  if (!message) return 0;
  if (auto* pub = message->get<framing::PublicMessage>()) {
    (void)framing::unprotect_public(e.view(), e.membership_key, e.keys, *pub);
  } else if (auto* priv = message->get<framing::PrivateMessage>()) {
    auto tree = mls::schedule::SecretTree::create(e.suite, mls::SecretBytes(e.encryption_secret),
                                                  mls::tree::LeafCount(2));
    if (!tree) std::abort();
    auto first = framing::unprotect_private(e.view(), e.sender_data_secret, *tree, e.keys, *priv);
    // The same message again must never be accepted twice (§9.2).
    auto again = framing::unprotect_private(e.view(), e.sender_data_secret, *tree, e.keys, *priv);
    if (first && again) std::abort();
  }
  return 0;
}
