using System.Diagnostics;
using AgentHost.Core.Policies;

namespace AgentHost.Benchmarks.Harness;

/// <summary>Per-decision latency percentiles on one thread, which BenchmarkDotNet's means do not show.</summary>
public static class PolicyLatencyHarness
{
    private const int Warmup = 200_000;
    private const int Measured = 1_000_000;

    public static void Run(TextWriter output)
    {
        var people = PolicyFixtures.People();
        output.WriteLine("| policy set | rules | p50 (µs) | p99 (µs) | p99.9 (µs) | allocated per decision (bytes) |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var name in new[] { "shipped", "10", "1000", "10000" })
        {
            var policies = name == "shipped" ? PolicyFixtures.Shipped() : PolicyFixtures.Generated(int.Parse(name, System.Globalization.CultureInfo.InvariantCulture));
            var request = name == "shipped" ? PolicyFixtures.ReadChannel("C0OPS") : PolicyFixtures.ReadChannel("C00001");
            if (policies.Evaluate(request, people).Outcome != PolicyOutcome.Allow)
            {
                throw new InvalidOperationException("the harness request must take the allow path");
            }

            for (var i = 0; i < Warmup; i++)
            {
                policies.Evaluate(request, people);
            }

            var latencies = new LatencyRecorder(Measured);
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Measured; i++)
            {
                var start = Stopwatch.GetTimestamp();
                policies.Evaluate(request, people);
                latencies.Record(Stopwatch.GetTimestamp() - start);
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            output.WriteLine($"| {name} | {policies.Rules.Count} | {latencies.PercentileMicroseconds(50):F3} | {latencies.PercentileMicroseconds(99):F3} | {latencies.PercentileMicroseconds(99.9):F3} | {(double)allocated / Measured:F1} |");
        }
    }
}
