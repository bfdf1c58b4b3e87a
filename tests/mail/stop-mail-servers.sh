#!/usr/bin/env bash
# Stops what start-mail-servers.sh started.
state="${AGENTHOST_MAIL_DIR:-/tmp/agenthost-mail}"
[ -f "$state/dovecot.conf" ] && dovecot -c "$state/dovecot.conf" stop 2>/dev/null
[ -f "$state/smtp.pid" ] && kill "$(cat "$state/smtp.pid")" 2>/dev/null
exit 0
