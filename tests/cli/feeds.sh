#!/usr/bin/env bash
# End-to-end: `grundscan feeds update|status` against a local python3 http.server on 127.0.0.1
# serving tests/fixtures/feeds (never the real feed URLs): first download, 304 Not Modified,
# a corrupt download, a 404 and a closed port (old files kept), checksum mismatch, status and
# staleness, usage errors.
source "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
WWW="$WORK/www"
FEEDS="$WORK/feeds"
cp -r "$SRC/tests/fixtures/feeds" "$WWW"
chmod -R u+w "$WWW"
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
unset HTTP_PROXY http_proxy HTTPS_PROXY https_proxy ALL_PROXY all_proxy

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
"$PY" -m http.server "$PORT" --bind 127.0.0.1 --directory "$WWW" >/dev/null 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do
  "$PY" -c 'import socket,sys; socket.create_connection(("127.0.0.1",int(sys.argv[1])),1)' "$PORT" 2>/dev/null && break
  sleep 0.1
done
BASE="http://127.0.0.1:$PORT"
KEV_FILE=cisa-kev_known_exploited_vulnerabilities_excerpt.json

write_sources() {  # write_sources FILE KEV_PATH [extra kev lines]
  cat >"$1" <<EOF
feeds:
  - name: cisa-kev
    kind: cisa-kev
    url: $BASE/$2
    target: kev/known_exploited_vulnerabilities.json
    format: json
${3:-}
  - name: debian-security-tracker
    kind: debian-security-tracker
    url: $BASE/debian-security-tracker_excerpt.json
    target: debian/security-tracker.json
  - name: msrc-cvrf-2024-Oct
    url: $BASE/msrc/2024-Oct.json
    target: windows/cvrf-2024-Oct.json
    format: msrc-cvrf
endoflife:
  url: $BASE/endoflife-api/{product}.json
  target: endoflife/{product}.api.json
  products: [debian, nginx]
EOF
}
# Moves a served file's mtime forward so that If-Modified-Since does not answer 304.
bump() { touch -d "@$(( $(date +%s) + ${2:-60} ))" "$WWW/$1"; }

S="$WORK/sources.yaml"
write_sources "$S" "$KEV_FILE" "    sha256_url: $BASE/$KEV_FILE.sha256"

# 1. First download: everything updated, state recorded.
expect_exit 0 "$GS" feeds update --feeds "$FEEDS" --sources "$S" --timeout 10
expect_grep "cisa-kev: aktualisiert/updated kev/known_exploited_vulnerabilities.json" "$WORK/out"
expect_grep "endoflife-nginx: aktualisiert/updated endoflife/nginx.api.json" "$WORK/out"
expect_grep "5 updated, 0 not modified, 0 failed" "$WORK/out"
expect_grep "msrc-cvrf-2024-Oct: aktualisiert/updated windows/cvrf-2024-Oct.json" "$WORK/out"
[ "$(json "d['format']" "$FEEDS/windows/cvrf-2024-Oct.json")" = "grundscan-windows-builds/1" ] || fail "CVRF not stored as build table"
cmp -s "$FEEDS/kev/known_exploited_vulnerabilities.json" "$WWW/$KEV_FILE" || fail "KEV not stored byte-exact"
cmp -s "$FEEDS/debian/security-tracker.json" "$WWW/debian-security-tracker_excerpt.json" || fail "tracker not stored"
[ -s "$FEEDS/endoflife/debian.api.json" ] || fail "no endoflife/debian.api.json"
[ "$(json "d['feeds']['cisa-kev']['url']" "$FEEDS/.state.json")" = "$BASE/$KEV_FILE" ] || fail "state: url"
[ -n "$(json "d['feeds']['cisa-kev']['last_modified']" "$FEEDS/.state.json")" ] || fail "state: no Last-Modified"

# 2. Second run: conditional requests answered with 304.
expect_exit 0 "$GS" feeds update --feeds "$FEEDS" --sources "$S"
expect_grep "0 updated, 5 not modified, 0 failed" "$WORK/out"
expect_grep "cisa-kev: unverändert/not modified" "$WORK/out"

