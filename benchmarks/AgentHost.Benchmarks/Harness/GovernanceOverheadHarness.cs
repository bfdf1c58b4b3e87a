using System.Diagnostics;
using AgentHost.Core.Agents;
using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Content;
using AgentHost.Core.Gate;
using AgentHost.Core.Policies;
using AgentHost.Core.Runs;
using AgentHost.Core.Tools;
using Microsoft.SemanticKernel;

namespace AgentHost.Benchmarks.Harness;

/// <summary>
/// What governance adds to one tool call: the same allowed call (slack.read_channel on a granted channel)
/// made by concurrent runs, once straight through Semantic Kernel (bare) and once the way the run loop
/// makes it: the gate (action.requested, policy.decided and the tool-call record in one durable group
/// commit, which may also carry the previous call's deferred outcome), the kill-switch read, the call; then action.executed
/// with the record's update and the saved history queued for the writer's next group commit, not awaited
/// (RunState.Defer). Instant runs make their calls back to back (saturation); paced runs wait as long as a
/// model turn between calls, as real agents do, so the deferred commit overlaps the model's time.
/// </summary>
public static class GovernanceOverheadHarness
{
    public static async Task RunAsync(TextWriter output, int concurrentRuns, int callsPerRun, TimeSpan modelTime, bool deferred, string workDirectory)
    {
        var directory = Path.Combine(workDirectory, $"governance-{Guid.NewGuid():N}");
        await using var log = await HarnessLog.StartAsync(directory);
        var time = TimeProvider.System;
        var agentsStore = new AgentStore(log.Database, time);
        var runs = new RunStore(log.Database, time);
        var policies = new PolicyProvider(Path.Combine(PolicyFixtures.RepositoryRoot(), "policies"), AgentHost.Tools.BuiltInPlugins.Catalog());
        policies.Reload();
        var gate = new ToolGate(policies, PolicyFixtures.People(), log.Writer);
        var definition = new AgentDefinition("bench", null, "bench", null, ["slack.read_channel"], new Dictionary<string, IReadOnlyList<string>> { ["slack.channels"] = ["C0OPS"] }, null, null);
        var agent = await agentsStore.CreateAsync("alice@example.com", definition, CancellationToken.None);

        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions("slack", [KernelFunctionFactory.CreateFromMethod((string channel) => "[] no messages", "read_channel")]);
        var function = kernel.Plugins["slack"]["read_channel"];
        var arguments = new KernelArguments { ["channel"] = "C0OPS" };

        var bare = await MeasureAsync(concurrentRuns, callsPerRun, modelTime, async (_, _) => await function.InvokeAsync(kernel, arguments));
        var runIds = new string[concurrentRuns];
        for (var r = 0; r < concurrentRuns; r++)
        {
            var run = await runs.CreateAsync(agent.Id, "alice@example.com", "bench", CancellationToken.None);
            await runs.TryStartAsync(run.Id, CancellationToken.None);
            runIds[r] = run.Id;
        }

        var policyArguments = new Dictionary<string, ToolArgumentValue> { ["channel"] = "C0OPS" };

        // A history of a typical size: it is saved after every call (a real run's grows turn by turn).
        var history = "[" + string.Join(",", Enumerable.Repeat("{\"role\":\"user\",\"content\":\"" + new string('x', 400) + "\"}", 4)) + "]";
        var unsettled = new Task[concurrentRuns];
        Array.Fill(unsettled, Task.CompletedTask);
        var governed = await MeasureAsync(concurrentRuns, callsPerRun, modelTime, async (r, i) =>
        {
            var call = new ProposedToolCall(runIds[r], i, $"call-{r}-{i}", "slack.read_channel", policyArguments, "{\"channel\":\"C0OPS\"}", ProposedToolCall.Clean);
            var decision = await gate.DecideAsync(agent, "alice@example.com", call, d => RunStore.ToolCallWrite(new ToolCallRecord(call.RunId, i, call.CallId, call.Function, call.ArgumentsJson, "allow", d.RuleIds, ToolCallOutcome.Requested, null)), CancellationToken.None);

            // As CallDecision does: the previous call's deferred outcome shared this commit or an earlier one.
            await unsettled[r];
            _ = await runs.GetAsync(call.RunId, CancellationToken.None);
            var result = await function.InvokeAsync(kernel, arguments);

            // As CallExecution does: the full result is trail content, stored in the outcome's transaction,
            // which is queued, not awaited; so is the saved history.
            var text = result.ToString();
            var outcome = gate.RecordOutcomeAsync(agent, call, true, text, AuditContent.Create(AuditContentKind.ToolResult, text, 1024 * 1024), RunStore.ToolCallWrite(new ToolCallRecord(call.RunId, i, call.CallId, call.Function, call.ArgumentsJson, "allow", decision.RuleIds, ToolCallOutcome.Executed, "ok")), TimeProvider.System.GetUtcNow(), CancellationToken.None);
            if (deferred)
            {
                unsettled[r] = Task.WhenAll(outcome, log.Writer.AppendAsync([], RunStore.ProgressWrite(call.RunId, 1, 50, 10, history), CancellationToken.None));
            }
            else
            {
                // The loop before issue 19: the outcome awaited, then the history saved in a transaction of its own.
                await outcome;
                await log.Database.ExecuteAsync(RunStore.ProgressWrite(call.RunId, 1, 50, 10, history), CancellationToken.None);
            }
        });
        await Task.WhenAll(unsettled);

        var pacing = modelTime == TimeSpan.Zero ? "instant" : $"{modelTime.TotalMilliseconds:F0} ms model";
        output.WriteLine($"| path | model | concurrent runs | calls | p50 per call (ms) | p99 per call (ms) | calls/s |");
        output.WriteLine($"|---|---|---|---|---|---|---|");
        output.WriteLine($"| bare Semantic Kernel invocation | {pacing} | {concurrentRuns} | {bare.Calls} | {bare.P50:F3} | {bare.P99:F3} | {bare.Rate:F0} |");
        output.WriteLine($"| governed{(deferred ? ", outcome deferred" : ", outcome awaited (before)")} | {pacing} | {concurrentRuns} | {governed.Calls} | {governed.P50:F3} | {governed.P99:F3} | {governed.Rate:F0} |");
        output.WriteLine();
        output.WriteLine($"added per call: p50 {governed.P50 - bare.P50:F3} ms, p99 {governed.P99 - bare.P99:F3} ms; governed/bare p50 ratio {governed.P50 / Math.Max(bare.P50, 1e-6):F0}x");
    }

    private static async Task<(long Calls, double P50, double P99, double Rate)> MeasureAsync(int concurrentRuns, int callsPerRun, TimeSpan modelTime, Func<int, int, Task> call)
    {
        var latencies = new LatencyRecorder(concurrentRuns * callsPerRun);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrentRuns).Select(r => Task.Run(async () =>
        {
            for (var i = 0; i < callsPerRun; i++)
            {
                if (modelTime > TimeSpan.Zero)
                {
                    // The model's turn before each call: not part of the call's cost.
                    await Task.Delay(modelTime);
                }

                var start = Stopwatch.GetTimestamp();
                await call(r, i);
                latencies.Record(Stopwatch.GetTimestamp() - start);
            }
        })));
        var seconds = watch.Elapsed.TotalSeconds;
        return (latencies.Count, latencies.PercentileMicroseconds(50) / 1000, latencies.PercentileMicroseconds(99) / 1000, latencies.Count / seconds);
    }
}
