#!/usr/bin/env bash
# Starts the real mail servers the email tests use, on loopback: Dovecot (IMAP, any user name with the
# test password, a fresh maildir per user) and an aiosmtpd sink that writes accepted mail to a folder.
# Installs them first if this machine lacks them (Debian: dovecot-imapd, python3-aiosmtpd).
# Folder ($AGENTHOST_MAIL_DIR) and ports default to a new folder and free ports, so another copy's servers
# are never stopped or reused. Prints the environment the tests read (and AGENTHOST_MAIL_DIR, which
# stop-mail-servers.sh reads).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
imap_port="${AGENTHOST_TEST_IMAP_PORT:-$("$here/../free-port.sh")}"
smtp_port="${AGENTHOST_TEST_SMTP_PORT:-$("$here/../free-port.sh")}"

if ! command -v dovecot >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq dovecot-imapd python3-aiosmtpd >/dev/null
fi
id agentmail >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin agentmail

if [ -n "${AGENTHOST_MAIL_DIR:-}" ]; then
  # A folder the caller named is theirs: whatever ran there before is stopped and wiped.
  state="$AGENTHOST_MAIL_DIR"
  "$here/stop-mail-servers.sh" >/dev/null 2>&1 || true
  rm -rf "$state"
  mkdir -p "$state"
else
  state="$(mktemp -d /tmp/agenthost-mail.XXXXXX)"
fi
chmod 755 "$state"   # Dovecot's mail processes run as agentmail and must reach $state/mail.
mkdir -p "$state/run" "$state/mail" "$state/sent"
chown agentmail:agentmail "$state/mail"

cat >"$state/dovecot.conf" <<CONF
base_dir = $state/run
log_path = $state/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:$state/mail/%u
first_valid_uid = 1
passdb {
  driver = static
  args = password=agenthost-imap-test
}
userdb {
  driver = static
  args = uid=agentmail gid=agentmail home=$state/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap_port
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
}
protocol imap {
  mail_max_userip_connections = 50
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Archive {
    auto = create
  }
  mailbox Triage {
    auto = create
  }
}
CONF
dovecot -c "$state/dovecot.conf"
nohup /usr/bin/python3 "$here/smtp_sink.py" "$smtp_port" "$state/sent" >"$state/smtp.log" 2>&1 &
echo $! >"$state/smtp.pid"

for _ in $(seq 1 50); do
  if (exec 3<>/dev/tcp/127.0.0.1/"$imap_port") 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/"$smtp_port") 2>/dev/null; then
    echo "AGENTHOST_MAIL_DIR=$state"
    echo "AGENTHOST_TEST_IMAP_PORT=$imap_port"
    echo "AGENTHOST_TEST_SMTP_PORT=$smtp_port"
    echo "AGENTHOST_TEST_SMTP_SINK=$state/sent"
    exit 0
  fi
  sleep 0.2
done
echo "mail servers did not come up; see $state/dovecot.log and $state/smtp.log" >&2
exit 1
