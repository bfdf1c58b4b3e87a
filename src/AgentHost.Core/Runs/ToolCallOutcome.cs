namespace AgentHost.Core.Runs;

/// <summary>
/// The outcomes of a tool call record. Proposed, requested and awaiting_approval are on the way; every
/// other one is final, and every call reaches one whatever stops its run (ARCHITECTURE.md 3a, 7).
/// </summary>
public static class ToolCallOutcome
{
    public const string Proposed = "proposed";
    public const string Requested = "requested";
    public const string AwaitingApproval = "awaiting_approval";
    public const string Executed = "executed";
    public const string Failed = "failed";
    public const string OutcomeUnknown = "outcome_unknown";
    public const string Denied = "denied";
    public const string Cancelled = "cancelled";

    public static bool IsFinal(string outcome) => outcome is not (Proposed or Requested or AwaitingApproval);
}
