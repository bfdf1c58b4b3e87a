namespace AgentHost.Approvals;

/// <summary>Why a decision is refused before it is counted; refusals of the person (403) are audited, a late or repeated click is not.</summary>
public sealed record DecisionRefusal(int Status, string Message, bool Audited);
