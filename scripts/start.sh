#!/usr/bin/env bash
# Starts the sandbox (local Kubernetes and Tencent Cloud API stand-ins), then the portal:
# frontend on :3000, backend on :7007, both reading the sandbox.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
bash scripts/bootstrap.sh

yarn sandbox &
sandbox_pid=$!
trap 'kill $sandbox_pid 2>/dev/null || true' EXIT INT TERM
node scripts/wait-for.mjs http://127.0.0.1:6490/ 60

yarn start --config "$REPO_ROOT/app-config.yaml" --config "$REPO_ROOT/app-config.sandbox.yaml" "$@"
