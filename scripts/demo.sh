#!/usr/bin/env bash
# The main job: installs the packages, builds, and runs the mlscpp demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target mls-demo
./build/tools/mls-demo "$@"
