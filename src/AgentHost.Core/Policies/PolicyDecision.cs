namespace AgentHost.Core.Policies;

/// <summary>
/// The gate's answer for one proposed tool call: what, because of which rules, under which policy set.
/// Decisions of a single rule are built once when the set compiles and reused, so the hot path allocates nothing.
/// <see cref="Approvals"/> holds every group that must approve, one entry per group (empty unless the
/// outcome is require_approval): each group's approval is needed, none stands in for another.
/// </summary>
public sealed record PolicyDecision(
    PolicyOutcome Outcome,
    IReadOnlyList<string> RuleIds,
    IReadOnlyList<ApprovalRequirement> Approvals,
    string PolicyHash,
    string Explanation);
