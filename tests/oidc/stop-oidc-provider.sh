#!/usr/bin/env bash
# Stops what start-oidc-provider.sh started (by the process id it wrote).
state="${AGENTHOST_OIDC_DIR:-/tmp/agenthost-oidc}"
if [ -f "$state/pid" ]; then
  kill "$(cat "$state/pid")" 2>/dev/null || true
  rm -f "$state/pid"
fi
exit 0
