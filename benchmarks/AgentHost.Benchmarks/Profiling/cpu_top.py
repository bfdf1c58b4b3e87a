#!/usr/bin/env python3
"""Where the CPU goes, from a dotnet-trace speedscope file (dotnet-sampled-thread-time profile).

The sampler records every managed thread about 100 times a second, waiting or not, and marks the leaf:
CPU_TIME (the thread was running managed code) or UNMANAGED_CODE_TIME (it was in native code: mostly
blocked in a wait, sometimes computing, e.g. inside SQLite). Only CPU_TIME samples are counted here, so
the tables are managed CPU; native calls are listed apart, with their calling frame, for judgement.

usage: cpu_top.py trace.speedscope.json [top N]
"""
import collections
import json
import re
import sys

from subsystems import group_of

UNGROUPED = "runtime and BCL with no caller above (thread pool, timers, GC-visible work)"


def short(name, width=110):
    name = re.sub(r"\(.*", "()", name)
    return name if len(name) <= width else name[: width - 1] + "…"


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    data = json.load(open(path))
    names = [f["name"] for f in data["shared"]["frames"]]
    cpu_leaf = names.index("CPU_TIME")
    native_leaf = names.index("UNMANAGED_CODE_TIME")
    exclusive = collections.Counter()
    inclusive = collections.Counter()
    groups = collections.Counter()
    native = collections.Counter()
    cpu_total = 0.0
    all_total = 0.0
    for profile in data["profiles"]:
        stack, last = [], None
        for event in profile["events"]:
            at = event["at"]
            if stack and last is not None and at > last:
                weight = at - last
                all_total += weight
                if stack[-1] == cpu_leaf and len(stack) > 1:
                    cpu_total += weight
                    exclusive[stack[-2]] += weight
                    for frame in set(stack[:-1]):
                        inclusive[frame] += weight
                    groups[group_of([names[f] for f in stack[:-1]]) or UNGROUPED] += weight
                elif stack[-1] == native_leaf and len(stack) > 1:
                    native[stack[-2]] += weight
            last = at
            if event["type"] == "O":
                stack.append(event["frame"])
            else:
                stack.pop()

    print(f"sampled thread time {all_total / 1000:.1f} s, of which running managed code (CPU_TIME) {cpu_total / 1000:.1f} s ({100 * cpu_total / all_total:.1f}%)\n")
    print(f"Top {top} methods by exclusive managed CPU\n")
    print("| # | method | exclusive | inclusive |\n|---|---|---|---|")
    for rank, (frame, weight) in enumerate(exclusive.most_common(top), 1):
        print(f"| {rank} | `{short(names[frame])}` | {100 * weight / cpu_total:.1f}% | {100 * inclusive[frame] / cpu_total:.1f}% |")
    print(f"\nTop {top} methods by inclusive managed CPU (frames below 90%: thread-pool and async plumbing left out)\n")
    print("| # | method | inclusive |\n|---|---|---|")
    shown = 0
    for frame, weight in inclusive.most_common():
        if weight / cpu_total >= 0.9:
            continue
        shown += 1
        print(f"| {shown} | `{short(names[frame])}` | {100 * weight / cpu_total:.1f}% |")
        if shown == top:
            break
    print("\nManaged CPU by subsystem (each sample charged to the innermost frame of a named group)\n")
    print("| subsystem | share of managed CPU |\n|---|---|")
    for group, weight in groups.most_common():
        print(f"| {group} | {100 * weight / cpu_total:.1f}% |")
    print(f"\nNative code (UNMANAGED_CODE_TIME) by calling frame, top {top}, share of all sampled thread time (waits included)\n")
    print("| calling frame | share |\n|---|---|")
    for frame, weight in native.most_common(top):
        print(f"| `{short(names[frame])}` | {100 * weight / all_total:.1f}% |")


if __name__ == "__main__":
    main()
