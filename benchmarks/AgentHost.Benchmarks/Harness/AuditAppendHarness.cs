using System.Diagnostics;
using AgentHost.Core.Audit;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentHost.Benchmarks.Harness;

/// <summary>
/// Durable audit appends per second with N concurrent appenders (each awaits durability before its next
/// append), beside the one-fsync-per-event ceiling of the same disk measured in the same run. The
/// search indexer runs alongside, as in the host.
/// </summary>
public static class AuditAppendHarness
{
    public static async Task RunAsync(TextWriter output, TimeSpan duration, string workDirectory)
    {
        Directory.CreateDirectory(workDirectory);
        var ceiling = FsyncCeiling.Measure(workDirectory, duration);
        output.WriteLine($"one-fsync-per-event ceiling: {ceiling:F0} events/s (256-byte append + fsync, {workDirectory})");
        output.WriteLine();
        output.WriteLine("| appenders | events/s | x ceiling | p50 latency (ms) | p99 latency (ms) | all events durable after reopen | mean events per commit | search keys at the end: lag, catch-up rate |");
        output.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var appenders in new[] { 1, 16, 256 })
        {
            var directory = Path.Combine(workDirectory, $"append-{appenders}-{Guid.NewGuid():N}");
            await using var log = await HarnessLog.StartAsync(directory);
            var (database, writer) = (log.Database, log.Writer);
            using var stopIndexing = new CancellationTokenSource();
            var indexer = new AuditSearchIndexer(database, TimeProvider.System, NullLogger<AuditSearchIndexer>.Instance);
            var indexing = Task.Run(() => indexer.RunAsync(() => writer.Head.Size, stopIndexing.Token));
            var latencies = new LatencyRecorder(5_000_000);
            var watch = Stopwatch.StartNew();
            var acknowledged = 0L;
            await Task.WhenAll(Enumerable.Range(0, appenders).Select(a => Task.Run(async () =>
            {
                var entry = new AuditEntry(AuditEventTypes.ActionExecuted, AuditActor.Agent($"agent-{a}"), $"agent-{a}", $"run-{a}", new() { ["tool"] = "slack.post_message", ["channel"] = "C0OPS" });
                while (watch.Elapsed < duration)
                {
                    var start = Stopwatch.GetTimestamp();
                    await writer.AppendAsync(entry, CancellationToken.None);
                    latencies.Record(Stopwatch.GetTimestamp() - start);
                    Interlocked.Increment(ref acknowledged);
                }
            })));
            var seconds = watch.Elapsed.TotalSeconds;
            var commits = writer.Commits;
            await stopIndexing.CancelAsync();
            await indexing;
            await writer.StopAsync();
            var catchUp = Stopwatch.StartNew();
            long caughtUp = 0;
            for (int n; (n = await indexer.IndexBatchAsync(CancellationToken.None)) > 0;)
            {
                caughtUp += n;
            }

            var indexRate = caughtUp / Math.Max(catchUp.Elapsed.TotalSeconds, 1e-3);
            var stored = AuditDatabaseFile.ReadEvents(database.FilePath).LongCount();
            var rate = acknowledged / seconds;
            output.WriteLine($"| {appenders} | {rate:F0} | {rate / ceiling:F1} | {latencies.PercentileMicroseconds(50) / 1000:F2} | {latencies.PercentileMicroseconds(99) / 1000:F2} | {(stored >= acknowledged ? "yes" : "NO")} ({stored} stored, {acknowledged} acknowledged) | {(double)acknowledged / commits:F1} | {caughtUp} behind, {indexRate:F0}/s |");
        }
    }
}
