#!/usr/bin/env bash
# Side by side: testssl.sh and `grundscan probe` on the same loopback TLS servers, printing both
# tools' findings per server (not part of ctest):
#   nginx-legacy   nginx (nginx-light), TLS 1.0-1.2, ssl_ciphers ALL:@SECLEVEL=0
#   openssl-legacy openssl s_server, TLS 1.0-1.3, ALL:eNULL:@SECLEVEL=0, RSA 2048 + ECDSA leaves
#                  under an RSA 2048 intermediate signed with SHA-1, groups x25519:secp224r1:ffdhe2048
#   gnutls-weak    gnutls-serv, 3DES, CAMELLIA, anonymous DH/ECDH, NULL, static-RSA CCM
#   nginx-hardened nginx, TLS 1.2/1.3, TR-02102-2 suites only
# gnutls-serv binds the wildcard address, so the whole script re-runs itself in a private
# network namespace (unshare -n, root) whose only interface is loopback: nothing is reachable
# but 127.0.0.1. Installs testssl.sh and gnutls-bin (Debian) when missing. Servers are stopped
# by PID at the end. testssl.sh takes minutes per server (it tests each cipher with its own
# connection); grundscan one connection per accepted suite.
# Usage: bench/tls_compare.sh [path/to/grundscan]   (default: build/release/grundscan)
set -euo pipefail
cd "$(dirname "$0")/.."
GS=${1:-build/release/grundscan}
[ -x "$GS" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
GS=$(realpath "$GS")

if [ -z "${TLS_COMPARE_NETNS:-}" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "run as root (needs unshare -n and apt-get)" >&2; exit 2; }
  need=()
  command -v testssl >/dev/null || command -v testssl.sh >/dev/null || need+=(testssl.sh)
  command -v gnutls-serv >/dev/null || need+=(gnutls-bin)
  [ -x /usr/sbin/nginx ] || need+=(nginx-light)
  command -v ip >/dev/null || need+=(iproute2)
  if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  exec env TLS_COMPARE_NETNS=1 unshare -n -- "$0" "$GS"
fi
ip link set lo up
TESTSSL=$(command -v testssl || command -v testssl.sh)

WORK=$(mktemp -d /tmp/grundscan-tls-compare-XXXXXX)
chmod 755 "$WORK"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "${KEEP_WORK:-}" ] && echo "kept $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$WORK"
ossl() { openssl "$@" >/dev/null 2>&1; }
printf 'basicConstraints=critical,CA:TRUE\n' > ca.ext
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > leaf.ext
ossl req -x509 -newkey rsa:3072 -nodes -keyout root.key -out root.pem -days 30 -subj "/CN=Compare Root" -sha256
ossl req -newkey rsa:2048 -nodes -keyout inter.key -out inter.csr -subj "/CN=Compare Intermediate SHA1"
ossl x509 -req -in inter.csr -CA root.pem -CAkey root.key -CAcreateserial -out inter.pem -days 30 -sha1 -extfile ca.ext
ossl req -newkey rsa:2048 -nodes -keyout rsa.key -out rsa.csr -subj "/CN=localhost"
ossl x509 -req -in rsa.csr -CA inter.pem -CAkey inter.key -CAcreateserial -out rsa.pem -days 30 -sha256 -extfile leaf.ext
ossl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.key -out ec.csr -subj "/CN=localhost"
ossl x509 -req -in ec.csr -CA inter.pem -CAkey inter.key -CAcreateserial -out ec.pem -days 30 -sha256 -extfile leaf.ext
cat rsa.pem inter.pem > rsa-chain.pem
# The hardened server's leaf hangs directly under the root (SHA-256 all the way).
ossl x509 -req -in ec.csr -CA root.pem -CAkey root.key -CAcreateserial -out ec-root.pem -days 30 -sha256 -extfile leaf.ext

