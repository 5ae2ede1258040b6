#!/bin/sh
# Installs every Debian package atio needs to build, test and benchmark.
# Idempotent: runs `apt-get update` and `apt-get install` only when a package is missing.
# Usage: scripts/install-deps.sh [--bench] [--browser]   (run as root, or with sudo available)
#   --bench    the peers and tools of bench/
#   --browser  Debian's chromium, which the UI's browser tests drive
set -eu

# bubblewrap: the jail of bash and x-atio-python steps (docs/scripts.md).
# libssh-dev: the client of ssh steps (docs/ssh.md); openssh-server: the sshd
# their tests start themselves on a loopback port (no sshd service is needed).
# postgresql: the server the store tests start themselves in a temporary directory
# (scripts/pg-temp.sh); atio needs no PostgreSQL service running.
PKGS="build-essential cmake pkg-config ninja-build ccache
libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
libcurl4-openssl-dev liblua5.4-dev libsqlite3-dev libpq-dev libssl-dev libsodium-dev
libspdlog-dev libfmt-dev libcli11-dev libjemalloc-dev libpugixml-dev libssh-dev
libgtest-dev libgmock-dev prometheus-cpp-dev
clang-14 libclang-rt-14-dev
python3 python3-jsonschema python3-yaml python3-prometheus-client curl sqlite3 bubblewrap
postgresql openssh-server"
for flag in "$@"; do
  case "$flag" in
    --bench) PKGS="$PKGS nginx-light wrk jq valgrind" ;;
    --browser) PKGS="$PKGS chromium" ;;
    *) echo "install-deps: unknown option $flag" >&2; exit 2 ;;
  esac
done

missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
