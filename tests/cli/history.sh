#!/usr/bin/env bash
# End-to-end: scan history. Two scans of the example Landkreis (a month apart) into the same
# output directory are recorded in out/grundscan.db; `history` lists both, `diff` compares them
# by scan id and by results.json file, in text, JSON and Markdown.
source "$(dirname "$0")/lib.sh"

INV="$SRC/examples/landkreis/inventory.yaml"
OUT="$WORK/scans"  # ($WORK/out is lib.sh's stdout file)

expect_exit 0 "$GS" scan --inventory "$INV" --out "$OUT" --as-of 2026-10-23 --quiet --format json
cp "$OUT/results.json" "$WORK/results-1.json"
expect_exit 0 "$GS" scan --inventory "$INV" --out "$OUT" --as-of 2026-11-23 --quiet --format json
[ -s "$OUT/grundscan.db" ] || fail "no history database in $OUT"

# history: both scans, newest first, one line per municipality.
expect_exit 0 "$GS" history --out "$OUT"
expect_grep "SCAN .*AS OF .*MUNICIPALITY .*SCORE .*AMPEL .*FAILS" "$WORK/out"
[ "$(grep -c 2026-10-23 "$WORK/out")" = 4 ] || fail "history: want 4 rows of the 2026-10-23 scan"
[ "$(grep -c 2026-11-23 "$WORK/out")" -ge 4 ] || fail "history: want 4 rows of the 2026-11-23 scan"
first=$(sed -n 2p "$WORK/out")
case "$first" in *2026-11-23\ *landratsamt*) ;; *) fail "history: newest scan not first: $first";; esac
# Columns are aligned: the AMPEL column starts at the same offset on every line.
offsets=$(awk 'NR==1 {p=index($0,"AMPEL")} NR>1 {print (substr($0,p,1) ~ /[a-z]/ && substr($0,p-1,1)==" ")}' "$WORK/out" | sort -u)
[ "$offsets" = "1" ] || fail "history: columns not aligned"

expect_exit 0 "$GS" history --db "$OUT/grundscan.db" --format json
cp "$WORK/out" "$WORK/history.json"
[ "$(json "len(d['scans'])" "$WORK/history.json")" = 2 ] || fail "history json: want 2 scans"
ID_NEW=$(json "d['scans'][0]['scan_id']" "$WORK/history.json")
ID_OLD=$(json "d['scans'][1]['scan_id']" "$WORK/history.json")
[ "$(json "d['scans'][1]['as_of']" "$WORK/history.json")" = 2026-10-23 ] || fail "older scan has the wrong as_of"
case "$ID_OLD" in 20[0-9][0-9]-*T*Z-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]) ;; *) fail "scan id format: $ID_OLD";; esac
[ "$(json "len(d['scans'][0]['municipalities'])" "$WORK/history.json")" = 4 ] || fail "history json: want 4 municipalities"

expect_exit 0 "$GS" history --out "$OUT" --municipality stadt-bergheim
[ "$(grep -c stadt-bergheim "$WORK/out")" = 2 ] || fail "history --municipality: want 2 rows"
grep -q landratsamt "$WORK/out" && fail "history --municipality shows other municipalities"

# diff by scan id: the Windows update rule of lra-zeit01 is older than 30 days a month later.
expect_exit 0 "$GS" diff "$ID_OLD" "$ID_NEW" --out "$OUT"
expect_grep "Landratsamt Musterhausen (landratsamt)" "$WORK/out"
expect_grep "score: [0-9.]* → [0-9.]* ([-+±][0-9.]*), Ampel: red → red" "$WORK/out"
expect_grep "new failures: 1" "$WORK/out"
expect_grep "lra-zeit01 *GS-OPS113-WIN-UPDATE-RECENT *pass → fail" "$WORK/out"
expect_grep "regressions: 1" "$WORK/out"
expect_grep "total: 1 new failure(s), 0 fixed, 1 regression(s)" "$WORK/out"

# diff by file gives the same changes; the reverse direction shows the finding as fixed.
expect_exit 0 "$GS" diff "$WORK/results-1.json" "$OUT/results.json" --format json
cp "$WORK/out" "$WORK/diff.json"
q="[m for m in d['municipalities'] if m['id']=='landratsamt'][0]"
[ "$(json "round($q['score']['new'] - $q['score']['old'], 1) == $q['score']['delta'] < 0" "$WORK/diff.json")" = True ] || fail "diff json: delta"
[ "$(json "$q['new_failures'][0]['rule']" "$WORK/diff.json")" = GS-OPS113-WIN-UPDATE-RECENT ] || fail "diff json: new failure"
[ "$(json "$q['regressions'][0]['new_state']" "$WORK/diff.json")" = fail ] || fail "diff json: regression"
[ "$(json "d['totals']['new_failures']" "$WORK/diff.json")" = 1 ] || fail "diff json: totals"
[ "$(json "d['old']['source']" "$WORK/diff.json")" = file ] || fail "diff json: source"

expect_exit 0 "$GS" diff "$OUT/results.json" "$ID_OLD" --out "$OUT" --format markdown
expect_grep "^# grundscan diff" "$WORK/out"
expect_grep "^### Fixed (1)" "$WORK/out"
expect_grep "^| lra-zeit01 | GS-OPS113-WIN-UPDATE-RECENT |$" "$WORK/out"

# Errors: unknown id, unreadable file, no database, not a database, bad usage.
expect_exit 2 "$GS" diff 2000-01-01T00:00:00Z-dead "$ID_NEW" --out "$OUT"
expect_grep "no scan '2000-01-01T00:00:00Z-dead'" "$WORK/err"
expect_exit 2 "$GS" diff "$WORK/missing.json" "$ID_NEW" --out "$OUT"
expect_exit 2 "$GS" diff "$INV" "$ID_NEW" --out "$OUT"
expect_exit 2 "$GS" history --out "$WORK/nothing-here"
[ -e "$WORK/nothing-here/grundscan.db" ] && fail "history created a database"
echo "not a database at all, just some text that is long enough to be read as a header......" >"$WORK/bad.db"
expect_exit 2 "$GS" history --db "$WORK/bad.db"
expect_grep "not a grundscan history database" "$WORK/err"
expect_exit 2 "$GS" diff "$ID_OLD"
expect_exit 2 "$GS" history --out "$OUT" --format yaml

# --no-history records nothing.
expect_exit 0 "$GS" scan --inventory "$INV" --out "$OUT" --as-of 2026-11-23 --quiet --format json --no-history
expect_exit 0 "$GS" history --out "$OUT" --format json
[ "$(json "len(d['scans'])" "$WORK/out")" = 2 ] || fail "--no-history recorded a scan"

finish
