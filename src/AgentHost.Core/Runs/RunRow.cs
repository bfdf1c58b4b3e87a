using AgentHost.Core.Storage;

namespace AgentHost.Core.Runs;

/// <summary>A row of runs as stored, read by column name; <see cref="ToRun"/> is the one place it becomes a <see cref="Run"/>.</summary>
internal sealed record RunRow
{
    /// <summary>
    /// The columns a <see cref="RunRow"/> reads, qualified with <c>r</c> so that queries can join, and its
    /// calls counted by outcome: one correlated count per outcome, each on run_tool_calls' primary key
    /// (run_id first), so a list of runs stays one query however many runs and calls it shows.
    /// </summary>
    public const string Columns = "r.id, r.agent_id, r.requester, r.input, r.status, r.turns, r.input_tokens, r.output_tokens, r.output, r.stop_reason, r.created_at, r.finished_at, r.started_by, r.dry_run, r.agent_version, "
        + Count + "'executed')) AS calls_executed, "
        + Count + "'failed')) AS calls_failed, "
        + Count + "'denied')) AS calls_denied, "
        + Count + "'rejected')) AS calls_rejected, "
        + Count + "'expired')) AS calls_expired, "
        + Count + "'outcome_unknown')) AS calls_outcome_unknown, "
        + Count + "'cancelled')) AS calls_cancelled, "
        + Count + "'dry_run')) AS calls_dry_run, "
        + Count + "'proposed', 'requested', 'awaiting_approval')) AS calls_pending";

    // The outcome words are ToolCallOutcome's stored text (RunActionsTests checks they match the enum).
    private const string Count = "(SELECT COUNT(*) FROM run_tool_calls c WHERE c.run_id = r.id AND c.outcome IN (";

    public string Id { get; init; } = "";
    public string AgentId { get; init; } = "";
    public string Requester { get; init; } = "";
    public string Input { get; init; } = "";
    public string Status { get; init; } = "";
    public long Turns { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public string? Output { get; init; }
    public string? StopReason { get; init; }
    public long CreatedAt { get; init; }
    public long? FinishedAt { get; init; }
    public string? StartedBy { get; init; }
    public long DryRun { get; init; }
    public long? AgentVersion { get; init; }
    public long CallsExecuted { get; init; }
    public long CallsFailed { get; init; }
    public long CallsDenied { get; init; }
    public long CallsRejected { get; init; }
    public long CallsExpired { get; init; }
    public long CallsOutcomeUnknown { get; init; }
    public long CallsCancelled { get; init; }
    public long CallsPending { get; init; }
    public long CallsDryRun { get; init; }

    public Run ToRun() => new(
        Id, AgentId, Requester, Input, SnakeCase.Parse<RunStatus>(Status), checked((int)Turns), InputTokens, OutputTokens, Output, StopReason,
        StoreTime.FromMicroseconds(CreatedAt), StoreTime.FromMicroseconds(FinishedAt), StartedBy, DryRun != 0, AgentVersion)
    {
        Actions = new RunActions(
            checked((int)CallsExecuted), checked((int)CallsFailed), checked((int)CallsDenied), checked((int)CallsRejected), checked((int)CallsExpired),
            checked((int)CallsOutcomeUnknown), checked((int)CallsCancelled), checked((int)CallsPending), checked((int)CallsDryRun)),
    };
}
