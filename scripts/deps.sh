#!/usr/bin/env bash
# Installs what mlscpp builds with, all from Debian 12's archive. Run as root.
set -euo pipefail
packages=(
  cmake make g++ pkg-config
  libssl-dev            # OpenSSL 3.0: every primitive
  libexpected-dev       # tl::expected, our Result<T>
  nlohmann-json3-dev    # reading the official test vectors
  libgtest-dev          # tests
  libbenchmark-dev      # benchmarks
  clang-14 libfuzzer-14-dev libclang-rt-14-dev  # fuzz targets
  python3               # fuzz/seeds.py builds seed corpora from the vectors
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
