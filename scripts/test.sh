#!/bin/sh
# Installs what is needed, builds, and runs the whole test suite:
#  1. release build: unit, data-file, corpus and integration tests (ctest)
#  2. the web UI's browser tests: the built UI served by a real atio serve,
#     driven in Debian's chromium (web/e2e; screenshots in web/e2e/artifacts)
#  3. the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer
#  4. the playbook parser/validator fuzz target for a short while (clang, libFuzzer)
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh --bench --browser
scripts/build-ui.sh

echo "== release build and tests"
ATIO_BUILD_DIR=build scripts/build.sh -DCMAKE_BUILD_TYPE=RelWithDebInfo
ctest --test-dir build --output-on-failure -j2

echo "== web UI in a real browser"
ROOT="$(pwd)"
. scripts/node-env.sh
ATIO_BIN="$ROOT/build/apps/atio/atio" node web/e2e/run.mjs

echo "== unit tests under ASan + UBSan"
ATIO_BUILD_DIR=build-asan \
  ATIO_BUILD_TARGET="core_tests stix_tests convert_tests enrich_tests expr_tests cacao_tests actions_tests store_tests engine_tests server_tests audit_tests secrets_tests monitor_tests metrics_tests cases_tests" \
  scripts/build.sh -DCMAKE_BUILD_TYPE=Debug -DATIO_SANITIZE=ON
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j2 -L unit

if [ -x scripts/fuzz.sh ]; then
  echo "== fuzzing the playbook parser and validator"
  scripts/fuzz.sh 60
fi
echo "== all tests passed"
