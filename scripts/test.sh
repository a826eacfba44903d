#!/usr/bin/env bash
# Every test: installs the packages, then
#   1. builds and runs the whole suite (unit tests, official vectors, CLI),
#   2. builds and runs it again under AddressSanitizer + UBSan,
#   3. builds the libFuzzer targets with clang-14 and runs them briefly,
#   4. runs each benchmark program once on its smallest inputs (a smoke run).
# Any failure, sanitizer report or fuzz crash fails the script.
#   MLS_FUZZ_SECONDS  total fuzzing time (default 60)
#   MLS_SKIP_FUZZ=1   skip step 3 (for quick local runs; CI never sets it)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
jobs=$(nproc)
passed=0
failed=0

run_ctest() {  # build dir, label
  local dir=$1 label=$2 log
  log=$(mktemp)
  if ctest --test-dir "$dir" --output-on-failure -j"$jobs" | tee "$log"; then :; fi
  local p f
  p=$(grep -Eo '[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -1 | awk '{print $NF - $4}')
  f=$(grep -Eo '[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -1 | awk '{print $4}')
  rm -f "$log"
  if [ -z "$p" ] || [ -z "$f" ]; then
    echo "ctest ($label) did not finish"
    failed=$((failed + 1))
    return
  fi
  passed=$((passed + p))
  failed=$((failed + f))
}

echo "== build and test (RelWithDebInfo)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
run_ctest build plain

echo "== build and test under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DMLS_SANITIZE=ON -DMLS_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan -j"$jobs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_ctest build-asan sanitizers

if [ "${MLS_SKIP_FUZZ:-0}" != 1 ] && [ -f fuzz/CMakeLists.txt ]; then
  echo "== fuzz smoke run"
  CXX=clang++-14 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMLS_FUZZ=ON \
    -DMLS_BUILD_TESTS=OFF -DMLS_BUILD_BENCH=OFF -DMLS_BUILD_TOOLS=OFF >/dev/null
  cmake --build build-fuzz -j"$jobs"
  if bash fuzz/run.sh build-fuzz "${MLS_FUZZ_SECONDS:-60}"; then
    passed=$((passed + 1))
  else
    echo "fuzz smoke run FAILED"
    failed=$((failed + 1))
  fi
fi

if [ -d build/bench ]; then
  echo "== benchmark smoke run"
  for b in build/bench/bench_*; do
    [ -x "$b" ] || continue
    if "$b" --benchmark_min_time=0.001 --benchmark_filter='/(2|4|8)$' >/dev/null; then
      passed=$((passed + 1))
    else
      echo "benchmark $b FAILED"
      failed=$((failed + 1))
    fi
  done
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
