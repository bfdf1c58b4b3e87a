namespace AgentHost.Core.Policies;

/// <summary>
/// Who must approve, how many of them, and how long they have. The agent's owner never counts as an
/// approver of their own agent's action; that is not configurable. <see cref="EscalateTo"/> is the group
/// that takes the request over, once, when nobody decided in time (`escalate_to` in the policy); without
/// one the request expires.
/// </summary>
public sealed record ApprovalRequirement(string Group, int Count, TimeSpan Timeout, string? EscalateTo = null);
