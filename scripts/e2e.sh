#!/usr/bin/env bash
# Browser tests: starts the sandbox portal (unless one already answers), runs Playwright in
# Debian's Chromium, stops what it started.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
mkdir -p test-results/screenshots

started=""
if ! curl -sf -o /dev/null http://localhost:7007/.backstage/health/v1/readiness; then
  # A short DNS TTL: the pod-EIP story's DNS cutover waits out the record's old TTL.
  SANDBOX_DNS_TTL="${SANDBOX_DNS_TTL:-5}" setsid bash scripts/start.sh > test-results/portal.log 2>&1 &
  started=$!
  trap 'kill -- -$started 2>/dev/null || true; sleep 1' EXIT
  node scripts/wait-for.mjs http://localhost:7007/.backstage/health/v1/readiness 300
  node scripts/wait-for.mjs http://localhost:3000 300
fi
yarn playwright test "$@"
