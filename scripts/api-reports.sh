#!/usr/bin/env bash
# Writes each plugin's report.api.md (API Extractor through @backstage/repo-tools) and the
# CLI's cli-report.md (packages/cli, from its --help pages), or with --ci fails when one is out
# of date. The declarations come from a full, non-incremental type check into a fresh
# dist-types: TypeScript orders the members of an inferred union type as it met them, so
# declarations left by an incremental build can reorder a report with no change.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
rm -rf dist-types
yarn tsc --incremental false
yarn build:api-reports:only "$@"
