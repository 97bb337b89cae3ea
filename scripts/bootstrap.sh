#!/usr/bin/env bash
# Installs everything the portal needs: Node 24 (if the system Node is older), then the
# workspace dependencies. Idempotent: a second run only checks a stamp and returns.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

stamp=node_modules/.ingress-atlas-install-stamp
want="$(node -v) $(cat yarn.lock package.json .yarnrc.yml $(git ls-files -co --exclude-standard 'packages/*/package.json' 'plugins/*/package.json') | sha1sum | cut -c1-40)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
# One install at a time, even when several commands start together.
exec 9>"$REPO_ROOT/.tools/install.lock"
flock 9
echo "[bootstrap] yarn install --immutable (node $(node -v))" >&2
# Installs exactly what yarn.lock records and fails instead of rewriting it: what is tested is
# what is committed. After changing a package.json, run `yarn install` and commit yarn.lock.
yarn install --immutable
echo "$want" > "$stamp"
