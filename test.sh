#!/usr/bin/env bash
# Runs every test of AgentHost: provisions what the tests need, then `dotnet test` on the solution.
# Ends with one line "N passed, N failed" counted from the test results.
set -euo pipefail
cd "$(dirname "$0")"

results_dir="$(pwd)/test-results"
rm -rf "$results_dir"
mkdir -p "$results_dir"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "dotnet SDK 10 is required (https://dot.net)" >&2
  exit 2
fi

# Real servers on loopback, never mocks: Dovecot IMAP and an SMTP sink for the email tests, PostgreSQL
# for the PostgreSQL store, a certified OpenID provider (npm oidc-provider, installed by `npm ci`) for sign-in,
# rsyslog as the SIEM stream's syslog receiver.
# Each on free ports in a folder of its own (the scripts print both), so two copies of test.sh on one
# machine neither clash nor stop each other's servers; each stop script stops only what its start printed.
trap 'tests/mail/stop-mail-servers.sh; tests/postgres/stop-postgres.sh; tests/oidc/stop-oidc-provider.sh; tests/syslog/stop-rsyslog.sh' EXIT
for start in tests/mail/start-mail-servers.sh tests/postgres/start-postgres.sh tests/oidc/start-oidc-provider.sh tests/syslog/start-rsyslog.sh; do
  servers_env="$("$start")"
  while IFS='=' read -r key value; do export "$key=$value"; done <<<"$servers_env"
done
# Debian's chromium for the browser journey test (Playwright never downloads a browser here).
bash tests/web/install-browser.sh

dotnet restore AgentHost.sln --nologo
status=0
dotnet test AgentHost.sln --no-restore --nologo \
  --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results_dir" "$@" || status=$?

# The same host-level tests again with PostgreSQL as the store (one suite, two fixtures).
AGENTHOST_TEST_STORE=postgres dotnet test tests/AgentHost.Tests --no-build --nologo \
  --filter "FullyQualifiedName~AgentHost.Tests.Host|FullyQualifiedName~AgentHost.Tests.Slack|FullyQualifiedName~AgentHost.Tests.Email|FullyQualifiedName~AgentHost.Tests.Deploy|FullyQualifiedName~AgentHost.Tests.Telemetry|FullyQualifiedName~AgentHost.Tests.Siem" \
  --logger "trx;LogFilePrefix=postgres" --logger "console;verbosity=minimal" \
  --results-directory "$results_dir" "$@" || status=$?

passed=0
failed=0
for trx in "$results_dir"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  # A test that did not run counts against us: nothing is skipped silently.
  failed=$((failed + ${f:-0} + ${n:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # the build or the test host failed before any result was written
fi
echo "$passed passed, $failed failed"
exit "$status"
