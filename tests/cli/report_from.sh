#!/usr/bin/env bash
# End-to-end: `grundscan report --from results.json` writes reports again from a finished scan;
# the re-rendered results.json is byte-identical to the original. Unknown formats exit 2.
# With the OSCAL writer registered, its output is checked and validated against the official
# schema shipped in tests/fixtures/schemas/oscal_assessment-results_schema.json, v1.1.2.
source "$(dirname "$0")/lib.sh"

INV="$SRC/examples/landkreis/inventory.yaml"
expect_exit 0 "$GS" scan --inventory "$INV" --as-of 2026-11-23 --no-history --format json \
  --out "$WORK/scan" --quiet
[ -f "$WORK/scan/results.json" ] || fail "scan wrote no results.json"

expect_exit 0 "$GS" report --from "$WORK/scan/results.json" --format json,html --out "$WORK/re"
[ -f "$WORK/re/results.json" ] || fail "report wrote no results.json"
cmp -s "$WORK/scan/results.json" "$WORK/re/results.json" ||
  fail "re-rendered results.json differs: $(diff "$WORK/scan/results.json" "$WORK/re/results.json" | head -5)"
[ -f "$WORK/re/html/index.html" ] || fail "report wrote no html/index.html"
expect_grep "wrote" "$WORK/err"

# English, --format given twice, default output directory = the directory of --from.
cp "$WORK/scan/results.json" "$WORK/only.json" 2>/dev/null
mkdir -p "$WORK/here" && cp "$WORK/scan/results.json" "$WORK/here/results.json"
expect_exit 0 "$GS" report --from "$WORK/here/results.json" --format html --format json --lang en
[ -f "$WORK/here/html/index.html" ] || fail "default --out is not the directory of --from"
cmp -s "$WORK/scan/results.json" "$WORK/here/results.json" || fail "results.json changed in place"

# Usage and input errors.
expect_exit 2 "$GS" report --from "$WORK/scan/results.json" --format json,pdfx --out "$WORK/x"
expect_grep "unknown report format 'pdfx'" "$WORK/err"
expect_grep "known: json" "$WORK/err"
[ -e "$WORK/x" ] && fail "output written despite an unknown format"
expect_exit 2 "$GS" report --format json
expect_exit 2 "$GS" report --from "$WORK/scan/results.json"
expect_exit 2 "$GS" report --from "$WORK/scan/results.json" --format json --lang fr
expect_exit 2 "$GS" report --from "$WORK/nope.json" --format json --out "$WORK/x"
expect_grep "nope.json: not found" "$WORK/err"
printf '{"schema_version": "3.0"}' > "$WORK/v3.json"
expect_exit 2 "$GS" report --from "$WORK/v3.json" --format json --out "$WORK/x"
expect_grep "unsupported schema_version '3.0'" "$WORK/err"
/usr/bin/python3 - "$WORK/scan/results.json" "$WORK/broken.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); del d["municipalities"][0]["assets"][0]["results"][0]["state"]
json.dump(d, open(sys.argv[2], "w"))
PY
expect_exit 2 "$GS" report --from "$WORK/broken.json" --format json --out "$WORK/x"
expect_grep "broken.json: missing field 'municipalities\[0\].assets\[0\].results\[0\].state'" "$WORK/err"
expect_exit 0 "$GS" report --help
expect_grep "from" "$WORK/out"

# Writing fails: the output directory is a file -> exit 3.
touch "$WORK/afile"
expect_exit 3 "$GS" report --from "$WORK/scan/results.json" --format json --out "$WORK/afile"

# OSCAL assessment results (when the writer is registered).
if "$GS" formats | grep -q '^oscal '; then
  expect_exit 0 "$GS" report --from "$WORK/scan/results.json" --format oscal --out "$WORK/oscal"
  O="$WORK/oscal/oscal-assessment-results.json"
  [ -f "$O" ] || fail "oscal-assessment-results.json missing"
  /usr/bin/python3 - "$O" "$WORK/scan/results.json" <<'PY' || fail "OSCAL structure"
