#!/usr/bin/env bash
# Stops what start-postgres.sh started: the cluster in $AGENTHOST_PG_DIR (start-postgres.sh prints it),
# never a default one, which could be another copy's.
state="${AGENTHOST_PG_DIR:-}"
[ -n "$state" ] || { echo "AGENTHOST_PG_DIR is not set: nothing to stop" >&2; exit 0; }
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -d "$state/data" ] && [ -n "$bin" ] && runuser -u postgres -- "$bin/pg_ctl" -D "$state/data" -m fast stop >/dev/null 2>&1
rm -rf "$state"
exit 0
