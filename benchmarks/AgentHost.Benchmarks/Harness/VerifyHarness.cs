using System.Diagnostics;
using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Checkpoints;

namespace AgentHost.Benchmarks.Harness;

/// <summary>Offline verification speed: recomputing every leaf and the tree, checking signed checkpoints.</summary>
public static class VerifyHarness
{
    public static async Task RunAsync(TextWriter output, int events, string workDirectory)
    {
        var directory = Path.Combine(workDirectory, $"verify-{Guid.NewGuid():N}");
        await using var log = await HarnessLog.StartAsync(directory);
        var (database, options, signer, writer) = (log.Database, log.Options, log.Signer, log.Writer);
        var fill = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 512).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < events; i = Interlocked.Increment(ref next))
            {
                await writer.AppendAsync(new AuditEntry(AuditEventTypes.PolicyDecided, AuditActor.Agent("agent-1"), "agent-1", $"run-{i / 20}", new() { ["function"] = "email.send", ["decision"] = "allow", ["rules"] = "email-send-allowed-recipients" }), CancellationToken.None);
            }
        })));
        await writer.StopAsync();
        output.WriteLine($"filled {events} events through the writer in {fill.Elapsed.TotalSeconds:F1} s");

        using var key = CheckpointVerifier.FromPublicKeyPem(signer.PublicKeyPem);
        var notes = AuditDatabaseFile.ReadCheckpointNotes(database.FilePath).Concat(CheckpointFile.ReadNotes(options.CheckpointFile)).ToList();
        var loaded = AuditDatabaseFile.ReadEvents(database.FilePath).ToList();
        var verifier = new AuditVerifier(key);
        verifier.Verify(loaded.Take(10_000), []);

        var watch = Stopwatch.StartNew();
        var inMemory = verifier.Verify(loaded, notes);
        var inMemorySeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var fromFile = verifier.Verify(AuditDatabaseFile.ReadEvents(database.FilePath), notes);
        var fromFileSeconds = watch.Elapsed.TotalSeconds;

        output.WriteLine($"| source | events | checkpoints | valid | seconds | events/s (one core) |");
        output.WriteLine($"|---|---|---|---|---|---|");
        output.WriteLine($"| events in memory (hashing + tree + {notes.Count} signature checks) | {inMemory.Count} | {notes.Count} | {inMemory.Valid} | {inMemorySeconds:F2} | {inMemory.Count / inMemorySeconds:F0} |");
        output.WriteLine($"| SQLite file, read row by row | {fromFile.Count} | {notes.Count} | {fromFile.Valid} | {fromFileSeconds:F2} | {fromFile.Count / fromFileSeconds:F0} |");
    }
}
