using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgentHost.Benchmarks.Harness;

/// <summary>What a closed loop of runs measured: its times come from the store (created_at, finished_at), not the harness.</summary>
public sealed record ClosedLoopResult(int Runs, int Ended, double Seconds, IReadOnlyList<double> WallMilliseconds)
{
    public double RunsPerSecond => Ended / Seconds;

    public double Percentile(double percentile, double minusMilliseconds = 0)
    {
        if (WallMilliseconds.Count == 0)
        {
            return double.NaN;
        }

        var sorted = WallMilliseconds.Order().ToArray();
        var index = (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)] - minusMilliseconds;
    }
}

/// <summary>
/// Keeps exactly N runs in flight through the HTTP API: each of N slots starts a run and starts the next
/// once the store shows it ended. Ends are read from the runs table (a poll every 20 ms on a connection of
/// the harness's own, by id), so the host serves no status polling; a run's wall time is its finished_at minus
/// its created_at, both written by the host, and the window is the first created_at to the last finished_at.
/// </summary>
public sealed class ClosedLoopRuns(HttpClient http, Func<DbConnection> openStore)
{
    private static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<(long Created, long Finished)>> _waiting = new();

    /// <summary>
    /// Runs rounds of <paramref name="concurrency"/> runs for 30 s, or `AGENTHOST_BENCH_WARMUP_SECONDS`: a
    /// fresh host spends most of its first half minute under load in the JIT (tier-1 recompiles of a large
    /// application; measured with dotnet-counters), which is start-up, not the cost of a run. A slower path
    /// (PostgreSQL, a paced model) reaches the call counts later; profiles of it want a longer warm-up.
    /// </summary>
    public async Task WarmUpAsync(IReadOnlyList<string> agents, int concurrency)
    {
        var duration = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("AGENTHOST_BENCH_WARMUP_SECONDS"), out var seconds) ? seconds : 30);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            await RunAsync(agents, concurrency, concurrency);
        }
    }

    /// <summary><paramref name="agents"/> share the slots evenly; each agent's maxConcurrentRuns must be at least its share.</summary>
    public async Task<ClosedLoopResult> RunAsync(IReadOnlyList<string> agents, int concurrency, int runs)
    {
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(() => WatchAsync(stop.Token));
        var started = 0;
        var times = new ConcurrentBag<(long Created, long Finished)>();
        var slots = Enumerable.Range(0, concurrency).Select(slot => Task.Run(async () =>
        {
            var agent = agents[slot % agents.Count];
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref started) <= runs)
            {
                try
                {
                    var ended = new TaskCompletionSource<(long, long)>(TaskCreationOptions.RunContinuationsAsynchronously);
                    var runId = await StartAsync(agent);
                    _waiting[runId] = ended;
                    times.Add(await ended.Task.WaitAsync(IdleLimit));
                    _waiting.TryRemove(runId, out _);
                }
                catch (TimeoutException)
                {
                    return; // reported as runs that did not end
                }
                catch
                {
                    // The other slots stop starting runs: the host failed and the row says so.
                    await stop.CancelAsync();
                    throw;
                }
            }
        })).ToList();
        try
        {
            await Task.WhenAll(slots);
        }
        finally
        {
            await stop.CancelAsync();
            await watcher;
        }

        var ended = times.ToList();
        var seconds = ended.Count == 0 ? double.NaN : (ended.Max(t => t.Finished) - ended.Min(t => t.Created)) / 1_000_000.0;
        return new ClosedLoopResult(runs, ended.Count, seconds, [.. ended.Select(t => (t.Finished - t.Created) / 1000.0)]);
    }

    private async Task<string> StartAsync(string agent)
    {
        var refused = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var response = await http.PostAsJsonAsync($"/api/agents/{agent}/runs", new { input = "status?" });
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;
            }

            if (response.StatusCode != HttpStatusCode.TooManyRequests)
            {
                throw new InvalidOperationException($"starting a run failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            if (refused.Elapsed > IdleLimit)
            {
                throw new TimeoutException("the agent's concurrency budget stayed full");
            }

            // The budget counts a run until its end is committed; the slot saw the end a moment before.
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Looks up only the runs in flight, by primary key: a scan of all ended runs every 20 ms read the
    /// whole runs table (each row carries its conversation) and loaded the store more than the runs did.
    /// </summary>
    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = openStore();
        await connection.OpenAsync(CancellationToken.None);
        while (!cancellationToken.IsCancellationRequested)
        {
            var inFlight = _waiting.Keys.ToList();
            foreach (var chunk in inFlight.Chunk(256))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT id, created_at, finished_at FROM runs WHERE finished_at IS NOT NULL AND id IN ({string.Join(", ", chunk.Select((_, i) => $"@p{i}"))})";
                for (var i = 0; i < chunk.Length; i++)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = $"p{i}";
                    parameter.Value = chunk[i];
                    command.Parameters.Add(parameter);
                }

                await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    _waiting.GetValueOrDefault(reader.GetString(0))?.TrySetResult((reader.GetInt64(1), reader.GetInt64(2)));
                }
            }

            try
            {
                await Task.Delay(20, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
