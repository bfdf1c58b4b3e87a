#!/usr/bin/env bash
# Starts a real rsyslog (Debian's package; installed if missing) on loopback for the SIEM stream tests:
# one TCP input (RFC 5424 messages, octet-counted framing per RFC 6587) on $AGENTHOST_TEST_SYSLOG_PORT
# (default: a free port), writing each received message as its HOSTNAME and MSG part, one line each, to messages.log in
# $AGENTHOST_SYSLOG_DIR (default: a new folder). Only this rsyslogd: no system log sockets, no kernel log.
# A folder the caller named keeps its messages.log, so a test can restart the receiver on the same port
# and folder and see everything that arrived before and after. Prints the environment the tests read
# (and AGENTHOST_SYSLOG_DIR, which stop-rsyslog.sh reads).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${AGENTHOST_TEST_SYSLOG_PORT:-$("$here/../free-port.sh")}"
if [ -n "${AGENTHOST_SYSLOG_DIR:-}" ]; then
  state="$AGENTHOST_SYSLOG_DIR"
  AGENTHOST_SYSLOG_DIR="$state" "$here/stop-rsyslog.sh" --keep >/dev/null 2>&1 || true
  mkdir -p "$state"
else
  state="$(mktemp -d /tmp/agenthost-syslog.XXXXXX)"
fi

if ! command -v rsyslogd >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq rsyslog >/dev/null
fi

# Something else on the port would answer the readiness check below: refuse rather than test against it.
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "127.0.0.1:$port is already in use: not starting rsyslog there" >&2
  exit 1
fi

touch "$state/messages.log"
cat >"$state/rsyslog.conf" <<CONF
global(workDirectory="$state" maxMessageSize="4m")
module(load="imtcp")
template(name="agenthostMsg" type="string" string="%hostname% %msg%\n")
input(type="imtcp" address="127.0.0.1" port="$port" ruleset="agenthost")
ruleset(name="agenthost") {
  action(type="omfile" file="$state/messages.log" template="agenthostMsg" flushOnTXEnd="on" asyncWriting="off")
}
CONF
rsyslogd -f "$state/rsyslog.conf" -i "$state/rsyslogd.pid" >"$state/rsyslogd.log" 2>&1

# rsyslogd forks; ready once the port answers.
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "AGENTHOST_SYSLOG_DIR=$state"
    echo "AGENTHOST_TEST_SYSLOG_PORT=$port"
    echo "AGENTHOST_TEST_SYSLOG_FILE=$state/messages.log"
    exit 0
  fi
  sleep 0.1
done
echo "rsyslogd did not listen on 127.0.0.1:$port; see $state/rsyslogd.log" >&2
cat "$state/rsyslogd.log" >&2 || true
exit 1
