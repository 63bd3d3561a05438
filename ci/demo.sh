#!/usr/bin/env bash
# Installs dependencies, builds grundscan (Release), scans the example Landkreis in examples/,
# writes reports to out/ and prints the per-municipality summary.
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

echo
echo "== grundscan scan --inventory examples/landkreis/inventory.yaml --out out =="
set +e
build/release/grundscan scan --inventory examples/landkreis/inventory.yaml --out out
rc=$?
set -e
if [ $rc -ne 0 ]; then
  echo "demo: scan exited with $rc" >&2
  exit $rc
fi
echo
echo "Reports: out/results.json, out/html/index.html (one page per municipality in out/html/)"
