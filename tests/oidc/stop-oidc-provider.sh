#!/usr/bin/env bash
# Stops what start-oidc-provider.sh started (by the process id it wrote in $AGENTHOST_OIDC_DIR, which it
# prints), never a default folder's provider, which could be another copy's.
state="${AGENTHOST_OIDC_DIR:-}"
[ -n "$state" ] || { echo "AGENTHOST_OIDC_DIR is not set: nothing to stop" >&2; exit 0; }
if [ -f "$state/pid" ]; then
  kill "$(cat "$state/pid")" 2>/dev/null || true
fi
rm -rf "$state"
exit 0
