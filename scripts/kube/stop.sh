#!/usr/bin/env bash
# Stops a control plane started by start.sh and removes its folder: stop.sh [NAME | --all]
set -uo pipefail
ROOT=${KUBE_RUN_DIR:-${TMPDIR:-/tmp}/ingress-atlas-kube}
if [ "${1:-}" = "--all" ]; then
  for dir in "$ROOT"/*/; do [ -d "$dir" ] && bash "$0" "$(basename "$dir")"; done
  exit 0
fi
NAME=${1:-default}
RUN=$ROOT/$NAME
[ -f "$RUN/pids" ] || exit 0
# TERM to every component at once; what has not exited after 3 s is killed.
pids=$(tac "$RUN/pids")
for pid in $pids; do kill "$pid" 2>/dev/null; done
for i in $(seq 1 30); do
  alive=0
  for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive=1; done
  [ "$alive" = 0 ] && break
  sleep 0.1
done
for pid in $pids; do kill -9 "$pid" 2>/dev/null; done
rm -rf "$RUN"
