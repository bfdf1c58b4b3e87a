namespace AgentHost.Core.Approvals;

/// <summary>An approval with what a list shows beside it (the agent's name and the run's request), read in the same query.</summary>
public sealed record ApprovalListing(Approval Approval, string? AgentName, string? RunInput);