import json, re, sys
d = json.load(open(sys.argv[1]))["assessment-results"]; src = json.load(open(sys.argv[2]))
uuid = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[45][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
assert uuid.match(d["uuid"])
for k in ("title", "last-modified", "version", "oscal-version"): assert d["metadata"][k], k
assert d["metadata"]["oscal-version"] == "1.1.2"
assert d["import-ap"]["href"]
r = d["results"][0]
for k in ("uuid", "title", "description", "start", "reviewed-controls"): assert k in r, k
# Grundschutz++ ids are qualified with their catalog: one control selection per catalog, named
# by a prop "catalog"; Edition 2023 requirements of the Grundschutz-Check in their own selection.
def prop(o, name):
    return [p["value"] for p in o.get("props", []) if p["name"] == name]
gspp = sorted({(g["catalog"], g["id"]) for rule in src["rules"] for g in rule["gspp"]})
sels = r["reviewed-controls"]["control-selections"]
got = sorted((prop(s, "catalog")[0], c["control-id"]) for s in sels
             if prop(s, "catalog") != ["it-grundschutz-2023"] for c in s["include-controls"])
assert got == gspp, (got, gspp)
# Control findings carry the catalog of their target; the same id in two catalogs is two findings.
ctl = [f for f in r["findings"] if prop(f, "grundschutz-plus-plus") and not prop(f, "rule-id")]
keys = [(prop(f["target"], "catalog")[0], f["target"]["target-id"]) for f in ctl]
assert len(keys) == len(set(keys)), keys
# IT-Grundschutz-Check: one finding per (Zielobjekt, requirement), status as a prop.
check = [f for f in r["findings"] if prop(f, "gs-check-status")]
assert check, "no Grundschutz-Check findings"
for f in check:
    assert prop(f, "gs-check-status")[0] in ("ja", "teilweise", "nein", "entbehrlich", "nicht-geprueft"), f
    assert prop(f["target"], "catalog") == ["it-grundschutz-2023"] and f["target"]["type"] == "objective-id"
    assert prop(f, "level")[0] in ("basis", "standard", "erhoeht")
assert {prop(f, "municipality")[0] for f in check} == {m["id"] for m in src["municipalities"]}
open(sys.argv[1] + ".checkcount", "w").write(str(len(check)))
n = sum(1 for m in src["municipalities"] for a in m["assets"] for x in a["results"] if x["state"] != "not_applicable")
tested = [o for o in r["observations"] if o["methods"] == ["TEST"]]
assert len(tested) == n, (len(tested), n)
# The roadmap: one examined observation per line of results.json.
roadmap = [o for o in r["observations"] if o["methods"] == ["EXAMINE"]]
lines = sum(len(m["roadmap"]) for m in src["municipalities"])
assert lines and len(roadmap) == lines, (len(roadmap), lines)
assert len(tested) + len(roadmap) == len(r["observations"])
fails = sum(1 for m in src["municipalities"] for a in m["assets"] for x in a["results"] if x["state"] == "fail")
assert sum(1 for f in r["findings"] if any(p["name"] == "rule-id" for p in f.get("props", []))) == fails
for f in r["findings"]:
    assert f["target"]["status"]["state"] in ("satisfied", "not-satisfied")
PY
  SCHEMA="$SRC/tests/fixtures/schemas/oscal_assessment-results_schema.json"
  [ -f "$SCHEMA" ] || fail "OSCAL schema missing: $SCHEMA"
  {
    /usr/bin/python3 - "$SCHEMA" "$O" <<'PY' || fail "OSCAL output does not match the official schema"
import json, re, sys, jsonschema
schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
# Python's re has no \p{L}/\p{N}: rewrite the OSCAL patterns (letters/digits incl. non-ASCII).
L, N = "A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff", "0-9"
def fix(p):
    p = re.sub(r"\[([^\]]*)\]", lambda m: "[" + m.group(1).replace(r"\p{L}", L).replace(r"\p{N}", N) + "]", p)
    return p.replace(r"\p{L}", "[" + L + "]").replace(r"\p{N}", "[" + N + "]")
def walk(x):
    if isinstance(x, dict):
        return {k: (fix(v) if k == "pattern" and isinstance(v, str) else walk(v)) for k, v in x.items()}
    if isinstance(x, list): return [walk(v) for v in x]
    return x
schema = walk(schema)
jsonschema.Draft7Validator.check_schema(schema)
errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
for e in errors[:10]: print("/".join(map(str, e.path)), e.message[:200], file=sys.stderr)
sys.exit(1 if errors else 0)
PY
  }
fi

# IT-Grundschutz-Check CSV (when the writer is registered): from results.json alone (the BSI
# catalogue comes from the data directory), de and en, the same rows as the OSCAL findings.
if "$GS" formats | grep -q '^gscheck '; then
  expect_exit 0 "$GS" report --from "$WORK/scan/results.json" --format gscheck --out "$WORK/gsc"
  expect_exit 0 "$GS" report --from "$WORK/scan/results.json" --format gscheck --lang en --out "$WORK/gsc-en"
  C="$WORK/gsc/grundschutz-check.csv"
  [ -f "$C" ] || fail "grundschutz-check.csv missing"
  /usr/bin/python3 - "$C" "$WORK/gsc-en/grundschutz-check.csv" "$WORK/scan/results.json" \
      "$WORK/oscal/oscal-assessment-results.json.checkcount" <<'PY' || fail "grundschutz-check.csv"
import csv, json, os, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no BOM"
assert b"\r\n" in raw
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""), delimiter=";"))
head = ["Kommune", "AGS", "Zielobjekt", "Zielobjekt-Typ", "Baustein", "Anforderung", "Titel",
        "Stufe", "Status", "Begründung/Nachweis", "Prüfregeln", "Datum"]
assert rows[0] == head, rows[0]
body = rows[1:]
src = json.load(open(sys.argv[3]))
assert all(len(r) == len(head) for r in body)
assert {r[8] for r in body} <= {"ja", "teilweise", "nein", "entbehrlich", "nicht geprüft"}, {r[8] for r in body}
assert {r[7] for r in body} <= {"B", "S", "H"}
assert all(r[11] == src["scan"]["as_of"] for r in body)
assert all(r[6] for r in body), "a row without catalogue title"
for m in src["municipalities"]:
    mine = [r for r in body if r[0] == (m["name"] or m["id"])]
    assert any(r[3] == "Informationsverbund" for r in mine), m["id"]
    assert {r[1] for r in mine} == {m.get("ags", "")}, ({r[1] for r in mine}, m.get("ags"))
    for a in m["assets"]:
        assert any(r[2] == (a["name"] or a["id"]) and r[3] == a["kind"] for r in mine), a["id"]
# Some requirement is organisational, some checked automatically.
assert any("nicht automatisch prüfbar" in r[9] for r in body)
assert any(r[8] in ("ja", "nein", "teilweise") and r[10] for r in body)
en = list(csv.reader(open(sys.argv[2], encoding="utf-8-sig", newline=""), delimiter=";"))
assert en[0][2] == "Target object" and len(en) == len(rows)
assert {r[8] for r in en[1:]} <= {"yes", "partially", "no", "dispensable", "not checked"}
if os.path.exists(sys.argv[4]):
    assert int(open(sys.argv[4]).read()) == len(body), (open(sys.argv[4]).read(), len(body))
PY
fi

finish
