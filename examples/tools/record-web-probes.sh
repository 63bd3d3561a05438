#!/usr/bin/env bash
# Re-creates the recorded web probes of the example Landkreis (examples/landkreis/recorded/):
# starts a hardened and a weak nginx on 127.0.0.1 (configs from tests/fixtures/probes), a
# listener on a risky port, probes them with `grundscan probe --save`, and renames the loopback
# host to the fictional portal names. Only 127.0.0.1 is contacted.
# Usage: examples/tools/record-web-probes.sh [path/to/grundscan]
set -euo pipefail
cd "$(dirname "$0")/../.."
GS=${1:-build/release/grundscan}
OUT=examples/landkreis/recorded
WORK=$(mktemp -d)
chmod 755 "$WORK"  # nginx workers run unprivileged
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A CA and a server certificate for localhost / 127.0.0.1.
openssl req -x509 -newkey rsa:3072 -nodes -keyout "$WORK/ca.key" -out "$WORK/ca.pem" -days 30 \
  -subj "/CN=Beispiel-Verbund-CA" 2>/dev/null
openssl req -newkey rsa:3072 -nodes -keyout "$WORK/server.key" -out "$WORK/server.csr" \
  -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
openssl x509 -req -in "$WORK/server.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial \
  -out "$WORK/server.pem" -days 30 -copy_extensions copy 2>/dev/null

mkdir -p "$WORK/tmp" "$WORK/root/hardened" "$WORK/root/weak/.git" "$WORK/root/weak/files"
echo "<!doctype html><title>Bürgerservice</title><h1>Bürgerservice</h1>" > "$WORK/root/hardened/index.html"
echo "<!doctype html><title>Bürgerservice</title><h1>Bürgerservice</h1>" > "$WORK/root/weak/index.html"
echo "ref: refs/heads/main" > "$WORK/root/weak/.git/HEAD"
echo "Antrag.pdf" > "$WORK/root/weak/files/antrag.txt"

hard=$(free_port); weak=$(free_port)
servers=""
for kind in hardened weak; do
  port=$hard; [ $kind = weak ] && port=$weak
  servers+=$(sed -e "s|@PORT@|$port|g" -e "s|@CERT@|$WORK/server.pem|g" -e "s|@KEY@|$WORK/server.key|g" \
                 -e "s|@ROOT@|$WORK/root|g" "tests/fixtures/probes/server-$kind.conf.in")$'\n'
done
/usr/bin/python3 - "$WORK" "$servers" <<'PY'
import sys
work, servers = sys.argv[1], sys.argv[2]
t = open("tests/fixtures/probes/nginx-main.conf.in").read()
open(work + "/nginx.conf", "w").write(t.replace("@PREFIX@", work).replace("@SERVERS@", servers).replace("@NAME@", "record"))
PY
/usr/sbin/nginx -p "$WORK" -c "$WORK/nginx.conf" &
pids+=($!)
# A remote-desktop port left open on the Lindenau firewall.
rdp=$(free_port)
/usr/bin/python3 -c "import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1',$rdp)); s.listen(); time.sleep(120)" &
pids+=($!)
sleep 1

mkdir -p "$OUT"
"$GS" probe "https://localhost:$hard/" --cacert "$WORK/ca.pem" --save "$WORK/rec-hard" --out "$WORK/o1" --quiet --format json || true
"$GS" probe "https://localhost:$weak/" --cacert "$WORK/ca.pem" --save "$WORK/rec-weak" --out "$WORK/o2" --quiet --format json || true

# Rename loopback to the fictional portals (and the ports to their public defaults).
/usr/bin/python3 - "$WORK" "$OUT" "$hard" "$weak" <<'PY'
import glob, json, sys
work, out, hard, weak = sys.argv[1:5]
def rename(src, dst, port, host):
    text = open(glob.glob(src + "/*.probe.json")[0]).read()
    text = text.replace("localhost:" + port, host).replace("localhost", host).replace("127.0.0.1", host)
    d = json.loads(text)
    d["asset"] = dst
    open(out + "/" + dst + ".probe.json", "w").write(json.dumps(d, indent=2, ensure_ascii=False) + "\n")
rename(work + "/rec-hard", "gt-portal", hard, "buergerservice.talwiesen.example")
rename(work + "/rec-weak", "ml-portal", weak, "service.markt-lindenau.example")
PY
echo "recorded: $(ls "$OUT")"
