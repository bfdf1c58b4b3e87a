"""The subsystems a CPU sample is charged to, shared by cpu_top.py (dotnet-trace) and perf_top.py (perf).

Managed frames are named `Assembly!Namespace.Type.Method(...)`, as dotnet-trace writes them; native
frames `library.so!symbol`. A sample is charged to the innermost frame (nearest the leaf) that belongs to
a group, so BCL code (Dictionary, async plumbing, libc) counts for whoever called it: a Dictionary lookup
inside the gate counts for the gate, a pread inside SQLite for SQLite. First matching pattern wins.
"""
import re

GROUPS = [
    ("spin-waits and GC waits (thread pool, Hangfire workers, locks)", r"^System\.Private\.CoreLib!System\.Threading\.(LowLevelLifoSemaphore|LowLevelSpinWaiter|PortableThreadPool\+WorkerThread|SemaphoreSlim\.Wait|ManualResetEventSlim\.Wait|Tasks\.Task\.SpinWait|Tasks\.Task\.InternalWait|SpinWait|Thread\.Sleep|Thread\.<PollGC>|Monitor\.(Enter|Wait|ReliableEnter))"),
    ("search indexer", r"^AgentHost\.Core!AgentHost\.Core\.Audit\.[\w.+<>`]*(Search|Index)"),
    ("audit content compression (Brotli)", r"^(System\.IO\.Compression|libSystem\.IO\.Compression\.Native)"),
    ("cryptography (hashes, signatures)", r"^(System\.Security\.Cryptography|libcrypto|libSystem\.Security\.Cryptography)"),
    ("audit writer (chain, canonical form, group commit)", r"^AgentHost\.Core!AgentHost\.Core\.Audit\."),
    ("policy evaluation and gate", r"^AgentHost\.Core!AgentHost\.Core\.(Policies|Gate)\.|^AgentHost!AgentHost\.Runs\.(CallDecision|GateEnforcementFilter|GateTicket)"),
    ("AgentHost stores (runs, agents, usage)", r"^AgentHost\.Core!AgentHost\.Core\.(Storage|Runs|Agents|Usage|Notifications)\."),
    ("AgentHost run loop and API (other)", r"^AgentHost(\.Core)?!"),
    ("Semantic Kernel, OpenAI SDK, System.ClientModel, M.E.AI", r"^(Microsoft\.SemanticKernel|OpenAI|System\.ClientModel|Microsoft\.Extensions\.AI)"),
    ("System.Text.Json", r"^System\.Text\.Json!"),
    ("Hangfire (incl. Newtonsoft.Json job payloads)", r"^(Hangfire|Newtonsoft\.Json)"),
    ("SQLite (engine, Microsoft.Data.Sqlite) / Npgsql, Dapper", r"^(Microsoft\.Data\.Sqlite|SQLitePCLRaw|libe_sqlite3|Dapper|System\.Data\.Common|Npgsql)"),
    ("Kestrel and ASP.NET Core (routing, auth, results)", r"^(Microsoft\.AspNetCore|System\.IO\.Pipelines|Microsoft\.Net\.Http\.Headers|Microsoft\.Extensions\.(Features|Validation))"),
    ("HttpClient and sockets", r"^(System\.Net\.(Http|Sockets|Security|Primitives)|Microsoft\.Extensions\.Http)!"),
    ("OpenTelemetry, Activity, metrics", r"^(OpenTelemetry|System\.Diagnostics\.DiagnosticSource)"),
    ("logging", r"^Microsoft\.Extensions\.Logging"),
    ("DI, options", r"^Microsoft\.Extensions\.(DependencyInjection|Options)"),
    ("JIT (tiered recompilation)", r"^libclrjit"),
]
COMPILED = [(name, re.compile(pattern)) for name, pattern in GROUPS]


def group_of(frames_root_to_leaf):
    """The group of the innermost frame that has one, or None."""
    for name in reversed(frames_root_to_leaf):
        for group, pattern in COMPILED:
            if pattern.search(name):
                return group
    return None
