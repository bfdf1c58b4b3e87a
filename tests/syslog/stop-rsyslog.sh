#!/usr/bin/env bash
# Stops what start-rsyslog.sh started: the rsyslogd whose pid file is in $AGENTHOST_SYSLOG_DIR (start-rsyslog.sh
# prints it), never any other. Removes the folder unless --keep (a restart on the same folder keeps its messages).
state="${AGENTHOST_SYSLOG_DIR:-}"
[ -n "$state" ] || { echo "AGENTHOST_SYSLOG_DIR is not set: nothing to stop" >&2; exit 0; }
if [ -f "$state/rsyslogd.pid" ]; then
  pid="$(cat "$state/rsyslogd.pid")"
  if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  fi
  rm -f "$state/rsyslogd.pid"
fi
[ "${1:-}" = "--keep" ] || rm -rf "$state"
exit 0
