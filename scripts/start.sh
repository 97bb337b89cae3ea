#!/usr/bin/env bash
# Starts the sandbox (local Kubernetes and Tencent Cloud API stand-ins), then the portal:
# frontend on :3000, backend on :7007, both reading the sandbox.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"
bash scripts/bootstrap.sh

# SANDBOX_DNS_TTL caps the DNS records' TTLs, so a DNS cutover waits seconds instead of the
# seed's 600 s (scripts/e2e.sh sets it); unset, the sandbox keeps the seed's TTLs.
yarn sandbox ${SANDBOX_DNS_TTL:+--dns-ttl "$SANDBOX_DNS_TTL"} &
sandbox_pid=$!
trap 'kill $sandbox_pid 2>/dev/null || true' EXIT INT TERM
node scripts/wait-for.mjs http://127.0.0.1:6490/ 60

yarn start --config "$REPO_ROOT/app-config.yaml" --config "$REPO_ROOT/app-config.sandbox.yaml" "$@"
