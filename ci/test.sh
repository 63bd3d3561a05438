#!/usr/bin/env bash
# Installs dependencies, builds with AddressSanitizer + UBSan and warnings as errors, and runs
# every test with ctest. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install-deps.sh
cmake --preset asan
cmake --build --preset asan -j "$(nproc)"
ctest --preset asan -j "$(nproc)"
