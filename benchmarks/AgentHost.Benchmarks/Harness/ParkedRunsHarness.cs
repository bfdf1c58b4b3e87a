using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Tools;
using AgentHost.Tools;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Benchmarks.Harness;

/// <summary>
/// Parks N runs awaiting approval through the real host (API, Hangfire, Semantic Kernel, gate, audit) and
/// reports what a parked run costs: process memory and threads before and after, store bytes per run,
/// and how long an approval takes to turn into the executed call.
/// </summary>
public static class ParkedRunsHarness
{
    public static async Task RunAsync(TextWriter output, int runs, int approvals, string workDirectory)
    {
        var data = Path.Combine(workDirectory, $"parked-{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);
        // WebApplicationFactory looks for the host's content root by project name; tell it where it is.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_AGENTHOST", Path.Combine(PolicyFixtures.RepositoryRoot(), "src", "AgentHost"));
        await using var model = await InstantModel.StartAsync();
        var executed = new ConcurrentDictionary<string, long>();
        await using var host = new HostFactory(data, model.Endpoint, new TimingExecutor(executed));
        var alice = Client(host, "alice@example.com");
        var agent = await alice.PostAsJsonAsync("/api/agents", new
        {
            name = "Partner status",
            instructions = "Mail the partner our status.",
            tools = new[] { "email.send" },
            scopes = new Dictionary<string, string[]> { ["email.recipientDomains"] = ["partner.test"] },
            budgets = new { tokensPerRun = 10_000, tokensPerDay = 50_000_000, maxTurns = 5, maxConcurrentRuns = 50 },
        });
        var agentId = (await agent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var database = Path.Combine(data, "agenthost.db");

        await ParkAsync(alice, agentId, 50);
        await Task.Delay(TimeSpan.FromSeconds(75));
        var (memoryBefore, threadsBefore, workingSetBefore) = Measure();
        var storeBefore = StoreBytes(database);
        var watch = Stopwatch.StartNew();
        var runIds = await ParkAsync(alice, agentId, runs);
        var parkSeconds = watch.Elapsed.TotalSeconds;

        // Finished Hangfire job records live one minute (RunRegistration); measure once they are gone,
        // so the figure is what parked runs hold, not the recent job history. The wait is also the idle window.
        await Task.Delay(TimeSpan.FromSeconds(15));
        var store = host.Services.GetRequiredService<AgentHost.Core.Storage.StoreDatabase>();
        var openedBefore = store.ConnectionsOpened;
        var idle = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(60));
        var idleQueriesPerSecond = (store.ConnectionsOpened - openedBefore) / idle.Elapsed.TotalSeconds;
        var (memoryAfter, threadsAfter, workingSetAfter) = Measure();
        var storeAfter = StoreBytes(database);

        var bob = Client(host, "bob@example.com");
        var pending = (await bob.GetFromJsonAsync<JsonElement>("/api/approvals?status=pending")).EnumerateArray()
            .Select(a => (Id: a.GetProperty("id").GetString()!, RunId: a.GetProperty("runId").GetString()!)).ToDictionary(a => a.RunId, a => a.Id);
        var latencies = new LatencyRecorder(approvals);
        foreach (var runId in runIds.Where(pending.ContainsKey).Take(approvals))
        {
            var start = Stopwatch.GetTimestamp();
            (await bob.PostAsJsonAsync($"/api/approvals/{pending[runId]}/decision", new { decision = "approve" })).EnsureSuccessStatusCode();
            while (!executed.TryGetValue(runId, out _))
            {
                await Task.Delay(1);
            }

            latencies.Record(executed[runId] - start);
        }

        output.WriteLine($"| parked runs | park rate (runs/s) | managed heap before → after (MiB) | working set before → after (MiB) | threads before → after | store per parked run (bytes) |");
        output.WriteLine($"|---|---|---|---|---|---|");
        output.WriteLine($"| {runs} | {runs / parkSeconds:F0} | {memoryBefore / 1048576.0:F1} → {memoryAfter / 1048576.0:F1} | {workingSetBefore / 1048576.0:F1} → {workingSetAfter / 1048576.0:F1} | {threadsBefore} → {threadsAfter} | {(storeAfter - storeBefore) / (double)runs:F0} |");
        output.WriteLine();
        output.WriteLine($"idle host, {runs} runs parked: {idleQueriesPerSecond:F3} store connections per second over 60 s");
        output.WriteLine($"approval to execution, {latencies.Count} approvals one at a time: p50 {latencies.PercentileMicroseconds(50) / 1000:F1} ms, p99 {latencies.PercentileMicroseconds(99) / 1000:F1} ms");
    }

    private static async Task<List<string>> ParkAsync(HttpClient client, string agentId, int count)
    {
        var ids = new ConcurrentBag<string>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                var started = await client.PostAsJsonAsync($"/api/agents/{agentId}/runs", new { input = "Send the status" });
                while (started.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
                {
                    await Task.Delay(5);
                    started = await client.PostAsJsonAsync($"/api/agents/{agentId}/runs", new { input = "Send the status" });
                }

                ids.Add((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!);
            }
        })));
        foreach (var id in ids)
        {
            while ((await client.GetFromJsonAsync<JsonElement>($"/api/runs/{id}")).GetProperty("status").GetString() != "awaiting_approval")
            {
                await Task.Delay(10);
            }
        }

        return [.. ids];
    }

    private static (long Heap, int Threads, long WorkingSet) Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(true), process.Threads.Count, process.WorkingSet64);
    }

    private static long StoreBytes(string database) =>
        new[] { database, database + "-wal", Path.ChangeExtension(database, ".search.db"), Path.ChangeExtension(database, ".search.db") + "-wal" }
            .Where(File.Exists).Sum(f => new FileInfo(f).Length);

    private static HttpClient Client(HostFactory host, string user)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Dev-User", user);
        return client;
    }

    private sealed class TimingExecutor(ConcurrentDictionary<string, long> executed) : IToolExecutor
    {
        public IReadOnlyCollection<string> Functions { get; } = ["email.send"];

        public Task<ToolResult> ExecuteAsync(ToolInvocation invocation, CancellationToken cancellationToken)
        {
            executed[invocation.RunId] = Stopwatch.GetTimestamp();
            return Task.FromResult(new ToolResult(true, "sent"));
        }
    }

    private sealed class HostFactory(string data, Uri model, IToolExecutor executor) : WebApplicationFactory<AgentHost.Runs.RunExecutor>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:AgentHost", $"Data Source={Path.Combine(data, "agenthost.db")}");
            builder.UseSetting("Audit:KeyPath", Path.Combine(data, "key.pem"));
            builder.UseSetting("Audit:CheckpointFile", Path.Combine(data, "checkpoints.log"));
            builder.UseSetting("Policies:Path", Path.Combine(PolicyFixtures.RepositoryRoot(), "policies"));
            builder.UseSetting("Directory:Path", Path.Combine(PolicyFixtures.RepositoryRoot(), "src", "AgentHost", "directory.yaml"));
            builder.UseSetting("Model:Endpoint", model.ToString());
            builder.UseSetting("Model:ApiKey", "sk-bench");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton(executor);
                services.AddSingleton<IStartupFilter>(new LoopbackFilter());
            });
        }
    }

    private sealed class LoopbackFilter : IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
