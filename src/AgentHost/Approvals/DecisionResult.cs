namespace AgentHost.Approvals;

/// <summary>Why a decision was or was not counted, in words the approver can act on.</summary>
public sealed record DecisionResult(bool Counted, int Status, string Message, string? Outcome = null);
