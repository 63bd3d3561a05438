#!/usr/bin/env bash
# Prints wall time and peak RSS of grundscan scans: the example Landkreis, this host (--local),
# and synthetic inventories of N assets that all point at the Windows and Linux fixtures.
# Usage: bench/scan_bench.sh [path/to/grundscan] [N...]   (default: build/release/grundscan, 100 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
GS=${1:-build/release/grundscan}
shift || true
SIZES=("${@:-100 1000}")
[ -x "$GS" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

measure() {  # measure LABEL CMD...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>&1 || true
  read -r wall rss < "$WORK/time"
  printf '%-40s %8s s %10s KiB peak RSS\n' "$label" "$wall" "$rss"
}

echo "grundscan $("$GS" version | cut -d' ' -f2), $(nproc) cores"
measure "example Landkreis (examples/landkreis)" "$GS" scan --inventory examples/landkreis/inventory.yaml --out "$WORK/o" --quiet
measure "scan --local" "$GS" scan --local --out "$WORK/l" --quiet
for n in ${SIZES[*]}; do
  {
    echo 'organisation: {id: bench, name: Bench}'
    echo 'municipalities:'
    for m in $(seq 1 10); do
      echo "  - id: m$m"
      echo "    name: Gemeinde $m"
      echo "    assets:"
      for i in $(seq 1 $((n / 10))); do
        if [ $((i % 2)) -eq 0 ]; then
          echo "      - {id: w$m-$i, kind: windows-server, sources: [\"$PWD/tests/fixtures/windows\"]}"
        else
          echo "      - {id: l$m-$i, kind: linux-server, sources: [\"$PWD/tests/fixtures/linux\"]}"
        fi
      done
    done
  } > "$WORK/inv-$n.yaml"
  measure "$n synthetic assets, json only" "$GS" scan --inventory "$WORK/inv-$n.yaml" --out "$WORK/s$n" --quiet --format json
  measure "$n synthetic assets, json+html" "$GS" scan --inventory "$WORK/inv-$n.yaml" --out "$WORK/h$n" --quiet
done
