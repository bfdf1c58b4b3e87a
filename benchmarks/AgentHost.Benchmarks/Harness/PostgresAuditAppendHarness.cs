using System.Diagnostics;
using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Checkpoints;
using AgentHost.Core.Redaction;
using AgentHost.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AgentHost.Benchmarks.Harness;

/// <summary>
/// Durable audit appends per second on PostgreSQL with one and two writers, each with its own
/// connection pool as a separate process has, appending to one hash chain. Two writers serialise on the
/// chain's advisory lock and each catches up with the other's leaves, which is where adding processes
/// stops adding audit throughput. Each writer runs its search indexer (PostgresAuditSearchIndexer) as
/// its process would; the lag it leaves and its catch-up rate close each row.
/// </summary>
public static class PostgresAuditAppendHarness
{
    public static async Task RunAsync(TextWriter output, string serverConnectionString, TimeSpan duration, string workDirectory)
    {
        Directory.CreateDirectory(workDirectory);
        output.WriteLine("| writers (processes) | appenders per writer | events/s | p50 latency (ms) | p99 latency (ms) | stored = acknowledged, one chain | search index at the end: lag, catch-up rate |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var writers in new[] { 1, 2 })
        {
            foreach (var appenders in new[] { 1, 16, 64 })
            {
                var database = await CreateDatabaseAsync(serverConnectionString);
                var options = new AuditOptions { KeyPath = Path.Combine(workDirectory, "key.pem"), CheckpointFile = Path.Combine(workDirectory, $"checkpoints-{Guid.NewGuid():N}.log") };
                using var signer = CheckpointSigner.LoadOrCreate(options.KeyPath, options.Origin);
                var stores = Enumerable.Range(0, writers).Select(_ => new PostgresDatabase(database)).ToList();
                await SchemaMigrator.MigrateAsync(stores[0], Schema.Migrations, CancellationToken.None);
                var logs = stores.Select(store => new AuditLogWriter(store, options, SecretRedactor.None, signer, TimeProvider.System, NullLogger<AuditLogWriter>.Instance)).ToList();
                foreach (var log in logs)
                {
                    await log.StartAsync(CancellationToken.None);
                }

                using var stopIndexing = new CancellationTokenSource();
                var indexers = stores.Select(store => new PostgresAuditSearchIndexer(store, TimeProvider.System, NullLogger<PostgresAuditSearchIndexer>.Instance)).ToList();
                var indexing = indexers.Select((indexer, w) => Task.Run(() => indexer.RunAsync(() => logs[w].Head.Size, stopIndexing.Token))).ToList();

                var latencies = new LatencyRecorder(5_000_000);
                var acknowledged = 0L;
                var watch = Stopwatch.StartNew();
                await Task.WhenAll(logs.SelectMany((log, w) => Enumerable.Range(0, appenders).Select(a => Task.Run(async () =>
                {
                    var entry = new AuditEntry(AuditEventTypes.ActionExecuted, AuditActor.Agent($"agent-{w}-{a}"), $"agent-{w}-{a}", $"run-{w}-{a}", new() { ["tool"] = "slack.post_message", ["channel"] = "C0OPS" });
                    while (watch.Elapsed < duration)
                    {
                        var start = Stopwatch.GetTimestamp();
                        await log.AppendAsync(entry, CancellationToken.None);
                        latencies.Record(Stopwatch.GetTimestamp() - start);
                        Interlocked.Increment(ref acknowledged);
                    }
                }))));
                var rate = acknowledged / watch.Elapsed.TotalSeconds;
                await stopIndexing.CancelAsync();
                await Task.WhenAll(indexing);
                foreach (var log in logs)
                {
                    await log.StopAsync();
                }

                var catchUp = Stopwatch.StartNew();
                long caughtUp = 0;
                for (int n; (n = await indexers[0].IndexBatchAsync(CancellationToken.None)) > 0;)
                {
                    caughtUp += n;
                }

                var indexRate = caughtUp / Math.Max(catchUp.Elapsed.TotalSeconds, 1e-3);

                var (stored, distinct) = await CountAsync(stores[0]);
                output.WriteLine($"| {writers} | {appenders} | {rate:F0} | {latencies.PercentileMicroseconds(50) / 1000:F2} | {latencies.PercentileMicroseconds(99) / 1000:F2} | {(stored == acknowledged && distinct == stored ? "yes" : "NO")} ({stored} stored, {acknowledged} acknowledged) | {caughtUp} behind, {indexRate:F0}/s |");
                foreach (var store in stores)
                {
                    await store.DisposeAsync();
                }
            }
        }
    }

    internal static async Task<string> CreateDatabaseAsync(string serverConnectionString)
    {
        var name = "agenthost_bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "postgres", Pooling = false }.ToString()))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ToString();
    }

    private static async Task<(long Stored, long DistinctSeq)> CountAsync(StoreDatabase database)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COUNT(DISTINCT seq) FROM audit_events";
        using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
