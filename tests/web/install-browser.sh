#!/usr/bin/env bash
# Installs Debian's chromium for the Playwright browser test (BrowserJourneyTests). Playwright's own
# browser download is never used: the test host may have no internet, only the distribution mirror.
# Idempotent and quiet: does nothing when /usr/bin/chromium is already there.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  sudo=sudo
else
  sudo=
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version >/dev/null
