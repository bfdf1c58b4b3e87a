using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace AgentHost.Benchmarks.Harness;

/// <summary>
/// The host as deployed: real `AgentHost.dll` processes configured through environment variables and
/// driven only through the HTTP API, so a harness keeps working whatever changes inside the host.
/// </summary>
public static class HostProcesses
{
    public static Dictionary<string, string> Settings(string connectionString, Uri model, string directory, int port) => new()
    {
        ["ConnectionStrings__AgentHost"] = connectionString,
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Model__Endpoint"] = model.ToString(),
        ["Model__ApiKey"] = "sk-instant",
        ["Model__Name"] = "instant",
        ["Policies__Path"] = Path.Combine(PolicyFixtures.RepositoryRoot(), "policies"),
        ["Directory__Path"] = Path.Combine(PolicyFixtures.RepositoryRoot(), "src", "AgentHost", "directory.yaml"),
        ["Audit__KeyPath"] = Path.Combine(directory, "key.pem"),
        ["Audit__CheckpointFile"] = Path.Combine(directory, "checkpoints.log"),

        // A harness starts thousands of runs per agent; the hourly cap would measure the limiter, not the host.
        ["Limits__RunsPerAgentPerHour"] = "100000",
        ["Urls"] = $"http://127.0.0.1:{port}",
    };

    /// <summary>Starts the host; <paramref name="role"/> null is the default (web and worker in one process, as on SQLite).</summary>
    public static Process Start(string? role, Dictionary<string, string> settings, string directory)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AgentHost.dll"));
        if (role is not null)
        {
            start.ArgumentList.Add("--role");
            start.ArgumentList.Add(role);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        if (role == "worker")
        {
            start.Environment["Urls"] = "http://127.0.0.1:0";
        }

        var process = Process.Start(start)!;
        var log = Path.Combine(directory, $"{role ?? "all"}-{process.Id}.log");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { File.AppendAllText(log, e.Data + "\n"); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { File.AppendAllText(log, e.Data + "\n"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task StopAsync(IEnumerable<Process> processes)
    {
        foreach (var process in processes)
        {
            process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    public static HttpClient Client(int port)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Add("X-Dev-User", "alice@example.com");
        return http;
    }

    public static async Task WaitReadyAsync(HttpClient http)
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

        throw new TimeoutException("the host did not become ready in 60 s");
    }

    /// <summary>
    /// An agent granted only slack.read_channel: the model's proposed mail is a governed call the gate
    /// denies, so every run is two model turns and one gate decision, never a parked approval.
    /// </summary>
    public static async Task<string> CreateAgentAsync(HttpClient http, int number, int maxConcurrentRuns)
    {
        var created = await http.PostAsJsonAsync("/api/agents", new
        {
            name = $"Bench {number}",
            instructions = "Report status.",
            tools = new[] { "slack.read_channel" },
            scopes = new Dictionary<string, string[]> { ["slack.channels"] = ["C0OPS"] },
            budgets = new { tokensPerRun = 50_000, tokensPerDay = 50_000_000, maxTurns = 5, maxConcurrentRuns },
        });
        var body = await created.Content.ReadAsStringAsync();
        return created.StatusCode == HttpStatusCode.Created
            ? JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!
            : throw new InvalidOperationException($"creating an agent failed: {(int)created.StatusCode} {body}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>CPU time (user and kernel) the processes have used so far.</summary>
    public static TimeSpan CpuTime(IEnumerable<Process> processes) => processes.Aggregate(TimeSpan.Zero, (sum, process) =>
    {
        process.Refresh();
        return sum + process.TotalProcessorTime;
    });

    /// <summary>The load averages (1, 5, 15 minutes), recorded next to each figure: the build machine is shared.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