# 3. Status: the data date comes from the data, not from the download: the KEV excerpt was
# released 2025-08-25 and is stale with the default max age although it was fetched just now;
# the tracker's data date is the Last-Modified the server sent.
expect_exit 0 "$GS" feeds status --feeds "$FEEDS" --max-age 36500
expect_grep "FEED .*FILE .*SOURCE .*DATA AS OF .*AGE .*COVERAGE .*VERSION .*STATE" "$WORK/out"
expect_grep "^cisa-kev .*kev/known_exploited_vulnerabilities.json .*$BASE/$KEV_FILE .*2025-08-25 .*[0-9][0-9]* d .*complete .*2025.08.25 .*ok" "$WORK/out"
expect_grep "^cisa-kev: data as of 2025-08-25, [0-9]* d (KEV dateReleased); coverage complete (3 CVEs); last successful update $(date -u +%F)" "$WORK/out"
expect_grep "^endoflife .*endoflife/ .*$BASE/endoflife-api/<product>.json .*complete .*2 products .*ok" "$WORK/out"
expect_grep "^debian-security-tracker .*debian/security-tracker.json .*$(date -u +%F) .*0 d .*complete .*ok" "$WORK/out"
expect_grep "^debian-security-tracker: data as of $(date -u +%F), 0 d (HTTP Last-Modified at download)" "$WORK/out"
expect_grep "^windows-builds .*windows/ .*$BASE/msrc/<YYYY-Mon> .*2024-10-08 .*updates until 2024-10-08 (5 builds) .*ok" "$WORK/out"
expect_exit 1 "$GS" feeds status --feeds "$FEEDS"
expect_grep "^cisa-kev .*2025-08-25 .*veraltet/stale" "$WORK/out"
[ "$(json "d['feeds']['debian-security-tracker']['coverage']" "$FEEDS/.state.json")" = "complete" ] || fail "state: coverage not recorded"

# 3b. A fresh copy of the feed directory (every mtime touched) keeps the data dates.
cp -r "$FEEDS" "$WORK/copy"
find "$WORK/copy" -type f -exec touch -d '2030-01-01' {} +
expect_exit 0 "$GS" feeds status --feeds "$WORK/copy" --max-age 36500
expect_grep "^cisa-kev .*2025-08-25 " "$WORK/out"
expect_grep "^debian-security-tracker .*$(date -u +%F) .*complete .*ok" "$WORK/out"

# 3c. The shipped snapshot as after a fresh clone: its true age, the tracker an excerpt.
cp -r "$SRC/feeds" "$WORK/shipped"
rm -f "$WORK/shipped/.state.json"
find "$WORK/shipped" -type f -exec touch {} +
expect_exit 1 "$GS" feeds status --feeds "$WORK/shipped"
expect_grep "^cisa-kev .*2025-08-25 .*[0-9][0-9][0-9]* d .*complete .*veraltet/stale" "$WORK/out"
expect_grep "^debian-security-tracker .*2024-07-01 .*excerpt .*veraltet/stale" "$WORK/out"
expect_grep "^windows-builds .*2025-10-14 .*excerpt .*veraltet/stale" "$WORK/out"
expect_grep "^endoflife .*2026-08-22 .*complete " "$WORK/out"
expect_grep "^debian-security-tracker: .*coverage excerpt (7 source packages; .*complete for no release); last successful update never" "$WORK/out"

# 4. Corrupt download (truncated JSON) and --source: old file kept, exit 1, URL named.
cp "$FEEDS/kev/known_exploited_vulnerabilities.json" "$WORK/kev-good.json"
cp "$WWW/corrupt/known_exploited_vulnerabilities.json" "$WWW/$KEV_FILE"
bump "$KEV_FILE"
"$PY" -c 'import sys; print(__import__("hashlib").sha256(open(sys.argv[1],"rb").read()).hexdigest()+"  x")' "$WWW/$KEV_FILE" >"$WWW/$KEV_FILE.sha256"
expect_exit 1 "$GS" feeds update --feeds "$FEEDS" --sources "$S" --source cisa-kev
expect_grep "cisa-kev: FEHLER/failed: invalid content from $BASE/$KEV_FILE: not valid JSON" "$WORK/err"
expect_grep "old file kept: kev/known_exploited_vulnerabilities.json" "$WORK/err"
expect_grep "0 updated, 0 not modified, 1 failed" "$WORK/out"
cmp -s "$FEEDS/kev/known_exploited_vulnerabilities.json" "$WORK/kev-good.json" || fail "corrupt download replaced the KEV file"
grep -q "endoflife-" "$WORK/out" && fail "--source cisa-kev also updated other feeds"

