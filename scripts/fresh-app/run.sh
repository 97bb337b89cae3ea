#!/usr/bin/env bash
# README "Adding it to your own Backstage", proven: packs every plugin as it would be published,
# makes a new app with @backstage/create-app, adds the tarballs to it as the README says, starts
# it on the sandbox and runs a browser test of the atlas in it (test/fresh-app). Prints what
# each part took. The app lives in the git-ignored .tools/fresh-app; the frontend answers on
# :3100, the backend on :3101, the sandbox from :6541, so a running portal is left alone.
set -euo pipefail
source "$(dirname "$0")/../env.sh"
cd "$REPO_ROOT"

CREATE_APP_VERSION=0.9.2 # the create-app of Backstage 1.55, as backstage.json says
PORT=3100
SANDBOX_BASE_PORT=6541
WORK="$REPO_ROOT/.tools/fresh-app"
APP="$WORK/app"
mkdir -p test-results/fresh-app
LOGS="$REPO_ROOT/test-results/fresh-app"

step_start=$SECONDS
step() {
  echo "[fresh-app] $1 ($((SECONDS - step_start))s so far)"
}
# CI keeps only what is printed: a failed part prints the end of its log.
fail() {
  echo "$1 (end of $2):"
  tail -n 20 "$2"
  exit 1
}

rm -rf "$WORK"
mkdir -p "$WORK/packs" "$APP"

step "packing the plugins"
# The packages' type declarations come from the repository's type check.
yarn tsc > "$LOGS/tsc.log" 2>&1
for dir in plugins/*/; do
  (cd "$dir" && yarn backstage-cli package build && yarn pack --out "$WORK/packs/%s.tgz") \
    > "$LOGS/pack-$(basename "$dir").log" 2>&1 ||
    fail "packing $dir failed" "$LOGS/pack-$(basename "$dir").log"
done

step "creating the app with @backstage/create-app@$CREATE_APP_VERSION"
(cd "$WORK" && BACKSTAGE_APP_NAME=fresh-app npx --yes "@backstage/create-app@$CREATE_APP_VERSION" \
  --path app --skip-install) > "$LOGS/create-app.log" 2>&1
node scripts/fresh-app/adapt.mjs packages "$APP" "$WORK/packs"
# create-app seeds yarn.lock from GitHub, out of reach here: this repository's lockfile is the
# seed instead (the same Backstage release), so the install resolves what ours does.
cp yarn.lock "$APP/yarn.lock"

step "installing"
# The seed is this repository's lockfile, so the app's install adds and drops entries: it must
# not be immutable, which yarn makes it by default when CI is set. Its node_modules hard-links the
# files of yarn's global store (~/.yarn/berry/store, made once) instead of copying them (2.3 GB
# of copies at each run before).
(cd "$APP" && YARN_ENABLE_IMMUTABLE_INSTALLS=false YARN_NM_MODE=hardlinks-global yarn install) > "$LOGS/install.log" 2>&1 ||
  fail "yarn install failed" "$LOGS/install.log"

step "starting the sandbox and the app"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
  sleep 1
}
trap cleanup EXIT
setsid yarn sandbox --base-port "$SANDBOX_BASE_PORT" > "$LOGS/sandbox.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  grep -q '^Sandbox ready' "$LOGS/sandbox.log" && break
  sleep 0.5
done
ready=$(grep '^Sandbox ready' "$LOGS/sandbox.log") ||
  fail "the sandbox did not start" "$LOGS/sandbox.log"
node scripts/fresh-app/adapt.mjs config "$APP" "$PORT" "$ready"
(cd "$APP" && exec setsid yarn start) > "$LOGS/app.log" 2>&1 &
pids+=($!)
node scripts/wait-for.mjs "http://localhost:$((PORT + 1))/.backstage/health/v1/readiness" 300 ||
  fail "the app's backend did not become ready" "$LOGS/app.log"
node scripts/wait-for.mjs "http://localhost:$PORT" 300 ||
  fail "the app's frontend did not answer" "$LOGS/app.log"

step "browser test"
PORTAL_URL="http://localhost:$PORT" BACKEND_URL="http://localhost:$((PORT + 1))" \
  yarn playwright test --config test/fresh-app/playwright.config.ts
step "done"
