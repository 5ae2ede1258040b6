#!/bin/sh
# Configures and builds atio into build/ (or $ATIO_BUILD_DIR). Extra arguments
# go to cmake, e.g. scripts/build.sh -DATIO_SANITIZE=ON.
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR="${ATIO_BUILD_DIR:-build}"
LAUNCHER=""
if command -v ccache >/dev/null 2>&1; then
  LAUNCHER="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
  # Paths relative to the checkout, so that another clone of the same
  # sources (a CI run) reuses what this one compiled.
  CCACHE_BASEDIR="$(pwd)"
  CCACHE_NOHASHDIR=1
  CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-12G}"
  export CCACHE_BASEDIR CCACHE_NOHASHDIR CCACHE_MAXSIZE
fi
cmake -S . -B "$BUILD_DIR" -G Ninja $LAUNCHER "$@" >/dev/null
ninja -C "$BUILD_DIR" ${ATIO_BUILD_TARGET:-}