# 5. Checksum mismatch: valid content, wrong checksum file.
cp "$SRC/tests/fixtures/feeds/$KEV_FILE" "$WWW/$KEV_FILE"
bump "$KEV_FILE" 120
expect_exit 1 "$GS" feeds update --feeds "$FEEDS" --sources "$S" --source cisa-kev
expect_grep "checksum mismatch for $BASE/$KEV_FILE" "$WORK/err"
cmp -s "$FEEDS/kev/known_exploited_vulnerabilities.json" "$WORK/kev-good.json" || fail "checksum mismatch replaced the KEV file"

# 6. 404 and a closed port: old files kept, the failing URL named; status shows the failure.
write_sources "$WORK/404.yaml" "no-such-feed.json"
expect_exit 1 "$GS" feeds update --feeds "$FEEDS" --sources "$WORK/404.yaml" --source cisa-kev
expect_grep "cisa-kev: FEHLER/failed: HTTP 404 from $BASE/no-such-feed.json; old file kept" "$WORK/err"
CLOSED=$(free_port)
sed "s|$BASE|http://127.0.0.1:$CLOSED|" "$S" >"$WORK/closed.yaml"
expect_exit 1 "$GS" feeds update --feeds "$FEEDS" --sources "$WORK/closed.yaml" --timeout 5
expect_grep "0 updated, 0 not modified, 5 failed" "$WORK/out"
expect_grep "endoflife-debian: FEHLER/failed: .*http://127.0.0.1:$CLOSED/endoflife-api/debian.json" "$WORK/err"
cmp -s "$FEEDS/kev/known_exploited_vulnerabilities.json" "$WORK/kev-good.json" || fail "failed download replaced the KEV file"
[ -s "$FEEDS/endoflife/debian.api.json" ] || fail "failed download removed endoflife/debian.api.json"
expect_exit 1 "$GS" feeds status --feeds "$FEEDS" --max-age 36500
expect_grep "^cisa-kev .*2025-08-25 .*FEHLER/failed (last update)" "$WORK/out"
expect_grep "^cisa-kev: FEHLER/failed: last update failed: .*http://127.0.0.1:$CLOSED/" "$WORK/out"
grep -q "^cisa-kev .* ok$" "$WORK/out" && fail "a failed update is shown as ok"

# 7. Staleness from the recorded Last-Modified: 40 days ago is stale with the default max age.
"$PY" - "$FEEDS/.state.json" <<'EOF'
import json, sys, datetime
p = sys.argv[1]; d = json.load(open(p))
old = datetime.datetime.utcnow() - datetime.timedelta(days=40)
d["feeds"]["debian-security-tracker"]["last_modified"] = old.strftime("%a, %d %b %Y %H:%M:%S GMT")
json.dump(d, open(p, "w"))
EOF
expect_exit 1 "$GS" feeds status --feeds "$FEEDS"
expect_grep "^debian-security-tracker .* 40 d .*veraltet/stale" "$WORK/out"
expect_exit 1 "$GS" feeds status --feeds "$FEEDS" --max-age 60
grep -q "^debian-security-tracker .*veraltet/stale" "$WORK/out" && fail "40 days stale with --max-age 60"

# 8. Missing feeds: an empty directory.
mkdir -p "$WORK/empty"
expect_exit 1 "$GS" feeds status --feeds "$WORK/empty"
[ "$(grep -c "fehlt/missing" "$WORK/out")" = 4 ] || fail "status: want 4 missing feeds"

# 9. Usage errors.
expect_exit 2 "$GS" feeds
expect_exit 2 "$GS" feeds frobnicate
expect_exit 2 "$GS" feeds update --feeds "$FEEDS" --sources "$S" --timeout zero
expect_exit 2 "$GS" feeds update --feeds "$FEEDS" --sources "$S" --source no-such-feed
expect_exit 2 "$GS" feeds update --feeds "$FEEDS" --sources "$WORK/none.yaml"
expect_exit 2 "$GS" feeds status --max-age -3
expect_exit 2 "$GS" feeds status --bogus
expect_exit 0 "$GS" feeds --help
expect_grep "grundscan feeds update" "$WORK/out"

finish
