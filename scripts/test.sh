#!/usr/bin/env bash
# Runs every test: type check, unit and integration tests (jest, databases on SQLite and
# PostgreSQL), and the browser tests. Runs all stages, then fails if any failed.
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
bash scripts/bootstrap.sh || exit 1
bash scripts/test-deps.sh || exit 1

failed=()
stage() {
  local name=$1; shift
  echo "=== $name"
  if "$@"; then echo "=== $name: passed"; else echo "=== $name: FAILED"; failed+=("$name"); fi
}

pg_url=$(bash scripts/postgres.sh start) || { echo "PostgreSQL did not start"; exit 1; }
trap 'bash scripts/postgres.sh stop' EXIT
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$pg_url"
export INGRESS_ATLAS_TEST_POSTGRES=POSTGRES_15

stage "type check" yarn tsc
stage "unit and integration tests" env CI=true yarn backstage-cli repo test --passWithNoTests
stage "browser tests" bash scripts/e2e.sh

if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED stages: ${failed[*]}"
  exit 1
fi
echo "All test stages passed."
