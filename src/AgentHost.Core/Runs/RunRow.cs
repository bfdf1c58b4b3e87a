using AgentHost.Core.Storage;

namespace AgentHost.Core.Runs;

/// <summary>A row of runs as stored, read by column name; <see cref="ToRun"/> is the one place it becomes a <see cref="Run"/>.</summary>
internal sealed record RunRow
{
    /// <summary>The columns a <see cref="RunRow"/> reads, qualified with <c>r</c> so that queries can join.</summary>
    public const string Columns = "r.id, r.agent_id, r.requester, r.input, r.status, r.turns, r.input_tokens, r.output_tokens, r.output, r.stop_reason, r.created_at, r.finished_at, r.started_by, r.dry_run";

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

    public Run ToRun() => new(
        Id, AgentId, Requester, Input, SnakeCase.Parse<RunStatus>(Status), checked((int)Turns), InputTokens, OutputTokens, Output, StopReason,
        StoreTime.FromMicroseconds(CreatedAt), StoreTime.FromMicroseconds(FinishedAt), StartedBy, DryRun != 0);
}
