#!/usr/bin/env bash
# Times `grundscan probe` against N hardened nginx endpoints on 127.0.0.1 (one nginx, one
# server block per port, consecutive ports, certificates from a throwaway CA made with the
# openssl CLI) and prints endpoints/second and wall time next to the targets. If testssl.sh
# is on PATH, it is timed on one endpoint for comparison. Everything is removed at the end.
# Usage: bench/probe_bench.sh [path/to/grundscan] [N...]   (default: build/release/grundscan, 1 50 200)
# Needs /usr/sbin/nginx (nginx-light) and openssl (ci/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
GS=${1:-build/release/grundscan}
shift || true
SIZES=(${@:-1 50 200})
NGINX=/usr/sbin/nginx
FX=tests/fixtures/probes
[ -x "$GS" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
[ -x "$NGINX" ] || { echo "needs $NGINX (apt-get install nginx-light; see ci/install-deps.sh)" >&2; exit 2; }
command -v openssl >/dev/null || { echo "needs openssl (see ci/install-deps.sh)" >&2; exit 2; }

MAX=0
for n in "${SIZES[@]}"; do [ "$n" -gt "$MAX" ] && MAX=$n; done

WORK=$(mktemp -d /tmp/grundscan-probe-bench-XXXXXX)
chmod 755 "$WORK"
NGINX_PID=
cleanup() {
  if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
    kill -QUIT "$NGINX_PID" 2>/dev/null || true        # graceful, like `nginx -s quit`
    for _ in $(seq 1 30); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
    kill -TERM "$NGINX_PID" 2>/dev/null || true
    sleep 0.2
    kill -KILL "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
  fi
  [ -n "${KEEP_WORK:-}" ] && echo "kept $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# --- certificates: test CA (P-256) and one leaf for localhost / 127.0.0.1 --------------------
mkdir -p "$WORK/pki" "$WORK/html/hardened" "$WORK/tmp"
(
  cd "$WORK/pki"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
    -out ca.crt -days 30 -subj "/CN=grundscan bench CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.key \
    -out ec.csr -subj "/CN=localhost" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > leaf.ext
  openssl x509 -req -in ec.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out ec.crt -days 30 \
    -extfile leaf.ext 2>/dev/null
)
printf '<!doctype html><html lang="de"><title>Bench</title><p>Willkommen.</p></html>\n' \
  > "$WORK/html/hardened/index.html"
chmod -R a+rX "$WORK"

# --- one nginx, MAX server blocks on consecutive ports -----------------------------------------
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
start_nginx() {  # start_nginx BASE
  local base=$1 i
  : > "$WORK/servers.conf"
  for i in $(seq 0 $((MAX - 1))); do
    sed -e "s#@PORT@#$((base + i))#g" -e "s#@CERT@#$WORK/pki/ec.crt#g" \
        -e "s#@KEY@#$WORK/pki/ec.key#g" -e "s#@ROOT@#$WORK/html#g" \
        "$FX/server-hardened.conf.in" >> "$WORK/servers.conf"
  done
  sed -e "s#@PREFIX@#$WORK#g" -e 's#master_process on;#master_process off;#' \
      "$FX/nginx-main.conf.in" |
    awk -v f="$WORK/servers.conf" '/@SERVERS@/ { while ((getline l < f) > 0) print l; next } { print }' \
    > "$WORK/nginx.conf"
  mkdir -p "$WORK/tmp/body" "$WORK/tmp/proxy" "$WORK/tmp/fastcgi" "$WORK/tmp/uwsgi" "$WORK/tmp/scgi"
  rm -f "$WORK/error.log"
  "$NGINX" -p "$WORK" -c "$WORK/nginx.conf" -e "$WORK/error.log" >"$WORK/nginx.out" 2>&1 &
  NGINX_PID=$!
  local deadline=$((SECONDS + 15)) next=0
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$NGINX_PID" 2>/dev/null || return 1
    # Every block must accept before timing starts.
    while [ $next -lt "$MAX" ] && port_busy $((base + next)); do next=$((next + 1)); done
    [ $next -eq "$MAX" ] && return 0
    sleep 0.05
  done
  echo "port $((base + next)) not listening" >&2
  return 1
}

BASE=
for attempt in 1 2 3 4 5; do
  cand=$((20000 + (RANDOM * 7 + attempt * 977) % 38000))
  busy=0
  for i in $(seq 0 $((MAX - 1))); do port_busy $((cand + i)) && { busy=1; break; }; done
  [ $busy -eq 1 ] && continue
  if start_nginx "$cand"; then BASE=$cand; break; fi
  cleanup_pid=$NGINX_PID; NGINX_PID=
  kill -KILL "$cleanup_pid" 2>/dev/null || true; wait "$cleanup_pid" 2>/dev/null || true
done
[ -n "$BASE" ] || { echo "nginx did not start:" >&2; tail -20 "$WORK/error.log" "$WORK/nginx.out" >&2; exit 1; }

echo "grundscan $("$GS" version 2>/dev/null | cut -d' ' -f2), $(nproc) cores, $($NGINX -v 2>&1 | sed 's/.*nginx\///'), endpoints 127.0.0.1:$BASE..$((BASE + MAX - 1))"
printf '%-14s %9s %12s   %s\n' "endpoints" "wall [s]" "endpoints/s" "target (2 cores)"

ONE_WALL=
for n in "${SIZES[@]}"; do
  urls=()
  for i in $(seq 0 $((n - 1))); do urls+=("https://127.0.0.1:$((BASE + i))/"); done
  t0=$(now)
  rc=0
  "$GS" probe "${urls[@]}" --cacert "$WORK/pki/ca.crt" --format json --out "$WORK/out-$n" \
    --quiet >"$WORK/probe-$n.log" 2>&1 || rc=$?
  t1=$(now)
  wall=$(secs "$t0" "$t1")
  rate=$(awk -v n="$n" -v w="$wall" 'BEGIN { printf "%.1f", (w > 0 ? n / w : 0) }')
  case $n in
    1) target="<= 1.5 s" ;;
    200) target="<= 30 s" ;;
    *) target="" ;;
  esac
  note=""
  # Exit codes 0 (pass) and 1 (findings) are normal; anything else is an error.
  if [ "$rc" -gt 1 ]; then note="  (exit $rc: $(head -c 200 "$WORK/probe-$n.log" | tr '\n' ' '))"; fi
  printf '%-14s %9s %12s   %s%s\n' "$n" "$wall" "$rate" "$target" "$note"
  [ "$n" -eq 1 ] && ONE_WALL=$wall
done

TESTSSL=$(command -v testssl.sh || command -v testssl || true)
if [ -n "$TESTSSL" ]; then
  t0=$(now)
  "$TESTSSL" --quiet --color 0 --warnings batch --ip one "https://127.0.0.1:$BASE/" \
    >"$WORK/testssl.log" 2>&1 || true
  t1=$(now)
  tw=$(secs "$t0" "$t1")
  if [ -z "$ONE_WALL" ]; then
    t0=$(now)
    "$GS" probe "https://127.0.0.1:$BASE/" --cacert "$WORK/pki/ca.crt" --format json \
      --out "$WORK/out-one" --quiet >/dev/null 2>&1 || true
    ONE_WALL=$(secs "$t0" "$(now)")
  fi
  ratio=$(awk -v a="$tw" -v b="$ONE_WALL" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
  echo "testssl.sh on 1 endpoint: $tw s; grundscan probe: $ONE_WALL s (testssl.sh / grundscan = ${ratio}x)"
else
  echo "testssl.sh not on PATH: no comparison"
fi
