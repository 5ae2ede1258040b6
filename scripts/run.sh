#!/bin/sh
# Installs what is needed, builds atio, and starts `atio serve` on
# http://127.0.0.1:8080 with the embedded SQLite store under ./var and the
# shipped playbooks loaded and the web UI built. Prints the URL, the admin
# API key and the password of the UI's admin user.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
ATIO_BUILD_DIR=build ATIO_BUILD_TARGET=atio scripts/build.sh -DCMAKE_BUILD_TYPE=RelWithDebInfo
# The web UI; without a recent enough Node.js atio runs with its API only.
ui_status=0
scripts/build-ui.sh || ui_status=$?
if [ "$ui_status" -eq 3 ]; then
  echo "atio: starting without the web UI (see the message above)" >&2
elif [ "$ui_status" -ne 0 ]; then
  exit "$ui_status"
fi
mkdir -p var
if [ -f var/admin-key ]; then
  echo "atio: admin API key (from var/admin-key): $(cat var/admin-key)"
fi
if [ -f var/admin-password ]; then
  echo "atio: web UI user admin, password (from var/admin-password): $(cat var/admin-password)"
fi
exec build/apps/atio/atio serve --listen "${ATIO_LISTEN:-127.0.0.1:8080}" --data var --playbooks playbooks
