#!/usr/bin/env bash
# Starts a real PostgreSQL on loopback for the PostgreSQL store tests (Debian's package; installed if
# missing). A throwaway cluster under $AGENTHOST_PG_DIR (default: a new folder) on $AGENTHOST_TEST_PG_PORT
# (default: a free port), so another copy's server is never stopped or reused. The tests log in as role
# agenthost with a password and create a database per test. Prints the environment the tests read (and
# AGENTHOST_PG_DIR, which stop-postgres.sh reads).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${AGENTHOST_TEST_PG_PORT:-$("$here/../free-port.sh")}"
password="agenthost-pg-test"
if [ -n "${AGENTHOST_PG_DIR:-}" ]; then
  # A folder the caller named is theirs: whatever ran there before is stopped and wiped.
  state="$AGENTHOST_PG_DIR"
  "$here/stop-postgres.sh" >/dev/null 2>&1 || true
  rm -rf "$state"
  mkdir -p "$state"
else
  state="$(mktemp -d /tmp/agenthost-pg.XXXXXX)"
fi

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
fi

chown postgres:postgres "$state"
run() { runuser -u postgres -- "$@"; }
printf '%s\n' "$password" >"$state/pw" && chown postgres "$state/pw"
run "$bin/initdb" -D "$state/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 --pwfile="$state/pw" -E UTF8 >"$state/initdb.log"
run "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$state -c max_connections=500 -c fsync=on" start >/dev/null
run "$bin/psql" -h "$state" -p "$port" -U postgres -q -c "CREATE ROLE agenthost LOGIN CREATEDB PASSWORD '$password';" >/dev/null

echo "AGENTHOST_PG_DIR=$state"
echo "AGENTHOST_TEST_POSTGRES=Host=127.0.0.1;Port=$port;Username=agenthost;Password=$password"
