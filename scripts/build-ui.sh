#!/bin/sh
# Builds the web UI (web/) into web/dist, which `atio serve` serves at /.
# Installs the npm packages from the committed lockfile (npm ci) when they
# are missing or the lockfile changed. Node.js comes from scripts/node-env.sh.
# Exit codes: 0 built; 3 no Node.js could be had (the message says why);
# anything else: the build failed.
set -eu
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
. scripts/node-env.sh
echo "build-ui: Node.js $(node --version), npm $(npm --version)" >&2

cd web
stamp=node_modules/.atio-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "build-ui: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
npm run --silent build
