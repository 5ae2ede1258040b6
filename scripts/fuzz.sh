#!/bin/sh
# Fuzzes CACAO import for SECONDS (default 60): builds tests/fuzz/cacao_fuzz
# with clang-14 and libFuzzer (+ASan/UBSan) into build-fuzz/ (or
# $ATIO_FUZZ_BUILD_DIR), seeds it with every corpus playbook, and exits
# non-zero when the fuzzer finds a crash, a sanitizer report or a broken
# contract. Crash inputs are kept in $ATIO_FUZZ_ARTIFACTS (default
# build-fuzz/artifacts). Extra ninja flags: ATIO_FUZZ_NINJA_FLAGS (e.g. -j1).
set -eu
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-60}"
BUILD_DIR="${ATIO_FUZZ_BUILD_DIR:-build-fuzz}"
ARTIFACTS="${ATIO_FUZZ_ARTIFACTS:-$BUILD_DIR/artifacts}"

CORPUS_DIR="${ATIO_CORPUS_DIR:-}"
if [ -z "$CORPUS_DIR" ]; then
  for candidate in ../shared/corpus /work/shared/corpus; do
    if [ -f "$candidate/README.md" ]; then CORPUS_DIR="$candidate"; break; fi
  done
fi
if [ -z "$CORPUS_DIR" ] || [ ! -d "$CORPUS_DIR/cacao2/playbooks" ]; then
  echo "fuzz.sh: test corpus not found; set ATIO_CORPUS_DIR" >&2
  exit 2
fi

CC=clang-14 CXX=clang++-14 ATIO_BUILD_DIR="$BUILD_DIR" \
  ATIO_BUILD_TARGET="${ATIO_FUZZ_NINJA_FLAGS:-} cacao_fuzz" \
  scripts/build.sh -DCMAKE_CXX_COMPILER=clang++-14 \
  -DATIO_FUZZ=ON -DATIO_BUILD_TESTS=OFF

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cacao_fuzz.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT INT TERM
find "$CORPUS_DIR/cacao2/playbooks" tests/unit/cacao/testdata -name '*.json' -type f \
  -exec cp {} "$WORK/" \;
mkdir -p "$ARTIFACTS"

echo "fuzz.sh: running cacao_fuzz for ${SECONDS_TO_RUN}s on $(ls "$WORK" | wc -l) seeds"
"$BUILD_DIR/tests/fuzz/cacao_fuzz" \
  -max_total_time="$SECONDS_TO_RUN" \
  -max_len=65536 \
  -timeout=20 \
  -rss_limit_mb=2048 \
  -print_final_stats=1 \
  -dict=tests/fuzz/cacao.dict \
  -artifact_prefix="$ARTIFACTS/" \
  "$WORK"
