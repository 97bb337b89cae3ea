#!/usr/bin/env bash
# Runs every test: type check, unit and integration tests (jest, databases on SQLite and
# PostgreSQL, a real Kubernetes API server), and the browser tests. Runs all stages, then fails if any failed.
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
bash scripts/bootstrap.sh || exit 1
bash scripts/test-deps.sh || exit 1

failed=()
stage() {
  local name=$1; shift
  local start=$SECONDS
  echo "=== $name"
  if "$@"; then
    echo "=== $name: passed ($((SECONDS - start))s)"
  else
    echo "=== $name: FAILED ($((SECONDS - start))s)"; failed+=("$name")
  fi
}

# The tests' PostgreSQL lives in a folder of this run (under /tmp, which its user can reach),
# on a free port (another may be left running, e.g. by the benchmark), and is removed once the
# tests that use it ran.
PGDIR=$(mktemp -d /tmp/ingress-atlas-pg.XXXXXX)
PGPORT=$(node scripts/free-port.mjs)
export PGDIR PGPORT
pg_url=$(bash scripts/postgres.sh start) || { echo "PostgreSQL did not start"; exit 1; }
# test/kube's control planes live in a folder of this run; any that an interrupted test left
# running is stopped on exit.
KUBE_RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ingress-atlas-kube.XXXXXX")
export KUBE_RUN_DIR
stop_postgres() { bash scripts/postgres.sh stop; rm -rf "$PGDIR"; }
trap 'stop_postgres; bash scripts/kube/stop.sh --all; rm -rf "$KUBE_RUN_DIR"' EXIT
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$pg_url"
export INGRESS_ATLAS_TEST_POSTGRES=POSTGRES_15

# etcd and the Kubernetes control plane from the Go module proxy, for test/kube (cached by
# version in .tools: about 10 minutes on 2 cores the first time, then instant).
stage "real API server build" bash scripts/kube/build.sh
stage "type check" yarn tsc
# Fails when a plugin's public API changed without its report.api.md being regenerated
# (yarn build:api-reports); a full type check of its own, about a minute.
stage "API reports" bash scripts/api-reports.sh --ci
stage "unit and integration tests" env CI=true yarn backstage-cli repo test --passWithNoTests
# The databases the tests made (about 1 GB) are not needed by the stages after.
stop_postgres
stage "browser tests" bash scripts/e2e.sh
# The plugins packed as published, in a new app made by @backstage/create-app (README "Adding it
# to your own Backstage"): about 5 minutes, most of it the app's install and first build.
stage "packed plugins in a fresh app" bash scripts/fresh-app/run.sh

if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED stages: ${failed[*]}"
  exit 1
fi
echo "All test stages passed."
