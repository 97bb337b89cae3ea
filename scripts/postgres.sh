#!/usr/bin/env bash
# start|stop a throwaway PostgreSQL (Debian's package) on 127.0.0.1 for the database tests.
# `start` prints the connection string.
set -euo pipefail
PGDIR=${PGDIR:-/tmp/ingress-atlas-pg}
PGPORT=${PGPORT:-55432}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    if [ ! -f "$PGDIR/PG_VERSION" ]; then
      mkdir -p "$PGDIR"
      [ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
      as_pg "$BIN/initdb" -D "$PGDIR" -U postgres --auth=trust >/dev/null
    fi
    if ! as_pg "$BIN/pg_ctl" -D "$PGDIR" status >/dev/null 2>&1; then
      as_pg "$BIN/pg_ctl" -D "$PGDIR" -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" -l "$PGDIR/log" -w start >/dev/null
    fi
    echo "postgresql://postgres@127.0.0.1:$PGPORT"
    ;;
  stop)
    as_pg "$BIN/pg_ctl" -D "$PGDIR" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
