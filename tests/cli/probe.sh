#!/usr/bin/env bash
# End-to-end: `grundscan probe URL...` against servers started here on 127.0.0.1 only:
# a plain HTTP server (python3 http.server) and a closed port. TLS details are covered by the
# nginx-based tests in tests/scanner/probes.
source "$(dirname "$0")/lib.sh"

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
closed=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/www/.git"
echo "<h1>Rathaus</h1>" > "$WORK/www/index.html"
echo "ref: refs/heads/main" > "$WORK/www/.git/HEAD"
(cd "$WORK/www" && exec /usr/bin/python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 50); do /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null && break; sleep 0.1; done

expect_exit 2 "$GS" probe
expect_exit 2 "$GS" probe ftp://127.0.0.1/
expect_exit 0 "$GS" probe "http://127.0.0.1:$port/" --out "$WORK/o" --probe-timeout 3 --save-probes "$WORK/rec"
expect_grep "http://127.0.0.1:$port/" "$WORK/out"
expect_grep "OZG-WEB-EXPOSED-PATHS" "$WORK/out"      # the exposed .git/HEAD
expect_grep "BSI: APP.3" "$WORK/out"                 # findings carry their references
expect_grep "SimpleHTTP" "$WORK/o/results.json"       # the Server banner as evidence
[ -s "$WORK/rec/127.0.0.1-$port.probe.json" ] || fail "recorded probe not written"
leaks=$(json "[e['value'] for m in d['municipalities'] for a in m['assets'] for r in a['results'] if r['rule']=='OZG-WEB-EXPOSED-PATHS' for e in r['evidence']][0]" "$WORK/o/results.json")
case "$leaks" in */.git/HEAD*) ;; *) fail "exposed path not in evidence: $leaks";; esac

# The recording judges the endpoint again offline.
cat > "$WORK/inv.yaml" <<YAML
organisation: {id: t, name: T}
municipalities:
  - id: m
    name: M
    assets:
      - id: rathaus-web
        kind: web-endpoint
        sources: [rec]
YAML
expect_exit 0 "$GS" scan --inventory "$WORK/inv.yaml" --out "$WORK/o2" --offline --format json
state=$(json "[r['state'] for m in d['municipalities'] for a in m['assets'] for r in a['results'] if r['rule']=='OZG-WEB-EXPOSED-PATHS'][0]" "$WORK/o2/results.json")
[ "$state" = "fail" ] || fail "recorded probe: OZG-WEB-EXPOSED-PATHS is $state"

# A closed port: a clear error naming the URL, rules report error, no hang.
start=$(date +%s)
expect_exit 0 "$GS" probe "https://127.0.0.1:$closed/" --out "$WORK/o3" --probe-timeout 2 --format json
[ $(( $(date +%s) - start )) -lt 20 ] || fail "closed port took too long"
expect_grep "127.0.0.1:$closed" "$WORK/out"
errors=$(json "sum(1 for m in d['municipalities'] for a in m['assets'] for r in a['results'] if r['state']=='error')" "$WORK/o3/results.json")
[ "$errors" -gt 0 ] || fail "unreachable endpoint gave no error results"
passes=$(json "sum(1 for m in d['municipalities'] for a in m['assets'] for r in a['results'] if r['state']=='pass')" "$WORK/o3/results.json")
[ "$passes" = "0" ] || fail "unreachable endpoint has $passes passing rules"

# --offline never contacts a live target.
cat > "$WORK/live.yaml" <<YAML
organisation: {id: t, name: T}
municipalities:
  - id: m
    name: M
    assets:
      - id: w
        kind: web-endpoint
        url: http://127.0.0.1:$port/
YAML
expect_exit 0 "$GS" scan --inventory "$WORK/live.yaml" --out "$WORK/o4" --offline --format json
expect_grep "not probed" "$WORK/err"

finish
