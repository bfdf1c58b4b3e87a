using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace AgentHost.Tests.Reliability;

/// <summary>
/// One web process and two worker processes on one PostgreSQL database execute runs in batches of 25,
/// half of them parked for an approval given on the web: none is lost, none is executed twice, and the
/// audit chain the three processes wrote together verifies. AGENTHOST_CLUSTER_RUNS sets the count:
/// 1,000 took 591 s here (docs/reliability.md), so CI runs 100.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class MultiProcessTests(ITestOutputHelper output)
{
    private static int Runs => int.TryParse(Environment.GetEnvironmentVariable("AGENTHOST_CLUSTER_RUNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var runs) ? runs : 100;

    [Fact]
    public async Task WebAndTwoWorkerProcesses_ExecuteRunsWithApprovals_EachOnce()
    {
        await using var cluster = await WorkerCluster.StartAsync(leaseSeconds: 60);
        var agentId = await cluster.CreateAgentAsync(maxConcurrentRuns: 50);
        cluster.StartWorker();
        cluster.StartWorker();
        var clock = Stopwatch.StartNew();

        while (cluster.RunIds.Count < Runs)
        {
            // Keep below the agent's concurrency budget: start a batch, approve what waits, repeat.
            for (var i = 0; i < 25 && cluster.RunIds.Count < Runs; i++)
            {
                await cluster.StartRunAsync(agentId);
            }

            await cluster.DrainAsync();
        }

        var elapsed = clock.Elapsed;
        var report = await cluster.CheckAsync(trials: 0);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Runs} runs in {elapsed.TotalSeconds:F1} s\n{report}"));
        report.Succeeded.ShouldBe(Runs, "no worker died, so every run succeeds");
        report.Effects.ShouldBe(Runs);
    }
}
