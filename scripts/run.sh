#!/bin/sh
# Installs what is needed, builds atio, and starts `atio serve` on
# http://127.0.0.1:8080 with the embedded SQLite store under ./var and the
# shipped playbooks loaded. Prints the URL and the admin API key.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
ATIO_BUILD_DIR=build ATIO_BUILD_TARGET=atio scripts/build.sh -DCMAKE_BUILD_TYPE=RelWithDebInfo
mkdir -p var
if [ -f var/admin-key ]; then
  echo "atio: admin API key (from var/admin-key): $(cat var/admin-key)"
fi
exec build/apps/atio/atio serve --listen "${ATIO_LISTEN:-127.0.0.1:8080}" --data var --playbooks playbooks
