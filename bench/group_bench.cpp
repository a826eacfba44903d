// The cost of the group layer's commits (RFC 9420 §12.4) for full groups of
// N = 2 to 32,768 members, cipher suite 1, handshakes as PublicMessages
// unless said otherwise:
//   CommitWithPath   committer: Group::commit with an empty proposal list and
//                    an UpdatePath (§12.4.1), then merge_pending_commit
//   ProcessCommit    receiver: Group::process of that commit (§12.4.2), merge
//   CommitWithPathPrivate, ProcessCommitPrivate
//                    the same with handshakes as PrivateMessages (§6.3)
//   UpdateRound      a member proposes an Update (§12.1.2), the committer
//                    receives it and commits it with a path, the proposer
//                    processes and merges the commit: both sides, all timed
//   RemoveAddCommit  committer: one Remove and one Add by value, with the
//                    Welcome (the tree inline, so O(N) by the RFC, §12.4.3.3)
//   RemoveAddProcess receiver of that commit
//   RemoveAddCommitTreeApart
//                    RemoveAddCommit with the tree returned beside the
//                    Welcome (ratchet_tree_in_welcome = false): still O(N)
//                    (the joiner needs the tree), but no longer signed and
//                    encrypted inside the GroupInfo
//   ApplicationRound protect (§6.3) and process one 64-byte application
//                    message: both sides, all timed
// Everything but the Welcome must grow with log N. Each iteration moves the
// group one epoch (except ApplicationRound), and the receiver processes every
// commit the committer merges, so the two stay in sync: the half a benchmark
// does not measure runs between PauseTiming and ResumeTiming.
//
// The group's members' state is built directly from a full tree
// (tests/unit/tree/tree_builder.h: every parent set, as after every member
// committed) rather than by N joins, which would be O(N^2) and leave blank
// parents; two members (leaves 0 and 1) get a real Group over it, with their
// identities' keys in their leaves and the same epoch secrets and context.
// Fixtures are built once per size and process, outside the timed region.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>

#include "../tests/unit/tree/tree_builder.h"
#include "crypto/random.h"
#include "group/state.h"
#include "schedule/transcript.h"

namespace mls::group_detail {
// The bench's own access to Group's private constructor (a friend of Group).
struct TestAccess {
  static Group make(std::unique_ptr<GroupState> s) { return Group(std::move(s)); }
};
}  // namespace mls::group_detail

