// Runs independent per-item work on every core: validating a received tree
// is the one O(N) job of the protocol (signatures, leaf hashes), and it
// splits cleanly by leaf.
#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace mls::tree::detail {

// Calls fn(begin, end) on disjoint ranges covering [0, n), on up to
// `threads` threads (0: one per core). Small inputs stay on this thread.
template <typename F>
void parallel_ranges(size_t n, unsigned threads, F&& fn) {
  constexpr size_t kMinPerThread = 64;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  size_t parts = std::min<size_t>(threads, (n + kMinPerThread - 1) / kMinPerThread);
  if (parts <= 1) {
    fn(size_t(0), n);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(parts - 1);
  size_t chunk = (n + parts - 1) / parts;
  for (size_t p = 1; p < parts; ++p) {
    size_t b = p * chunk, e = std::min(n, b + chunk);
    if (b < e) pool.emplace_back([&fn, b, e] { fn(b, e); });
  }
  fn(size_t(0), std::min(n, chunk));
  for (auto& t : pool) t.join();
}

}  // namespace mls::tree::detail
