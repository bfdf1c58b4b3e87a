namespace AgentHost.Approvals;

/// <summary>POST /api/approvals/{id}/decision: "approve" or "reject", with an optional comment.</summary>
public sealed record ApprovalDecision(string? Decision, string? Comment);