namespace mls {
namespace {

using group_detail::GroupState;
using group_detail::TestAccess;
using tree::LeafIndex;

constexpr uint16_t kSuite = 1;

const crypto::CipherSuite& suite() {
  static const crypto::CipherSuite s = crypto::CipherSuite::get(kSuite).value();
  return s;
}

// The full tree of each size, with every member's keys (the costly part:
// key generation), shared by the fixtures of that size.
const tree::testing::BuiltTree& built(uint32_t members) {
  static std::map<uint32_t, std::unique_ptr<tree::testing::BuiltTree>> cache;
  auto& slot = cache[members];
  if (!slot)
    slot = std::make_unique<tree::testing::BuiltTree>(tree::testing::build_tree(suite(), members));
  return *slot;
}

// What every member of the epoch shares: the GroupContext over the tree, an
// epoch secret and the interim transcript hash (§8, §8.2).
struct SharedEpoch {
  GroupContext context;
  SecretBytes epoch_secret;
  Bytes interim;
};

SharedEpoch shared_epoch(const tree::RatchetTree& t, const Bytes& group_id) {
  SharedEpoch e;
  e.context.cipher_suite = kSuite;
  e.context.group_id = group_id;
  e.context.epoch = 1;
  e.context.tree_hash = t.root_hash();
  e.context.confirmed_transcript_hash = suite().hash(to_bytes("confirmed transcript"));
  e.epoch_secret = crypto::random_secret(suite().hash_size()).value();
  auto secrets = schedule::EpochSecrets::derive(suite(), e.epoch_secret).value();
  Bytes tag = schedule::confirmation_tag(suite(), secrets.confirmation_key,
                                         e.context.confirmed_transcript_hash);
  e.interim = schedule::interim_transcript_hash(suite(), e.context.confirmed_transcript_hash, tag);
  return e;
}

// The Group of the member at `leaf`: its identity holds the leaf's signature
// key and credential, its private tree the keys of its leaf and direct path.
Group member(const tree::testing::BuiltTree& b, uint32_t leaf, const SharedEpoch& e,
             const GroupConfig& config) {
  const auto& sig = b.signature_keys[leaf];
  auto signer = std::make_shared<crypto::PrivateKeySigner>(
      suite(), crypto::SignatureKeyPair{sig.private_key.clone(), sig.public_key});
  Identity me = Identity::from_signer(kSuite, std::move(signer),
                                      Credential::basic(to_bytes("member-" + std::to_string(leaf))))
                    .value();
  tree::RatchetTree t = tree::testing::to_tree(suite(), b);
  tree::PrivateTree priv = tree::testing::private_tree(b, t, LeafIndex(leaf));
  auto secrets = schedule::EpochSecrets::derive(suite(), e.epoch_secret).value();
  auto secret_tree =
      schedule::SecretTree::create(suite(), std::move(secrets.encryption_secret), t.leaf_count(),
                                   {config.max_forward_distance, config.out_of_order_tolerance})
          .value();
  return TestAccess::make(
      std::make_unique<GroupState>(std::move(me), config, e.context, std::move(t), std::move(priv),
                                   std::move(secrets), std::move(secret_tree), e.interim));
}

// The committer at leaf 0 and a receiver at leaf 1: the committer's sibling,
// which decrypts at the lowest level and derives the most path secrets.
struct Fixture {
  std::optional<Group> committer;
  std::optional<Group> receiver;
};

// One fixture per size and use: RemoveAdd* blank the last leaf's direct path
// each epoch, so they get their own group and the others keep a full tree;
// the *Private benchmarks send handshakes as PrivateMessages.
enum class Use { path, remove_add, private_handshake };

Fixture& fixture(uint32_t members, Use use) {
  static std::map<std::pair<uint32_t, Use>, std::unique_ptr<Fixture>> cache;
  auto& slot = cache[{members, use}];
  if (slot) return *slot;
  const auto& b = built(members);
  SharedEpoch e = shared_epoch(tree::testing::to_tree(suite(), b), b.group_id);
  GroupConfig config;
  config.credentials = std::make_shared<AcceptAllCredentials>();
  if (use == Use::private_handshake) config.handshake = HandshakeFormat::private_message;
  slot = std::make_unique<Fixture>();
  slot->committer.emplace(member(b, 0, e, config));
  slot->receiver.emplace(member(b, 1, e, config));
  return *slot;
}

uint32_t members_of(const benchmark::State& state) { return uint32_t(state.range(0)); }

// Fails the benchmark on an error; true if it did.
template <typename T>
bool failed(benchmark::State& state, const Result<T>& r, const char* what) {
  if (r) return false;
  state.SkipWithError((std::string(what) + ": " + r.error().describe()).c_str());
  return true;
}

// The receiver's half: process a commit and merge it.
Status receive_commit(Group& g, BytesView commit) {
  auto got = MLS_TRY(g.process(commit));
  auto* staged = std::get_if<StagedCommit>(&got);
  if (staged == nullptr) return make_error(ErrorCode::internal, "not a commit");
  return g.merge(std::move(*staged));
}

// The committer's half: commit and merge.
Result<CommitOutput> send_commit(Group& g, const CommitOptions& options) {
  auto out = MLS_TRY(g.commit(options));
  MLS_CHECK(g.merge_pending_commit());
  return out;
}

// One epoch of commits with `options`, timing the committer's half
// (time_committer) or the receiver's.
void commit_epochs(benchmark::State& state, Fixture& f, bool time_committer,
                   const std::function<CommitOptions()>& make_options) {
  for (auto _ : state) {
    state.PauseTiming();
    CommitOptions options = make_options();
    if (time_committer) state.ResumeTiming();
    auto out = send_commit(*f.committer, options);
    if (time_committer) state.PauseTiming();
    if (failed(state, out, "commit")) break;
    if (!time_committer) state.ResumeTiming();
    Status s = receive_commit(*f.receiver, out->commit);
    if (!time_committer) state.PauseTiming();
    if (failed(state, s, "process")) break;
    state.ResumeTiming();
  }
  state.counters["epoch"] = double(f.committer->epoch());
}

// An empty commit with a path (§12.4).
CommitOptions empty_with_path() {
  CommitOptions o;
  o.force_path = true;
  return o;
}

void CommitWithPath(benchmark::State& state) {
  commit_epochs(state, fixture(members_of(state), Use::path), true, empty_with_path);
}

void ProcessCommit(benchmark::State& state) {
  commit_epochs(state, fixture(members_of(state), Use::path), false, empty_with_path);
}

// The same with the commit in a PrivateMessage (§6.3): each epoch's new
// secret tree (§9) derives the committer's handshake ratchet.
void CommitWithPathPrivate(benchmark::State& state) {
  commit_epochs(state, fixture(members_of(state), Use::private_handshake), true, empty_with_path);
}

void ProcessCommitPrivate(benchmark::State& state) {
  commit_epochs(state, fixture(members_of(state), Use::private_handshake), false, empty_with_path);
}

// Both sides of an Update (§12.1.2) committed by another member: the
// proposer's update blanks its direct path, which the committer's path (its
// sibling's) sets again, so the tree stays full.
void UpdateRound(benchmark::State& state) {
  Fixture& f = fixture(members_of(state), Use::path);
  for (auto _ : state) {
    auto proposal = f.receiver->propose_update();
    if (failed(state, proposal, "propose_update")) break;
    auto cached = f.committer->process(*proposal);
    if (failed(state, cached, "process proposal")) break;
    auto out = send_commit(*f.committer, {});
    if (failed(state, out, "commit")) break;
    Status s = receive_commit(*f.receiver, out->commit);
    if (failed(state, s, "process")) break;
  }
}

// Removes the last leaf and adds a new member there, by value (§12.1.1,
// §12.1.3); the KeyPackage is made outside the timed region.
void remove_add(benchmark::State& state, bool time_committer, bool tree_inline = true) {
  uint32_t n = members_of(state);  // 4 or more: leaf n-1 is neither member's
  Fixture& f = fixture(n, Use::remove_add);
  commit_epochs(state, f, time_committer, [&] {
    CommitOptions o;
    o.remove = {n - 1};
    o.ratchet_tree_in_welcome = tree_inline;
    // A new client each time: the leaf it replaces held the previous one.
    auto joiner = Identity::generate(kSuite, Credential::basic(to_bytes("joiner"))).value();
    o.add = {joiner.make_key_package().value().key_package};
    return o;
  });
}

void RemoveAddCommit(benchmark::State& state) { remove_add(state, true); }
void RemoveAddProcess(benchmark::State& state) { remove_add(state, false); }
void RemoveAddCommitTreeApart(benchmark::State& state) { remove_add(state, true, false); }

void ApplicationRound(benchmark::State& state) {
  Fixture& f = fixture(members_of(state), Use::path);
  Bytes message(64, 0x61);
  for (auto _ : state) {
    auto ct = f.committer->protect(message);
    if (failed(state, ct, "protect")) break;
    auto got = f.receiver->process(*ct);
    if (failed(state, got, "process")) break;
    benchmark::DoNotOptimize(got);
  }
}

// N = 2^k for k = 1..15, or up to MLS_BENCH_GROUP_MAX_LOG2 (at most 20) when
// set; building a fixture takes key generation for every member, so larger
// groups take minutes. CI's smoke run (--benchmark_filter='/(2|4|8)$') only
// ever builds the three smallest.
int max_log2() {
  const char* env = std::getenv("MLS_BENCH_GROUP_MAX_LOG2");
  int k = env != nullptr ? std::atoi(env) : 15;
  return std::clamp(k, 1, 20);
}
void sizes_from(benchmark::internal::Benchmark* b, int first) {
  for (int k = first; k <= max_log2(); ++k) b->Arg(1 << k);
}
void Sizes(benchmark::internal::Benchmark* b) { sizes_from(b, 1); }
// From N = 4: RemoveAdd* remove a leaf that is neither member's.
void SizesFrom4(benchmark::internal::Benchmark* b) { sizes_from(b, 2); }

BENCHMARK(CommitWithPath)->Apply(Sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(ProcessCommit)->Apply(Sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(CommitWithPathPrivate)->Apply(Sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(ProcessCommitPrivate)->Apply(Sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(UpdateRound)->Apply(Sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(RemoveAddCommit)->Apply(SizesFrom4)->Unit(benchmark::kMicrosecond);
BENCHMARK(RemoveAddProcess)->Apply(SizesFrom4)->Unit(benchmark::kMicrosecond);
BENCHMARK(RemoveAddCommitTreeApart)->Apply(SizesFrom4)->Unit(benchmark::kMicrosecond);
BENCHMARK(ApplicationRound)->Apply(Sizes)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace mls

BENCHMARK_MAIN();
