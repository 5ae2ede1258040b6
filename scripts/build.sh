#!/bin/sh
# Configures and builds atio into build/ (or $ATIO_BUILD_DIR). Extra arguments
# go to cmake, e.g. scripts/build.sh -DATIO_SANITIZE=ON.
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR="${ATIO_BUILD_DIR:-build}"
LAUNCHER=""
if command -v ccache >/dev/null 2>&1; then LAUNCHER="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"; fi
cmake -S . -B "$BUILD_DIR" -G Ninja $LAUNCHER "$@" >/dev/null
ninja -C "$BUILD_DIR" ${ATIO_BUILD_TARGET:-}
