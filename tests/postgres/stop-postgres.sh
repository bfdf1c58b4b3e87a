#!/usr/bin/env bash
# Stops what start-postgres.sh started.
state="${AGENTHOST_PG_DIR:-/tmp/agenthost-pg}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -d "$state/data" ] && [ -n "$bin" ] && runuser -u postgres -- "$bin/pg_ctl" -D "$state/data" -m fast stop >/dev/null 2>&1
exit 0
