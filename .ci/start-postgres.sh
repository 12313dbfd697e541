#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the tests, installing Debian's
# package first if needed. Prints the URL to use (COUNTERCLAIM_TEST_PG).
#   export COUNTERCLAIM_TEST_PG=$(bash .ci/start-postgres.sh)
set -euo pipefail
PORT=${PGTEST_PORT:-54329}
DIR=${PGTEST_DIR:-/tmp/counterclaim-pg}

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
BIN=$(find_bin)
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "installing postgresql (Debian package)..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  BIN=$(find_bin)
fi

as_db_user() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" 2>/dev/null; then
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = "0" ] && chown postgres:postgres "$DIR"
  as_db_user "$BIN/initdb" -D "$DIR/data" -A trust -U postgres >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
  as_db_user "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >&2 \
    || { cat "$DIR/server.log" >&2; exit 1; }
fi
echo "postgresql://postgres@127.0.0.1:$PORT/postgres"
