#!/usr/bin/env bash
# Starts a certified OpenID Provider (npm oidc-provider, tests/oidc/provider.mjs) on loopback for the
# sign-in tests: installs its locked npm packages (npm ci) and Node.js (Debian's) if missing, waits for
# its discovery document, and prints the environment the tests read. Stop with stop-oidc-provider.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq nodejs npm >/dev/null
fi

# Ports free right now unless given: the provider's, and the one the host under test listens on (the
# client's redirect URIs must name it exactly), so a server someone else runs on a fixed port is no clash.
# Drawn below Linux's ephemeral range (32768-60999), where outgoing connections would not take it later.
free_port() {
  node -e "
    const net = require('net');
    const next = () => { const p = 20000 + Math.floor(Math.random() * 12000); const s = net.createServer();
      s.once('error', next); s.listen(p, '127.0.0.1', () => { console.log(p); s.close(); }); };
    next();"
}
port="${AGENTHOST_TEST_OIDC_PORT:-$(free_port)}"
client_port="${AGENTHOST_TEST_OIDC_CLIENT_PORT:-$(free_port)}"

if [ -n "${AGENTHOST_OIDC_DIR:-}" ]; then
  # A folder the caller named is theirs: the provider that ran from it before is stopped.
  state="$AGENTHOST_OIDC_DIR"
  "$here/stop-oidc-provider.sh" >/dev/null 2>&1 || true
  mkdir -p "$state"
else
  state="$(mktemp -d /tmp/agenthost-oidc.XXXXXX)"
fi
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >"$state/npm.log" 2>&1) || { cat "$state/npm.log" >&2; exit 1; }

OIDC_PORT="$port" OIDC_CLIENT_BASE="http://127.0.0.1:$client_port" \
  nohup node "$here/provider.mjs" >"$state/provider.log" 2>&1 </dev/null &
echo $! >"$state/pid"

for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/.well-known/openid-configuration" >/dev/null 2>&1; then
    echo "AGENTHOST_OIDC_DIR=$state"
    echo "AGENTHOST_TEST_OIDC_AUTHORITY=http://127.0.0.1:$port"
    echo "AGENTHOST_TEST_OIDC_CLIENT_PORT=$client_port"
    exit 0
  fi
  sleep 0.1
done
echo "the test OpenID provider did not start; see $state/provider.log:" >&2
cat "$state/provider.log" >&2
exit 1
