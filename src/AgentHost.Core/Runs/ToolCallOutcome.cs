using System.Text.Json.Serialization;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Runs;

/// <summary>
/// The outcomes of a tool call record (stored as snake_case words, <see cref="SnakeCase"/>). Proposed,
/// requested and awaiting_approval are on the way; every other one is final, and every call reaches one
/// whatever stops its run (ARCHITECTURE.md 3a, 7).
/// </summary>
[JsonConverter(typeof(SnakeCaseConverter<ToolCallOutcome>))]
public enum ToolCallOutcome
{
    Proposed,
    Requested,
    AwaitingApproval,
    Executed,
    Failed,
    OutcomeUnknown,
    Denied,
    Cancelled,

    /// <summary>An approver rejected the parked call.</summary>
    Rejected,

    /// <summary>The parked call's approval expired before enough people approved.</summary>
    Expired,

    /// <summary>A write or destructive call of a dry run: decided by the gate, not executed (the summary says what would have happened).</summary>
    DryRun,
}

public static class ToolCallOutcomeExtensions
{
    public static bool IsFinal(this ToolCallOutcome outcome) => outcome is not (ToolCallOutcome.Proposed or ToolCallOutcome.Requested or ToolCallOutcome.AwaitingApproval);
}
