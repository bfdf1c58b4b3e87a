namespace AgentHost.Tests.Reliability;

/// <summary>
/// The process-level tests run alone, after the parallel ones: they start worker processes whose leases
/// and timings should not depend on how many other test hosts share the two cores at that moment.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessTests
{
    public const string Name = "Reliability";
}
