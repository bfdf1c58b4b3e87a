namespace AgentHost.Core.Policies.Replay;

/// <summary>One call whose decision the candidate set changes, with both decisions and their rules.</summary>
public sealed record ReplayedCall(RecordedCall Call, PolicyChange Change, PolicyDecision Before, PolicyDecision After)
{
    /// <summary>The rules that make the difference: the candidate's when it decides more strictly or differently, else the baseline's.</summary>
    public IReadOnlyList<string> DecidingRules => After.RuleIds.Count > 0 ? After.RuleIds : Before.RuleIds;
}
