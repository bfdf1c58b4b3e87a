namespace AgentHost.Core.Approvals;

/// <summary>One approver group an approval waits for, and how many distinct people of it must approve.</summary>
public sealed record ApprovalGroup(string Group, int Count);
