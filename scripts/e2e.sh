#!/usr/bin/env bash
# Browser tests: starts the sandbox portal (unless one already answers) on databases of its
# own, runs Playwright in Debian's Chromium, stops what it started.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
mkdir -p test-results/screenshots

started=""
if ! curl -sf -o /dev/null http://localhost:7007/.backstage/health/v1/readiness; then
  # Databases of the run's own, emptied first: what `make start` left in .data (a model, the
  # day's cost of a sandbox earlier tests changed) would be served before this run's refresh.
  export PORTAL_SQLITE_DIR="$REPO_ROOT/.data/e2e/sqlite"
  rm -rf "$PORTAL_SQLITE_DIR"
  # A short DNS TTL: the pod-EIP story's DNS cutover waits out the record's old TTL.
  APP_CONFIG_backend_database_connection_directory="$PORTAL_SQLITE_DIR" \
    SANDBOX_DNS_TTL="${SANDBOX_DNS_TTL:-5}" setsid bash scripts/start.sh > test-results/portal.log 2>&1 &
  started=$!
  trap 'kill -- -$started 2>/dev/null || true; sleep 1' EXIT
  node scripts/wait-for.mjs http://localhost:7007/.backstage/health/v1/readiness 300
  node scripts/wait-for.mjs http://localhost:3000 300
fi
yarn playwright test "$@"
