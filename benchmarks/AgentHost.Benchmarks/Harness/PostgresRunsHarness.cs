using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Npgsql;

namespace AgentHost.Benchmarks.Harness;

/// <summary>
/// Runs per second on PostgreSQL with one and with two worker processes: a `--role web` process and N
/// `--role worker` processes (real processes, as deployed) on a fresh database. Each run is two model
/// turns and one governed call (the model proposes mail the agent was not granted; the gate denies it),
/// about eight audit events. With the instant model, runs are started through the API as fast as the
/// agents' concurrency budgets allow and the clock runs from the first start to the last run's end. Paced,
/// the model answers each turn after 200 ms and a closed loop keeps 64 and 256 runs in flight, so the
/// ratio of two workers to one is measured where the model's time, not the cores, bounds a run.
/// </summary>
public static class PostgresRunsHarness
{
    private const int Agents = 20;
    private const int ConcurrentRunsPerAgent = 50;
    private const int PacedAgents = 8;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(200);

    public static async Task RunAsync(TextWriter output, string serverConnectionString, int runs, string workDirectory)
    {
        output.WriteLine("| worker processes | runs | seconds | runs/s | audit events/s | all runs ended once | load average (1/5/15 min) |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        await using var model = await InstantModel.StartAsync();
        foreach (var workers in new[] { 1, 2 })
        {
            await using var deployment = await Deployment.StartAsync(serverConnectionString, model, workers, workDirectory);
            var http = deployment.Http;
            var agents = new List<string>();
            for (var a = 0; a < Agents; a++)
            {
                agents.Add(await HostProcesses.CreateAgentAsync(http, a, ConcurrentRunsPerAgent));
            }

            await Task.Delay(TimeSpan.FromSeconds(5)); // the workers' start-up is not part of the figure
            var watch = Stopwatch.StartNew();
            var started = 0;
            await Task.WhenAll(agents.Select(agent => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref started) <= runs)
                {
                    while ((await http.PostAsJsonAsync($"/api/agents/{agent}/runs", new { input = "status?" })).StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        await Task.Delay(20);
                    }
                }
            })));
            var (ended, total, events) = await WaitEndedAsync(deployment.Database, runs);
            var seconds = watch.Elapsed.TotalSeconds;
            output.WriteLine($"| {workers} | {runs} | {seconds:F1} | {ended / seconds:F1} | {events / seconds:F0} | {(ended == runs && total == runs ? "yes" : $"NO ({ended} ended of {total})")} | {HostProcesses.LoadAverage()} |");
        }
    }

    public static async Task RunPacedAsync(TextWriter output, string serverConnectionString, int runs, string workDirectory)
    {
        var modelMilliseconds = 2 * Pace.TotalMilliseconds;
        output.WriteLine($"| worker processes | concurrent runs | runs | seconds | runs/s | x one worker | runs/s if only the model took time | platform's share: run wall time - {modelMilliseconds:F0} ms, p50 (ms) | p99 (ms) | web + worker CPU per run (ms) | all runs ended | load average (1/5/15 min) |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        await using var model = await InstantModel.StartAsync(Pace);
        foreach (var concurrency in new[] { 64, 256 })
        {
            double? oneWorker = null;
            foreach (var workers in new[] { 1, 2 })
            {
                await using var deployment = await Deployment.StartAsync(serverConnectionString, model, workers, workDirectory);
                try
                {
                    var (result, cpu, load) = await MeasurePacedAsync(deployment, concurrency, runs);
                    oneWorker ??= result.RunsPerSecond;
                    output.WriteLine($"| {workers} | {concurrency} | {runs} | {result.Seconds:F1} | {result.RunsPerSecond:F1} | {result.RunsPerSecond / oneWorker:F2} | {concurrency / (modelMilliseconds / 1000):F0} | {result.Percentile(50, modelMilliseconds):F0} | {result.Percentile(99, modelMilliseconds):F0} | {cpu.TotalMilliseconds / result.Ended:F1} | {(result.Ended == runs ? "yes" : $"NO ({result.Ended} of {runs})")} | {load} |");
                }
                catch (InvalidOperationException ex)
                {
                    // A host that fails under the load is a result; its logs stay for the reader.
                    deployment.KeepLogs();
                    var message = ex.Message.ReplaceLineEndings(" ");
                    output.WriteLine($"| {workers} | {concurrency} | {runs} | FAILED: {message[..Math.Min(message.Length, 160)]} (logs: {deployment.Directory}) |||||||| {HostProcesses.LoadAverage()} |");
                }
            }
        }
    }

    private static async Task<(ClosedLoopResult Result, TimeSpan Cpu, string LoadAverage)> MeasurePacedAsync(Deployment deployment, int concurrency, int runs)
    {
        var agents = new List<string>();
        for (var a = 0; a < PacedAgents; a++)
        {
            agents.Add(await HostProcesses.CreateAgentAsync(deployment.Http, a, concurrency / PacedAgents));
        }

        var loop = new ClosedLoopRuns(deployment.Http, () => new NpgsqlConnection(deployment.Database));
        await loop.WarmUpAsync(agents, concurrency);
        await using var profiler = await ProfilerAttachment.AttachAsync(deployment.Worker.Id, $"pg-paced-{deployment.Workers}-workers-{concurrency}", Console.Error);
        var cpuBefore = HostProcesses.CpuTime(deployment.Processes);
        var result = await loop.RunAsync(agents, concurrency, runs);
        return (result, HostProcesses.CpuTime(deployment.Processes) - cpuBefore, HostProcesses.LoadAverage());
    }

    private static async Task<(long Ended, long Total, long AuditEvents)> WaitEndedAsync(string database, int runs)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var idle = Stopwatch.StartNew();
        long last = -1;
        while (true)
        {
            await using var command = new NpgsqlCommand("SELECT (SELECT COUNT(*) FROM runs WHERE status IN ('succeeded', 'failed', 'stopped')), (SELECT COUNT(*) FROM runs), (SELECT COUNT(*) FROM audit_events)", connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            var (ended, total, events) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            if (ended >= runs || idle.Elapsed > TimeSpan.FromSeconds(60))
            {
                return (ended, total, events);
            }

            if (ended != last)
            {
                (last, idle) = (ended, Stopwatch.StartNew());
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A web process and N worker processes on a fresh database; disposing stops them and removes the folder.</summary>
    private sealed class Deployment : IAsyncDisposable
    {
        private readonly List<Process> _processes;
        private bool _keepLogs;

        private Deployment(string database, HttpClient http, List<Process> processes, string directory)
        {
            Database = database;
            Http = http;
            _processes = processes;
            Directory = directory;
        }

        public string Directory { get; }

        public string Database { get; }

        public HttpClient Http { get; }

        public IReadOnlyList<Process> Processes => _processes;

        public int Workers => _processes.Count - 1;

        /// <summary>The first worker process, the one a profiler attaches to.</summary>
        public Process Worker => _processes[1];

        public static async Task<Deployment> StartAsync(string serverConnectionString, InstantModel model, int workers, string workDirectory)
        {
            var directory = Path.Combine(workDirectory, $"pg-runs-{workers}-{Guid.NewGuid():N}");
            System.IO.Directory.CreateDirectory(directory);
            var database = await PostgresAuditAppendHarness.CreateDatabaseAsync(serverConnectionString);
            var port = HostProcesses.FreePort();
            var settings = HostProcesses.Settings(database, model.Endpoint, directory, port);
            var processes = new List<Process> { HostProcesses.Start("web", settings, directory) };
            var http = HostProcesses.Client(port);
            var deployment = new Deployment(database, http, processes, directory);
            try
            {
                await HostProcesses.WaitReadyAsync(http);
                processes.AddRange(Enumerable.Range(0, workers).Select(_ => HostProcesses.Start("worker", settings, directory)));
                return deployment;
            }
            catch
            {
                await deployment.DisposeAsync();
                throw;
            }
        }

        public void KeepLogs() => _keepLogs = true;

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await HostProcesses.StopAsync(_processes);
            if (!_keepLogs)
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
        }
    }
}
