#!/bin/bash
# Runs every libFuzzer target of a fuzz build for SECONDS in total (60 by
# default), split evenly, starting from seeds generated from the official
# vectors. Fails if any target finds a crash, leak or abort.
#
#   CXX=clang++-14 cmake -S . -B build-fuzz -DMLS_FUZZ=ON -DMLS_BUILD_TESTS=OFF -DMLS_BUILD_BENCH=OFF
#   cmake --build build-fuzz -j2 && fuzz/run.sh build-fuzz 60
set -euo pipefail

build="${1:?usage: fuzz/run.sh BUILD_DIR [SECONDS]}"
total="${2:-60}"
here="$(cd "$(dirname "$0")" && pwd)"
vectors="${MLS_TEST_VECTORS_DIR:-$here/../../shared/test-vectors}"

targets=()
for t in fuzz_codec fuzz_messages fuzz_unprotect fuzz_group; do
  bin="$build/fuzz/$t"
  [[ -x "$bin" ]] || { echo "missing $bin: build the fuzz targets first" >&2; exit 2; }
  targets+=("$t")
done
per=$(( total / ${#targets[@]} ))
(( per >= 1 )) || per=1

work="$build/fuzz-run"
mkdir -p "$work/seeds" "$work/artifacts"
if [[ -d "$vectors" ]]; then
  python3 "$here/seeds.py" "$vectors" "$work/seeds"
else
  echo "no vectors at $vectors: starting from empty corpora" >&2
fi

status=0
for t in "${targets[@]}"; do
  corpus="$work/corpus/$t"
  mkdir -p "$corpus" "$work/seeds/$t"
  echo "== $t for ${per}s"
  # fuzz_group writes seeds of its own (in-process) group there first.
  if ! MLS_FUZZ_GROUP_SEEDS="$work/seeds/$t" "$build/fuzz/$t" -max_total_time="$per" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$work/artifacts/$t-" "$corpus" "$work/seeds/$t" \
      > "$work/$t.log" 2>&1; then
    echo "FAIL: $t (see $work/$t.log and $work/artifacts/)"
    tail -n 30 "$work/$t.log"
    status=1
  else
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$work/$t.log" | sed "s/^/  /"
    echo "  corpus: $(ls "$corpus" | wc -l) inputs"
  fi
done
exit $status
