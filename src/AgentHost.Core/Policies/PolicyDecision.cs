namespace AgentHost.Core.Policies;

/// <summary>
/// The gate's answer for one proposed tool call: what, because of which rules, under which policy set.
/// Decisions of a single rule are built once when the set compiles and reused, so the hot path allocates nothing.
/// </summary>
public sealed record PolicyDecision(
    PolicyOutcome Outcome,
    IReadOnlyList<string> RuleIds,
    ApprovalRequirement? Approval,
    string PolicyHash,
    string Explanation);
