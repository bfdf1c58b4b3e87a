using System.Globalization;
using Xunit.Abstractions;

namespace AgentHost.Tests.Reliability;

/// <summary>
/// The crash harness: each trial starts a real worker process, starts runs, approves what waits, and
/// SIGKILLs the worker at a random moment (start-up, mid-turn, mid-call, mid-resume); the next trial
/// starts a fresh one, and a last worker left alone finishes what the killed ones left. Then every run
/// has ended, no effect happened twice or without its write-ahead record, every approval was honoured
/// and the chain the processes wrote verifies. AGENTHOST_CRASH_TRIALS sets the trial count (CI runs a
/// few; docs/reliability.md reports a 100-trial run), AGENTHOST_CRASH_SEED the seed of the kill times.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class CrashTests(ITestOutputHelper output)
{
    private static int Trials => Setting("AGENTHOST_CRASH_TRIALS", 8);

    [Fact]
    public async Task WorkerKilledAtRandomPoints_LosesNothing_RepeatsNothing_AndTheChainVerifies()
    {
        var seed = Setting("AGENTHOST_CRASH_SEED", 20261202);
        var random = new Random(seed);
        await using var cluster = await WorkerCluster.StartAsync(leaseSeconds: 3);
        var agentId = await cluster.CreateAgentAsync();

        for (var trial = 0; trial < Trials; trial++)
        {
            var worker = cluster.StartWorker();
            for (var i = 0; i < 3; i++)
            {
                await cluster.StartRunAsync(agentId);
            }

            await cluster.ApprovePendingAsync();
            await Task.Delay(random.Next(0, 4000));
            worker.Kill();
        }

        cluster.StartWorker();
        await cluster.DrainAsync();

        var report = await cluster.CheckAsync(Trials);
        output.WriteLine(report.ToString());
        var folder = Path.Combine(RepositoryRoot.Path, "test-results");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "crash-report.md"), $"# Crash harness: {Trials} trials, seed {seed}\n\n{report}\n");
    }

    private static int Setting(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
