#!/usr/bin/env bash
# Cross-checks grundscan's package vulnerability matching (scanner/enrich/vuln_feed.cpp)
# against dpkg itself: for every Debian dpkg status file of the example Landkreis and the
# tracker feed, a python3 script lists the (installed, fixed) version pairs of the host's
# release and asks `dpkg --compare-versions` whether each is open; grundscan scans the same
# hosts (generated inventory, a generated one-rule pack that puts vulns.open_cves into the
# evidence) and its results.json is compared pair by pair. Prints "N of M pairs agree" and the
# time ratio. Usage: bench/vuln_crosscheck.sh [path/to/grundscan] [feeds dir]
# (defaults: build/release/grundscan, feeds). Exit 1 on any disagreement.
set -euo pipefail
cd "$(dirname "$0")/.."
GS=${1:-build/release/grundscan}
FEEDS=${2:-feeds}
[ -x "$GS" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
command -v dpkg >/dev/null || { echo "dpkg not found (needs a Debian-family host)" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Debian hosts of the example: every export dir with an os-release saying ID=debian and a dpkg status.
mapfile -t HOSTS < <(for st in examples/landkreis/exports/*/*/var/lib/dpkg/status; do
  d=${st%/var/lib/dpkg/status}; grep -qx 'ID=debian' "$d/etc/os-release" 2>/dev/null && echo "$d"; done)
[ ${#HOSTS[@]} -gt 0 ] || { echo "no Debian example hosts found" >&2; exit 2; }

{
  echo 'organisation: {id: crosscheck, name: Crosscheck}'
  echo 'municipalities:'
  echo '  - id: m'
  echo '    name: M'
  echo '    assets:'
  for h in "${HOSTS[@]}"; do
    echo "      - {id: $(basename "$h"), kind: linux-server, sources: [\"$PWD/$h/etc/os-release\", \"$PWD/$h/var/lib/dpkg/status\"]}"
  done
} > "$WORK/inventory.yaml"
mkdir -p "$WORK/rules"
cat > "$WORK/rules/pack.yaml" <<'YAML'
pack: {id: crosscheck, version: "1", title: {de: Crosscheck, en: Crosscheck}}
YAML
cat > "$WORK/rules/open.yaml" <<'YAML'
rules:
  - id: XC-OPEN-CVES
    title: {de: "Offene CVEs", en: "Open CVEs"}
    rationale: {de: "Nur für den Abgleich.", en: "Cross-check only."}
    remediation: {de: "-", en: "-"}
    references: [OPS.1.1.3.A15]
    level: basis
    severity: low
    weight: 1
    applies_to: {kinds: [linux-server]}
    # always true for a real list: only there to put vulns.open_cves into the evidence
    check: {fact: vulns.open_cves, op: not_contains, value: CVE-0000-0000}
    tests:
      - {name: "list", facts: {vulns.open_cves: [CVE-2021-3156]}, expect: pass}
      - {name: "sentinel", facts: {vulns.open_cves: [CVE-0000-0000]}, expect: fail}
YAML

t0=$(date +%s.%N)
"$GS" scan --inventory "$WORK/inventory.yaml" --rules "$WORK/rules" --feeds "$FEEDS" \
  --out "$WORK/out" --format json --no-history --quiet >/dev/null 2>"$WORK/gs.err" || true
t1=$(date +%s.%N)
[ -f "$WORK/out/results.json" ] || { cat "$WORK/gs.err" >&2; echo "grundscan wrote no results.json" >&2; exit 2; }

python3 - "$WORK/out/results.json" "$FEEDS/debian/security-tracker.json" "$t0" "$t1" "${HOSTS[@]}" <<'PY'
import json, subprocess, sys, time
results, tracker_file, t0, t1, hosts = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5:]
CODENAMES = {"8": "jessie", "9": "stretch", "10": "buster", "11": "bullseye", "12": "bookworm", "13": "trixie", "14": "forky"}
tracker = json.load(open(tracker_file))
gs_open = {}
for mun in json.load(open(results))["municipalities"]:
    for a in mun["assets"]:
        for r in a["results"]:
            if r["rule"] == "XC-OPEN-CVES":
                ev = [e for e in r.get("evidence", []) if e["fact"] == "vulns.open_cves"]
                if not ev: continue
                v = ev[0]["value"]  # rendered as "CVE-a, CVE-b" (or a JSON list)
                gs_open[a["id"]] = set(v) if isinstance(v, list) else {x.strip() for x in str(v).split(",") if x.strip()}

def stanzas(path):
    cur = {}
    for line in open(path, encoding="utf-8").read().split("\n") + [""]:
        if not line.strip():
            if cur: yield cur
            cur = {}
        elif line[0] not in " \t" and ":" in line:
            k, v = line.split(":", 1)
            cur[k.strip().lower()] = v.strip()

pairs = []  # (host, binary, cve, installed, fixed or None, status, urgency)
for h in hosts:
    osr = dict(l.split("=", 1) for l in open(h + "/etc/os-release").read().splitlines() if "=" in l)
    code = CODENAMES.get(osr.get("VERSION_ID", "").strip('"').split(".")[0])
    for s in stanzas(h + "/var/lib/dpkg/status"):
        if len(s.get("status", "").split()) != 3 or s["status"].split()[2] != "installed": continue
        src = s.get("source", s["package"]).split("(")[0].strip() or s["package"]
        for cve, e in tracker.get(src, {}).items():
            r = e.get("releases", {}).get(code)
            if r: pairs.append((h.rsplit("/", 1)[1], s["package"], cve, s["version"], r.get("fixed_version"), r.get("status"), r.get("urgency")))

start = time.perf_counter()
def dpkg_lt(a, b):
    return subprocess.run(["dpkg", "--compare-versions", a, "lt", b]).returncode == 0
verdicts = []
for host, pkg, cve, inst, fixed, status, urg in pairs:
    if status == "resolved" and fixed == "0": open_ = False
    elif fixed: open_ = dpkg_lt(inst, fixed)
    else: open_ = status == "open"
    if urg == "unimportant": open_ = False  # (KEV-listed unimportant CVEs: none in the feed)
    verdicts.append(open_)
dpkg_time = time.perf_counter() - start

agree = 0
for (host, pkg, cve, inst, fixed, status, urg), v in zip(pairs, verdicts):
    gs = gs_open.get(host)
    g = gs is not None and cve in gs
    if g == v: agree += 1
    else: print(f"DISAGREE {host} {pkg} {inst} vs {fixed} ({cve}): dpkg open={v}, grundscan open={g}")
for host in sorted({p[0] for p in pairs} | set(gs_open)):
    print(f"{host}: grundscan open_cves={sorted(gs_open.get(host) or []) if gs_open.get(host) is not None else 'n/a'}")
missing = [h.rsplit('/', 1)[1] for h in hosts if gs_open.get(h.rsplit('/', 1)[1]) is None]
if missing: print("no vulns.open_cves from grundscan for:", ", ".join(missing), "(feed without the release, or enrichment not wired)")
gs_time = t1 - t0
print(f"{agree} of {len(pairs)} pairs agree ({len(hosts)} hosts)")
print(f"time: dpkg --compare-versions loop {dpkg_time:.3f} s, grundscan scan {gs_time:.3f} s (whole scan incl. feed load), ratio dpkg/grundscan {dpkg_time / gs_time if gs_time else float('nan'):.2f}")
sys.exit(0 if agree == len(pairs) else 1)
PY
