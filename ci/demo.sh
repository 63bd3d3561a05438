#!/usr/bin/env bash
# Installs dependencies, builds grundscan (Release), scans the example Landkreis in examples/
# twice (a scan "last month" and one today, so the reports show a trend and a diff), writes
# every report format to out/ and prints the per-municipality summary.
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

GS=build/release/grundscan
INV=examples/landkreis/inventory.yaml
rm -rf out
# The example's exports and recorded probes were collected in November 2026; evidence older than
# 35 days no longer shows "erfüllt". The demo therefore scans at the example's own Stichtag, so
# that it shows the same picture on any day (a real scan uses today, the default).
stichtag=2026-11-23
last_month=$(date -u -d "$stichtag -30 days" +%F)

echo
echo "== 1) the scan of last month (Stichtag $last_month), recorded in out/grundscan.db =="
"$GS" scan --inventory "$INV" --out out/previous --db out/grundscan.db --as-of "$last_month" \
  --format json --quiet

echo "== 2) the scan at the Stichtag $stichtag with accepted risks, every report format =="
set +e
"$GS" scan --inventory "$INV" --out out --db out/grundscan.db --as-of "$stichtag" \
  --waivers examples/landkreis/waivers.yaml \
  --format json,html,pdf,sarif,junit,csv,markdown,oscal
rc=$?
set -e
if [ $rc -ne 0 ]; then
  echo "demo: scan exited with $rc" >&2
  exit $rc
fi

echo
echo "== 3) what changed since last month =="
"$GS" diff out/previous/results.json out/results.json --format text | head -40
echo
echo "== history =="
"$GS" history --db out/grundscan.db | head -20
echo
echo "Reports in out/: results.json, html/index.html (+ one page per municipality), pdf/*.pdf,"
echo "results.sarif, junit.xml, results.csv, roadmap.csv, summary.md, oscal-assessment-results.json"
