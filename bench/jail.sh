#!/bin/sh
# What a jailed script costs (issue 8): an empty bash and python3 script run
# without a jail and in atio's jail (bench/jail/jail_overhead.cc), one at a
# time (p50/p99) and CONC at once, beside the published start times of a
# container per action.
# Usage: bench/jail.sh [RUNS (200)] [CONC (16)]
set -eu
cd "$(dirname "$0")/.."
RUNS="${1:-200}"; CONC="${2:-16}"
scripts/install-deps.sh >/dev/null
ATIO_BUILD_DIR=build-bench ATIO_BUILD_TARGET="atio_actions atio-jail-init" \
  scripts/build.sh -DCMAKE_BUILD_TYPE=Release -DATIO_BUILD_TESTS=OFF >/dev/null
WORK="$(mktemp -d /tmp/atio-jail-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT INT TERM
L=build-bench/src/atio
g++ -O2 -std=c++20 -DBOOST_JSON_NO_LIB -Isrc bench/jail/jail_overhead.cc \
  $L/actions/libatio_actions.a $L/core/libatio_core.a -lboost_json -lpthread \
  -o "$WORK/jail_overhead"
echo "== $(nproc) cores, $(uname -r), $(bwrap --version), as uid $(id -u)"
"$WORK/jail_overhead" "$PWD/build-bench/apps/atio/atio-jail-init" "$RUNS" "$CONC"
echo "== for comparison: a container per action (docker run --rm), published start times"
echo "   docker run --rm busybox true: 0.5 s (8-core i7) to 6.7 s (Atom) per start (moby/moby#38077);"
echo "   500 containers in 60-75 s at 100 at once (docker/for-linux#121). Not measurable here:"
echo "   no Docker engine runs on this machine."
