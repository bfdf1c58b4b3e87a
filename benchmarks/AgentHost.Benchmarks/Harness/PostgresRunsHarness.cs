using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Npgsql;

namespace AgentHost.Benchmarks.Harness;

/// <summary>
/// Runs per second on PostgreSQL with one and with two worker processes: a `--role web` process and N
/// `--role worker` processes (real processes, as deployed) on a fresh database, an instant model. Each
/// run is two model turns and one governed call (the model proposes mail the agent was not granted; the
/// gate denies it), about eight audit events. Runs are started through the API as fast as the agents'
/// concurrency budgets allow; the clock runs from the first start to the last run's end.
/// </summary>
public static class PostgresRunsHarness
{
    private const int Agents = 20;
    private const int ConcurrentRunsPerAgent = 50;

    public static async Task RunAsync(TextWriter output, string serverConnectionString, int runs, string workDirectory)
    {
        output.WriteLine("| worker processes | runs | seconds | runs/s | audit events/s | all runs ended once |");
        output.WriteLine("|---|---|---|---|---|---|");
        await using var model = await InstantModel.StartAsync();
        foreach (var workers in new[] { 1, 2 })
        {
            var directory = Path.Combine(workDirectory, $"pg-runs-{workers}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(directory);
            var database = await PostgresAuditAppendHarness.CreateDatabaseAsync(serverConnectionString);
            var port = FreePort();
            var settings = Settings(database, model.Endpoint, directory, port);
            var processes = new List<Process> { Start("web", settings, directory) };
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                http.DefaultRequestHeaders.Add("X-Dev-User", "alice@example.com");
                await WaitReadyAsync(http);
                processes.AddRange(Enumerable.Range(0, workers).Select(_ => Start("worker", settings, directory)));
                var agents = new List<string>();
                for (var a = 0; a < Agents; a++)
                {
                    agents.Add(await CreateAgentAsync(http, a));
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
                var (ended, total, events) = await WaitEndedAsync(database, runs);
                var seconds = watch.Elapsed.TotalSeconds;
                output.WriteLine($"| {workers} | {runs} | {seconds:F1} | {ended / seconds:F1} | {events / seconds:F0} | {(ended == runs && total == runs ? "yes" : $"NO ({ended} ended of {total})")} |");
            }
            finally
            {
                foreach (var process in processes)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                    process.Dispose();
                }

                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static Dictionary<string, string> Settings(string database, Uri model, string directory, int port) => new()
    {
        ["ConnectionStrings__AgentHost"] = database,
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Model__Endpoint"] = model.ToString(),
        ["Model__ApiKey"] = "sk-instant",
        ["Model__Name"] = "instant",
        ["Policies__Path"] = Path.Combine(PolicyFixtures.RepositoryRoot(), "policies"),
        ["Directory__Path"] = Path.Combine(PolicyFixtures.RepositoryRoot(), "src", "AgentHost", "directory.yaml"),
        ["Audit__KeyPath"] = Path.Combine(directory, "key.pem"),
        ["Audit__CheckpointFile"] = Path.Combine(directory, "checkpoints.log"),
        ["Urls"] = $"http://127.0.0.1:{port}",
    };

    private static Process Start(string role, Dictionary<string, string> settings, string directory)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AgentHost.dll"));
        start.ArgumentList.Add("--role");
        start.ArgumentList.Add(role);
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        if (role == "worker")
        {
            start.Environment["Urls"] = "http://127.0.0.1:0";
        }

        var process = Process.Start(start)!;
        var log = Path.Combine(directory, $"{role}-{process.Id}.log");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { File.AppendAllText(log, e.Data + "\n"); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { File.AppendAllText(log, e.Data + "\n"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitReadyAsync(HttpClient http)
    {
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if ((await http.GetAsync("/readyz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the web process did not become ready in 60 s");
    }

    private static async Task<string> CreateAgentAsync(HttpClient http, int number)
    {
        var created = await http.PostAsJsonAsync("/api/agents", new
        {
            name = $"Bench {number}",
            instructions = "Report status.",
            tools = new[] { "slack.read_channel" },
            scopes = new Dictionary<string, string[]> { ["slack.channels"] = ["C0OPS"] },
            budgets = new { tokensPerRun = 50_000, tokensPerDay = 50_000_000, maxTurns = 5, maxConcurrentRuns = ConcurrentRunsPerAgent },
        });
        var body = await created.Content.ReadAsStringAsync();
        return created.StatusCode == HttpStatusCode.Created
            ? JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!
            : throw new InvalidOperationException($"creating an agent failed: {(int)created.StatusCode} {body}");
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
