// The cost of the ratchet tree's three heavy operations (RFC 9420 §7.5,
// §12.4.3.1) for full groups of 2 to 50,000 members, cipher suite 1:
//   GenerateUpdatePath  committer: stage the path in a diff, hash, encrypt
//   ApplyUpdatePath     receiver: check and merge the path into a diff,
//                       hash, decrypt and derive (the committer's sibling,
//                       which derives the most keys)
//   ValidateTree        joiner: decode the ratchet_tree extension and
//                       validate all of it (hashes, parent hashes, every
//                       signature, keys, unmerged leaves, capabilities)
// The first two must grow with log N; the third is the O(N) case.
// Trees are built once per size and process (tests/unit/tree/tree_builder.h).
#include <benchmark/benchmark.h>

#include <ctime>
#include <map>
#include <memory>

#include "../tests/unit/tree/tree_builder.h"
#include "tree/treekem.h"
#include "tree/validation.h"

namespace mls::tree {
namespace {

using testing::context_for;

struct Fixture {
  crypto::CipherSuite suite;
  testing::BuiltTree built;
  std::optional<RatchetTree> tree;
  Bytes wire;
  std::unique_ptr<crypto::PrivateKeySigner> signer;  // leaf 0's
  UpdatePath path;                                   // from leaf 0
  std::optional<PrivateTree> receiver;               // leaf 1
};

const Fixture& fixture(uint32_t members) {
  static std::map<uint32_t, std::unique_ptr<Fixture>> cache;
  auto& slot = cache[members];
  if (slot) return *slot;
  auto suite = crypto::CipherSuite::get(1).value();
  slot.reset(new Fixture{suite, testing::build_tree(suite, members), {}, {}, {}, {}, {}});
  Fixture& f = *slot;
  f.tree.emplace(testing::to_tree(suite, f.built));
  f.wire = f.tree->encode();
  f.signer = std::make_unique<crypto::PrivateKeySigner>(
      suite, crypto::SignatureKeyPair{f.built.signature_keys[0].private_key.clone(),
                                      f.built.signature_keys[0].public_key});
  TreeDiff diff(*f.tree);
  auto prepared = prepare_update_path(diff, LeafIndex(0), fresh_leaf_secret(suite).value(),
                                      *f.tree->leaf_node(LeafIndex(0)), *f.signer, f.built.group_id)
                      .value();
  f.path = prepared.encrypt(diff, context_for(diff.root_hash()), {}).value();
  f.receiver.emplace(testing::private_tree(f.built, *f.tree, LeafIndex(1)));
  return f;
}

void GenerateUpdatePath(benchmark::State& state) {
  const Fixture& f = fixture(static_cast<uint32_t>(state.range(0)));
  for (auto _ : state) {
    TreeDiff diff(*f.tree);
    auto prepared =
        prepare_update_path(diff, LeafIndex(0), fresh_leaf_secret(f.suite).value(),
                            *f.tree->leaf_node(LeafIndex(0)), *f.signer, f.built.group_id);
    auto path = prepared->encrypt(diff, context_for(diff.root_hash()), {});
    if (!path) state.SkipWithError(path.error().describe().c_str());
    benchmark::DoNotOptimize(path);
  }
}

void ApplyUpdatePath(benchmark::State& state) {
  const Fixture& f = fixture(static_cast<uint32_t>(state.range(0)));
  for (auto _ : state) {
    TreeDiff diff(*f.tree);
    if (!merge_update_path(diff, LeafIndex(0), f.path)) state.SkipWithError("merge failed");
    auto got = decrypt_update_path(diff, *f.receiver, LeafIndex(0), f.path,
                                   context_for(diff.root_hash()), {});
    if (!got) state.SkipWithError(got.error().describe().c_str());
    benchmark::DoNotOptimize(got);
  }
}

// CPU time of every thread of the process, in seconds.
double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

void ValidateTree(benchmark::State& state) {
  const Fixture& f = fixture(static_cast<uint32_t>(state.range(0)));
  AcceptAllCredentials accept;
  TreeValidationParams params;
  params.group_id = f.built.group_id;
  params.credentials = &accept;
  params.expected_tree_hash = f.tree->root_hash();
  double cpu = 0;
  for (auto _ : state) {
    double start = process_cpu_seconds();
    auto tree = RatchetTree::decode(f.suite, f.wire);
    Status s = tree ? validate_tree(*tree, params) : Status(tl::unexpected(tree.error()));
    if (!s) state.SkipWithError(s.error().describe().c_str());
    cpu += process_cpu_seconds() - start;
  }
  // Validation runs on every core: "Time" is wall-clock, "CPU" only this
  // thread's, and all_threads_cpu_ms the CPU time of all threads.
  state.counters["all_threads_cpu_ms"] =
      benchmark::Counter(cpu * 1e3, benchmark::Counter::kAvgIterations);
}

void Sizes(benchmark::internal::Benchmark* b) {
  for (int n : {2, 100, 1000, 10000, 50000}) b->Arg(n);
}

BENCHMARK(GenerateUpdatePath)->Apply(Sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(ApplyUpdatePath)->Apply(Sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(ValidateTree)->Apply(Sizes)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace mls::tree

BENCHMARK_MAIN();
