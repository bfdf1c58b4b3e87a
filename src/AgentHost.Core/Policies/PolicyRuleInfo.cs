namespace AgentHost.Core.Policies;

/// <summary>A rule as people read it: where it is written and what it says it is for.</summary>
public sealed record PolicyRuleInfo(string Id, PolicyOutcome Outcome, string? Description, string File, long Line, IReadOnlyList<string> Functions);
