#!/usr/bin/env bash
# Stops what start-mail-servers.sh started: the servers of $AGENTHOST_MAIL_DIR (start-mail-servers.sh
# prints it), never a default folder's, which could be another copy's.
state="${AGENTHOST_MAIL_DIR:-}"
[ -n "$state" ] || { echo "AGENTHOST_MAIL_DIR is not set: nothing to stop" >&2; exit 0; }
[ -f "$state/dovecot.conf" ] && dovecot -c "$state/dovecot.conf" stop 2>/dev/null
[ -f "$state/smtp.pid" ] && kill "$(cat "$state/smtp.pid")" 2>/dev/null
rm -rf "$state"
exit 0
