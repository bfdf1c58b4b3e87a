using AgentHost.Core.Employees;
using AgentHost.Core.Policies;
using BenchmarkDotNet.Attributes;

namespace AgentHost.Benchmarks;

/// <summary>Mean time and allocations of one decision on the allow path, by policy set size.</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class PolicyBenchmarks
{
    private PolicySet _policies = null!;
    private PolicyRequest _request = null!;
    private EmployeeDirectory _people = null!;

    [Params("shipped", "10", "1000", "10000")]
    public string Rules { get; set; } = "shipped";

    [GlobalSetup]
    public void Setup()
    {
        _people = PolicyFixtures.People();
        _policies = Rules == "shipped" ? PolicyFixtures.Shipped() : PolicyFixtures.Generated(int.Parse(Rules, System.Globalization.CultureInfo.InvariantCulture));
        _request = Rules == "shipped" ? PolicyFixtures.ReadChannel("C0OPS") : PolicyFixtures.ReadChannel("C00001");
        if (_policies.Evaluate(_request, _people).Outcome != PolicyOutcome.Allow)
        {
            throw new InvalidOperationException("the benchmark request must take the allow path");
        }
    }

    [Benchmark]
    public PolicyDecision Decide() => _policies.Evaluate(_request, _people);
}
