// Fuzzes a group member (RFC 9420 §12) with what a malicious insider or
// outsider can send: arbitrary bytes, and proposals, commits and GroupInfos
// whose contents are arbitrary but whose signatures and membership tags are
// valid (re-signed here by a member's own key), so the input gets past
// framing into proposal validation (§12.2), commit processing (§12.4.2) and
// joining (§12.4.3). The first input byte picks the mode, the rest is the
// encoding:
//   0  an MLSMessage, as received by bob (a commit it stages is dropped)
//   1  a Proposal, sent by carol as a PublicMessage to bob
//   2  a Commit, sent by carol as a PublicMessage (with a confirmation tag
//      that cannot verify, so it never merges) to bob
//   3  a GroupInfo, signed by alice, from which dave joins by external commit
//   4  a Welcome dave joins from
// Whatever the input, bob must not crash and must stay in his epoch with
// the same secrets (§12.4.2: nothing changes before a commit is merged; a
// proposal is at most cached). Otherwise the target aborts.
//
// The group (alice, bob, carol; suite 1; group id "fuzz") is made once per
// process. When MLS_FUZZ_GROUP_SEEDS names a directory, honest messages of
// this process's group are written there as seeds before fuzzing starts
// (libFuzzer reads its corpus directories after LLVMFuzzerInitialize).
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "codec/codec.h"
#include "framing/mls_message.h"
#include "framing/public_message.h"
#include "group/state.h"
#include "mls/group.h"

namespace mls::group_detail {
struct TestAccess {
  static GroupState& state(Group& g) { return *g.state_; }
};
}  // namespace mls::group_detail

namespace {

using namespace mls;
using group_detail::GroupState;
using group_detail::TestAccess;

template <typename T>
T must(Result<T> r) {
  if (!r) std::abort();
  return std::move(*r);
}
void must(const Status& s) {
  if (!s) std::abort();
}

GroupConfig config() {
  GroupConfig c;
  c.credentials = std::make_shared<AcceptAllCredentials>();
  c.handshake = HandshakeFormat::public_message;
  return c;
}

Identity identity(const std::string& name) {
  return must(Identity::generate(1, Credential::basic(to_bytes(name))));
}

struct World {
  Identity alice = identity("alice");
  Identity bob = identity("bob");
  Identity carol = identity("carol");
  Identity dave = identity("dave");
  std::optional<Group> a, b, c;
  KeyPackageBundle dave_kp = must(dave.make_key_package());
  Bytes epoch_authenticator;
  uint64_t epoch = 0;

  World() {
    a.emplace(must(Group::create(alice, config(), to_bytes("fuzz"))));
    KeyPackageBundle bkp = must(bob.make_key_package());
    KeyPackageBundle ckp = must(carol.make_key_package());
    CommitOptions add;
    add.add = {bkp.key_package, ckp.key_package};
    CommitOutput out = must(a->commit(add));
    must(a->merge_pending_commit());
    b.emplace(must(Group::join(bob, bkp, *out.welcome, config())));
    c.emplace(must(Group::join(carol, ckp, *out.welcome, config())));
    // One more epoch, so that the tree has parent nodes set.
    CommitOutput upd = must(c->commit());
    must(c->merge_pending_commit());
    merge_at(*a, upd.commit);
    merge_at(*b, upd.commit);
    epoch = b->epoch();
    epoch_authenticator = b->epoch_authenticator().expose();
  }

  static void merge_at(Group& g, const Bytes& commit) {
    auto processed = must(g.process(commit));
    auto* staged = std::get_if<StagedCommit>(&processed);
    if (staged == nullptr) std::abort();
    must(g.merge(std::move(*staged)));
  }

  // carol's content, re-signed with her key and framed as a PublicMessage
  // with bob's (the group's) membership key.
  Bytes from_carol(framing::ContentBody body) {
    GroupState& g = TestAccess::state(*c);
    framing::FramedContent fc{
        g.context.group_id, g.context.epoch, framing::Sender::member(g.own()), {}, std::move(body)};
    bool commit = std::holds_alternative<Commit>(fc.body);
    auto ac = must(framing::sign_content(g.view(), framing::WireFormat::public_message,
                                         std::move(fc), carol.signer()));
    if (commit) ac.auth.confirmation_tag = Bytes(g.suite().hash_size(), 0);
    auto pm = must(framing::protect_public(g.view(), g.secrets.membership_key, std::move(ac)));
    return codec::encode(framing::MLSMessage(std::move(pm)));
  }

