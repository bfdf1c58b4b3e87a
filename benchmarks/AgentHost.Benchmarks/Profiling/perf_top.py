#!/usr/bin/env python3
"""Where the CPU goes, from `perf script` output of `perf record -g` on a .NET process.

perf samples only threads that are on a CPU, so every sample is CPU time: managed code (named through the
perf map the runtime writes with DOTNET_PerfMapEnabled=1; DOTNET_EnableWriteXorExecute=0 keeps jitted code
where perf looks for it), the runtime (GC, JIT), native libraries (SQLite, Brotli, OpenSSL) and the
kernel on the process's behalf (system calls). Each sample is charged to a subsystem (subsystems.py).
No inclusive table: in async code a resumed continuation runs on top of whatever completed it (a socket
read, a timer), so "inclusive" would charge a run's work to the database driver that woke it.

usage: perf script -i x.perf.data -F comm,tid,ip,sym,dso > x.txt; perf_top.py x.txt [top N]
"""
import collections
import os
import re
import sys

from subsystems import group_of

MANAGED = re.compile(r"\[([^\]]+)\] ([^\s(]+)::([^\s(]+)\(")
FRAME = re.compile(r"^\s*[0-9a-f]+ (.*) \(([^)]*)\)$")

# The unwinder (frame pointers) stops inside SQLite's and libc's frames, so a file system call rarely shows
# its managed caller. On the run path the store's files (database, WAL, search keys) are the only files
# read, written, synced and locked, so those calls are charged to SQLite by elimination, and say so.
FILE_CALLS = {"pread64", "pwrite64", "fsync", "fdatasync", "fcntl", "ftruncate", "openat", "close", "newfstatat", "unlink"}
LIBC_FILE_CALL = re.compile(r"^libc\.so\.6!(__libc_)?(pread|pwrite|fsync|fdatasync|fcntl)")
FILE_IO = "SQLite file I/O (pread, pwrite, fsync, fcntl locks; by elimination, no caller frame)"


def frame_name(symbol, dso):
    managed = MANAGED.search(symbol)
    if managed:
        return f"{managed.group(1)}!{managed.group(2)}.{managed.group(3)}()"
    return f"{os.path.basename(dso)}!{symbol}"


def samples(path):
    comm, frames = None, []
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        if not line.strip():
            if comm is not None:
                yield comm, frames
            comm, frames = None, []
        elif comm is None:
            comm = line.rsplit(" ", 2)[0].strip()
        else:
            match = FRAME.match(line)
            if match:
                frames.append((match.group(1), match.group(2)))
    if comm is not None:
        yield comm, frames


def kind_of(comm, frames):
    """What ran: the leaf's library, or for the kernel the system call it serves."""
    symbol, dso = frames[0]
    if dso.startswith("[kernel"):
        calls = [s for s, d in frames if s.startswith("__x64_sys_")]
        return "kernel: " + (calls[0][len("__x64_sys_"):] if calls else "interrupts, faults, scheduling")
    if "/perf-" in dso or dso.endswith(".dll"):
        return "managed code (jitted and ReadyToRun)"
    library = os.path.basename(dso)
    if library == "libcoreclr.so":
        return f"runtime (libcoreclr: {'GC' if 'GC' in comm else 'stubs, thread pool, type system'})"
    return library


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    total = 0
    groups, kinds, exclusive = (collections.Counter() for _ in range(3))
    groups_by_function = collections.defaultdict(collections.Counter)
    for comm, frames in samples(path):
        if not frames:
            continue
        total += 1
        names = [frame_name(s, d) for s, d in frames]  # leaf first
        kind = kind_of(comm, frames)
        kinds[kind] += 1
        group = group_of(list(reversed(names)))
        if group is None:
            group = (
                "JIT (tiered recompilation)" if "Tiered" in comm
                else "GC" if "GC" in comm
                else FILE_IO if kind.split(": ")[-1] in FILE_CALLS or LIBC_FILE_CALL.match(names[0])
                else f"no subsystem frame on the stack: {kind}")
        groups[group] += 1
        # Kernel samples are folded into the system call they serve: its name says more than the
        # hypervisor's interrupt-enable path where the timer lands.
        exclusive[kind if kind.startswith("kernel") else names[0]] += 1
        groups_by_function[kind if kind.startswith("kernel") else names[0]][group] += 1

    def pct(n):
        return f"{100 * n / total:.1f}%"

    print(f"{total} samples\n\nCPU by subsystem (each sample charged to the innermost frame of a named group)\n")
    print("| subsystem | share of CPU |\n|---|---|")
    for group, n in groups.most_common():
        print(f"| {group} | {pct(n)} |")
    print("\nCPU by what ran (the sampled instruction's library; kernel by system call)\n")
    print("| what ran | share of CPU |\n|---|---|")
    for kind, n in kinds.most_common(top):
        print(f"| {kind} | {pct(n)} |")
    print(f"\nTop {top} functions by exclusive CPU (kernel samples by system call)\n")
    print("| # | function | exclusive | subsystem |\n|---|---|---|---|")
    for rank, (name, n) in enumerate(exclusive.most_common(top), 1):
        print(f"| {rank} | `{re.sub(r'[(].*', '()', name)[:100]}` | {pct(n)} | {groups_by_function[name].most_common(1)[0][0]} |")


if __name__ == "__main__":
    main()
