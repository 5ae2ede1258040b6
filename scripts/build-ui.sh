#!/bin/sh
# Builds the web UI (web/) into web/dist, which `atio serve` serves at /.
# Installs the npm packages from the committed lockfile (npm ci) when they
# are missing or the lockfile changed. Needs Node.js 20.19 or newer with npm.
# Exit codes: 0 built; 3 no suitable Node.js (the message says what to do);
# anything else: the build failed.
set -eu
cd "$(dirname "$0")/../web"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "build-ui: Node.js and npm are needed to build the web UI (Node.js 20.19 or newer;" \
       "Debian 12's own nodejs package is 18, too old for Vite: install Node.js 20 or 22" \
       "from nodejs.org or NodeSource)" >&2
  exit 3
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit((a===20&&b>=19)||(a===22&&b>=12)||a>22?0:1)'; then
  echo "build-ui: Node.js $(node --version) is too old for the UI's build (Vite needs 20.19+ or 22.12+)" >&2
  exit 3
fi

stamp=node_modules/.atio-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "build-ui: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
npm run --silent build