  Bytes group_info_by_alice(GroupInfo gi) {
    gi.signer = a->own_leaf();
    must(gi.sign(alice.signer()));
    return codec::encode(framing::MLSMessage(std::move(gi)));
  }

  // bob is where he was: same epoch and secrets, no pending commit, and no
  // proposal left cached for the next input.
  void check_and_reset() {
    if (b->epoch() != epoch || b->has_pending_commit() ||
        b->epoch_authenticator().expose() != epoch_authenticator) {
      std::abort();
    }
    TestAccess::state(*b).proposals.clear();
  }
};

World* world = nullptr;

void write_seed(const std::string& dir, const std::string& name, uint8_t mode, const Bytes& data) {
  std::ofstream f(dir + "/" + name, std::ios::binary);
  f.put(static_cast<char>(mode));
  f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

// The Proposal or Commit inside one of our PublicMessages.
template <typename T>
T body_of(const Bytes& message) {
  auto msg = must(codec::decode_all<framing::MLSMessage>(message));
  auto* pub = msg.get<framing::PublicMessage>();
  if (pub == nullptr) std::abort();
  return std::get<T>(std::move(pub->content.body));
}

// Honest messages of this group: proposals and commits carol would send
// (taken from her own messages, which stay unsent), a GroupInfo, a Welcome.
void write_seeds(World& w, const std::string& dir) {
  Group& carol = *w.c;
  Identity erin = identity("erin");
  KeyPackageBundle erin_kp = must(erin.make_key_package());
  write_seed(dir, "proposal-add", 1, codec::encode(Proposal(Add{erin_kp.key_package})));
  write_seed(dir, "proposal-remove", 1, codec::encode(Proposal(Remove{0})));
  Bytes update = must(carol.propose_update());
  write_seed(dir, "proposal-update", 1, codec::encode(body_of<Proposal>(update)));
  TestAccess::state(carol).proposals.clear();
  write_seed(dir, "message-update", 0, update);

  CommitOptions options;
  options.add = {erin_kp.key_package};
  options.remove = {0};
  options.force_path = true;
  options.group_info = true;
  options.external_pub = true;
  CommitOutput out = must(carol.commit(options));
  write_seed(dir, "commit-add-remove-path", 2, codec::encode(body_of<Commit>(out.commit)));
  write_seed(dir, "message-commit", 0, out.commit);
  write_seed(dir, "welcome", 4, *out.welcome);
  carol.discard_pending_commit();
  CommitOutput empty = must(carol.commit());
  write_seed(dir, "commit-empty", 2, codec::encode(body_of<Commit>(empty.commit)));
  carol.discard_pending_commit();

  auto gi = must(codec::decode_all<framing::MLSMessage>(must(w.a->group_info())));
  write_seed(dir, "group-info", 3, codec::encode(*gi.get<GroupInfo>()));
  write_seed(dir, "message-group-info", 0, must(w.a->group_info()));
  Bytes app = must(w.a->protect(to_bytes("hello bob")));
  write_seed(dir, "message-application", 0, app);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  world = new World();
  if (const char* dir = std::getenv("MLS_FUZZ_GROUP_SEEDS")) write_seeds(*world, dir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  World& w = *world;
  BytesView input(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      // Even an honest commit (a seed) is only staged, then dropped.
      (void)w.b->process(input);
      break;
    case 1:
      if (auto p = codec::decode_all<Proposal>(input)) (void)w.b->process(w.from_carol(*p));
      break;
    case 2:
      if (auto commit = codec::decode_all<Commit>(input)) {
        // A commit can only stage with the right confirmation tag: never here.
        auto r = w.b->process(w.from_carol(std::move(*commit)));
        if (r && std::holds_alternative<StagedCommit>(*r)) std::abort();
      }
      break;
    case 3:
      if (auto gi = codec::decode_all<GroupInfo>(input)) {
        auto joined = Group::join_external(w.dave, w.group_info_by_alice(std::move(*gi)), config());
        // An external commit from a GroupInfo alice signed may be valid:
        // bob checks it, and drops it.
        if (joined) (void)w.b->process(joined->commit.commit);
      }
      break;
    case 4:
      (void)Group::join(w.dave, w.dave_kp, input, config());
      break;
  }
  w.check_and_reset();
  return 0;
}
