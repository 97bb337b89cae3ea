#!/usr/bin/env bash
# Installs the system packages the tests use (Debian): Chromium for the browser tests,
# PostgreSQL for the database tests, kubectl for the Kubernetes stand-in's protocol tests, Go
# and openssl for the real API server tests (Debian's Go is old: scripts/kube/build.sh fetches
# the Go it needs through it).
# Idempotent: nothing is installed when everything is present.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/kubectl ] || need+=(kubernetes-client)
command -v go >/dev/null 2>&1 || need+=(golang-go)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  echo "[test-deps] installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
