using AgentHost.Core.Runs;

namespace AgentHost.Runs;

/// <summary>
/// GET /api/runs/{id}: a run with its token counts and every tool call it proposed. <see cref="Actions"/>
/// counts the calls by outcome and <see cref="Outcome"/> says it in words: "succeeded" alone only when
/// every proposed call executed. <see cref="DryRun"/> marks a test run whose writes were decided, not executed.
/// <see cref="AgentVersion"/> is the agent's version it ran (GET /api/agents/{id}/versions/{n}).
/// </summary>
public sealed record RunView(
    string Id,
    string AgentId,
    string? Requester,
    string? StartedBy,
    string Input,
    RunStatus Status,
    string Outcome,
    RunActions Actions,
    int Turns,
    TokenCounts Tokens,
    string? Output,
    string? StopReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<ToolCallRecord> ToolCalls,
    bool DryRun = false,
    long? AgentVersion = null)
{
    public static RunView From(Run run, IReadOnlyList<ToolCallRecord> toolCalls)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(run.Id, run.AgentId, run.Requester, run.StartedBy, run.Input, run.Status, RunOutcome.Text(run), run.Actions, run.Turns, new TokenCounts(run.InputTokens, run.OutputTokens, run.Tokens), run.Output, run.StopReason, run.CreatedAt, run.FinishedAt, toolCalls, run.DryRun, run.AgentVersion);
    }
}

/// <summary>One run of GET /api/runs: no calls, their counts by outcome.</summary>
public sealed record RunSummary(
    string Id,
    string AgentId,
    string? Requester,
    string Input,
    RunStatus Status,
    string Outcome,
    RunActions Actions,
    int Turns,
    TokenCounts Tokens,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt)
{
    public static RunSummary From(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(run.Id, run.AgentId, run.Requester, run.Input, run.Status, RunOutcome.Text(run), run.Actions, run.Turns, new TokenCounts(run.InputTokens, run.OutputTokens, run.Tokens), run.CreatedAt, run.FinishedAt);
    }
}

/// <summary>Tokens in, out and both.</summary>
public sealed record TokenCounts(long Input, long Output, long Total);

/// <summary>202 to POST /api/agents/{id}/runs: the queued run's id (its status is at Location).</summary>
public sealed record RunAccepted(string RunId);
