namespace AgentHost.Core.Policies;

/// <summary>
/// Who must approve, how many of them, and how long they have. The agent's owner never counts as an
/// approver of their own agent's action; that is not configurable.
/// </summary>
public sealed record ApprovalRequirement(string Group, int Count, TimeSpan Timeout);
