#!/usr/bin/env bash
# End-to-end: the machine-readable formats (SARIF, JUnit XML, CSV, Markdown) for the example
# Landkreis. SARIF is validated against the SARIF 2.1.0 schema (tests/fixtures/schemas), the
# others are parsed back with Python's standard library and compared with results.json.
source "$(dirname "$0")/lib.sh"

INV="$SRC/examples/landkreis/inventory.yaml"
OUT="$WORK/out1"
"$GS" scan --inventory "$INV" --out "$OUT" --as-of 2026-11-23 --no-history --quiet \
  --format json,sarif,junit,csv,markdown >"$WORK/out" 2>"$WORK/err"
rc=$?
# Exit 1 is the CI gate (fail-on/fail-under); anything else is a usage or runtime error.
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
  fail "scan exited $rc"
  sed 's/^/  stderr: /' "$WORK/err" | head -20 >&2
fi
for f in results.json results.sarif junit.xml results.csv roadmap.csv summary.md; do
  [ -s "$OUT/$f" ] || fail "$f missing or empty"
done

/usr/bin/python3 - "$SRC/tests/fixtures/schemas/sarif-schema-2.1.0.json" "$OUT" <<'PY' || fail "machine formats do not match results.json"
import csv, json, sys, xml.etree.ElementTree as ET
import jsonschema

schema_path, out = sys.argv[1], sys.argv[2]
problems = []
d = json.load(open(f"{out}/results.json", encoding="utf-8"))
results = [(m["id"], a["id"], r) for m in d["municipalities"] for a in m["assets"] for r in a["results"]]
states = {}
for _, _, r in results:
    states[r["state"]] = states.get(r["state"], 0) + 1

# SARIF: schema-valid (draft taken from the schema itself), one result per asset x rule.
schema = json.load(open(schema_path, encoding="utf-8"))
validator = jsonschema.validators.validator_for(schema)(schema)
sarif = json.load(open(f"{out}/results.sarif", encoding="utf-8"))
for e in sorted(validator.iter_errors(sarif), key=lambda e: list(e.path))[:10]:
    problems.append(f"results.sarif: {e.message} at {list(e.path)}")
run = sarif["runs"][0]
if run["tool"]["driver"]["name"] != "grundscan":
    problems.append("results.sarif: driver is not grundscan")
if len(run["results"]) != len(results):
    problems.append(f"results.sarif: {len(run['results'])} results, results.json has {len(results)}")
rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
if {r["id"] for r in d["rules"]} != rule_ids:
    problems.append("results.sarif: rules differ from results.json")
kinds = {}
for r in run["results"]:
    kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    if r["ruleId"] not in rule_ids:
        problems.append(f"results.sarif: unknown ruleId {r['ruleId']}")
    if r["kind"] == "fail" and r["level"] not in ("error", "warning", "note"):
        problems.append(f"results.sarif: fail with level {r['level']}")
want_fail = states.get("fail", 0) + states.get("waived", 0)
if kinds.get("fail", 0) != want_fail:
    problems.append(f"results.sarif: {kinds.get('fail', 0)} fail results, want {want_fail}")
if kinds.get("pass", 0) != states.get("pass", 0):
    problems.append("results.sarif: pass count differs")
suppressed = sum(1 for r in run["results"] if r.get("suppressions"))
if suppressed != states.get("waived", 0):
    problems.append(f"results.sarif: {suppressed} suppressions, want {states.get('waived', 0)}")
with_file = sum(1 for r in run["results"] if r["kind"] == "fail"
                and "physicalLocation" in r["locations"][0])
if states.get("fail", 0) and with_file == 0:
    problems.append("results.sarif: no failed result points at its evidence file")

# JUnit: well-formed, counts per suite and in total.
root = ET.parse(f"{out}/junit.xml").getroot()
if root.tag != "testsuites":
    problems.append(f"junit.xml: root is {root.tag}")
suites = root.findall("testsuite")
if len(suites) != len(d["municipalities"]):
    problems.append(f"junit.xml: {len(suites)} suites for {len(d['municipalities'])} municipalities")
cases = root.findall("testsuite/testcase")
if len(cases) != len(results) or int(root.get("tests")) != len(results):
    problems.append(f"junit.xml: {len(cases)} test cases, results.json has {len(results)}")
for tag, want in (("failure", states.get("fail", 0)), ("error", states.get("error", 0)),
                  ("skipped", states.get("no_evidence", 0) + states.get("not_applicable", 0)
                   + states.get("waived", 0))):
    got = len(root.findall(f"testsuite/testcase/{tag}"))
    if got != want:
        problems.append(f"junit.xml: {got} <{tag}>, want {want}")
for s in suites:
    if int(s.get("tests")) != len(s.findall("testcase")):
        problems.append(f"junit.xml: suite {s.get('name')} tests attribute wrong")

# CSV: BOM, ';', CRLF, one row per result.
raw = open(f"{out}/results.csv", "rb").read()
if not raw.startswith(b"\xef\xbb\xbf"):
    problems.append("results.csv: no UTF-8 BOM")
if raw.replace(b"\r\n", b"").count(b"\r"):
    problems.append("results.csv: bare CR")
with open(f"{out}/results.csv", encoding="utf-8-sig", newline="") as fh:
    rows = list(csv.reader(fh, delimiter=";"))
if rows[0][0] != "Kommune" or len(rows[0]) != 16:
    problems.append(f"results.csv: header {rows[0]}")
if len(rows) - 1 != len(results):
    problems.append(f"results.csv: {len(rows) - 1} rows, results.json has {len(results)}")
if any(len(r) != len(rows[0]) for r in rows):
    problems.append("results.csv: rows with a different number of fields")
if any(f[:1] in ("=", "+", "-", "@", "\t", "\r") for r in rows for f in r):
    problems.append("results.csv: field starting with a formula character")

# Roadmap: every line of results.json in roadmap.csv and in the SARIF run properties.
want = [(m["name"], l["asset"], l["product"], l["cycle"], l["phase"]) for m in d["municipalities"] for l in m["roadmap"]]
with open(f"{out}/roadmap.csv", encoding="utf-8-sig", newline="") as fh:
    rrows = list(csv.reader(fh, delimiter=";"))
if len(rrows) - 1 != len(want) or not want:
    problems.append(f"roadmap.csv: {len(rrows) - 1} rows, results.json has {len(want)}")
sarif_roadmap = run.get("properties", {}).get("roadmap", [])
if sorted((l["asset"], l["product"], l["release"]) for l in sarif_roadmap) != sorted((w[1], w[2], w[3]) for w in want):
    problems.append("results.sarif: roadmap differs from results.json")

# Markdown: one overview row per municipality, and the urgent part of the roadmap.
md = open(f"{out}/summary.md", encoding="utf-8").read()
for m in d["municipalities"]:
    if m["name"] and m["name"].split()[0] not in md:
        problems.append(f"summary.md: {m['name']} missing")
if "## Ablöse-Roadmap" not in md or "Zeiterfassung" not in md.split("## Ablöse-Roadmap")[1]:
    problems.append("summary.md: roadmap section without the Windows Server 2012 R2 host")

for p in problems:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# English headers with --lang en.
"$GS" scan --inventory "$INV" --out "$WORK/out2" --as-of 2026-11-23 --no-history --quiet \
  --format csv,markdown --lang en >/dev/null 2>"$WORK/err"
head -c 200 "$WORK/out2/results.csv" | grep -q "Municipality;AGS;System" || fail "English CSV header missing"
expect_grep "Top failures" "$WORK/out2/summary.md"

finish
