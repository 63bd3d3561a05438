#!/usr/bin/env bash
# Installs the Debian 12 packages grundscan needs to build and test. Idempotent: only missing
# packages are installed (after `apt-get update`). Run as root.
# nginx-light, openssl and python3 run the loopback servers of the live web probe tests
# (tests/scanner/probes) and bench/probe_bench.sh; gnutls-bin (gnutls-serv) offers the suites
# OpenSSL lacks (3DES, CAMELLIA, anonymous) to the raw TLS scan tests.
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libyaml-cpp-dev libpugixml-dev nlohmann-json3-dev libboost-program-options-dev
  libcurl4-openssl-dev libssl-dev libbz2-dev libgtest-dev
  python3 python3-jsonschema
  nginx-light openssl gnutls-bin
  libsqlite3-dev libcairo2-dev libpango1.0-dev fonts-dejavu-core poppler-utils
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 2
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
