namespace AgentHost.Core.Policies;

/// <summary>Either a compiled set or every error found; a broken file is an expected outcome, not an exception.</summary>
public sealed record PolicyLoadResult(PolicySet? PolicySet, IReadOnlyList<PolicyError> Errors)
{
    public bool Succeeded => PolicySet is not null;
}