# nginx: one legacy and one hardened server block.
mkdir -p tmp root && echo '<!doctype html><title>t</title>' > root/index.html
cat > nginx.conf <<EOF
daemon off; master_process off; worker_processes 1; pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $WORK/tmp; proxy_temp_path $WORK/tmp; fastcgi_temp_path $WORK/tmp;
  uwsgi_temp_path $WORK/tmp; scgi_temp_path $WORK/tmp;
  server { listen 127.0.0.1:8441 ssl; root $WORK/root;
    ssl_certificate $WORK/rsa-chain.pem; ssl_certificate_key $WORK/rsa.key;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2; ssl_ciphers ALL:@SECLEVEL=0; }
  server { listen 127.0.0.1:8444 ssl; root $WORK/root;
    ssl_certificate $WORK/ec-root.pem; ssl_certificate_key $WORK/ec.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384;
    ssl_conf_command Ciphersuites TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256;
    ssl_ecdh_curve secp384r1:secp256r1; }
}
EOF
/usr/sbin/nginx -p "$WORK" -c "$WORK/nginx.conf" & pids+=($!)
openssl s_server -accept 127.0.0.1:8442 -cert rsa.pem -key rsa.key -cert_chain inter.pem \
  -dcert ec.pem -dkey ec.key -dcert_chain inter.pem -cipher 'ALL:eNULL:@SECLEVEL=0' \
  -groups x25519:secp224r1:ffdhe2048 -www -quiet >/dev/null 2>&1 & pids+=($!)
gnutls-serv -p 8443 --http -a -q --x509certfile rsa-chain.pem --x509keyfile rsa.key \
  --priority 'NORMAL:+3DES-CBC:+CAMELLIA-128-CBC:+CAMELLIA-256-CBC:+ANON-ECDH:+ANON-DH:+RSA:+AES-128-CCM:+NULL:+VERS-TLS1.0:+VERS-TLS1.1:+SHA1' \
  >/dev/null 2>&1 & pids+=($!)
for port in 8441 8442 8443 8444; do
  for _ in $(seq 1 50); do
    (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
    sleep 0.2
  done
done

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

for entry in nginx-legacy:8441 openssl-legacy:8442 gnutls-weak:8443 nginx-hardened:8444; do
  name=${entry%%:*}; port=${entry##*:}
  url="https://127.0.0.1:$port/"
  echo "=================================================================="
  echo "== $name ($url)"
  t0=$(now)
  "$TESTSSL" --quiet --color 0 --warnings off --sneaky --nodns none --openssl-timeout 5 -p -e -f -S \
    --csvfile "$WORK/$name.csv" "127.0.0.1:$port" >"$WORK/$name.testssl.log" 2>&1 || true
  t1=$(now)
  echo "-- testssl.sh ($(secs "$t0" "$t1") s): findings (severity LOW and above), offered ciphers"
  if [ -s "$WORK/$name.csv" ]; then
    /usr/bin/python3 - "$WORK/$name.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
head, rows = rows[0], rows[1:]
i_id, i_sev, i_find = head.index("id"), head.index("severity"), head.index("finding")
for r in rows:
    if r[i_sev] in ("LOW", "MEDIUM", "HIGH", "CRITICAL"):
        print(f"   {r[i_sev]:8} {r[i_id]:28} {r[i_find][:110]}")
offered = [r[i_find].split()[-1] if r[i_find] else "" for r in rows if r[i_id].startswith("cipher-") or r[i_id].startswith("cipher_x")]
print(f"   offered cipher entries: {len(offered)}")
PY
  else
    echo "   (no CSV; see $WORK/$name.testssl.log with KEEP_WORK=1)"
  fi
  t0=$(now)
  "$GS" probe "$url" --cacert "$WORK/root.pem" --format json --out "$WORK/gs-$name" --quiet \
    --save-probes "$WORK/gs-$name/rec" >/dev/null 2>&1 || true
  t1=$(now)
  echo "-- grundscan probe ($(secs "$t0" "$t1") s): TLS/certificate rules that are not pass"
  /usr/bin/python3 - "$WORK/gs-$name/results.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for m in d["municipalities"]:
    for a in m["assets"]:
        for r in a["results"]:
            if r["rule"].startswith(("OZG-TLS", "OZG-CERT")) and r["state"] != "pass":
                print(f"   {r['state']:13} {r['rule']:30} {r['message'][:100]}")
PY
done
