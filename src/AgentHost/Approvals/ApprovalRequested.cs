namespace AgentHost.Approvals;

/// <summary>A run parked on a call that waits for people: the approval exists and is pending.</summary>
public sealed record ApprovalRequested(string ApprovalId, string RunId, string AgentId);
