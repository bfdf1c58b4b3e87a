using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace AgentHost.Benchmarks.Harness;

/// <summary>
/// Runs per second on the embedded default: one host process (web and worker, SQLite, in-memory Hangfire),
/// a fresh database file per row, driven only through the HTTP API. Each run is two model turns and one
/// governed call (the model proposes mail the agent was not granted; the gate denies it). With the instant
/// model the figure is the platform's own cost; with a paced model (each turn answered after 200 ms) the
/// figure is what the platform adds to a run whose model time is 400 ms, and how many it keeps in flight.
/// </summary>
public static class EmbeddedRunsHarness
{
    private const int Agents = 8;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(200);

    public static async Task RunInstantAsync(TextWriter output, int runs, string workDirectory)
    {
        output.WriteLine("| model | concurrent runs | runs | seconds | runs/s | host CPU per run (ms) | runs/s per core of its own (1000 / CPU ms) | run wall time p50 (ms) | p99 (ms) | audit events per run | all runs ended | load average (1/5/15 min) |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        await using var model = await InstantModel.StartAsync();
        var m = await MeasureAsync(model, 64, runs, workDirectory);
        output.WriteLine($"| instant | 64 | {runs} | {m.Result.Seconds:F1} | {m.Result.RunsPerSecond:F1} | {m.CpuMillisecondsPerRun:F1} | {1000 / m.CpuMillisecondsPerRun:F0} | {m.Result.Percentile(50):F0} | {m.Result.Percentile(99):F0} | {m.AuditEventsPerRun:F1} | {Ended(m.Result)} | {m.LoadAverage} |");
    }

    public static async Task RunPacedAsync(TextWriter output, int runs, string workDirectory)
    {
        var modelMilliseconds = 2 * Pace.TotalMilliseconds;
        output.WriteLine($"| model | concurrent runs | runs | seconds | runs/s | runs/s if only the model took time (concurrency / {modelMilliseconds:F0} ms) | platform's share: run wall time - {modelMilliseconds:F0} ms, p50 (ms) | p99 (ms) | host CPU per run (ms) | all runs ended | load average (1/5/15 min) |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        await using var model = await InstantModel.StartAsync(Pace);
        foreach (var concurrency in new[] { 64, 256 })
        {
            var m = await MeasureAsync(model, concurrency, runs, workDirectory);
            output.WriteLine($"| {Pace.TotalMilliseconds:F0} ms per turn | {concurrency} | {runs} | {m.Result.Seconds:F1} | {m.Result.RunsPerSecond:F1} | {concurrency / (modelMilliseconds / 1000):F0} | {m.Result.Percentile(50, modelMilliseconds):F0} | {m.Result.Percentile(99, modelMilliseconds):F0} | {m.CpuMillisecondsPerRun:F1} | {Ended(m.Result)} | {m.LoadAverage} |");
        }
    }

    private sealed record Measurement(ClosedLoopResult Result, double CpuMillisecondsPerRun, double AuditEventsPerRun, string LoadAverage);

    private static string Ended(ClosedLoopResult result) => result.Ended == result.Runs ? "yes" : $"NO ({result.Ended} of {result.Runs})";

    private static async Task<Measurement> MeasureAsync(InstantModel model, int concurrency, int runs, string workDirectory)
    {
        var directory = Path.Combine(workDirectory, $"runs-{concurrency}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var store = $"Data Source={Path.Combine(directory, "agenthost.db")}";
        var port = HostProcesses.FreePort();
        var host = HostProcesses.Start(role: null, HostProcesses.Settings(store, model.Endpoint, directory, port), directory);
        try
        {
            using var http = HostProcesses.Client(port);
            await HostProcesses.WaitReadyAsync(http);
            var agents = new List<string>();
            for (var a = 0; a < Agents; a++)
            {
                agents.Add(await HostProcesses.CreateAgentAsync(http, a, concurrency / Agents));
            }

            DbConnection Open() => new SqliteConnection(store);
            var loop = new ClosedLoopRuns(http, Open);
            await loop.WarmUpAsync(agents, concurrency);
            var eventsBefore = await AuditEventsAsync(store);
            ClosedLoopResult result;
            string load;
            TimeSpan cpu;
            await using (await ProfilerAttachment.AttachAsync(host.Id, $"sqlite-{(model.Delay > TimeSpan.Zero ? "paced" : "instant")}-{concurrency}", Console.Error))
            {
                var cpuBefore = HostProcesses.CpuTime([host]);
                result = await loop.RunAsync(agents, concurrency, runs);
                cpu = HostProcesses.CpuTime([host]) - cpuBefore;
                load = HostProcesses.LoadAverage();
            }

            return new Measurement(result, cpu.TotalMilliseconds / result.Ended, (await AuditEventsAsync(store) - eventsBefore) / (double)runs, load);
        }
        finally
        {
            await HostProcesses.StopAsync([host]);
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<long> AuditEventsAsync(string store)
    {
        await using var connection = new SqliteConnection(store);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM audit_events";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
