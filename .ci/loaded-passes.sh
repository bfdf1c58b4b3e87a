#!/usr/bin/env bash
# Issue 15's figure: N consecutive clean-clone `.ci/run` passes of one commit while a `dotnet build`
# loop of a second clone keeps both cores busy. Usage: .ci/loaded-passes.sh [commit] [passes] [workdir]
# Results: one line per pass in <workdir>/results.log; `touch <workdir>/stop` ends it after the pass.
set -u
repo="$(cd "$(dirname "$0")/.." && pwd)"
ref="${1:-HEAD}"
passes="${2:-5}"
work="${3:-/tmp/agenthost-loaded-passes}"
commit="$(git -C "$repo" rev-parse "$ref")"
mkdir -p "$work"
rm -f "$work/stop"
[ -d "$work/load-clone" ] || git clone -q "$repo" "$work/load-clone"

# Not `dotnet build-server shutdown` between builds: it would stop the compiler server the CI pass uses.
( while [ ! -e "$work/stop" ]; do
    (cd "$work/load-clone" && dotnet build AgentHost.sln --no-incremental -c Debug -v q >/dev/null 2>&1)
  done ) &
load=$!

for i in $(seq 1 "$passes"); do
  [ -e "$work/stop" ] && break
  rm -rf "$work/clone"
  git clone -q "$repo" "$work/clone" && git -C "$work/clone" checkout -q "$commit"
  start=$(date +%s)
  (cd "$work/clone" && .ci/run) > "$work/pass-$i.log" 2>&1
  rc=$?
  echo "pass $i commit ${commit:0:7} rc=$rc '$(tail -n 1 "$work/pass-$i.log")' $(( $(date +%s) - start ))s load=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$work/results.log"
  [ "$rc" -ne 0 ] && break
done

touch "$work/stop"
wait "$load"
cat "$work/results.log"
